/** Growing (t, v) columns for an import, and the stable time sort applied when they are done. */

/** A labelled stretch of time, inclusive at both ends, epoch ms. */
export interface TimeWindow {
	t0: number;
	t1: number;
}

/** Doubles on overflow, so pushing 10M ticks reallocates ~14 times, not 10M. */
export class GrowingColumns {
	t: Float64Array;
	v: Float64Array;
	n = 0;

	constructor(capacity = 1024) {
		this.t = new Float64Array(capacity);
		this.v = new Float64Array(capacity);
	}

	push(t: number, v: number): void {
		if (this.n === this.t.length) {
			const t2 = new Float64Array(this.n * 2);
			const v2 = new Float64Array(this.n * 2);
			t2.set(this.t);
			v2.set(this.v);
			this.t = t2;
			this.v = v2;
		}
		this.t[this.n] = t;
		this.v[this.n] = v;
		this.n++;
	}
}

export interface SortedColumns {
	t: Float64Array;
	v: Float64Array;
	/** Ticks that came earlier in the file than a tick before them. */
	outOfOrder: number;
	/** Ticks with the same time as the one before, after sorting (kept, in file order). */
	duplicates: number;
}

/**
 * Exact-length copies sorted by time. Stable (ties keep file order): NAB and feeds repeat
 * timestamps and their order is the only record of which came first.
 */
export function sortedColumns(columns: GrowingColumns): SortedColumns {
	const n = columns.n;
	const t = columns.t.slice(0, n);
	const v = columns.v.slice(0, n);
	let outOfOrder = 0;
	for (let i = 1; i < n; i++) if (t[i] < t[i - 1]) outOfOrder++;
	if (outOfOrder > 0) {
		const order = new Uint32Array(n);
		for (let i = 0; i < n; i++) order[i] = i;
		// The index tiebreak makes the sort stable whatever the engine's sort does.
		order.sort((a, b) => t[a] - t[b] || a - b);
		const ts = new Float64Array(n);
		const vs = new Float64Array(n);
		for (let i = 0; i < n; i++) {
			ts[i] = t[order[i]];
			vs[i] = v[order[i]];
		}
		return { t: ts, v: vs, outOfOrder, duplicates: countDuplicates(ts) };
	}
	return { t, v, outOfOrder, duplicates: countDuplicates(t) };
}

function countDuplicates(t: Float64Array): number {
	let duplicates = 0;
	for (let i = 1; i < t.length; i++) if (t[i] === t[i - 1]) duplicates++;
	return duplicates;
}

/**
 * Runs of consecutive flagged rows (v = 1) in time order → windows from the first to the last
 * flagged row's time. A run ends at the first unflagged row, so two runs never merge.
 */
export function flagWindows(flags: GrowingColumns): TimeWindow[] {
	const { t, v } = sortedColumns(flags);
	const windows: TimeWindow[] = [];
	let start = -1;
	for (let i = 0; i <= t.length; i++) {
		const flagged = i < t.length && v[i] === 1;
		if (flagged && start < 0) start = i;
		else if (!flagged && start >= 0) {
			windows.push({ t0: t[start], t1: t[i - 1] });
			start = -1;
		}
	}
	return windows;
}
