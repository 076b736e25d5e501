import { CANDLE_COLUMNS, emptyCandles, type Candles, type Resolution } from '../domain/candles';
import type { CandleRow } from './db';
import { searchTime } from './series-buffer';

/**
 * One (series, resolution)'s windows not yet compacted into a big row, like SeriesBuffer for
 * ticks: `tail` holds windows already handed to IndexedDB as small per-flush rows (keys in
 * `tailKeys`), `pend` those not yet handed over. Window starts strictly increase; a window at
 * or before the newest one seen (`lastT`) is refused, so a restart that closes the window it
 * was killed in does not store it twice (the first one stored wins).
 */
export class CandleTail {
	pend: Candles;
	pendN = 0;
	tail: Candles;
	tailN = 0;
	tailKeys: number[] = [];
	lastT: number;

	constructor(lastT = -Infinity, capacity = 16) {
		this.lastT = lastT;
		this.pend = emptyCandles(capacity);
		this.tail = emptyCandles(capacity);
	}

	/** Appends the windows of `c` newer than every window seen; returns how many it took. */
	push(c: Candles): number {
		let taken = 0;
		for (let i = 0; i < c.t.length; i++) {
			if (!(c.t[i] > this.lastT)) continue;
			if (this.pendN === this.pend.t.length) this.pend = resized(this.pend, this.pendN, this.pendN * 2);
			for (const name of CANDLE_COLUMNS) this.pend[name][this.pendN] = c[name][i];
			this.pendN++;
			this.lastT = c.t[i];
			taken++;
		}
		return taken;
	}

	get memoryN(): number {
		return this.tailN + this.pendN;
	}

	/** Tail then pend as one row with buffers of its own (oldest first). */
	merged(seriesId: number, res: Resolution, key: number): CandleRow {
		const n = this.tailN + this.pendN;
		const row = { seriesId, res, t0: key, t1: 0, n, ...emptyCandles(n) };
		for (const name of CANDLE_COLUMNS) {
			row[name].set(this.tail[name].subarray(0, this.tailN));
			row[name].set(this.pend[name].subarray(0, this.pendN), this.tailN);
		}
		row.t1 = row.t[n - 1];
		return row;
	}

	/** The pending windows as a small row; they move to the tail. */
	pendRow(seriesId: number, res: Resolution): CandleRow {
		const n = this.pendN;
		const row = { seriesId, res, t0: this.pend.t[0], t1: this.pend.t[n - 1], n, ...emptyCandles(n) };
		for (const name of CANDLE_COLUMNS) row[name].set(this.pend[name].subarray(0, n));
		if (this.tailN + n > this.tail.t.length) this.tail = resized(this.tail, this.tailN, Math.max(this.tailN + n, this.tail.t.length * 2));
		for (const name of CANDLE_COLUMNS) this.tail[name].set(row[name], this.tailN);
		this.tailN += n;
		this.tailKeys.push(row.t0);
		this.pendN = 0;
		return row;
	}

	/**
	 * Forgets the leading tail rows whose windows all start before `cutoff`, so that retention may
	 * delete those rows without a later compaction writing them back. Returns how many rows.
	 */
	dropExpired(cutoff: number): number {
		let rows = 0;
		let windows = 0;
		while (rows < this.tailKeys.length) {
			const end = rows + 1 < this.tailKeys.length ? searchTime(this.tail.t, this.tailN, this.tailKeys[rows + 1], true) : this.tailN;
			if (!(this.tail.t[end - 1] < cutoff)) break;
			rows++;
			windows = end;
		}
		if (rows === 0) return 0;
		for (const name of CANDLE_COLUMNS) this.tail[name].copyWithin(0, windows, this.tailN);
		this.tailN -= windows;
		this.tailKeys.splice(0, rows);
		return rows;
	}

	clearTail(): void {
		this.tailN = 0;
		this.tailKeys = [];
		this.pendN = 0;
	}

	/** Copies of the in-memory windows that overlap [from, to] (start ≤ to, start + ms > from). */
	copyRange(from: number, to: number, ms: number): Candles {
		const parts: [Candles, number, number][] = [this.tail, this.pend].map((c, i) => {
			const n = i === 0 ? this.tailN : this.pendN;
			return [c, searchTime(c.t, n, from - ms, false), searchTime(c.t, n, to, false)];
		});
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
}

function resized(c: Candles, n: number, capacity: number): Candles {
	const out = emptyCandles(capacity);
	for (const name of CANDLE_COLUMNS) out[name].set(c[name].subarray(0, n));
	return out;
}
