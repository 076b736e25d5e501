import type { ChunkRow, SummaryRow } from './db';

/** Bytes per stored tick: two float64 columns. */
export const TICK_BYTES = 16;
/**
 * Fixed bytes counted per chunk row on top of its ticks: the key, the row's small fields, its
 * summary row and IndexedDB's own record overhead. An estimate, not a measurement.
 */
export const CHUNK_ROW_OVERHEAD_BYTES = 256;

/** Estimated stored bytes of `rows` chunk rows holding `ticks` ticks. */
export function chunkBytes(ticks: number, rows: number): number {
	return ticks * TICK_BYTES + rows * CHUNK_ROW_OVERHEAD_BYTES;
}

/** Min, max (first occurrence of each; NaN values skipped), extent and last value of a chunk. */
export function summarizeChunk(row: ChunkRow): SummaryRow {
	const { t, v, n } = row;
	let min = Infinity;
	let max = -Infinity;
	let iMin = -1;
	let iMax = -1;
	for (let i = 0; i < n; i++) {
		const x = v[i];
		// The first non-NaN value starts both; strict comparisons keep the first occurrence.
		if (iMin < 0 ? x === x : x < min) {
			min = x;
			iMin = i;
		}
		if (iMax < 0 ? x === x : x > max) {
			max = x;
			iMax = i;
		}
	}
	return {
		seriesId: row.seriesId,
		t0: row.t0,
		tFirst: t[0],
		t1: t[n - 1],
		n,
		vLast: v[n - 1],
		min,
		iMin,
		tMin: iMin >= 0 ? t[iMin] : NaN,
		max,
		iMax,
		tMax: iMax >= 0 ? t[iMax] : NaN
	};
}
