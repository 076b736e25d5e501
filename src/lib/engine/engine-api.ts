import * as Comlink from 'comlink';
import { TickscopeDb } from '../storage/db';
import { HistoryStore } from '../storage/history-store';
import { emptyStats, Engine, readView } from './engine';
import { HistoryLock } from './history-lock';
import { Mirror } from './mirror';
import { LeaderLink, linkChannelName, type Handler } from './tab-link';
import type { EngineApi, EngineFrame, EngineInitOptions, EngineSnapshot, EngineStats, TabRole } from './types';

/**
 * How long a starting tab waits for the history lock before it mirrors the tab that has it. A
 * reload's old worker can still hold it for a moment while the new page starts.
 */
const LOCK_WAIT_MS = 1000;
/** A recording tab silent this long is frozen (a closed one releases its lock at once): take over. */
export const SILENT_LEADER_MS = 3000;
const SNAPSHOT_ANOMALIES = 200;
const WATCH_ANOMALIES = 500;

/**
 * The engine worker's surface. Exactly one tab of a history records it (the Web Lock holder): it
 * runs the sources and writes. Every other tab mirrors that one: live ticks over a
 * BroadcastChannel, history from IndexedDB, changes made by the recording tab on its behalf. The
 * roles switch in place, without the page noticing more than `frame.role`: when the recording tab
 * closes, the next tab in the lock's queue records; when it falls silent (frozen), a mirror steals
 * the lock; a writer epoch in IndexedDB keeps a thawed former recorder from writing anything.
 */
