import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { CHUNK_ROW_OVERHEAD_BYTES, chunkBytes, TICK_BYTES } from './chunk-summary';
import { DEFAULT_SIZE_CAP_BYTES, HistoryStore } from './history-store';
import { RETENTION_BATCH_ROWS } from './retention';
import { seriesInfo, TestDbs } from './test-support';

const dbs = new TestDbs();
afterEach(() => dbs.drop());

/** `rows` compacted rows of 10 ticks per series; series k's row r holds t = (r·3 + k)·10 s + i s. */
async function interleaved(store: HistoryStore, seriesIds: number[], rows: number): Promise<void> {
	for (const id of seriesIds) store.putSeries(seriesInfo(id));
	for (let r = 0; r < rows; r++) {
		for (const id of seriesIds) for (let i = 0; i < 10; i++) store.append(id, ((r * 3 + id) * 10 + i) * 1000, r);
		await store.flush();
	}
}

const range = (start: number, n: number) => Array.from({ length: n }, (_, i) => start + i);

const keysOf = async (store: HistoryStore, id: number) =>
	(await store.db.chunks.where('[seriesId+t0]').between([id, -Infinity], [id, Infinity]).primaryKeys()).map((key) => key[1] / 1000);

describe('HistoryStore size retention', () => {
	it('keeps a running byte estimate and trims the oldest chunks across all series first', async () => {
		const store = new HistoryStore(dbs.fresh(), { compactTicks: 10 });
		await interleaved(store, [0, 1, 2], 10);
		expect(DEFAULT_SIZE_CAP_BYTES).toBe(500_000_000);
		const estimate = await store.storageEstimate();
		expect(estimate).toMatchObject({ ticks: 300, chunkRows: 30, tickBytes: 300 * TICK_BYTES + 30 * CHUNK_ROW_OVERHEAD_BYTES });
		expect(estimate.usage).toBeNull();

		// Room for 25 rows: the 5 oldest go, i.e. series 0…2's first row, then series 0 and 1's second.
		const removed = await store.enforceSizeCap(chunkBytes(250, 25));
		expect(removed).toBe(50);
		expect((await keysOf(store, 0))[0]).toBe(60);
		expect((await keysOf(store, 1))[0]).toBe(70);
		expect((await keysOf(store, 2))[0]).toBe(50);
		expect(await store.db.summaries.count()).toBe(25);
		expect((await store.storageEstimate()).tickBytes).toBe(chunkBytes(250, 25));
		expect(await store.enforceSizeCap(chunkBytes(250, 25))).toBe(0);
	});

	it('lets go of deleted rows in memory too, so a later compaction does not write them back', async () => {
		const db = dbs.fresh();
		const store = new HistoryStore(db, { compactTicks: 60 });
		store.putSeries(seriesInfo(1));
		const flushRun = async (k: number, n: number) => {
			for (let i = 0; i < n; i++) store.append(1, k * 100 + i, k * 100 + i);
			await store.flush();
		};
		for (let k = 0; k < 5; k++) await flushRun(k, 10);
		// Five small rows, all still in memory: the three oldest go.
		expect(await store.enforceSizeCap(chunkBytes(20, 2))).toBe(30);
		expect(Array.from((await store.readLast(1, 50)).v)).toEqual([...range(300, 10), ...range(400, 10)]);
		await flushRun(5, 40);
		const stored = (await db.chunks.toArray()).flatMap((row) => Array.from(row.v));
		expect(stored).toEqual([...range(300, 10), ...range(400, 10), ...range(500, 40)]);
		expect((await store.seriesMeta(1)).count).toBe(60);
	});

	it('never deletes rows of a write still queued (retrying it would put them back)', async () => {
		const db = dbs.fresh();
		const store = new HistoryStore(db, { compactTicks: 10 });
		const bulkPut = db.chunks.bulkPut.bind(db.chunks);
		let full = false;
		db.chunks.bulkPut = ((...args: Parameters<typeof bulkPut>) => (full ? Promise.reject(new Error('disk on fire')) : bulkPut(...args))) as typeof bulkPut;
		for (let k = 0; k < 4; k++) {
			for (let i = 0; i < 10; i++) store.append(1, k * 100 + i, k);
			full = k >= 2;
			await store.flush();
		}
		full = false;
		expect(await store.enforceSizeCap(0)).toBe(20);
		await store.flush();
		expect((await db.chunks.toArray()).map((row) => row.v[0])).toEqual([2, 3]);
	});

	it('deletes in bounded transactions, and a flush in between is not held up behind all of them', async () => {
		const db = dbs.fresh();
		const store = new HistoryStore(db, { compactTicks: 2 });
		const rows = RETENTION_BATCH_ROWS * 2 + 10;
		for (let r = 0; r < rows; r++) {
			store.append(1, r * 10, r);
			store.append(1, r * 10 + 1, r);
			if (r % 50 === 49 || r === rows - 1) await store.flush();
		}
		expect(await db.chunks.count()).toBe(rows);
		const order: string[] = [];
		let transactions = 0;
		const transaction = db.transaction.bind(db) as (...args: unknown[]) => Promise<unknown>;
		(db as unknown as { transaction: unknown }).transaction = (...args: unknown[]) => {
			transactions++;
			return transaction(...args);
		};
		const retention = store.enforceRetention(rows * 10, 5).then(() => order.push('retention'));
		store.append(1, rows * 10 + 5, 0);
		const flush = store.flush().then(() => order.push('flush'));
		await Promise.all([retention, flush]);
		expect(order).toEqual(['flush', 'retention']);
		// Three batches of deletes and the flush.
		expect(transactions).toBeGreaterThanOrEqual(4);
		// Every old row went; the flush's new small row stayed.
		expect(await db.chunks.count()).toBe(1);
	});

	it('evicts the oldest quarter of the bytes, oldest across series first, for a full disk', async () => {
		const store = new HistoryStore(dbs.fresh(), { compactTicks: 10 });
		await interleaved(store, [0, 1], 8);
		expect(await store.evictOldest(0.25)).toBe(4);
		expect((await keysOf(store, 0))[0]).toBe(60);
		expect((await keysOf(store, 1))[0]).toBe(70);
	});

	it('applies the size cap as part of enforceRetention', async () => {
		const store = new HistoryStore(dbs.fresh(), { compactTicks: 10, sizeCapBytes: chunkBytes(60, 6) });
		await interleaved(store, [0, 1], 5);
		expect(await store.enforceRetention(0, Infinity)).toBe(4);
		store.setSizeCap(chunkBytes(20, 2));
		expect(await store.enforceRetention(0, Infinity)).toBe(4);
		expect((await store.storageEstimate()).chunkRows).toBe(2);
	});
});
