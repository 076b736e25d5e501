import type { SimulatorSettings } from '../engine/types';

export const WINDOW_MIN = 50;
export const WINDOW_MAX = 100_000;
export const WINDOW_DEFAULT = 400;

/** Clamps a requested chart window to the supported range; non-numbers give the default. */
export function clampWindow(value: number): number {
	if (!Number.isFinite(value)) return WINDOW_DEFAULT;
	return Math.min(WINDOW_MAX, Math.max(WINDOW_MIN, Math.round(value)));
}

/**
 * Simulator settings from the address bar (`?seed=7&series=20&rate=50&anomalies=60`), so a
 * scenario can be shared as a link. Unknown or out-of-range values are ignored.
 */
export function simulatorFromQuery(query: URLSearchParams): Partial<SimulatorSettings> {
	const out: Partial<SimulatorSettings> = {};
	const read = (name: string, min: number, max: number): number | undefined => {
		const raw = query.get(name);
		if (raw === null || raw.trim() === '') return undefined;
		const value = Number(raw);
		return Number.isFinite(value) && value >= min && value <= max ? value : undefined;
	};
	const seed = read('seed', 0, 2 ** 32 - 1);
	const seriesCount = read('series', 1, 10_000);
	const ticksPerSecond = read('rate', 0.1, 1000);
	const anomalies = read('anomalies', 0, 36_000);
	if (seed !== undefined) out.seed = Math.floor(seed);
	if (seriesCount !== undefined) out.seriesCount = Math.floor(seriesCount);
	if (ticksPerSecond !== undefined) out.ticksPerSecond = ticksPerSecond;
	if (anomalies !== undefined) out.anomaliesPerSeriesHour = anomalies;
	return out;
}
