import * as Comlink from 'comlink';
import { TickscopeDb } from '../storage/db';
import { HistoryStore } from '../storage/history-store';
import { DEFAULT_SETTINGS, emptyStats, Engine } from './engine';
import { holdHistoryLock } from './history-lock';
import type { EngineApi, EngineFrame } from './types';

/** Builds the engine behind the Comlink surface: frames go out with their arrays transferred. */
export function createEngineApi(): EngineApi {
	let engine: Engine | null = null;
	let takenOver = false;
	/** Another tab opened the history with a newer schema: this engine wrote what it had and stopped. */
	let outdated = false;
	const ready = () => {
		if (!engine) throw new Error('engine not initialised: call init() first');
		return engine;
	};
	return {
		async init(options) {
			// A page starts one engine per worker; a take-over starts a fresh worker. Never flush a
			// previous engine here: it may have lost the history to another tab.
			engine?.halt();
			engine = null;
			const owner = await holdHistoryLock(options.takeOver ?? false, () => {
				takenOver = true;
				engine?.halt();
			});
			if (!owner) {
				return { owner: false, detectors: [], series: [], activeSeries: [], anomalies: [], stats: emptyStats(), settings: structuredClone(DEFAULT_SETTINGS) };
			}
			takenOver = false;
			let current: Engine | null = null;
			const store = new HistoryStore(new TickscopeDb(options.dbName), {
				onProblem: (problem) => current?.onStorageProblem(problem),
				onRecovered: () => current?.onStorageRecovered()
			});
			current = new Engine({ store, estimateBytes });
			engine = current;
			// A newer version of the app (in another tab) upgrades the database: write what is
			// buffered, stop, and let it go ahead; this tab then asks to be reloaded. (Returning
			// false keeps Dexie from closing before the last flush has started.)
			const stopping = current;
			store.db.on('versionchange', () => {
				outdated = true;
				void stopping.flush().finally(() => {
					stopping.halt();
					store.db.close();
				});
				return false;
			});
			return current.init(options);
		},
		watch: (seriesId, windowSize) => ready().watch(seriesId, windowSize),
		unwatch: (seriesId) => ready().unwatch(seriesId),
		pullFrame() {
			if (takenOver || outdated) {
				return { series: [], anomalies: [], seriesAdded: [], stats: ready().stats(), stopped: outdated ? 'outdated' : 'taken-over' };
			}
			const frame = ready().pullFrame();
			return Comlink.transfer(frame, transferables(frame));
		},
		setRetention: (retentionMs) => ready().setRetention(retentionMs),
		setSimulator: (patch) => ready().setSimulator(patch),
		setDetection: (patch) => ready().setDetection(patch),
		connectFeed: (url, subscribe, mqtt) => ready().connectFeed(url, subscribe, mqtt),
		setFeedMapping: (id, mapping) => ready().setFeedMapping(id, mapping),
		removeFeed: (id) => ready().removeFeed(id),
		flush: () => ready().flush(),
		async readView(seriesId, from, to, points) {
			const view = await ready().readView(seriesId, from, to, points);
			return Comlink.transfer(view, buffersOf(view.t, view.v));
		},
		adjacentAnomaly: (seriesId, t, direction) => ready().adjacentAnomaly(seriesId, t, direction),
		exportSeries: (seriesId, from, to, format) => ready().exportSeries(seriesId, from, to, format),
		exportAnomalies: (format, seriesId, from, to) => ready().exportAnomalies(format, seriesId, from, to),
		seriesMeta: (seriesId) => ready().store.seriesMeta(seriesId),
		async readRange(seriesId, from, to, limit) {
			const ticks = await ready().store.readRange(seriesId, from, to, limit);
			return Comlink.transfer(ticks, buffersOf(ticks.t, ticks.v));
		},
		async readSince(seriesId, since, limit) {
			const ticks = await ready().store.readSince(seriesId, since, limit);
			return Comlink.transfer(ticks, buffersOf(ticks.t, ticks.v));
		},
		async anomaliesInRange(seriesId, from, to) {
			const { store } = ready();
			const [anomalies, truths] = await Promise.all([store.anomaliesInRange(seriesId, from, to), store.truthsInRange(seriesId, from, to)]);
			return { anomalies, truths };
		},
		storageInfo: () => ready().storageInfo(),
		setSizeCap: (bytes) => ready().setSizeCap(bytes),
		importCsv: (file, options) => ready().importCsv(file, options),
		rerunDetection: (seriesId, from, to) => ready().rerunDetection(seriesId, from, to),
		deriveSeries: (sourceId, resolution, stat) => ready().deriveSeries(sourceId, resolution, stat),
		saveView: (name, view) => ready().saveView(name, view),
		listViews: () => ready().listViews(),
		deleteView: (id) => ready().deleteView(id),
		async readCandles(seriesId, resolution, from, to) {
			const data = await ready().readCandles(seriesId, resolution, from, to);
			const buffers = Object.values(data.candles).map((column: Float64Array) => column.buffer);
			if (data.live) buffers.push(data.live.buffer);
			return Comlink.transfer(data, [...new Set(buffers)]);
		},
		async dispose() {
			await engine?.dispose();
			engine = null;
		}
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
