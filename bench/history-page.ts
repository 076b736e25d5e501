// Browser side of `node bench/history.mjs`: bundled by Vite (with src/lib/storage) and run on a
// harness page in Debian's Chromium. Each export is one measurement in a fresh browser profile;
// the page reports figures, never pass/fail.
import uPlot from 'uplot';
import Dexie, { type Table } from 'dexie';
import { summarizeBlocks, summarizeChunk } from '../src/lib/storage/chunk-summary';
import { TickscopeDb, type ChunkRow } from '../src/lib/storage/db';
import { COMPACT_TICKS, HistoryStore } from '../src/lib/storage/history-store';

const T0 = 1_700_000_000_000;

/** Cheap deterministic random walk with rare spikes: v for tick i of a series. */
function walker(seed: number): () => number {
	let s = seed >>> 0;
	let v = 100;
	return () => {
		s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
		const r = s / 4294967296;
		v += r - 0.5;
		return r > 0.9999 ? v + 50 : v;
	};
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * (a) Ticks through HistoryStore as the engine sends them: `series` series, a flush per round of
 * `perFlush` ticks per series, the next round appended while the previous flush commits (as the
 * engine keeps appending between its once-a-second flushes). Counted back from the summaries.
 */
export async function chunkWrites({ series = 10, total = 5_000_000, perFlush = 10_000 } = {}) {
	const db = new TickscopeDb('bench-chunks');
	await db.open();
	const store = new HistoryStore(db);
	await store.open();
	const next = Array.from({ length: series }, (_, id) => walker(id + 1));
	const rounds = Math.ceil(total / (series * perFlush));
	let t = T0;
	const started = performance.now();
	let flushing: Promise<void> = Promise.resolve();
	for (let round = 0; round < rounds; round++) {
		for (let i = 0; i < perFlush; i++, t++) for (let id = 0; id < series; id++) store.append(id, t, next[id]());
		await flushing;
		flushing = store.flush();
	}
	await flushing;
	const seconds = (performance.now() - started) / 1000;
	store.stop();
	db.close();

	const check = new TickscopeDb('bench-chunks');
	let stored = 0;
	await check.summaries.each((s) => {
		stored += s.n;
	});
	const rows = await check.chunks.count();
	check.close();
	return { ticks: rounds * perFlush * series, stored, rows, seconds, ticksPerS: stored / seconds };
}

interface TickRow {
	seriesId: number;
	t: number;
	v: number;
}

/** (b) The same ticks as one Dexie row each, bulkPut per round of `perFlush` per series, for ≥ `minSeconds`. */
export async function rowWrites({ series = 10, perFlush = 1000, minSeconds = 5 } = {}) {
	class RowDb extends Dexie {
		ticks!: Table<TickRow, [number, number]>;
		constructor() {
			super('bench-rows');
			this.version(1).stores({ ticks: '[seriesId+t]' });
		}
	}
	const db = new RowDb();
	await db.open();
	const next = Array.from({ length: series }, (_, id) => walker(id + 1));
	let t = T0;
	let ticks = 0;
	const started = performance.now();
	while (performance.now() - started < minSeconds * 1000) {
		const rows: TickRow[] = [];
		for (let i = 0; i < perFlush; i++, t++) for (let id = 0; id < series; id++) rows.push({ seriesId: id, t, v: next[id]() });
		await db.ticks.bulkPut(rows);
		ticks += rows.length;
	}
	const seconds = (performance.now() - started) / 1000;
	const stored = await db.ticks.count();
	db.close();
	return { ticks, stored, seconds, ticksPerS: stored / seconds };
}

function median(xs: number[]): number {
	const sorted = [...xs].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
}

async function time<T>(job: () => Promise<T>): Promise<[number, T]> {
	const started = performance.now();
	const result = await job();
	return [performance.now() - started, result];
}

/**
 * (c) One series of `total` ticks (1 ms apart) written straight as chunk rows of COMPACT_TICKS
 * ticks (the size the engine's compaction makes) with both summaries, many rows per
 * transaction; then reads through a fresh HistoryStore on a fresh connection. Also counts the
 * chunk rows the decimated read loads whole.
 */
export async function reads({ total = 10_000_000, rowsPerTransaction = 256, repeats = 5, buckets = 1000 } = {}) {
	const db = new TickscopeDb('bench-reads');
	await db.open();
	const next = walker(7);
	const loadStarted = performance.now();
	let written = 0;
	let head: [number, number, number, number] = [1, 0, 0, 0];
	while (written < total) {
		const rows: ChunkRow[] = [];
		for (let r = 0; r < rowsPerTransaction && written < total; r++) {
			const n = Math.min(COMPACT_TICKS, total - written);
			const t = new Float64Array(n);
			const v = new Float64Array(n);
			for (let i = 0; i < n; i++) {
				t[i] = T0 + written + i;
				v[i] = next();
			}
			rows.push({ seriesId: 1, t0: t[0], t1: t[n - 1], n, t, v });
			head = [1, t[0], t[n - 1], v[n - 1]];
			written += n;
		}
		const summaries = rows.map(summarizeChunk);
		const blocks = rows.map(summarizeBlocks);
		await db.transaction('rw', db.chunks, db.summaries, db.blocks, async () => {
			await db.chunks.bulkPut(rows);
			await db.summaries.bulkPut(summaries);
			await db.blocks.bulkPut(blocks);
		});
	}
	// The row a session start reads every series' newest chunk key from.
	await db.meta.put({ key: 'heads', heads: [head] });
	const loadSeconds = (performance.now() - loadStarted) / 1000;
	db.close();
	await sleep(500);

	const store = new HistoryStore(new TickscopeDb('bench-reads'));
	await store.open();
	let rowsRead = 0;
	const bulkGet = store.db.chunks.bulkGet.bind(store.db.chunks);
	store.db.chunks.bulkGet = ((keys: [number, number][]) => {
		rowsRead += keys.length;
		return bulkGet(keys);
	}) as typeof bulkGet;
	const [indexLoadMs, meta] = await time(() => store.seriesMeta(1));
	const metaMs: number[] = [];
	const lastMs: number[] = [];
	const rangeMs: number[] = [];
	const decimatedMs: number[] = [];
	let lastN = 0;
	let rangeN = 0;
	let points = 0;
	let decimatedRowsRead = 0;
	for (let k = 0; k < repeats; k++) {
		metaMs.push((await time(() => store.seriesMeta(1)))[0]);
		const [a, last] = await time(() => store.readLast(1, 10_000));
		lastMs.push(a);
		lastN = last.t.length;
		// A different 100k stretch each time, so no repeat is served from a warm cache alone.
		const from = T0 + Math.floor(((k + 1) * total) / (repeats + 2));
		const [b, range] = await time(() => store.readRange(1, from, from + 99_999));
		rangeMs.push(b);
		rangeN = range.t.length;
		rowsRead = 0;
		const [c, dec] = await time(() => store.readDecimated(1, meta.first!, meta.last!, buckets));
		decimatedMs.push(c);
		decimatedRowsRead = rowsRead;
		points = dec.t.length;
	}
	// What a person waits for: the whole range read decimated and drawn, to the frame that shows it.
	const host = document.createElement('div');
	document.body.append(host);
	const chart = new uPlot(
		{ width: 1200, height: 320, ms: 1, legend: { show: false }, scales: { x: { time: true } }, series: [{}, { stroke: '#39c5cf', width: 1.5, points: { show: false } }] },
		[new Float64Array(0), new Float64Array(0)],
		host
	);
	const drawnMs: number[] = [];
	for (let k = 0; k < repeats; k++) {
		const start = performance.now();
		const dec = await store.readDecimated(1, meta.first!, meta.last!, buckets);
		chart.setData([dec.t, dec.v]);
		await new Promise((resolve) => requestAnimationFrame(resolve));
		drawnMs.push(performance.now() - start);
	}
	chart.destroy();
	store.db.close();
	return {
		drawDecimatedMs: median(drawnMs),
		total,
		loadSeconds,
		meta,
		indexLoadMs,
		seriesMetaMs: median(metaMs),
		readLast10kMs: median(lastMs),
		readRange100kMs: median(rangeMs),
		readDecimatedMs: median(decimatedMs),
		first: { readLast10kMs: lastMs[0], readRange100kMs: rangeMs[0], readDecimatedMs: decimatedMs[0] },
		lastN,
		rangeN,
		points,
		decimatedRowsRead,
		rows: Math.ceil(total / COMPACT_TICKS)
	};
}

