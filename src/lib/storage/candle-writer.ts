import { emptyCandles, RESOLUTIONS, resolutionMs, type Candles, type Resolution } from '../domain/candles';
import { concatCandles, readStoredCandles } from './candle-reads';
import { CandleTail } from './candle-tail';
import type { CandleHeadsRow, CandleRow, TickscopeDb } from './db';
import type { CandleExpiry } from './retention';

/** A series' small candle rows are merged into one once they hold this many windows (64 B each). */
export const CANDLE_COMPACT_WINDOWS = 512;
const DAY_MS = 86_400_000;
/**
 * How long candles are kept, per resolution: 'ticks' follows the tick age limit passed to
 * enforceRetention; a number is an age in ms.
 */
export const DEFAULT_CANDLE_RETENTION: Readonly<Record<Resolution, number | 'ticks'>> = {
	'1s': 'ticks',
	'10s': 'ticks',
	'1m': 30 * DAY_MS,
	'5m': 30 * DAY_MS,
	'1h': 30 * DAY_MS
};

export type CandleRetention = Partial<Record<Resolution, number | 'ticks'>>;

/** What one flush writes of candles (part of its WriteBatch). */
export interface CandleWrites {
	rows: CandleRow[];
	/** Inclusive key ranges [seriesId, res, from, to] of small rows replaced by a compacted row. */
	deletes: [number, Resolution, number, number][];
	heads: CandleHeadsRow | null;
}

/**
 * Candles on their way to IndexedDB, per (series, resolution), with the same discipline as
 * ticks: buffered, swapped into the flush's batch, small rows compacted, reads merging memory,
 * queued writes and stored rows.
 */
export class CandleWriter {
	private readonly tails = new Map<string, CandleTail>();
	private readonly dirty = new Set<string>();
	/** Newest window start taken per `${seriesId}/${res}` (stored by the last session, or since). */
	private readonly heads = new Map<string, number>();
	private retention: Record<Resolution, number | 'ticks'>;

	constructor(retention: CandleRetention = {}) {
		this.retention = { ...DEFAULT_CANDLE_RETENTION, ...retention };
	}

	loadHeads(row: CandleHeadsRow | undefined): void {
		for (const [id, res, t] of row?.heads ?? []) this.heads.set(`${id}/${res}`, t);
	}

	setRetention(patch: CandleRetention): void {
		this.retention = { ...this.retention, ...patch };
	}

	put(seriesId: number, res: Resolution, candles: Candles): number {
		const pair = `${seriesId}/${res}`;
		let tail = this.tails.get(pair);
		if (!tail) this.tails.set(pair, (tail = new CandleTail(this.heads.get(pair))));
		const taken = tail.push(candles);
		if (taken > 0) this.dirty.add(pair);
		return taken;
	}

	/** Swap, then write: the buffered windows as rows, and the buffers left empty. */
	swap(): CandleWrites {
		const writes: CandleWrites = { rows: [], deletes: [], heads: null };
		for (const pair of this.dirty) {
			const tail = this.tails.get(pair);
			if (!tail || tail.pendN === 0) continue;
			const [seriesId, res] = splitPair(pair);
			if (tail.memoryN >= CANDLE_COMPACT_WINDOWS) {
				// Window starts strictly increase, so the first window's start is a fresh key.
				const first = tail.tailKeys.length > 0 ? tail.tailKeys[0] : tail.pend.t[0];
				if (tail.tailKeys.length > 1) writes.deletes.push([seriesId, res, tail.tailKeys[1], tail.tailKeys[tail.tailKeys.length - 1]]);
				writes.rows.push(tail.merged(seriesId, res, first));
				tail.clearTail();
			} else {
				writes.rows.push(tail.pendRow(seriesId, res));
			}
			this.heads.set(pair, tail.lastT);
		}
		if (writes.rows.length > 0) writes.heads = { key: 'candleHeads', heads: [...this.heads].map(([pair, t]) => [...splitPair(pair), t]) };
		this.dirty.clear();
		return writes;
	}

	/** Windows overlapping [from, to] (start ≤ to, start > from − resolution), oldest first. */
	async read(db: TickscopeDb, seriesId: number, res: Resolution, from: number, to: number, queued: CandleWrites[]): Promise<Candles> {
		if (!(from <= to)) return emptyCandles();
		const ms = resolutionMs(res);
		const tail = this.tails.get(`${seriesId}/${res}`);
		// Taken together before reading: memory, and the writes queued, which the read may or may not see.
		const bound = tail && tail.tailKeys.length > 0 ? tail.tailKeys[0] : Infinity;
		const memory = tail ? tail.copyRange(from, to, ms) : emptyCandles();
		const ops = queued.map((writes) => ({
			deletes: writes.deletes.filter(([id, r]) => id === seriesId && r === res).map(([, , lo, hi]): [number, number] => [lo, hi]),
			rows: writes.rows.filter((row) => row.seriesId === seriesId && row.res === res)
		}));
		const stored = await readStoredCandles(db, seriesId, res, from, to, ms, bound, ops);
		return concatCandles([
			[stored, 0, stored.t.length],
			[memory, 0, memory.t.length]
		]);
	}

	/**
	 * What age retention may delete per (series, resolution) at `now`. Expired tail rows leave
	 * memory here (a slow resolution's tail can span weeks); rows of queued writes stay.
	 */
	expiries(now: number, tickMaxAgeMs: number, seriesIds: Iterable<number>, queued: CandleWrites[]): CandleExpiry[] {
		const ids = new Set<number>(seriesIds);
		for (const pair of [...this.heads.keys(), ...this.tails.keys()]) ids.add(splitPair(pair)[0]);
		const expiries: CandleExpiry[] = [];
		for (const id of ids) {
			for (const { name: res } of RESOLUTIONS) {
				const age = this.retention[res];
				const cutoff = now - (age === 'ticks' ? tickMaxAgeMs : age);
				const tail = this.tails.get(`${id}/${res}`);
				tail?.dropExpired(cutoff);
				let bound = tail && tail.tailKeys.length > 0 ? tail.tailKeys[0] : Infinity;
				for (const writes of queued) {
					for (const row of writes.rows) if (row.seriesId === id && row.res === res && row.t0 < bound) bound = row.t0;
				}
				expiries.push({ seriesId: id, res, cutoff, bound });
			}
		}
		return expiries;
	}
}

function splitPair(pair: string): [number, Resolution] {
	const at = pair.indexOf('/');
	return [Number(pair.slice(0, at)), pair.slice(at + 1) as Resolution];
}
