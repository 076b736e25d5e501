import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { TickscopeDb } from '../storage/db';
import { HistoryStore } from '../storage/history-store';
import { importCsv } from '../io/csv-import';
import { Engine, STEP_MS } from './engine';
import type { SimulatorSettings } from './types';

const T0 = Date.UTC(2026, 10, 25, 12);
const FIXTURES = new URL('../../../tests/fixtures/import/', import.meta.url);
let dbNames: string[] = [];

afterEach(async () => {
	for (const name of dbNames) await new TickscopeDb(name).delete();
	dbNames = [];
});

function makeEngine(name: string, clock: { now: number }) {
	dbNames.push(name);
	const store = new HistoryStore(new TickscopeDb(name));
	return { engine: new Engine({ store, now: () => clock.now, autoRun: false }), store };
}

async function runFor(engine: Engine, clock: { now: number }, ms: number) {
	const end = clock.now + ms;
	let nextFlush = clock.now + 1000;
	while (clock.now < end) {
		clock.now += STEP_MS;
		engine.step();
		if (clock.now % 50 === 0) {
			engine.pullFrame();
			await new Promise((resolve) => setImmediate(resolve));
		}
		if (clock.now >= nextFlush) {
			await engine.flush();
			nextFlush += 1000;
		}
	}
}

const off: Partial<SimulatorSettings> = { enabled: false };
const markets: Partial<SimulatorSettings> = { scenario: 'markets', seed: 2, count: 2, ticksPerSecond: 20, anomalyRates: {} };

