import { CANDLE_COLUMNS, emptyCandles, type Candles, type Resolution } from '../domain/candles';
import type { CandleRow, TickscopeDb } from './db';
import { searchTime } from './series-buffer';

/** A queued write's effect on one (series, resolution): a range delete, then puts. */
export interface CandleOps {
	deletes: [from: number, to: number][];
	rows: CandleRow[];
}

/**
 * Stored windows of one (series, resolution) overlapping [from, to] (start ≤ to and
 * start > from − ms), from rows keyed below `bound` (the rest are in memory), with the queued
 * writes `ops` applied over what IndexedDB holds, oldest first.
 */
export async function readStoredCandles(
	db: TickscopeDb,
	seriesId: number,
	res: Resolution,
	from: number,
	to: number,
	ms: number,
	bound: number,
	ops: CandleOps[]
): Promise<Candles> {
	const upper = Math.min(to, bound);
	const stored = await db.candles
		.where('[seriesId+res+t0]')
		.between([seriesId, res, -Infinity], [seriesId, res, upper], true, upper === to && to < bound)
		.reverse()
		// Rows are in time order: the first one wholly before the range ends the walk back.
		.until((row) => !(row.t1 > from - ms))
		.toArray();
	const byKey = new Map(stored.map((row) => [row.t0, row]));
	for (const op of ops) {
		for (const [lo, hi] of op.deletes) for (const key of [...byKey.keys()]) if (key >= lo && key <= hi) byKey.delete(key);
		for (const row of op.rows) if (row.t0 < bound) byKey.set(row.t0, row);
	}
	const rows = [...byKey.values()].sort((a, b) => a.t0 - b.t0);
	return concatCandles(rows.map((row) => [row, searchTime(row.t, row.n, from - ms, false), searchTime(row.t, row.n, to, false)]));
}

export function concatCandles(parts: [Candles, number, number][]): Candles {
	const total = parts.reduce((sum, [, lo, hi]) => sum + Math.max(0, hi - lo), 0);
	const out = emptyCandles(total);
	let at = 0;
	for (const [c, lo, hi] of parts) {
		if (hi <= lo) continue;
		for (const name of CANDLE_COLUMNS) out[name].set(c[name].subarray(lo, hi), at);
		at += hi - lo;
	}
	return out;
}
