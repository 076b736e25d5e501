import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { HistoryStore } from './history-store';
import { seeded, seriesInfo, TestDbs } from './test-support';

const dbs = new TestDbs();
afterEach(() => dbs.drop());

interface Reference {
	t: number[];
	v: number[];
}

/**
 * Appends `total` ticks to series `id` in flushes of random size: steps of 0 (equal times), a
 * few ms, or a long gap; values a random walk with spikes, runs of equal values and some NaN.
 * Leaves the last `unflushed` ticks in memory.
 */
async function fill(store: HistoryStore, id: number, total: number, unflushed: number, seed: number): Promise<Reference> {
	const random = seeded(seed);
	const ref: Reference = { t: [], v: [] };
	let t = 1_700_000_000_000;
	let v = 100;
	let sinceFlush = 0;
	let nextFlush = 1 + Math.floor(random() * 90);
	for (let i = 0; i < total; i++) {
		const r = random();
		t += r < 0.1 ? 0 : r < 0.97 ? 1 + Math.floor(random() * 20) : 5000;
		const s = random();
		v = s < 0.02 ? v + 50 * (random() - 0.5) : s < 0.1 ? v : v + random() - 0.5;
		const value = s > 0.995 ? NaN : s > 0.99 ? v * 3 : v;
		store.append(id, t, value);
		ref.t.push(t);
		ref.v.push(value);
		if (++sinceFlush === nextFlush && i < total - unflushed) {
			await store.flush();
			sinceFlush = 0;
			nextFlush = 1 + Math.floor(random() * 90);
		}
	}
	return ref;
}

/** Min/max per bucket by brute force, with the documented edges: floor((t − from)·B/(to − from)), last bucket closed. */
function bruteDecimate(ref: Reference, from: number, to: number, buckets: number) {
	const idx = ref.t.map((_, i) => i).filter((i) => ref.t[i] >= from && ref.t[i] <= to);
	if (idx.length <= 2 * buckets) return { t: idx.map((i) => ref.t[i]), v: idx.map((i) => ref.v[i]), decimated: false };
	const lo = new Array<number>(buckets).fill(-1);
	const hi = new Array<number>(buckets).fill(-1);
	for (const i of idx) {
		const x = ref.v[i];
		if (Number.isNaN(x)) continue;
		const k = to > from ? Math.min(buckets - 1, Math.floor(((ref.t[i] - from) * buckets) / (to - from))) : 0;
		if (lo[k] < 0 || x < ref.v[lo[k]]) lo[k] = i;
		if (hi[k] < 0 || x > ref.v[hi[k]]) hi[k] = i;
	}
	const out: number[] = [];
	for (let k = 0; k < buckets; k++) {
		if (lo[k] < 0) continue;
		out.push(Math.min(lo[k], hi[k]));
		if (lo[k] !== hi[k]) out.push(Math.max(lo[k], hi[k]));
	}
	return { t: out.map((i) => ref.t[i]), v: out.map((i) => ref.v[i]), decimated: true };
}

function plain(result: { t: Float64Array; v: Float64Array; decimated?: boolean }) {
	return { t: Array.from(result.t), v: Array.from(result.v), decimated: result.decimated };
}

