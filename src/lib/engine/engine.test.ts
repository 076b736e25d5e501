import 'fake-indexeddb/auto';
import * as Comlink from 'comlink';
import { MessageChannel } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import type { Anomaly } from '../domain/anomaly';
import { TickscopeDb } from '../storage/db';
import { HistoryStore } from '../storage/history-store';
import { Engine, STEP_MS } from './engine';
import { createEngineApi } from './engine-api';
import type { EngineApi, EngineFrame, SimulatorSettings } from './types';

const T0 = Date.UTC(2026, 10, 25, 12);
let dbNames: string[] = [];

afterEach(async () => {
	for (const name of dbNames) await new TickscopeDb(name).delete();
	dbNames = [];
});

/** An engine on a fake clock over a fresh (or named, for reloads) IndexedDB. */
function makeEngine(name: string, clock: { now: number }) {
	if (!dbNames.includes(name)) dbNames.push(name);
	const store = new HistoryStore(new TickscopeDb(name));
	const engine = new Engine({ store, now: () => clock.now, autoRun: false });
	return { engine, store };
}

/** Runs the pipeline for `ms` of simulated time, flushing once a second as the timer would. */
async function runFor(engine: Engine, clock: { now: number }, ms: number, frames: EngineFrame[] = []) {
	const end = clock.now + ms;
	let nextFlush = clock.now + 1000;
	while (clock.now < end) {
		clock.now += STEP_MS;
		engine.step();
		if (clock.now % 50 === 0) {
			frames.push(engine.pullFrame());
			// Let IndexedDB work (history reads, writes) progress, as the worker's event loop would.
			await new Promise((resolve) => setImmediate(resolve));
		}
		if (clock.now >= nextFlush) {
			await engine.flush();
			nextFlush += 1000;
		}
	}
	return frames;
}

/** 5 instruments: 10 series (price and volume), spikes and level shifts often enough to count. */
const simulator: Partial<SimulatorSettings> = {
	scenario: 'markets',
	seed: 9,
	count: 5,
	ticksPerSecond: 10,
	anomalyRates: { spike: 600, 'level-shift': 600 }
};

