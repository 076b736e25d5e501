/**
 * What each cell of a sensor heatmap shows: the series' newest tick, and whether it was flagged
 * lately. "Lately" counts in the series' own tick time, not the wall clock, so a paused
 * simulator or a feed replayed from the past keeps its outlines.
 */

/** A flag this close before a sensor's newest tick still outlines its cell: long enough to see. */
export const FLAG_RECENT_MS = 2000;

/**
 * A sensor whose newest tick is this far behind its device's newest has stopped (a dropout, a
 * broken wire): its cell keeps the last value but says so. Gait sensors tick every 20 ms.
 */
export const STALE_MS = 2000;

/** A live series as the cells read it (a SeriesView fits). */
export interface SensorSeries {
	readonly window: { readonly xs: ArrayLike<number>; readonly ys: ArrayLike<number> };
	readonly anomalies: readonly { readonly t: number }[];
}

export interface SensorReading {
	/** The newest tick's value; NaN with no tick (or a gap marker as the newest). */
	value: number;
	/** The newest tick's time, epoch ms; NaN with none. */
	t: number;
	flagged: boolean;
}

export function sensorReading(series: SensorSeries | undefined, recentMs = FLAG_RECENT_MS): SensorReading {
	const xs = series?.window.xs;
	if (!series || !xs || xs.length === 0) return { value: Number.NaN, t: Number.NaN, flagged: false };
	const n = xs.length;
	const t = xs[n - 1];
	const flags = series.anomalies;
	// Flags are oldest first: only the newest few can be recent.
	let flagged = false;
	for (let i = flags.length - 1; i >= 0 && !flagged; i--) {
		if (flags[i].t < t - recentMs) break;
		flagged = flags[i].t <= t;
	}
	return { value: series.window.ys[n - 1], t, flagged };
}

/** Whether `reading` is old beside `newestT`, the newest tick of any sensor of its device. */
export function isStale(reading: SensorReading, newestT: number, staleMs = STALE_MS): boolean {
	return !Number.isNaN(reading.t) && newestT - reading.t > staleMs;
}

/**
 * The colour scale's range over `group`'s windows: lowest to highest value held. With
 * `fromZero` (pressure: 0 is an unloaded sensor) it starts at 0 unless a value is below. A group
 * of one value (or of nothing) still gets a range.
 */
export function sensorDomain(group: readonly (SensorSeries | undefined)[], fromZero = false): { lo: number; hi: number } {
	let lo = fromZero ? 0 : Infinity;
	let hi = -Infinity;
	for (const series of group) {
		const ys = series?.window.ys;
		if (!ys) continue;
		for (let i = 0; i < ys.length; i++) {
			const v = ys[i];
			// NaN passes neither comparison.
			if (v < lo) lo = v;
			if (v > hi) hi = v;
		}
	}
	if (lo === Infinity) lo = 0;
	if (!(hi > lo)) hi = lo + 1;
	return { lo, hi };
}
