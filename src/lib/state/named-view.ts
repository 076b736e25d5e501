import type { DetectionChoice } from '../detectors/detection-settings';
import { RESOLUTIONS, type Resolution } from '../domain/candles';

/**
 * What a saved view brings back: the series (by key, so it survives id changes), the live window
 * or a fixed time range, the aggregation and the detector choice on that series.
 */
export interface NamedView {
	seriesKey: string;
	/** null: follow the newest ticks with `windowSize` of them. */
	range: { from: number; to: number } | null;
	windowSize: number;
	aggregation: Resolution | null;
	detection: DetectionChoice;
}

export interface SavedView {
	id: number;
	name: string;
	createdAt: number;
	view: NamedView;
}

/** Longest name kept: a label, not a document. */
export const VIEW_NAME_MAX = 80;

/** A stored view as it comes back from IndexedDB (or an imported file), or null when unusable. */
export function parseNamedView(input: unknown): NamedView | null {
	if (typeof input !== 'object' || input === null) return null;
	const raw = input as Record<string, unknown>;
	if (typeof raw.seriesKey !== 'string' || raw.seriesKey.length === 0) return null;
	let range: NamedView['range'] = null;
	if (typeof raw.range === 'object' && raw.range !== null) {
		const { from, to } = raw.range as Record<string, unknown>;
		if (typeof from === 'number' && typeof to === 'number' && Number.isFinite(from) && Number.isFinite(to) && to > from) range = { from, to };
	}
	const windowSize = typeof raw.windowSize === 'number' && Number.isFinite(raw.windowSize) ? raw.windowSize : 400;
	const aggregation = RESOLUTIONS.some((r) => r.name === raw.aggregation) ? (raw.aggregation as Resolution) : null;
	const detection = (typeof raw.detection === 'object' && raw.detection !== null ? raw.detection : {}) as Record<string, unknown>;
	return {
		seriesKey: raw.seriesKey,
		range,
		windowSize,
		aggregation,
		detection: {
			detector: typeof detection.detector === 'string' ? detection.detector : 'ensemble',
			sensitivity: typeof detection.sensitivity === 'number' && Number.isFinite(detection.sensitivity) ? Math.min(1, Math.max(0, detection.sensitivity)) : 0.5
		}
	};
}

export function cleanViewName(name: string): string {
	return name.trim().replace(/\s+/g, ' ').slice(0, VIEW_NAME_MAX);
}