export function createEngineApi(): EngineApi {
	const tabId = crypto.randomUUID();
	let options: EngineInitOptions = {};
	let phase: 'idle' | 'starting' | TabRole | 'outdated' = 'idle';
	let engine: Engine | null = null;
	let handlers: Record<string, Handler> | null = null;
	let link: LeaderLink | null = null;
	let mirror: Mirror | null = null;
	/** Watched series and window sizes, carried over when the role changes. */
	const watched = new Map<number, number>();
	let lastStats: EngineStats = emptyStats();
	/** Role changes run one after another. */
	let switching: Promise<unknown> = Promise.resolve();
	let grantWaiter: ((granted: boolean) => void) | null = null;
	/** After a role switch: what the next frame hands the page whole. */
	let restart: EngineFrame['restart'] | null = null;
	let silentTimer: ReturnType<typeof setInterval> | null = null;

	const lock = new HistoryLock({
		acquired() {
			if (grantWaiter) grantWaiter(true);
			else if (phase === 'mirror') switchTo('leader');
		},
		lost() {
			if (phase === 'leader') switchTo('mirror');
			// Already mirroring (fenced first): back into the queue.
			else lock.queue();
		}
	});

	function switchTo(role: TabRole): void {
		switching = switching.then(async () => {
			if (phase === role || phase === 'outdated') return;
			try {
				if (role === 'leader') await promote();
				else await demote();
			} catch (error) {
				// A failed switch must not stop later ones (a rejected chain skips every next step):
				// mirror, and wait in the lock's queue again.
				console.error('tickscope: switching tab role failed', error);
				engine?.halt();
				engine = null;
				link?.close();
				link = null;
				lock.dispose();
				if (!mirror) await startMirror().catch(() => {});
				phase = 'mirror';
				lock.queue();
			}
		});
	}

	async function startLeader(): Promise<EngineSnapshot> {
		const store = new HistoryStore(new TickscopeDb(options.dbName), {
			onProblem: (problem) => current.onStorageProblem(problem),
			onRecovered: () => current.onStorageRecovered()
		});
		const current: Engine = new Engine({
			store,
			estimateBytes,
			// Another tab claimed the history while this one still thought it recorded.
			onFenced: () => switchTo('mirror')
		});
		engine = current;
		// A newer version of the app (in another tab) upgrades the database: stop, write what is
		// buffered, and let it go ahead; this tab then asks to be reloaded. (Returning false
		// keeps Dexie from closing before the last flush has started.)
		store.db.on('versionchange', () => {
			// Stop making ticks first, then write every one counted: a tick made between the write
			// and the stop would be counted on the page and never stored. Only then tell the page,
			// which ends this worker when it hears (ending it mid-write lost the last batch).
			link?.close();
			link = null;
			current.halt();
			void current.flush().finally(() => {
				store.db.close();
				stopOutdated();
			});
			return false;
		});
		const snapshot = await current.init(options);
		handlers = leaderHandlers(current);
		link = new LeaderLink(current, linkChannelName(options.dbName), tabId, handlers);
		return snapshot;
	}

	async function startMirror(): Promise<EngineSnapshot> {
		const store = new HistoryStore(new TickscopeDb(options.dbName));
		const current = new Mirror(store, linkChannelName(options.dbName), tabId);
		mirror = current;
		store.db.on('versionchange', () => {
			stopOutdated();
			current.close();
			return false;
		});
		const snapshot = await current.init();
		lastStats = snapshot.stats;
		silentTimer ??= setInterval(() => {
			// A closed recording tab releases the lock and the queue hands it on; a frozen one keeps it.
			if (phase === 'mirror' && mirror && !lock.held && Date.now() - mirror.link.heardAt > SILENT_LEADER_MS) void lock.stealOnce();
		}, 500);
		return snapshot;
	}

	async function promote(): Promise<void> {
		phase = 'starting';
		mirror?.close();
		mirror = null;
		const e = await startLeader();
		lastStats = e.stats;
		restart = { series: e.series, activeSeries: e.activeSeries, settings: e.settings };
		for (const [id, size] of watched) engine?.watch(id, size);
		phase = 'leader';
	}

	async function demote(): Promise<void> {
		phase = 'starting';
		link?.close();
		link = null;
		handlers = null;
		// Nothing buffered is written: the new recorder goes on from what is stored.
		engine?.halt();
		engine?.store.db.close();
		engine = null;
		const snapshot = await startMirror();
		restart = { series: snapshot.series, activeSeries: snapshot.activeSeries, settings: snapshot.settings };
		for (const [id, size] of watched) mirror?.watch(id, size);
		phase = 'mirror';
		lock.queue();
	}

	function stopOutdated(): void {
		phase = 'outdated';
		link?.close();
		link = null;
	}

	/** A change the recording tab makes: here, or asked of it from a mirror. */
	function act<T>(method: string, ...args: unknown[]): Promise<T> {
		if (phase === 'leader' && handlers) return Promise.resolve((handlers[method] as (...a: unknown[]) => T)(...args));
		if (mirror) return mirror.link.call<T>(method, args);
		return Promise.reject(new Error('The engine is switching tabs; try again in a moment.'));
	}

	function store(): HistoryStore {
		const s = engine?.store ?? mirror?.store;
		if (!s) throw new Error('engine not initialised: call init() first');
		return s;
	}

	return {
		async init(initOptions) {
			if (phase !== 'idle') throw new Error('init() runs once per worker');
			options = initOptions;
			phase = 'starting';
			const granted = new Promise<boolean>((resolve) => {
				grantWaiter = resolve;
				setTimeout(() => resolve(false), LOCK_WAIT_MS);
			});
			lock.queue();
			const leader = lock.held || (await granted);
			grantWaiter = null;
			if (leader) {
				const snapshot = await startLeader();
				phase = 'leader';
				if (options.watchFirst !== undefined && snapshot.activeSeries.length > 0) watched.set(snapshot.activeSeries[0], options.watchFirst);
				return snapshot;
			}
			const snapshot = await startMirror();
			phase = 'mirror';
			// Granted between the wait and now.
			if (lock.held) switchTo('leader');
			if (options.watchFirst !== undefined && snapshot.activeSeries.length > 0) {
				watched.set(snapshot.activeSeries[0], options.watchFirst);
				mirror?.watch(snapshot.activeSeries[0], options.watchFirst);
			}
			return snapshot;
		},
		async handOver() {
			if (phase !== 'leader' || !engine) return;
			const current = engine;
			// Stop making ticks, write what is buffered, then let the next tab in line record.
			current.halt();
			await current.flush();
			lock.dispose();
			await new Promise<void>((resolve) => {
				switchTo('mirror');
				void switching.then(() => resolve());
			});
		},
		async takeOver() {
			if (phase === 'outdated') return;
			lock.steal();
			const started = Date.now();
			while (phase !== 'leader' && Date.now() - started < 15_000) await new Promise((r) => setTimeout(r, 50));
			await switching;
		},
		watch(seriesId, windowSize) {
			watched.set(seriesId, windowSize);
			if (phase === 'leader') engine?.watch(seriesId, windowSize);
			else mirror?.watch(seriesId, windowSize);
		},
		unwatch(seriesId) {
			watched.delete(seriesId);
			engine?.unwatch(seriesId);
			mirror?.unwatch(seriesId);
		},
		pullFrame() {
			if (phase === 'outdated') {
				return { series: [], anomalies: [], seriesAdded: [], stats: lastStats, role: 'mirror', stopped: 'outdated' };
			}
			const frame: EngineFrame | null = phase === 'leader' && engine ? engine.pullFrame() : phase === 'mirror' && mirror ? mirror.pullFrame() : null;
			if (!frame) return { series: [], anomalies: [], seriesAdded: [], stats: lastStats, role: 'mirror' };
			lastStats = frame.stats;
			if (restart) {
				frame.restart = restart;
				restart = null;
			}
			return Comlink.transfer(frame, transferables(frame));
		},
		setRetention: (retentionMs) => act('setRetention', retentionMs),
		setSimulator: (patch) => act('setSimulator', patch),
		setDetection: (patch) => act('setDetection', patch),
		connectFeed: (url, subscribe, mqtt) => act('connectFeed', url, subscribe, mqtt),
		setFeedMapping: (id, mapping) => act('setFeedMapping', id, mapping),
		removeFeed: (id) => act('removeFeed', id),
		flush: () => (phase === 'leader' && engine ? engine.flush() : Promise.resolve()),
		async readView(seriesId, from, to, points) {
			const view = await readView(store(), seriesId, from, to, points);
			return Comlink.transfer(view, buffersOf(view.t, view.v));
		},
		adjacentAnomaly: (seriesId, t, direction) => store().adjacentAnomaly(seriesId, t, direction),
		exportSeries: (seriesId, from, to, format) => act('exportSeries', seriesId, from, to, format),
		exportAnomalies: (format, seriesId, from, to) => act('exportAnomalies', format, seriesId, from, to),
		seriesMeta: (seriesId) => store().seriesMeta(seriesId),
		async readRange(seriesId, from, to, limit) {
			const ticks = await store().readRange(seriesId, from, to, limit);
			return Comlink.transfer(ticks, buffersOf(ticks.t, ticks.v));
		},
		async readSince(seriesId, since, limit) {
			const ticks = await store().readSince(seriesId, since, limit);
			return Comlink.transfer(ticks, buffersOf(ticks.t, ticks.v));
		},
		async anomaliesInRange(seriesId, from, to) {
			const s = store();
			const [anomalies, truths] = await Promise.all([s.anomaliesInRange(seriesId, from, to), s.truthsInRange(seriesId, from, to)]);
			return { anomalies, truths };
		},
		storageInfo: () => act('storageInfo'),
		setSizeCap: (bytes) => act('setSizeCap', bytes),
		importCsv: (file, importOptions) => act('importCsv', file, importOptions),
		rerunDetection: (seriesId, from, to) => act('rerunDetection', seriesId, from, to),
		deriveSeries: (sourceId, resolution, stat) => act('deriveSeries', sourceId, resolution, stat),
		saveView: (name, view) => act('saveView', name, view),
		listViews: () => store().listViews(),
		loadWorkspace: () => store().loadWorkspace(),
		saveWorkspace: (workspace) => act('saveWorkspace', workspace),
		workspaceParts: () => act('workspaceParts'),
		deleteView: (id) => act('deleteView', id),
		async readCandles(seriesId, resolution, from, to) {
			const data = await act<Awaited<ReturnType<Engine['readCandles']>>>('readCandles', seriesId, resolution, from, to);
			const buffers = Object.values(data.candles).map((column: Float64Array) => column.buffer);
			if (data.live) buffers.push(data.live.buffer);
			return Comlink.transfer(data, [...new Set(buffers)]);
		},
		async dispose() {
			if (silentTimer) clearInterval(silentTimer);
			link?.close();
			mirror?.close();
			await engine?.dispose();
			engine = null;
			lock.dispose();
		}
	};
}