describe('Engine history features', () => {
	it('imports a NAB file with its labels and replays every row through the pipeline, labels as truth', async () => {
		const clock = { now: T0 };
		const { engine, store } = makeEngine('engine-import', clock);
		await engine.init({ simulator: off });
		const csv = readFileSync(new URL('speed_7578.csv', FIXTURES));
		const labels = readFileSync(new URL('speed_7578_windows.json', FIXTURES));
		const summary = await engine.importCsv(new Blob([csv]), { name: 'speed_7578.csv', speed: 'max', labels: new Blob([labels]) });
		expect(summary.rows).toBe(1127);
		expect(summary.rejectedCount).toBe(0);
		expect(summary.windows).toBe(4);
		expect(summary.series.map((s) => s.key)).toEqual(['import/speed_7578.csv/value']);

		await runFor(engine, clock, 500);
		await engine.flush();
		const id = summary.series[0].id;
		const stored = await store.readRange(id, -Infinity, Infinity);
		// Every row, in order, with its value; stamped in the present with the file's spacing kept.
		const reference = importCsv(csv.toString('utf8')).columns[0];
		expect(Array.from(stored.v)).toEqual(Array.from(reference.v));
		const offset = stored.t[0] - reference.t[0];
		expect(stored.t[0]).toBeGreaterThanOrEqual(T0);
		expect(Array.from(stored.t, (t) => t - offset)).toEqual(Array.from(reference.t));
		const status = engine.stats().imports[0];
		expect(status).toMatchObject({ replayed: 1127, total: 1127, done: true });
		// The 4 labelled windows became truth: each either caught or missed once replayed past.
		const { injected, caught, missed } = engine.stats();
		expect(injected).toBe(4);
		expect(caught + missed).toBe(4);
		await engine.dispose();
	});

	it('replays at 10× on the clock: ten seconds of file time per second', async () => {
		const clock = { now: T0 };
		const { engine } = makeEngine('engine-import-10x', clock);
		await engine.init({ simulator: off });
		// One tick a second for 100 s.
		const lines = ['timestamp,value', ...Array.from({ length: 100 }, (_, i) => `${1_700_000_000 + i},${i}`)];
		await engine.importCsv(new Blob([lines.join('\n')]), { name: 'ramp.csv', speed: 10 });
		await runFor(engine, clock, 2000);
		// 2 s at 10× = 20 s of file time: ticks 0..20 are due.
		expect(engine.stats().imports[0].replayed).toBe(21);
		await engine.dispose();
	});

	it('re-running the detector over a stored range finds the same flags with the same settings', async () => {
		const clock = { now: T0 };
		const { engine, store } = makeEngine('engine-rerun', clock);
		const { series } = await engine.init({ simulator: { ...markets, anomalyRates: { spike: 3000 } } });
		await runFor(engine, clock, 30_000);
		await engine.flush();
		const id = series[0].id;
		const result = await engine.rerunDetection(id, -Infinity, Infinity);
		expect(result.ticks).toBeGreaterThan(500);
		expect(result.warmUp).toBe(256);
		expect(result.old).toBeGreaterThan(0);
		// A fresh detector warmed on 256 ticks agrees with the live one on nearly every flag.
		expect(result.matched).toBeGreaterThanOrEqual(Math.floor(result.old * 0.8));
		const stored = await store.anomaliesInRange(id, -Infinity, Infinity);
		expect(stored.length).toBeGreaterThanOrEqual(result.old);

		// A much less eager detector flags fewer of them.
		await engine.setDetection({ seriesKey: series[0].key, sensitivity: 0 });
		const calmer = await engine.rerunDetection(id, -Infinity, Infinity);
		expect(calmer.new).toBeLessThan(result.new);
		expect(calmer.onlyOld).toBeGreaterThan(0);
		await engine.dispose();
	});

	it('aggregates every series into 1 s … 1 h candles and derives a series from a window statistic', async () => {
		const clock = { now: T0 };
		const { engine } = makeEngine('engine-candles', clock);
		const { series } = await engine.init({ simulator: markets });
		await runFor(engine, clock, 10_000);
		const price = series.find((s) => s.kind === 'price')!;
		const { candles, live } = await engine.readCandles(price.id, '1s', T0, T0 + 20_000);
		expect(candles.t.length).toBeGreaterThanOrEqual(7);
		for (let i = 0; i < candles.t.length; i++) {
			expect(candles.t[i] % 1000).toBe(0);
			expect(candles.low[i]).toBeLessThanOrEqual(Math.min(candles.open[i], candles.close[i]));
			expect(candles.high[i]).toBeGreaterThanOrEqual(Math.max(candles.open[i], candles.close[i]));
			// 20 ticks a second; the paired volume series fills the volume column.
			expect(candles.count[i]).toBeGreaterThan(10);
			expect(candles.volume[i]).toBeGreaterThan(0);
		}
		expect(live).not.toBeNull();

		const derived = await engine.deriveSeries(price.id, '1s', 'count');
		expect(derived.key).toBe(`${price.key}@1s.count`);
		await runFor(engine, clock, 5000);
		await engine.flush();
		const view = await engine.readView(derived.id, -Infinity, Infinity, 100);
		expect(view.t.length).toBeGreaterThanOrEqual(3);
		for (const v of view.v) expect(v).toBeGreaterThan(10);
		await engine.dispose();
	});

	it('exports a range as CSV whose rows are the stored ticks', async () => {
		const clock = { now: T0 };
		const { engine, store } = makeEngine('engine-export', clock);
		const { series } = await engine.init({ simulator: markets });
		await runFor(engine, clock, 5000);
		const id = series[0].id;
		const { t } = await store.readRange(id, -Infinity, Infinity);
		const from = t[10];
		const to = t[40];
		const file = await engine.exportSeries(id, from, to, 'csv');
		const lines = (await file.blob.text()).trimEnd().split('\r\n');
		expect(lines[0]).toBe('timestamp,value,epoch_ms');
		expect(file.rows).toBe(lines.length - 1);
		expect(Number(lines[1].split(',')[2])).toBe(from);
		expect(Number(lines.at(-1)!.split(',')[2])).toBe(to);
		expect(file.name).toMatch(/-ticks-.*\.csv$/);
		await engine.dispose();
	});
});
