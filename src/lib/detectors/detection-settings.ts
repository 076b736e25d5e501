import { DEFAULT_SENSITIVITY } from './detector';

/** Which detector runs on a series, and how eager it is (0 = flag almost nothing, 1 = a lot). */
export interface DetectionChoice {
	detector: string;
	sensitivity: number;
}

/** The default for every series, and the person's choices for particular series (by key). */
export interface DetectionSettings extends DetectionChoice {
	series: Record<string, Partial<DetectionChoice>>;
}

export const DEFAULT_DETECTOR = 'ensemble';

export function defaultDetection(): DetectionSettings {
	return { detector: DEFAULT_DETECTOR, sensitivity: DEFAULT_SENSITIVITY, series: {} };
}

/** What runs on the series with this key: its own choice where it has one, else the default. */
export function choiceFor(settings: DetectionSettings, key: string): DetectionChoice {
	const own = Object.hasOwn(settings.series, key) ? settings.series[key] : undefined;
	return {
		detector: own?.detector ?? settings.detector,
		sensitivity: own?.sensitivity ?? settings.sensitivity
	};
}

const clampSensitivity = (value: unknown, fallback: number): number =>
	typeof value === 'number' && Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : fallback;

/**
 * Stored or requested settings with every field usable; `known` says which detector names
 * exist. Series entries live in a prototype-less object: keys come from feeds.
 */
export function normalizeDetection(input: unknown, known: (name: string) => boolean): DetectionSettings {
	const raw = (typeof input === 'object' && input !== null ? input : {}) as Partial<DetectionSettings>;
	const base = defaultDetection();
	const detector = typeof raw.detector === 'string' && known(raw.detector) ? raw.detector : base.detector;
	const series: Record<string, Partial<DetectionChoice>> = Object.create(null);
	if (typeof raw.series === 'object' && raw.series !== null) {
		for (const [key, choice] of Object.entries(raw.series)) {
			if (typeof choice !== 'object' || choice === null) continue;
			const entry: Partial<DetectionChoice> = {};
			if (typeof choice.detector === 'string' && known(choice.detector)) entry.detector = choice.detector;
			if (typeof choice.sensitivity === 'number') entry.sensitivity = clampSensitivity(choice.sensitivity, base.sensitivity);
			if (entry.detector !== undefined || entry.sensitivity !== undefined) series[key] = entry;
		}
	}
	return { detector, sensitivity: clampSensitivity(raw.sensitivity, base.sensitivity), series };
}