describe('Engine', () => {
	it('runs simulator → detector → truth matching → history, and streams a watched series', async () => {
		const clock = { now: T0 };
		const { engine, store } = makeEngine('engine-run', clock);
		const snapshot = await engine.init({ simulator });
		expect(snapshot.series).toHaveLength(10);
		expect(snapshot.activeSeries).toEqual(snapshot.series.map((s) => s.id));
		const id = snapshot.series[2].id;
		engine.watch(id, 100);
		const frames = await runFor(engine, clock, 120_000);

		// 10 ticks/s × 10 series × 120 s, plus the ticks at both ends of the span.
		const stats = engine.stats();
		expect(stats.totalTicks).toBeGreaterThan(11_980);
		expect(stats.totalTicks).toBeLessThanOrEqual(12_010);
		expect(stats.ticksPerSecond).toBeGreaterThan(90);

		// The first frame with data replaces the page's window; later ones append, in order.
		const watched = frames.flatMap((f) => f.series).filter((s) => s.id === id);
		expect(watched[0].replace).toBe(true);
		expect(watched.slice(1).every((s) => !s.replace)).toBe(true);
		const ts = watched.flatMap((s) => Array.from(s.t));
		expect(ts.length).toBeGreaterThan(1150);
		for (let i = 1; i < ts.length; i++) expect(ts[i]).toBeGreaterThan(ts[i - 1]);
		// No other series leaks into the stream.
		expect(frames.every((f) => f.series.every((s) => s.id === id))).toBe(true);

		// Every flag reaches the page once, with its verdict; the counts agree with the flags.
		const flags: Anomaly[] = frames.flatMap((f) => f.anomalies);
		expect(new Set(flags.map((a) => a.id)).size).toBe(flags.length);
		expect(flags.filter((a) => a.truth).length).toBe(stats.hits);
		expect(flags.filter((a) => !a.truth).length).toBe(stats.falseAlarms);
		// 1200/h × 10 series × 2 min ≈ 400 injections (fewer: one at a time), nearly all caught.
		expect(stats.injected).toBeGreaterThan(200);
		// Price spikes and shifts are nearly all caught; volume spikes about half (see detector tests).
		expect(stats.caught / stats.injected).toBeGreaterThan(0.8);
		expect(stats.caught + stats.missed).toBeLessThanOrEqual(stats.injected);

		// History has the same ticks the page was sent.
		await engine.flush();
		const { t } = await store.readLast(id, 100);
		expect(Array.from(t)).toEqual(ts.slice(-100));
		await engine.dispose();
	});

	it('resumes after a reload: same series, totals, anomalies, and prices that carry on', async () => {
		const clock = { now: T0 };
		const first = makeEngine('engine-reload', clock);
		const snapshot = await first.engine.init({ simulator });
		await runFor(first.engine, clock, 30_000);
		const before = first.engine.stats();
		const lastPrices = await Promise.all(
			snapshot.series.map(async (s) => (await first.store.readLast(s.id, 1)).v[0])
		);
		await first.engine.dispose();

		clock.now += 5000;
		const second = makeEngine('engine-reload', clock);
		const resumed = await second.engine.init({ simulator });
		expect(resumed.series.map((s) => s.key)).toEqual(snapshot.series.map((s) => s.key));
		expect(resumed.stats.totalTicks).toBe(before.totalTicks);
		expect(resumed.stats.hits).toBe(before.hits);
		expect(resumed.anomalies.length).toBe(Math.min(200, before.hits + before.falseAlarms));
		// Newest first.
		expect(resumed.anomalies[0].id).toBeGreaterThan(resumed.anomalies.at(-1)!.id);

		const frames: EngineFrame[] = [];
		second.engine.watch(resumed.series[0].id, 1000);
		await runFor(second.engine, clock, 2000, frames);
		const window = frames.flatMap((f) => f.series).find((s) => s.replace)!;
		// The watched window starts with the ticks from before the reload.
		expect(window.t[0]).toBeLessThan(T0 + 30_000);
		// Prices carry on from where they were instead of restarting at the seeded level.
		const firstNew = window.v[window.t.findIndex((t) => t > T0 + 30_000)];
		expect(Math.abs(firstNew / lastPrices[0] - 1)).toBeLessThan(0.02);
		await second.engine.dispose();
	});

	it('carries simulated time on from the newest stored tick when the wall clock went back', async () => {
		const clock = { now: T0 };
		const first = makeEngine('engine-clock', clock);
		const { series } = await first.engine.init({ simulator });
		await runFor(first.engine, clock, 10_000);
		await first.engine.dispose();
		const newest = (await first.store.readLast(series[0].id, 1)).t[0];

		// The system clock went back a minute: new ticks must still come after the stored ones.
		clock.now = T0 - 60_000;
		const second = makeEngine('engine-clock', clock);
		const { stats: start } = await second.engine.init({ simulator });
		expect(start.simulator!.time).toBeGreaterThan(newest);
		await runFor(second.engine, clock, 2000);
		const stats = second.engine.stats();
		expect(stats.rejected['out-of-order'] ?? 0).toBe(0);
		// 10 series × 10/s × 2 s.
		expect(stats.totalTicks - start.totalTicks).toBeGreaterThan(190);
		const { t } = await second.store.readLast(series[0].id, 40);
		for (let i = 1; i < t.length; i++) expect(t[i]).toBeGreaterThan(t[i - 1]);
		await second.engine.dispose();
	});

	it('when storage is full, removes the oldest history, says so, and loses no new ticks', async () => {
		const clock = { now: T0 };
		dbNames.push('engine-quota');
		let engine: Engine | null = null;
		const store = new HistoryStore(new TickscopeDb('engine-quota'), {
			onProblem: (problem) => engine?.onStorageProblem(problem),
			onRecovered: () => engine?.onStorageRecovered()
		});
		engine = new Engine({ store, now: () => clock.now, autoRun: false });
		const { series } = await engine.init({ simulator });
		await runFor(engine, clock, 60_000);
		const rowsBefore = await store.db.chunks.count();

		const bulkPut = store.db.chunks.bulkPut.bind(store.db.chunks);
		let full = true;
		store.db.chunks.bulkPut = ((...args: Parameters<typeof bulkPut>) => {
			if (!full) return bulkPut(...args);
			full = false;
			return Promise.reject(new DOMException('The quota has been exceeded.', 'QuotaExceededError'));
		}) as typeof bulkPut;
		await runFor(engine, clock, 3000);
		await new Promise((resolve) => setTimeout(resolve, 50));

		expect(engine.stats().problems.join(' ')).toMatch(/Storage was full: the oldest history/);
		expect(await store.db.chunks.count()).toBeLessThan(rowsBefore);
		// The batch refused while the disk was full was written on the next flush.
		await engine.flush();
		const { t } = await store.readLast(series[0].id, 40);
		const stored = await store.db.chunks.where('[seriesId+t0]').between([series[0].id, -Infinity], [series[0].id, Infinity]).toArray();
		const storedT = stored.flatMap((row) => Array.from(row.t));
		expect(storedT.slice(-40)).toEqual(Array.from(t));
		expect(storedT.at(-1)).toBeGreaterThan(T0 + 62_000);
		await engine.dispose();
	});
});

