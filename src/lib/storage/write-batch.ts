import type { Anomaly, Truth } from '../domain/anomaly';
import type { SeriesInfo } from '../domain/series';
import type { BlockRow, ChunkRow, CountersRow, HeadsRow, SummaryRow, TickscopeDb, WriterRow } from './db';
import type { CandleWrites } from './candle-writer';

/** Everything one flush writes, in one transaction. Replaying a batch is safe (puts and range deletes). */
export interface WriteBatch {
	rows: ChunkRow[];
	/** One each per row in `rows`. */
	summaries: SummaryRow[];
	blocks: BlockRow[];
	/** Inclusive key ranges [seriesId, from, to] of small chunks replaced by a compacted row. */
	deletes: [number, number, number][];
	series: SeriesInfo[];
	anomalies: Anomaly[];
	truths: Truth[];
	counters: CountersRow;
	/** Every series' newest chunk key and tick, when some series got new ticks. */
	heads: HeadsRow | null;
	ticks: number;
	candles: CandleWrites;
	/** The writer epoch this batch was made under; null writes unfenced (a store that never claimed). */
	epoch: number | null;
}

/** Another tab became the writer since this store claimed: its batch must not be written. */
export class FencedError extends Error {
	override readonly name = 'FencedError';
	constructor(readonly current: number) {
		super(`another tab writes the history now (writer ${current})`);
	}
}

export async function writeBatch(db: TickscopeDb, batch: WriteBatch): Promise<void> {
	await db.transaction('rw', [db.chunks, db.summaries, db.blocks, db.candles, db.series, db.anomalies, db.truths, db.meta], async () => {
		// The check and the writes share one transaction: a claim commits wholly before or after it.
		if (batch.epoch !== null) {
			const writer = (await db.meta.get('writer')) as WriterRow | undefined;
			if ((writer?.epoch ?? 0) !== batch.epoch) throw new FencedError(writer?.epoch ?? 0);
		}
		for (const [id, from, to] of batch.deletes) {
			// The three chunk tables share their keys: one range, three primary-key deletes.
			for (const table of [db.chunks, db.summaries, db.blocks]) {
				await table.where('[seriesId+t0]').between([id, from], [id, to], true, true).delete();
			}
		}
		if (batch.rows.length > 0) await db.chunks.bulkPut(batch.rows);
		if (batch.summaries.length > 0) await db.summaries.bulkPut(batch.summaries);
		if (batch.blocks.length > 0) await db.blocks.bulkPut(batch.blocks);
		const candles = batch.candles;
		for (const [id, res, from, to] of candles.deletes) {
			await db.candles.where('[seriesId+res+t0]').between([id, res, from], [id, res, to], true, true).delete();
		}
		if (candles.rows.length > 0) await db.candles.bulkPut(candles.rows);
		if (candles.heads) await db.meta.put(candles.heads);
		if (batch.series.length > 0) await db.series.bulkPut(batch.series);
		if (batch.anomalies.length > 0) await db.anomalies.bulkPut(batch.anomalies);
		if (batch.truths.length > 0) await db.truths.bulkPut(batch.truths);
		await db.meta.put(batch.counters);
		if (batch.heads) await db.meta.put(batch.heads);
	});
}

/** Makes this connection the history's writer: raises the fencing epoch and returns it. */
export async function claimWriter(db: TickscopeDb, now: number): Promise<number> {
	return db.transaction('rw', db.meta, async () => {
		const writer = (await db.meta.get('writer')) as WriterRow | undefined;
		const epoch = (writer?.epoch ?? 0) + 1;
		await db.meta.put({ key: 'writer', epoch, since: now } satisfies WriterRow);
		return epoch;
	});
}