/** What the recording tab does, for its own page and for mirroring tabs alike. */
function leaderHandlers(engine: Engine): Record<string, Handler> {
	return {
		snapshot: async () => engine.snapshot(await engine.recentAnomalies(SNAPSHOT_ANOMALIES)),
		/** A mirror's first window of a series: memory and storage, as the engine's own watch reads it. */
		window: async (seriesId: number, size: number) => {
			const [{ t, v }, anomalies] = await Promise.all([engine.store.readLast(seriesId, size), engine.store.recentAnomaliesOf(seriesId, WATCH_ANOMALIES)]);
			return { t, v, anomalies };
		},
		setRetention: (ms: number) => engine.setRetention(ms),
		setSimulator: (patch: Parameters<Engine['setSimulator']>[0]) => engine.setSimulator(patch),
		setDetection: (patch: Parameters<Engine['setDetection']>[0]) => engine.setDetection(patch),
		connectFeed: (...a: Parameters<Engine['connectFeed']>) => engine.connectFeed(...a),
		setFeedMapping: (...a: Parameters<Engine['setFeedMapping']>) => engine.setFeedMapping(...a),
		removeFeed: (id: string) => engine.removeFeed(id),
		exportSeries: (...a: Parameters<Engine['exportSeries']>) => engine.exportSeries(...a),
		exportAnomalies: (...a: Parameters<Engine['exportAnomalies']>) => engine.exportAnomalies(...a),
		storageInfo: () => engine.storageInfo(),
		setSizeCap: (bytes: number) => engine.setSizeCap(bytes),
		importCsv: (...a: Parameters<Engine['importCsv']>) => engine.importCsv(...a),
		rerunDetection: (...a: Parameters<Engine['rerunDetection']>) => engine.rerunDetection(...a),
		deriveSeries: (...a: Parameters<Engine['deriveSeries']>) => engine.deriveSeries(...a),
		saveView: (name: string, view: unknown) => engine.saveView(name, view),
		deleteView: (id: number) => engine.deleteView(id),
		saveWorkspace: (workspace: unknown) => engine.store.saveWorkspace(workspace),
		workspaceParts: () => engine.workspaceParts(),
		readCandles: (...a: Parameters<Engine['readCandles']>) => engine.readCandles(...a)
	};
}

/** Each distinct buffer once (a transfer list naming one twice is refused). */
function buffersOf(...arrays: Float64Array[]): Transferable[] {
	return [...new Set(arrays.map((a) => a.buffer as ArrayBuffer))];
}

function transferables(frame: EngineFrame): Transferable[] {
	const list: Transferable[] = [];
	for (const s of frame.series) list.push(s.t.buffer, s.v.buffer, s.lo.buffer, s.hi.buffer);
	return list;
}

async function estimateBytes(): Promise<number | null> {
	const storage = (globalThis.navigator as Navigator | undefined)?.storage;
	if (!storage?.estimate) return null;
	const { usage } = await storage.estimate();
	return usage ?? null;
}
