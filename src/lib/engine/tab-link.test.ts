import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { TickscopeDb } from '../storage/db';
import { HistoryStore, type StorageProblem } from '../storage/history-store';
import { Engine, STEP_MS } from './engine';
import { Mirror } from './mirror';
import { LeaderLink, linkChannelName } from './tab-link';
import type { EngineFrame } from './types';

const T0 = Date.UTC(2026, 10, 25, 12);
let cleanup: (() => Promise<void> | void)[] = [];

afterEach(async () => {
	for (const done of cleanup.reverse()) await done();
	cleanup = [];
});

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function engineOn(name: string, clock: { now: number }, onProblem?: (p: StorageProblem) => void) {
	const store = new HistoryStore(new TickscopeDb(name), { onProblem: (p) => (onProblem ? onProblem(p) : engine.onStorageProblem(p)) });
	const engine: Engine = new Engine({ store, now: () => clock.now, autoRun: false });
	return { engine, store };
}

describe('several tabs of one history', () => {
	it('a mirror shows exactly the ticks the recording engine accepts, with flags and settings', async () => {
		const name = 'tabs-mirror';
		cleanup.push(() => new TickscopeDb(name).delete());
		const clock = { now: T0 };
		const { engine } = engineOn(name, clock);
		const snapshot = await engine.init({ simulator: { scenario: 'markets', seed: 3, count: 3, ticksPerSecond: 20, anomalyRates: { spike: 3000 } } });
		const link = new LeaderLink(engine, linkChannelName(name), 'leader', {
			window: async (id: number, size: number) => ({ ...(await engine.store.readLast(id, size)), anomalies: [] }),
			snapshot: async () => engine.snapshot([]),
			setDetection: (patch: Parameters<Engine['setDetection']>[0]) => engine.setDetection(patch)
		});
		cleanup.push(() => link.close());

		const mirror = new Mirror(new HistoryStore(new TickscopeDb(name)), linkChannelName(name), 'mirror');
		cleanup.push(() => mirror.close());
		const mirrored = await mirror.init();
		expect(mirrored.role).toBe('mirror');
		expect(mirrored.activeSeries).toEqual(snapshot.activeSeries);

		const id = snapshot.activeSeries[0];
		engine.watch(id, 100_000);
		// Some ticks before the mirror watches: its first window comes from the recording tab.
		for (let i = 0; i < 50; i++) {
			clock.now += STEP_MS;
			engine.step();
		}
		mirror.watch(id, 100_000);
		const own: EngineFrame[] = [];
		const seen: EngineFrame[] = [];
		for (let round = 0; round < 30; round++) {
			for (let i = 0; i < 20; i++) {
				clock.now += STEP_MS;
				engine.step();
			}
			own.push(engine.pullFrame());
			await wait(25);
			seen.push(mirror.pullFrame());
		}
		await wait(250);
		seen.push(mirror.pullFrame());

		const ticks = (frames: EngineFrame[]) => {
			let t: number[] = [];
			let v: number[] = [];
			for (const f of frames)
				for (const s of f.series) {
					if (s.id !== id) continue;
					if (s.replace) {
						t = [];
						v = [];
					}
					t.push(...s.t);
					v.push(...s.v);
				}
			return { t, v };
		};
		const a = ticks(own);
		const b = ticks(seen);
		expect(a.t.length).toBeGreaterThan(100);
		// Same ticks, none twice, none missing, in order.
		expect(b.t).toEqual(a.t);
		expect(b.v).toEqual(a.v);
		const flagsOwn = own.flatMap((f) => f.anomalies.map((x) => x.id));
		const flagsSeen = seen.flatMap((f) => f.anomalies.map((x) => x.id));
		expect(flagsOwn.length).toBeGreaterThan(0);
		expect(flagsSeen).toEqual(flagsOwn);
		expect(seen.at(-1)!.stats.totalTicks).toBe(engine.stats().totalTicks);

		// A change made from the mirror is made by the recording engine and comes back as settings.
		await mirror.link.call('setDetection', [{ sensitivity: 0.9 }]);
		expect(engine.currentSettings().settings.detection.sensitivity).toBe(0.9);
		await wait(250);
		const withSettings = [mirror.pullFrame(), mirror.pullFrame()].find((f) => f.settings);
		expect(withSettings?.settings?.detection.sensitivity).toBe(0.9);
	});

	it('a store that lost the writer role writes nothing, while the new writer writes', async () => {
		const name = 'tabs-fence';
		cleanup.push(() => new TickscopeDb(name).delete());
		const problems: string[] = [];
		const old = new HistoryStore(new TickscopeDb(name), { onProblem: (p) => problems.push(p.kind) });
		await old.claimWriter();
		await old.open();
		old.putSeries({ id: 1, key: 'a', label: 'a', source: 'simulator', unit: '', kind: 'price' });
		for (let i = 0; i < 100; i++) old.append(1, T0 + i, i);
		await old.flush();
		expect(old.persistedTicks).toBe(100);

		// Another tab becomes the writer; the old one (frozen meanwhile) thaws with ticks buffered.
		const next = new HistoryStore(new TickscopeDb(name));
		await next.claimWriter();
		const { series } = await next.open();
		expect(series[0].lastT).toBe(T0 + 99);
		for (let i = 100; i < 150; i++) old.append(1, T0 + i, -i);
		await old.flush();
		expect(problems).toEqual(['fenced']);
		expect(old.persistedTicks).toBe(100);
		for (let i = 100; i < 130; i++) next.append(1, T0 + i, i);
		await next.flush();
		// A later flush of the old store stays a no-op.
		old.append(1, T0 + 500, 1);
		await old.flush();

		const stored = await next.readRange(1, -Infinity, Infinity);
		expect(stored.t.length).toBe(130);
		expect([...stored.v.slice(100)]).toEqual(Array.from({ length: 30 }, (_, i) => 100 + i));
		for (let i = 1; i < stored.t.length; i++) expect(stored.t[i]).toBeGreaterThan(stored.t[i - 1]);
		old.stop();
		old.db.close();
		next.db.close();
	});

	it('an engine that is fenced halts and says so, without writing what it buffered', async () => {
		const name = 'tabs-fence-engine';
		cleanup.push(() => new TickscopeDb(name).delete());
		const clock = { now: T0 };
		let fenced = 0;
		const store = new HistoryStore(new TickscopeDb(name), { onProblem: (p) => engine.onStorageProblem(p) });
		const engine: Engine = new Engine({ store, now: () => clock.now, autoRun: false, onFenced: () => fenced++ });
		await engine.init({ simulator: { scenario: 'markets', seed: 1, count: 2, ticksPerSecond: 50 } });
		for (let i = 0; i < 100; i++) {
			clock.now += STEP_MS;
			engine.step();
		}
		await engine.flush();
		const before = store.persistedTicks;
		expect(before).toBeGreaterThan(0);
		await new HistoryStore(new TickscopeDb(name)).claimWriter();
		for (let i = 0; i < 100; i++) {
			clock.now += STEP_MS;
			engine.step();
		}
		await engine.flush();
		expect(fenced).toBe(1);
		expect(store.persistedTicks).toBe(before);
		const check = new HistoryStore(new TickscopeDb(name));
		const { counters } = await check.open();
		expect(counters).toBeDefined();
		let stored = 0;
		for (const s of (await check.open()).series) stored += (await check.seriesMeta(s.info.id)).count;
		expect(stored).toBe(before);
		store.db.close();
		check.db.close();
	});
});