describe('HistoryStore reads', () => {
	it('decimates to exactly the brute-force min/max per bucket, over stored, compacted and unflushed ticks', async () => {
		const store = new HistoryStore(dbs.fresh(), { compactTicks: 64 });
		const ref = await fill(store, 1, 6000, 150, 7);
		const random = seeded(99);
		const first = ref.t[0];
		const last = ref.t[ref.t.length - 1];
		const ranges: [number, number, number][] = [
			[first, last, 100],
			[first, last, 1],
			[first - 1000, last + 1000, 37],
			[ref.t[3000], ref.t[3000], 5],
			// Ends inside chunks and inside the unflushed part.
			[ref.t[1234] + 0.5, ref.t[5900] - 0.5, 250],
			[ref.t[5870], last, 10],
			[ref.t[10], ref.t[200], 80]
		];
		for (let i = 0; i < 40; i++) {
			const a = first + random() * (last - first);
			const b = a + random() * (last - a);
			ranges.push([a, b, 1 + Math.floor(random() * 300)]);
		}
		let decimatedSeen = 0;
		for (const [from, to, buckets] of ranges) {
			const got = plain(await store.readDecimated(1, from, to, buckets));
			const want = bruteDecimate(ref, from, to, buckets);
			expect(got, `range [${from}, ${to}] in ${buckets}`).toEqual(want);
			expect(got.t.length).toBeLessThanOrEqual(Math.max(2 * buckets, want.t.length));
			if (got.decimated) decimatedSeen++;
		}
		expect(decimatedSeen).toBeGreaterThan(20);
	});

	it('reads a cut chunk only when one of its cut blocks could change a bucket, and stays exact', async () => {
		const db = dbs.fresh();
		const store = new HistoryStore(db, { compactTicks: 256 });
		const ref = await fill(store, 1, 60_000, 100, 11);
		await store.flush();
		const fetched: number[] = [];
		const bulkGet = db.chunks.bulkGet.bind(db.chunks);
		db.chunks.bulkGet = ((keys: [number, number][]) => {
			fetched.push(keys.length);
			return bulkGet(keys);
		}) as typeof db.chunks.bulkGet;
		const rows = await db.chunks.count();
		const first = ref.t[0];
		const last = ref.t[ref.t.length - 1];
		const random = seeded(4);
		let cutRows = 0;
		let readRows = 0;
		for (const [from, to, buckets] of [
			[first, last, 100],
			[first, last, 300],
			[first + (last - first) * random(), last - 1, 150],
			[first + 1.5, first + (last - first) / 2, 120]
		]) {
			fetched.length = 0;
			const got = plain(await store.readDecimated(1, from, to, buckets));
			expect(got).toEqual(bruteDecimate(ref, from, to, buckets));
			readRows += fetched.reduce((a, b) => a + b, 0);
			// Every inner edge cuts at most one row.
			cutRows += Math.min(rows, buckets + 1);
		}
		expect(rows).toBeGreaterThan(200);
		// A minority of the cut rows had to be read whole.
		expect(readRows).toBeLessThan(cutRows / 2);

		// Plateaus: every bucket's min and max are ties, won by the earliest tick.
		const flat: Reference = { t: [], v: [] };
		for (let i = 0; i < 30_000; i++) {
			store.append(2, i * 3, Math.floor(i / 4000));
			flat.t.push(i * 3);
			flat.v.push(Math.floor(i / 4000));
			if (i % 3000 === 2999) await store.flush();
		}
		for (const buckets of [40, 97, 250]) {
			expect(plain(await store.readDecimated(2, 0, 89_997, buckets))).toEqual(bruteDecimate(flat, 0, 89_997, buckets));
		}
	});

	it('never reads a chunk that lies inside one bucket', async () => {
		const db = dbs.fresh();
		const store = new HistoryStore(db, { compactTicks: 64 });
		for (let i = 0; i < 20_000; i++) {
			store.append(1, i, Math.sin(i / 50));
			if (i % 1000 === 999) await store.flush();
		}
		await store.flush();
		let fetched = 0;
		const bulkGet = db.chunks.bulkGet.bind(db.chunks);
		db.chunks.bulkGet = ((keys: [number, number][]) => {
			fetched += keys.length;
			return bulkGet(keys);
		}) as typeof db.chunks.bulkGet;
		const result = await store.readDecimated(1, 0, 19_999, 20);
		expect(result.decimated).toBe(true);
		expect(result.t.length).toBe(40);
		// 20 buckets of 1000 ticks: at most one cut row per inner edge.
		expect(fetched).toBeLessThanOrEqual(19);
		expect(await db.chunks.count()).toBeGreaterThan(250);
	});

	it('answers ranges and "since" across stored rows, queued writes and memory, with no duplicates', async () => {
		const db = dbs.fresh();
		const store = new HistoryStore(db, { compactTicks: 64 });
		const ref = await fill(store, 2, 3000, 40, 3);
		// One write fails and stays queued: its ticks are neither in memory nor committed yet.
		const bulkPut = db.chunks.bulkPut.bind(db.chunks);
		let fail = true;
		db.chunks.bulkPut = ((...args: Parameters<typeof bulkPut>) => {
			if (!fail) return bulkPut(...args);
			fail = false;
			return Promise.reject(new Error('disk on fire'));
		}) as typeof bulkPut;
		await store.flush();
		for (let i = 0; i < 30; i++) {
			const t = ref.t[ref.t.length - 1] + 1;
			store.append(2, t, i);
			ref.t.push(t);
			ref.v.push(i);
		}
		const check = async () => {
			const random = seeded(5);
			for (let i = 0; i < 30; i++) {
				const a = ref.t[Math.floor(random() * ref.t.length)];
				const b = a + random() * 20_000;
				const idx = ref.t.map((_, j) => j).filter((j) => ref.t[j] >= a && ref.t[j] <= b);
				const got = plain(await store.readRange(2, a, b));
				expect(got.t).toEqual(idx.map((j) => ref.t[j]));
				expect(got.v).toEqual(idx.map((j) => ref.v[j]));
				const since = plain(await store.readSince(2, a));
				expect(since.t).toEqual(ref.t.filter((t) => t > a));
			}
			const all = plain(await store.readRange(2, -Infinity, Infinity));
			expect(all.v).toEqual(ref.v);
		};
		await check();
		await store.flush();
		expect(fail).toBe(false);
		await check();
	});

	it('pages with a limit without splitting a run of equal times', async () => {
		const store = new HistoryStore(dbs.fresh(), { compactTicks: 8 });
		const times = [1, 2, 3, 3, 3, 3, 4, 5, 5, 6, 7, 8, 9, 9, 9, 10];
		times.forEach((t, i) => store.append(1, t, i));
		await store.flush();
		store.append(1, 10, 99);
		store.append(1, 11, 100);
		const all = [...times, 10, 11];
		const seen: number[] = [];
		let since = -Infinity;
		for (let pages = 0; pages < 20; pages++) {
			const { t } = await store.readSince(1, since, 3);
			if (t.length === 0) break;
			seen.push(...t);
			expect(t.length === 3 || t[t.length - 1] === t[t.length - 2] || t.length < 3).toBe(true);
			since = t[t.length - 1];
		}
		expect(seen).toEqual(all);
		expect(Array.from((await store.readRange(1, 2, 9, 2)).t)).toEqual([2, 3, 3, 3, 3]);
		expect(Array.from((await store.readRange(1, 2, 9, 1)).t)).toEqual([2]);
	});

	it('keeps series metadata without reading ticks, also after a reopen and retention', async () => {
		const db = dbs.fresh('meta');
		const store = new HistoryStore(db, { compactTicks: 16 });
		expect(await store.seriesMeta(1)).toEqual({ count: 0, first: null, last: null, lastV: null });
		store.putSeries(seriesInfo(1));
		store.append(1, 50, 5);
		expect(await store.seriesMeta(1)).toEqual({ count: 1, first: 50, last: 50, lastV: 5 });
		for (let i = 1; i < 100; i++) {
			store.append(1, 50 + i * 10, 5 + i);
			if (i % 7 === 0) await store.flush();
		}
		expect(await store.seriesMeta(1)).toEqual({ count: 100, first: 50, last: 1040, lastV: 104 });
		await store.flush();
		const again = new HistoryStore(dbs.reopen('meta'));
		await again.open();
		expect(await again.seriesMeta(1)).toEqual({ count: 100, first: 50, last: 1040, lastV: 104 });
		await again.enforceRetention(1040 + 500, 1000);
		const meta = await again.seriesMeta(1);
		expect(meta.count).toBeLessThan(100);
		expect(meta.first).toBeGreaterThan(50);
		expect(meta.last).toBe(1040);
	});

	it('returns anomalies, truths and the nearest flag in a range, written or not', async () => {
		const store = new HistoryStore(dbs.fresh());
		const flag = (id: number, t: number) => ({ id, seriesId: 1, t, v: 0, score: 5, detector: 'zscore', expected: 0 });
		store.putAnomaly(flag(1, 100));
		store.putAnomaly(flag(2, 200));
		store.putAnomaly({ ...flag(3, 250), seriesId: 2 });
		store.putTruth({ id: 1, seriesId: 1, kind: 'spike', t0: 90, t1: 90, magnitude: 6 });
		store.putTruth({ id: 2, seriesId: 1, kind: 'drift', t0: 150, t1: 400, magnitude: 3 });
		await store.flush();
		store.putAnomaly(flag(4, 300));
		store.putTruth({ id: 2, seriesId: 1, kind: 'drift', t0: 150, t1: 400, magnitude: 3, detected: true });

		expect((await store.anomaliesInRange(1, 100, 300)).map((a) => a.id)).toEqual([1, 2, 4]);
		expect((await store.anomaliesInRange(1, 101, 1000, 1)).map((a) => a.id)).toEqual([2]);
		expect((await store.truthsInRange(1, 95, 160)).map((t) => [t.id, t.detected])).toEqual([[2, true]]);
		expect((await store.truthsInRange(1, 0, 1000)).map((t) => t.id)).toEqual([1, 2]);
		expect((await store.adjacentAnomaly(1, 200, 1))?.id).toBe(4);
		expect((await store.adjacentAnomaly(1, 200, -1))?.id).toBe(1);
		expect(await store.adjacentAnomaly(1, 100, -1)).toBeNull();
	});
});
