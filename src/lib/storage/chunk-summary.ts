import type { BlockRow, ChunkRow, SummaryRow } from './db';

/** Bytes per stored tick: two float64 columns, plus 1 for its share of the block summaries (64 B per 64 ticks). */
export const TICK_BYTES = 17;
/**
 * Fixed bytes counted per chunk row on top of its ticks: the key, the row's small fields, its
 * summary row and IndexedDB's own record overhead. An estimate, not a measurement.
 */
export const CHUNK_ROW_OVERHEAD_BYTES = 256;

/** Estimated stored bytes of `rows` chunk rows holding `ticks` ticks (what the size cap counts). */
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

/**
 * Ticks per block of a chunk's second-level summary. A decimated read needs a chunk's raw ticks
 * only where a bucket edge cuts one of its blocks and that block could hold the bucket's min or
 * max: 64 ticks make that rare while the blocks cost 1 byte per tick.
 */
export const BLOCK_TICKS = 64;
/** Float64 fields per block in BlockRow.b: tFirst, tLast, min, tMin, iMin, max, tMax, iMax. */
export const BLOCK_FIELDS = 8;
export const B_TFIRST = 0;
export const B_TLAST = 1;
export const B_MIN = 2;
export const B_TMIN = 3;
export const B_IMIN = 4;
export const B_MAX = 5;
export const B_TMAX = 6;
export const B_IMAX = 7;

/** Per block of BLOCK_TICKS ticks: extent, min and max (first occurrence, NaN skipped; indices within the chunk). */
export function summarizeBlocks(row: ChunkRow): BlockRow {
	const { t, v, n } = row;
	const count = Math.ceil(n / BLOCK_TICKS);
	const b = new Float64Array(count * BLOCK_FIELDS);
	for (let j = 0; j < count; j++) {
		const start = j * BLOCK_TICKS;
		const end = Math.min(n, start + BLOCK_TICKS);
		let min = Infinity;
		let max = -Infinity;
		let iMin = -1;
		let iMax = -1;
		for (let i = start; i < end; i++) {
			const x = v[i];
			if (iMin < 0 ? x === x : x < min) {
				min = x;
				iMin = i;
			}
			if (iMax < 0 ? x === x : x > max) {
				max = x;
				iMax = i;
			}
		}
		const o = j * BLOCK_FIELDS;
		b[o + B_TFIRST] = t[start];
		b[o + B_TLAST] = t[end - 1];
		b[o + B_MIN] = min;
		b[o + B_TMIN] = iMin >= 0 ? t[iMin] : NaN;
		b[o + B_IMIN] = iMin;
		b[o + B_MAX] = max;
		b[o + B_TMAX] = iMax >= 0 ? t[iMax] : NaN;
		b[o + B_IMAX] = iMax;
	}
	return { seriesId: row.seriesId, t0: row.t0, b };
}
