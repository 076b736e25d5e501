import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import type { SeriesInfo } from '../domain/series';
import { TickscopeDb } from './db';
import { HistoryStore, KEY_EPSILON_MS } from './history-store';

let dbs: TickscopeDb[] = [];
let dbCount = 0;

function freshDb(name = `test-${++dbCount}`): TickscopeDb {
	const db = new TickscopeDb(name);
	dbs.push(db);
	return db;
}

afterEach(async () => {
	for (const db of dbs) {
		db.close();
		await db.delete();
	}
	dbs = [];
});

const series = (id: number): SeriesInfo => ({
	id,
	key: `sim/S${id}`,
	label: `S${id}`,
	source: 'simulator',
	unit: 'USD',
	kind: 'price'
});

/** Appends ticks t = start + i * stepMs, v = i (+ offset), to one series. */
function appendRun(store: HistoryStore, id: number, start: number, n: number, stepMs = 100, offset = 0) {
	for (let i = 0; i < n; i++) store.append(id, start + i * stepMs, offset + i);
}

describe('HistoryStore', () => {
	it('round-trips ticks through flush and a fresh reader', async () => {
		const db = freshDb('round-trip');
		const store = new HistoryStore(db, { compactTicks: 64 });
		store.putSeries(series(1));
		appendRun(store, 1, 1000, 50);
		await store.flush();
		appendRun(store, 1, 1000 + 50 * 100, 50, 100, 50);
		await store.flush();

		const reopened = new HistoryStore(new TickscopeDb('round-trip'));
		dbs.push(reopened.db);
		const { series: heads } = await reopened.open();
		expect(heads).toHaveLength(1);
		expect(heads[0].lastT).toBe(1000 + 99 * 100);
		expect(heads[0].lastV).toBe(99);
		expect(reopened.totalTicks).toBe(100);
		const { t, v } = await reopened.readLast(1, 100);
		expect(Array.from(v)).toEqual(Array.from({ length: 100 }, (_, i) => i));
		expect(t[0]).toBe(1000);
		expect(t[99]).toBe(1000 + 99 * 100);
	});

	it('compacts small per-flush chunks into one row without losing or duplicating ticks', async () => {
		const db = freshDb();
		const store = new HistoryStore(db, { compactTicks: 100 });
		store.putSeries(series(7));
		for (let flush = 0; flush < 12; flush++) {
			appendRun(store, 7, flush * 3000, 30, 100, flush * 30);
			await store.flush();
		}
		// 360 ticks: three compactions of ≥100 plus a tail of small rows.
		const rows = await db.chunks.toArray();
		expect(rows.reduce((sum, row) => sum + row.n, 0)).toBe(360);
		expect(rows.length).toBeLessThan(12);
		const stored = rows.flatMap((row) => Array.from(row.v));
		expect(stored).toEqual(Array.from({ length: 360 }, (_, i) => i));

		// Reads that straddle memory and stored rows come back exact and in order.
		for (const n of [1, 29, 31, 100, 250, 360, 1000]) {
			const { v } = await store.readLast(7, n);
			const want = Math.min(n, 360);
			expect(Array.from(v)).toEqual(Array.from({ length: want }, (_, i) => 360 - want + i));
		}
	});

	it('reads the newest ticks before they are flushed', async () => {
		const store = new HistoryStore(freshDb());
		appendRun(store, 3, 0, 10);
		const { v } = await store.readLast(3, 4);
		expect(Array.from(v)).toEqual([6, 7, 8, 9]);
		expect(await store.db.chunks.count()).toBe(0);
	});

	it('gives a chunk whose ticks share one instant a distinct key instead of overwriting', async () => {
		const db = freshDb();
		const store = new HistoryStore(db, { compactTicks: 1000 });
		store.append(2, 5000, 1);
		store.append(2, 5000, 2);
		await store.flush();
		store.append(2, 5000, 3);
		await store.flush();
		const rows = await db.chunks.toArray();
		expect(rows.map((row) => row.t0)).toEqual([5000, 5000 + KEY_EPSILON_MS]);
		expect(Array.from((await store.readLast(2, 3)).v)).toEqual([1, 2, 3]);
	});

	it('retention deletes only chunks wholly older than the window and keeps anomalies and truths', async () => {
		const db = freshDb();
		const store = new HistoryStore(db, { compactTicks: 10 });
		store.putSeries(series(1));
		// Ten compacted rows of 10 ticks, 1 s apart: row k covers [k*10 s, k*10 s + 9 s].
		for (let k = 0; k < 10; k++) {
			appendRun(store, 1, k * 10_000, 10, 1000, k * 10);
			await store.flush();
		}
		store.putAnomaly({ id: 1, seriesId: 1, t: 500, v: 0, score: 9, detector: 'zscore', expected: 0 });
		store.putTruth({ id: 1, seriesId: 1, kind: 'spike', t0: 500, t1: 500, magnitude: 9 });
		await store.flush();
		expect(await db.chunks.count()).toBe(10);

		// Window starts at 35 s: rows 0–2 (end ≤ 29 s) go; row 3 (30–39 s) straddles and stays.
		const deleted = await store.enforceRetention(100_000, 65_000);
		expect(deleted).toBe(3);
		const keys = (await db.chunks.toCollection().primaryKeys()).map((key) => key[1]);
		expect(keys).toEqual([30_000, 40_000, 50_000, 60_000, 70_000, 80_000, 90_000]);
		expect(await db.anomalies.count()).toBe(1);
		expect(await db.truths.count()).toBe(1);
		// Idempotent: nothing more is old enough.
		expect(await store.enforceRetention(100_000, 65_000)).toBe(0);
	});

	it('keeps a failed write queued and writes it, in order, on the next flush', async () => {
		const db = freshDb();
		const problems: string[] = [];
		const store = new HistoryStore(db, { compactTicks: 1000, onProblem: (p) => problems.push(p.kind) });
		appendRun(store, 1, 0, 5);
		const original = db.chunks.bulkPut.bind(db.chunks);
		let failNext = true;
		db.chunks.bulkPut = ((...args: Parameters<typeof original>) => {
			if (failNext) {
				failNext = false;
				return Promise.reject(new Error('disk on fire'));
			}
			return original(...args);
		}) as typeof db.chunks.bulkPut;
		await store.flush();
		expect(problems).toEqual(['write-failed']);
		expect(await db.chunks.count()).toBe(0);
		appendRun(store, 1, 500, 5, 100, 5);
		await store.flush();
		const stored = (await db.chunks.toArray()).flatMap((row) => Array.from(row.v));
		expect(stored).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
		expect((await db.meta.get('counters'))?.key).toBe('counters');
	});

	it('persists counters with the ticks they count', async () => {
		const db = freshDb('counters');
		const store = new HistoryStore(db);
		appendRun(store, 1, 0, 42);
		store.setCounters({ hits: 3, falseAlarms: 1, missed: 2, caught: 2, injected: 5 });
		await store.flush();
		const again = new HistoryStore(new TickscopeDb('counters'));
		dbs.push(again.db);
		const { counters } = await again.open();
		expect(again.totalTicks).toBe(42);
		expect(counters).toEqual({ hits: 3, falseAlarms: 1, missed: 2, caught: 2, injected: 5 });
	});

	it('evicts the oldest part of every series on demand', async () => {
		const db = freshDb();
		const store = new HistoryStore(db, { compactTicks: 10 });
		store.putSeries(series(1));
		for (let k = 0; k < 8; k++) {
			appendRun(store, 1, k * 10_000, 10, 1000);
			await store.flush();
		}
		const deleted = await store.evictOldest(0.25);
		expect(deleted).toBeGreaterThan(0);
		const keys = (await db.chunks.toCollection().primaryKeys()).map((key) => key[1]);
		expect(keys[0]).toBeGreaterThan(0);
		expect(keys.at(-1)).toBe(70_000);
	});

	it('starts from one row of series heads, and from the chunks when a history has none', async () => {
		const db = freshDb('heads');
		const store = new HistoryStore(db, { compactTicks: 1000 });
		store.putSeries(series(1));
		store.putSeries(series(2));
		appendRun(store, 1, 1000, 5);
		appendRun(store, 2, 2000, 3, 100, 40);
		await store.flush();
		expect((await db.meta.get('heads'))?.key).toBe('heads');

		for (const dropHeads of [false, true]) {
			if (dropHeads) await db.meta.delete('heads');
			const again = new HistoryStore(new TickscopeDb('heads'), { compactTicks: 1000 });
			dbs.push(again.db);
			const { series: heads } = await again.open();
			const byId = new Map(heads.map((h) => [h.info.id, h]));
			expect(byId.get(1)).toMatchObject({ lastT: 1400, lastV: 4 });
			expect(byId.get(2)).toMatchObject({ lastT: 2200, lastV: 42 });
			// New chunks get keys after the stored ones: nothing is overwritten.
			again.append(1, 1400, 99);
			await again.flush();
			expect(Array.from((await again.readLast(1, 6)).v)).toEqual([0, 1, 2, 3, 4, 99]);
			await db.chunks.where('[seriesId+t0]').between([1, 1400], [1, Infinity], true, true).delete();
		}
	});
});