describe('Engine simulator controls', () => {
	it('switches scenario at once: new series go live, the old stop, and settings persist', async () => {
		const clock = { now: T0 };
		const { engine } = makeEngine('engine-switch', clock);
		const snapshot = await engine.init({ simulator });
		await runFor(engine, clock, 2000);
		const settings = await engine.setSimulator({ scenario: 'gait', count: 2, ticksPerSecond: 50 });
		expect(settings.scenario).toBe('gait');
		const frames = await runFor(engine, clock, 2000);
		const active = frames.find((f) => f.activeSeries)!.activeSeries!;
		const added = frames.flatMap((f) => f.seriesAdded);
		expect(added).toHaveLength(12);
		expect(added.every((s) => s.key.startsWith('sim/gait/'))).toBe(true);
		expect(active).toEqual(added.map((s) => s.id));
		// Only the sensors tick now: 12 × 50/s (the 10 market series would add 100/s more).
		const before = engine.stats().totalTicks;
		await runFor(engine, clock, 1000);
		expect(engine.stats().totalTicks - before).toBeGreaterThan(590);
		expect(engine.stats().totalTicks - before).toBeLessThan(610);
		await engine.dispose();

		const again = makeEngine('engine-switch', clock);
		const resumed = await again.engine.init({});
		expect(resumed.settings.simulator.scenario).toBe('gait');
		expect(resumed.activeSeries.map((id) => resumed.series.find((s) => s.id === id)!.key)).toEqual(added.map((s) => s.key));
		expect(resumed.series.length).toBe(snapshot.series.length + 12);
		await again.engine.dispose();
	});

	it('pauses, resumes, and runs simulated time at the chosen speed', async () => {
		const clock = { now: T0 };
		const { engine } = makeEngine('engine-speed', clock);
		await engine.init({ simulator });
		await runFor(engine, clock, 1000);
		await engine.setSimulator({ paused: true });
		const paused = engine.stats().totalTicks;
		await runFor(engine, clock, 3000);
		expect(engine.stats().totalTicks).toBe(paused);
		expect(engine.stats().simulator?.paused).toBe(true);

		await engine.setSimulator({ paused: false, speed: 60 });
		const simBefore = engine.stats().simulator!.time;
		await runFor(engine, clock, 1000);
		// One wall second is a simulated minute: 10 series × 10/s × 60 s of ticks.
		expect(engine.stats().simulator!.time - simBefore).toBeCloseTo(60_000, -2);
		expect(engine.stats().totalTicks - paused).toBeGreaterThan(5900);
		await engine.dispose();
	});
});

describe('engine API over Comlink', () => {
	it('answers through a real message channel and transfers frame arrays', async () => {
		const { port1, port2 } = new MessageChannel();
		Comlink.expose(createEngineApi(), port1 as unknown as Comlink.Endpoint);
		const api = Comlink.wrap<EngineApi>(port2 as unknown as Comlink.Endpoint);
		dbNames.push('engine-comlink');
		const snapshot = await api.init({ dbName: 'engine-comlink', simulator: { count: 3, ticksPerSecond: 100 } });
		expect(snapshot.series).toHaveLength(6);
		await api.watch(snapshot.series[0].id, 500);
		await new Promise((resolve) => setTimeout(resolve, 600));
		const frame = await api.pullFrame();
		expect(frame.series).toHaveLength(1);
		expect(frame.series[0].t).toBeInstanceOf(Float64Array);
		expect(frame.series[0].t.length).toBeGreaterThan(10);
		expect(frame.stats.totalTicks).toBeGreaterThan(30);
		await api.dispose();
		api[Comlink.releaseProxy]();
		port1.close();
		port2.close();
	});
});
