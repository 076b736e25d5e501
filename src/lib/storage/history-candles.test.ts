import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { emptyCandles, type Candles } from '../domain/candles';
import { CANDLE_COMPACT_WINDOWS, DEFAULT_CANDLE_RETENTION, HistoryStore } from './history-store';
import { seriesInfo, TestDbs } from './test-support';

const dbs = new TestDbs();
afterEach(() => dbs.drop());

/** 1 s windows starting at `start` s: open = i, close = i + 0.5, count 10, volume NaN. */
function windows(start: number, n: number): Candles {
	const c = emptyCandles(n);
	for (let i = 0; i < n; i++) {
		const k = start + i;
		c.t[i] = k * 1000;
		c.open[i] = k;
		c.high[i] = k + 1;
		c.low[i] = k - 1;
		c.close[i] = k + 0.5;
		c.count[i] = 10;
		c.sum[i] = 10 * k;
		c.volume[i] = NaN;
	}
	return c;
}

const starts = (c: Candles) => Array.from(c.t, (t) => t / 1000);

describe('HistoryStore candles', () => {
	it('buffers windows, writes them with the flush, compacts small rows and reads across all of them', async () => {
		const db = dbs.fresh();
		const store = new HistoryStore(db);
		let next = 0;
		for (let flush = 0; flush < 30; flush++) {
			store.putCandles(1, '1s', windows(next, 40));
			next += 40;
			await store.flush();
		}
		store.putCandles(1, '1s', windows(next, 7));
		next += 7;
		// 1200 windows written: compacted at CANDLE_COMPACT_WINDOWS, small rows after; 7 in memory.
		const rows = await db.candles.toArray();
		expect(rows.reduce((sum, row) => sum + row.n, 0)).toBe(1200);
		expect(rows.length).toBeLessThan(30);
		expect(rows.some((row) => row.n >= CANDLE_COMPACT_WINDOWS)).toBe(true);

		const all = await store.readCandles(1, '1s', 0, Infinity);
		expect(starts(all)).toEqual(Array.from({ length: next }, (_, i) => i));
		expect(Array.from(all.close.subarray(0, 3))).toEqual([0.5, 1.5, 2.5]);
		expect(Number.isNaN(all.volume[5])).toBe(true);
		// A window overlaps [from, to] when it starts at or before `to` and ends after `from`.
		expect(starts(await store.readCandles(1, '1s', 500_500, 502_000))).toEqual([500, 501, 502]);
		expect(starts(await store.readCandles(1, '1s', 1_204_999, 1_205_000))).toEqual([1204, 1205]);
		expect(starts(await store.readCandles(1, '1s', 1_205_000, 1_205_000))).toEqual([1205]);
		expect(starts(await store.readCandles(1, '10s', 0, Infinity))).toEqual([]);
		expect(starts(await store.readCandles(2, '1s', 0, Infinity))).toEqual([]);
	});

	it('never stores a window twice, also across a restart, and reads queued writes', async () => {
		const db = dbs.fresh('candle-restart');
		const store = new HistoryStore(db);
		store.putSeries(seriesInfo(1));
		expect(store.putCandles(1, '1m', windows(0, 5))).toBe(5);
		expect(store.putCandles(1, '1m', windows(3, 4))).toBe(2);
		await store.flush();

		const again = new HistoryStore(dbs.reopen('candle-restart'));
		await again.open();
		// The window the last session ended in comes again from the new session: the first one stays.
		expect(again.putCandles(1, '1m', windows(6, 3))).toBe(2);
		const bulkPut = again.db.candles.bulkPut.bind(again.db.candles);
		let fail = true;
		again.db.candles.bulkPut = ((...args: Parameters<typeof bulkPut>) => {
			if (!fail) return bulkPut(...args);
			fail = false;
			return Promise.reject(new Error('disk on fire'));
		}) as typeof bulkPut;
		await again.flush();
		expect(starts(await again.readCandles(1, '1m', 0, Infinity))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
		await again.flush();
		expect(fail).toBe(false);
		const stored = (await db.candles.toArray()).flatMap((row) => Array.from(row.t, (t) => t / 1000));
		expect(stored).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
	});

	it('expires candles per resolution: short ones with the ticks, long ones after 30 days', async () => {
		const db = dbs.fresh();
		const store = new HistoryStore(db);
		store.putSeries(seriesInfo(1));
		const day = 86_400_000;
		expect(DEFAULT_CANDLE_RETENTION['1s']).toBe('ticks');
		expect(DEFAULT_CANDLE_RETENTION['1h']).toBe(30 * day);
		// One row per flush, a day apart; the row's windows span an hour.
		for (let d = 0; d < 40; d++) {
			for (const res of ['1s', '1h'] as const) store.putCandles(1, res, windows((d * day) / 1000, 3));
			await store.flush();
		}
		const now = 40 * day;
		await store.enforceRetention(now, 2 * day);
		const left = async (res: '1s' | '1h') => (await db.candles.where('[seriesId+res+t0]').between([1, res, -Infinity], [1, res, Infinity]).toArray()).map((row) => row.t0 / day);
		expect(await left('1s')).toEqual([38, 39]);
		expect(await left('1h')).toEqual(Array.from({ length: 30 }, (_, i) => 10 + i));

		store.setCandleRetention({ '1h': 5 * day });
		expect(await store.enforceCandleRetention(now, 2 * day)).toBe(25);
		expect(await left('1h')).toEqual([35, 36, 37, 38, 39]);
	});
});
