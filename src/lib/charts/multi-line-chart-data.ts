/**
 * Pure helpers of the multi-series line chart: ranges over sorted time columns, nearest ticks
 * and pauses drawn as gaps. Each reads typed arrays in place and allocates nothing per call
 * (apart from the gaps it returns), since they run once per series per frame.
 */
import { lowerBound } from './sorted-search';

/** A time range, epoch ms; null where the chart follows the newest ticks. */
export interface TimeRange {
	from: number;
	to: number;
}


/** Index of the tick nearest to `t` in the sorted `xs`; -1 when empty. */
export function nearestIndex(xs: ArrayLike<number>, t: number): number {
	if (xs.length === 0) return -1;
	const i = lowerBound(xs, t);
	if (i === 0) return 0;
	if (i === xs.length) return xs.length - 1;
	return t - xs[i - 1] <= xs[i] - t ? i - 1 : i;
}

/**
 * Widens `into` ([min, max], Infinity/-Infinity when empty) by the finite values of `ys` whose
 * time lies in [from, to] (both edges included: a tick exactly on the edge is drawn).
 */
export function widenByValues(into: [number, number], xs: ArrayLike<number>, ys: ArrayLike<number>, from: number, to: number): void {
	let min = into[0];
	let max = into[1];
	const end = Math.min(ys.length, xs.length);
	for (let i = lowerBound(xs, from); i < end && xs[i] <= to; i++) {
		const y = ys[i];
		// NaN fails both comparisons and is skipped.
		if (y < min) min = y;
		if (y > max) max = y;
	}
	into[0] = min;
	into[1] = max;
}

/** Padding above and below the values, as a share of their span. */
const Y_PAD = 0.08;

/** [min, max] padded for a value scale; a flat line gets a small span around it, nothing gets [0, 1]. */
export function paddedRange(min: number, max: number): [number, number] {
	if (!(min <= max) || !Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
	const span = max - min || Math.abs(max) * 0.01 || 1;
	return [min - span * Y_PAD, max + span * Y_PAD];
}

/** [oldest, newest] time over the columns (each sorted); null when all are empty. */
export function timeExtent(columns: readonly ArrayLike<number>[]): TimeRange | null {
	let from = Infinity;
	let to = -Infinity;
	for (const xs of columns) {
		if (xs.length === 0) continue;
		if (xs[0] < from) from = xs[0];
		if (xs[xs.length - 1] > to) to = xs[xs.length - 1];
	}
	if (from === Infinity) return null;
	// One tick (or ticks at one instant): a second around it, so the scale has a width.
	return to > from ? { from, to } : { from: from - 500, to: to + 500 };
}

/** A pause longer than this many typical intervals between two ticks is drawn as a gap. */
const GAP_INTERVALS = 10;
/** Intervals sampled for the typical (median) one: enough for a stable median, cheap per frame. */
const GAP_SAMPLE = 63;
const sample = new Float64Array(GAP_SAMPLE);

/**
 * Pairs [i, i + 1] of indices in [idx0, idx1] between which the pause is longer than
 * GAP_INTERVALS times the median interval: a feed that dropped is a gap, never a straight line.
 */
export function pauses(xs: ArrayLike<number>, idx0: number, idx1: number): [number, number][] {
	const found: [number, number][] = [];
	const n = idx1 - idx0;
	if (n < 3) return found;
	const k = Math.min(GAP_SAMPLE, n);
	const step = n / k;
	for (let j = 0; j < k; j++) {
		const i = idx0 + Math.floor(j * step);
		sample[j] = xs[i + 1] - xs[i];
	}
	const sorted = sample.subarray(0, k).sort();
	const limit = GAP_INTERVALS * sorted[k >> 1];
	if (!(limit > 0)) return found;
	for (let i = idx0; i < idx1; i++) if (xs[i + 1] - xs[i] > limit) found.push([i, i + 1]);
	return found;
}
