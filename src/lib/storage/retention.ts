import type { Resolution } from '../domain/candles';
import type { ChunkIndex } from './chunk-index';
import { chunkBytes } from './chunk-summary';
import type { TickscopeDb } from './db';

/**
 * Rows deleted per transaction by background retention: a flush queued behind one such
 * transaction waits for at most this many primary-key deletes (~256 × 32 KiB of chunks).
 */
export const RETENTION_BATCH_ROWS = 256;

export interface Removed {
	rows: number;
	ticks: number;
}

export interface TickRetention {
	db: TickscopeDb;
	index: ChunkIndex;
	/**
	 * How many of a series' oldest rows may be deleted: those older than every queued write's
	 * rows (a queued write would put a deleted row back).
	 */
	deletableRows(seriesId: number): number;
	/** Called just before a series' rows up to `key` are deleted: memory lets go of them too. */
	forget(seriesId: number, key: number): void;
}

/** Deletes, oldest first and in batches, every row of a series that `old` accepts. */
export async function deleteOldRows(ctx: TickRetention, seriesId: number, old: (t1: number) => boolean): Promise<Removed> {
	const removed: Removed = { rows: 0, ticks: 0 };
	for (;;) {
		const rows = ctx.index.series(seriesId)?.rows ?? [];
		const end = Math.min(ctx.deletableRows(seriesId), RETENTION_BATCH_ROWS);
		let count = 0;
		while (count < end && old(rows[count].t1)) count++;
		if (count === 0) return removed;
		add(removed, await deletePrefixes(ctx, new Map([[seriesId, count]])));
	}
}

/**
 * Deletes the oldest rows across all series (by their newest tick, ties to the lower series id)
 * until the index's estimated bytes are at most `maxBytes`, or only undeletable rows remain.
 */
export async function trimToBytes(ctx: TickRetention, maxBytes: number): Promise<Removed> {
	const removed: Removed = { rows: 0, ticks: 0 };
	while (ctx.index.bytes > maxBytes) {
		const series = ctx.index.seriesIds().map((id) => ({ id, rows: ctx.index.series(id)?.rows ?? [], end: ctx.deletableRows(id), taken: 0 }));
		let bytes = ctx.index.bytes;
		let picked = 0;
		while (bytes > maxBytes && picked < RETENTION_BATCH_ROWS) {
			let best: (typeof series)[number] | null = null;
			for (const s of series) {
				if (s.taken >= s.end) continue;
				if (!best || s.rows[s.taken].t1 < best.rows[best.taken].t1) best = s;
			}
			if (!best) break;
			bytes -= chunkBytes(best.rows[best.taken].n, 1);
			best.taken++;
			picked++;
		}
		if (picked === 0) break;
		add(removed, await deletePrefixes(ctx, new Map(series.filter((s) => s.taken > 0).map((s) => [s.id, s.taken]))));
	}
	return removed;
}

/** One transaction: each series' first `count` rows, from chunks and both summary tables alike. */
async function deletePrefixes(ctx: TickRetention, prefixes: Map<number, number>): Promise<Removed> {
	const { db, index } = ctx;
	const ranges: [number, number, number][] = [];
	const removed: Removed = { rows: 0, ticks: 0 };
	for (const [id, count] of prefixes) {
		const rows = index.series(id)?.rows ?? [];
		ranges.push([id, rows[0].t0, rows[count - 1].t0]);
		// Synchronously with the decision: a flush from now on compacts only what stays.
		ctx.forget(id, rows[count - 1].t0);
		removed.rows += count;
		for (let i = 0; i < count; i++) removed.ticks += rows[i].n;
	}
	await db.transaction('rw', [db.chunks, db.summaries, db.blocks], async () => {
		for (const [id, from, to] of ranges) {
			await db.chunks.where('[seriesId+t0]').between([id, from], [id, to], true, true).delete();
			await db.summaries.where('[seriesId+t0]').between([id, from], [id, to], true, true).delete();
			await db.blocks.where('[seriesId+t0]').between([id, from], [id, to], true, true).delete();
		}
	});
	for (const [id, from, to] of ranges) index.record({ del: [id, from, to] });
	return removed;
}

export interface CandleExpiry {
	seriesId: number;
	res: Resolution;
	/** Rows whose newest window starts before this go. */
	cutoff: number;
	/** Rows at or above this key stay (they are in memory or queued for writing). */
	bound: number;
}

/** Deletes expired candle rows, each pair in batches of primary-key range deletes. Returns rows deleted. */
export async function expireCandles(db: TickscopeDb, expiries: CandleExpiry[]): Promise<number> {
	let deleted = 0;
	for (const { seriesId: id, res, cutoff, bound } of expiries) {
		const upper = Math.min(cutoff, bound);
		for (;;) {
			const keys = (await db.candles
				.where('[seriesId+res+t0]')
				.between([id, res, -Infinity], [id, res, upper], true, false)
				.limit(RETENTION_BATCH_ROWS)
				.primaryKeys()) as [number, Resolution, number][];
			if (keys.length === 0) break;
			let last = keys[keys.length - 1][2];
			if (keys.length < RETENTION_BATCH_ROWS) {
				// The newest row starting before the cutoff may still reach into the window: keep it then.
				const newest = await db.candles.get([id, res, last]);
				if (newest && newest.t1 >= cutoff) {
					if (keys.length === 1) break;
					last = keys[keys.length - 2][2];
				}
			}
			deleted += await db.candles.where('[seriesId+res+t0]').between([id, res, keys[0][2]], [id, res, last], true, true).delete();
			if (keys.length < RETENTION_BATCH_ROWS) break;
		}
	}
	return deleted;
}

function add(a: Removed, b: Removed): void {
	a.rows += b.rows;
	a.ticks += b.ticks;
}
