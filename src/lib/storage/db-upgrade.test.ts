import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChunkRow } from './db';
import { HistoryStore } from './history-store';
import { seriesInfo, TestDbs } from './test-support';

const dbs = new TestDbs();
afterEach(() => dbs.drop());

/** The schema as versions 1–2 declared it, before summaries, candles and views. */
class TickscopeDbV2 extends Dexie {
	constructor(name: string) {
		super(name);
		this.version(1).stores({
			series: 'id, &key',
			chunks: '[seriesId+t0]',
			anomalies: 'id, [seriesId+t]',
			truths: 'id, [seriesId+t0]',
			meta: 'key'
		});
		this.version(2).stores({ feeds: 'id' });
	}
}

function chunk(seriesId: number, start: number, n: number, valueAt: (i: number) => number): ChunkRow {
	const t = Float64Array.from({ length: n }, (_, i) => start + i * 10);
	const v = Float64Array.from({ length: n }, (_, i) => valueAt(start / 10 + i));
	return { seriesId, t0: start, t1: t[n - 1], n, t, v };
}

describe('schema upgrade 2 → 3', () => {
	it('keeps every row and adds a summary for every old chunk', async () => {
		const name = 'upgrade-v2';
		const old = new TickscopeDbV2(name);
		const wave = (i: number) => Math.round(100 * Math.sin(i / 7));
		const chunks = [chunk(1, 0, 100, wave), chunk(1, 1000, 100, wave), chunk(1, 2000, 50, wave), chunk(2, 0, 30, (i) => -i)];
		const anomaly = { id: 1, seriesId: 1, t: 120, v: 3, score: 7, detector: 'zscore', expected: 0 };
		const truth = { id: 1, seriesId: 1, kind: 'spike', t0: 120, t1: 120, magnitude: 6, detected: true };
		const meta = [
			{ key: 'counters', totalTicks: 280, hits: 1, falseAlarms: 0, missed: 0, caught: 1, injected: 1 },
			{ key: 'settings', retentionMs: 3_600_000, simulator: { scenario: 'markets' } },
			{ key: 'heads', heads: [[1, 2000, 2490, wave(249)], [2, 0, 290, -29]] }
		];
		const feed = { id: 'f1', url: 'ws://127.0.0.1:9000', preset: 'binance' };
		await old.table('series').bulkPut([seriesInfo(1), seriesInfo(2)]);
		await old.table('chunks').bulkPut(chunks);
		await old.table('anomalies').put(anomaly);
		await old.table('truths').put(truth);
		await old.table('meta').bulkPut(meta);
		await old.table('feeds').put(feed);
		old.close();

		const db = dbs.reopen(name);
		await db.open();
		expect(db.verno).toBe(3);
		expect(await db.series.toArray()).toEqual([seriesInfo(1), seriesInfo(2)]);
		const stored = await db.chunks.toArray();
		expect(stored.map((row) => [row.seriesId, row.t0, row.n, Array.from(row.v)])).toEqual(
			chunks.map((row) => [row.seriesId, row.t0, row.n, Array.from(row.v)])
		);
		expect(await db.anomalies.toArray()).toEqual([anomaly]);
		expect(await db.truths.toArray()).toEqual([truth]);
		expect(await db.meta.toArray()).toEqual([...meta].sort((a, b) => a.key.localeCompare(b.key)));
		expect(await db.feeds.toArray()).toEqual([feed]);

		const summaries = await db.summaries.toArray();
		expect(summaries).toHaveLength(chunks.length);
		expect((await db.blocks.toArray()).map((row) => [row.t0, row.b.length])).toEqual(chunks.map((row) => [row.t0, Math.ceil(row.n / 64) * 8]));
		for (const [i, s] of summaries.entries()) {
			const v = Array.from(chunks[i].v);
			expect([s.seriesId, s.t0, s.n, s.tFirst, s.t1]).toEqual([chunks[i].seriesId, chunks[i].t0, chunks[i].n, chunks[i].t[0], chunks[i].t1]);
			expect(s.min).toBe(Math.min(...v));
			expect(s.max).toBe(Math.max(...v));
			expect(s.tMin).toBe(chunks[i].t[v.indexOf(s.min)]);
			expect(s.tMax).toBe(chunks[i].t[v.indexOf(s.max)]);
		}

		// The new queries see the old history.
		const store = new HistoryStore(db);
		await store.open();
		expect(await store.seriesMeta(1)).toEqual({ count: 250, first: 0, last: 2490, lastV: wave(249) });
		const { t, decimated } = await store.readDecimated(1, 0, 2490, 5);
		expect(decimated).toBe(true);
		expect(t.length).toBeLessThanOrEqual(10);
		expect(await db.candles.count()).toBe(0);
		expect(await store.listViews()).toEqual([]);
	});

	it('summarizes histories larger than one upgrade page', async () => {
		const name = 'upgrade-v2-large';
		const old = new TickscopeDbV2(name);
		const chunks = Array.from({ length: 700 }, (_, k) => chunk(1 + (k % 3), Math.floor(k / 3) * 100, 8, (i) => i % 5));
		await old.table('chunks').bulkPut(chunks);
		old.close();
		const db = dbs.reopen(name);
		await db.open();
		expect(await db.summaries.count()).toBe(700);
		expect(await db.blocks.count()).toBe(700);
		expect((await db.summaries.toArray()).reduce((sum, s) => sum + s.n, 0)).toBe(5600);
	});
});
