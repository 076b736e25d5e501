/**
 * The time heatmap's grid: rows are series, columns equal time buckets across a range; a cell
 * holds the mean of the series' ticks in its bucket (NaN: none) and whether any of them was
 * flagged. Pure and allocation-free per frame: the grid's arrays are reused while its shape holds.
 *
 * Rows are normalised min–max over the buckets shown, not by z-score: a row then spans the whole
 * sequential scale (its lowest bucket darkest, highest lightest) with no clipping and no
 * diverging scale to read; the row's min and max are kept for the readout.
 */
import { lowerBound, upperBound } from './sorted-search';

/** One series as the grid reads it: a ChartWindow and a SeriesView fit as they are. */
export interface HeatmapRow {
	/** Tick times, ascending, and values. */
	readonly window: { readonly xs: ArrayLike<number>; readonly ys: ArrayLike<number> };
	/** Flagged ticks, by time. */
	readonly anomalies: readonly { readonly t: number }[];
}

export interface HeatmapGrid {
	rows: number;
	cols: number;
	/** Capacity in columns: the arrays are laid out rows × capacity, so columns can shrink in place. */
	capacity: number;
	from: number;
	/** Width of a bucket, ms. */
	bucketMs: number;
	/** Mean per cell, row-major with stride `capacity`; NaN for an empty bucket. */
	values: Float64Array;
	/** 1 where a flag falls in the bucket. */
	flags: Uint8Array;
	/** Cells flagged, over the whole grid. */
	flagged: number;
	/** Ticks per cell (scratch for the means, kept for the readout). */
	counts: Uint32Array;
	/** Lowest and highest bucket mean per row (NaN for a row with none). */
	lo: Float64Array;
	hi: Float64Array;
}

/** A grid for `rows` × `capacity`; the same grid when it already has that shape. */
export function ensureGrid(grid: HeatmapGrid | null, rows: number, capacity: number): HeatmapGrid {
	if (grid && grid.rows === rows && grid.capacity === capacity) return grid;
	const n = rows * capacity;
	return {
		rows,
		cols: 0,
		capacity,
		from: 0,
		bucketMs: 1,
		values: new Float64Array(n),
		flags: new Uint8Array(n),
		flagged: 0,
		counts: new Uint32Array(n),
		lo: new Float64Array(rows),
		hi: new Float64Array(rows)
	};
}


/**
 * Fills `grid` with `cols` buckets of `bucketMs` starting at `from`: bucket k covers
 * [from + k·bucketMs, from + (k+1)·bucketMs), half-open, so a tick on an edge is counted once,
 * in the later bucket. Ticks outside every bucket are left out. `rows[r]` undefined: an empty row.
 */
export function fillGrid(grid: HeatmapGrid, rows: readonly (HeatmapRow | undefined)[], from: number, bucketMs: number, cols: number): HeatmapGrid {
	const { values, flags, counts, lo, hi, capacity } = grid;
	cols = Math.min(cols, capacity);
	grid.cols = cols;
	grid.from = from;
	grid.bucketMs = bucketMs;
	grid.flagged = 0;
	const to = from + cols * bucketMs;
	for (let r = 0; r < grid.rows; r++) {
		const base = r * capacity;
		values.fill(0, base, base + cols);
		counts.fill(0, base, base + cols);
		flags.fill(0, base, base + cols);
		const row = rows[r];
		if (row) {
			const { xs, ys } = row.window;
			for (let i = lowerBound(xs, from); i < xs.length; i++) {
				const t = xs[i];
				if (t >= to) break;
				const v = ys[i];
				// A gap in a feed is a NaN tick: it is not a value.
				if (Number.isNaN(v)) continue;
				// Float rounding could put a tick just under `to` into bucket `cols`.
				const k = Math.min(cols - 1, Math.floor((t - from) / bucketMs));
				values[base + k] += v;
				counts[base + k]++;
			}
			for (const a of row.anomalies) {
				if (a.t < from || a.t >= to) continue;
				const k = base + Math.min(cols - 1, Math.floor((a.t - from) / bucketMs));
				grid.flagged += 1 - flags[k];
				flags[k] = 1;
			}
		}
		let min = Infinity;
		let max = -Infinity;
		for (let k = base; k < base + cols; k++) {
			if (counts[k] === 0) {
				values[k] = Number.NaN;
				continue;
			}
			const mean = values[k] / counts[k];
			values[k] = mean;
			if (mean < min) min = mean;
			if (mean > max) max = mean;
		}
		lo[r] = min <= max ? min : Number.NaN;
		hi[r] = min <= max ? max : Number.NaN;
	}
	return grid;
}

/** 1, 2 or 5 × 10^n ms, the smallest at least `ms` (buckets on round times scroll cleanly). */
export function niceStepMs(ms: number): number {
	if (!(ms > 1)) return 1;
	const power = 10 ** Math.floor(Math.log10(ms));
	for (const m of [1, 2, 5, 10]) if (m * power >= ms) return m * power;
	return 10 * power;
}

/**
 * The live range: up to the newest tick of any row, back to where every row with ticks has
 * them (the latest of their oldest ticks), so no row is blank for want of window. Null when no
 * row has a tick. At least `minSpanMs` wide.
 */
export function liveSpan(rows: readonly (HeatmapRow | undefined)[], minSpanMs: number): { from: number; to: number } | null {
	let to = -Infinity;
	let from = -Infinity;
	let earliest = Infinity;
	for (const row of rows) {
		const xs = row?.window.xs;
		if (!xs || xs.length === 0) continue;
		to = Math.max(to, xs[xs.length - 1]);
		from = Math.max(from, xs[0]);
		earliest = Math.min(earliest, xs[0]);
	}
	if (to === -Infinity) return null;
	// A series that has only just started (or a lone tick) would squeeze the range to nothing.
	if (to - from < minSpanMs) from = earliest;
	if (to - from < minSpanMs) from = to - minSpanMs;
	return { from, to };
}

/**
 * Buckets for a live range: round widths (niceStepMs), no narrower than the densest row's tick
 * spacing (else every other bucket is empty), at most `maxCols`; the last bucket ends on a
 * multiple of the width past `to`, so the picture moves a whole column at a time.
 */
export function liveBuckets(span: { from: number; to: number }, maxCols: number, minGapMs: number): { from: number; bucketMs: number; cols: number } {
	const bucketMs = niceStepMs(Math.max((span.to - span.from) / Math.max(1, maxCols), minGapMs));
	const end = (Math.floor(span.to / bucketMs) + 1) * bucketMs;
	const cols = Math.max(1, Math.min(maxCols, Math.ceil((end - span.from) / bucketMs)));
	return { from: end - cols * bucketMs, bucketMs, cols };
}

/** The smallest mean tick spacing of any row, over the range (Infinity: no row has two ticks in it). */
export function densestGapMs(rows: readonly (HeatmapRow | undefined)[], from: number, to: number): number {
	let gap = Infinity;
	for (const row of rows) {
		const xs = row?.window.xs;
		if (!xs) continue;
		const a = lowerBound(xs, from);
		const b = upperBound(xs, to);
		if (b - a >= 2) gap = Math.min(gap, (xs[b - 1] - xs[a]) / (b - a - 1));
	}
	return gap;
}
