import type { Anomaly, Truth } from '../domain/anomaly';
import type { SeriesInfo } from '../domain/series';
import { TickBatch } from '../domain/tick-batch';
import type { Detector } from '../detectors/detector';
import { choiceFor, defaultDetection, normalizeDetection, type DetectionSettings } from '../detectors/detection-settings';
import { DETECTORS, detectorFactory } from '../detectors/registry';
import {
	defaultSimulatorSettings,
	normalizeSimulatorSettings,
	type SimulatorSettings
} from '../sources/simulator/settings';
import { SimulatorSource } from '../sources/simulator/simulator-source';
import { DEFAULT_SIZE_CAP_BYTES, type HistoryStore, type StorageProblem } from '../storage/history-store';
import type { FeedMapping } from '../sources/parsers/mapping';
import type { FeedStatus, MqttSettings } from './feed';
import type { FeedHub } from './feed-hub';
import { feedSeriesKind } from './feed-kind';
import { Scoreboard } from './scoreboard';
import type {
	EngineFrame,
	EngineInitOptions,
	EngineSettings,
	EngineSnapshot,
	EngineStats,
	Diagnostics,
	ExportFile,
	ExportFormat,
	ImportSummary,
	RerunResult,
	StorageInfo,
	SeriesFrame,
	ViewData
} from './types';
import { WatchBuffer } from './watch-buffer';
import type { LiveTap } from './live-tap';
import { withoutSecrets, type Workspace } from '../workspace/workspace';
import { derivedInfo, derivedKey, derivedValue, MAX_DERIVED, normalizeDerived, type DerivedSpec, type DerivedStat } from './derived';
// Import, export and re-run code loads on first use (dynamic import): the first screen does not pay for it.
import type { ImportRun } from './import-run';
import type { ReplaySpeed } from '../io/replay';
import { Aggregator, WINDOW_FIELDS } from '../aggregate/aggregator';
import { CandleBuffer } from '../aggregate/candle-buffer';
import { emptyCandles, RESOLUTIONS, type Candles, type Resolution } from '../domain/candles';

/** How often the engine advances sources and runs detectors: ~100 batches a second. */
export const STEP_MS = 10;
/** Tick rate is measured over this span. */
const RATE_WINDOW_MS = 1000;
/** Ticks a re-run of the detectors reads at most (the oldest of the range). */
const RERUN_MAX_TICKS = 2_000_000;
/** Ticks a re-run feeds a fresh detector before its flags count. */
const WARM_UP_TICKS = 256;
/** Flags an anomaly-log export carries at most (newest kept). */
const EXPORT_ANOMALIES_MAX = 1_000_000;
/** A window is closed for a silent series this long after its end: feed ticks arrive late by up to this. */
const WINDOW_GRACE_MS = 2000;
/** Closed aggregate windows are handed to the store this often. */
const WINDOW_HANDOVER_MS = 500;
/** Retention runs in the background this often. */
const RETENTION_INTERVAL_MS = 30_000;
/** Ticks fed to each detector from history at start, so it does not begin cold after a reload. */
const PRIME_TICKS = 256;
/** Anomalies a frame carries at most; a flood beyond that is in the log's counts and in storage. */
const MAX_FRAME_ANOMALIES = 500;
/** Flags of a watched series sent with its window at most (the chart marks them). */
const WATCH_ANOMALIES = 2000;
/** How many recent anomalies the page gets at start. */
const SNAPSHOT_ANOMALIES = 200;

/** Injections wait this many ticks per series: detectors warm up in 50. */
const SIM_WARMUP_TICKS = 60;

export const DEFAULT_SETTINGS: EngineSettings = {
	retentionMs: 60 * 60 * 1000,
	simulator: defaultSimulatorSettings(),
	detection: defaultDetection(),
	derived: [],
	sizeCapBytes: DEFAULT_SIZE_CAP_BYTES
};

const isDetector = (name: string) => DETECTORS.some((factory) => factory.name === name);

/** Counters of an engine that has not run. */
export function emptyStats(): EngineStats {
	return {
		ticksPerSecond: 0,
		totalTicks: 0,
		seriesCount: 0,
		historyBytes: null,
		hits: 0,
		falseAlarms: 0,
		missed: 0,
		caught: 0,
		injected: 0,
		medianDelayMs: null,
		rejected: {},
		problems: [],
		feeds: [],
		imports: [],
		diagnostics: { received: 0, decoded: 0, persisted: 0, pending: 0, dropped: 0, rejected: 0, rejectedByReason: {}, duplicates: 0, reconnects: 0, staleEvents: 0 },
		simulator: null
	};
}

export interface EngineOptions {
	store: HistoryStore;
	/** Wall clock, epoch ms; replaced in tests. */
	now?: () => number;
	/** Runs the step loop and background jobs; tests pass false and call `step` themselves. */
	autoRun?: boolean;
	/** Origin storage usage, where the platform reports it. */
	estimateBytes?: () => Promise<number | null>;
	/** Another tab became the history's writer: this engine halted without writing what it had. */
	onFenced?: () => void;
}

/**
 * Composition of the live pipeline, free of DOM and Comlink: source → detectors → truth
 * matching → history writer, and per-frame batches for the page. Runs in the engine worker,
 * and in Node under tests.
 */
export class Engine {
	/** The history: read directly by the Comlink surface for plain queries. */
	readonly store: HistoryStore;
	private readonly now: () => number;
	private readonly autoRun: boolean;
	private readonly estimateBytes: () => Promise<number | null>;
	private settings: EngineSettings = structuredClone(DEFAULT_SETTINGS);
	private readonly series: SeriesInfo[] = [];
	private readonly byKey = new Map<string, SeriesInfo>();
	private seriesAdded: SeriesInfo[] = [];
	private nextSeriesId = 1;
	/** Indexed by series id: the hot path's per-series state. */
	private detectors: Detector[] = [];
	private lastT = new Float64Array(0);
	/** Last value per series id: where a rebuilt scenario carries on from. */
	private lastV = new Float64Array(0);
	private watches: (WatchBuffer | undefined)[] = [];
	/** 1 where the series' source knows its anomalies (simulator, labelled feeds). */
	private labelled = new Uint8Array(0);
	/** Loaded with the first feed (decoding, mapping detection, presets): none on a first screen. */
	private feeds: FeedHub | null = null;
	private feedsLoading: Promise<FeedHub> | null = null;
	/** Series that feeds produce now. */
	private readonly feedSeries = new Set<number>();
	/** Per feed: its own series names → series, for the per-tick lookup. */
	private readonly feedKeys = new Map<string, Map<string, SeriesInfo>>();
	private source: SimulatorSource | null = null;
	/** Simulator's local series index → series id. */
	private simIds = new Int32Array(0);
	/** Set when the sources' series changed; the next frame says which are live. */
	private activeChanged = false;
	private readonly batch = new TickBatch(4096);
	private readonly newTruths: Truth[] = [];
	private readonly scoreboard = new Scoreboard();
	private frameAnomalies: Anomaly[] = [];
	private nextAnomalyId = 1;
	private readonly rejected: Record<string, number> = {};
	/** Ticks handed to the pipeline by every source since this engine started (accounting). */
	private offered = 0;
	private readonly problems = new Map<StorageProblem['kind'] | 'read-failed', string>();
	private historyBytes: number | null = null;
	private rate = { ticks: 0, since: 0, perSecond: 0, simSince: 0, speed: 0 };
	private timers: ReturnType<typeof setInterval>[] = [];
	/** Closed windows not yet handed to the store, by seriesId · RESOLUTIONS.length + resolution. */
	private readonly closedWindows = new Map<number, CandleBuffer>();
	/** Tumbling windows (1 s … 1 h) of every series, updated per tick in O(1) without allocation. */
	private readonly aggregator = new Aggregator({
		closed: (slot, resolution, t, open, high, low, close, count, sum, volume) => {
			const key = slot * RESOLUTIONS.length + resolution;
			let buffer = this.closedWindows.get(key);
			if (!buffer) this.closedWindows.set(key, (buffer = new CandleBuffer()));
			buffer.push(t, open, high, low, close, count, sum, volume);
		}
	});
	/** Derived series by the (source series · RESOLUTIONS.length + resolution) whose windows feed them. */
	private readonly derivedBy = new Map<number, { id: number; stat: DerivedStat }[]>();
	private readonly derivedIds = new Set<number>();
	/** Imported files replaying through the pipeline (finished ones stay listed). */
	private readonly imports: ImportRun[] = [];
	private readonly importIds = new Set<number>();
	/** For a volume series, the id of its price series (same key up to the last `/`), else -1. */
	private priceOf = new Int32Array(0);
	/** Series ids by key prefix and kind, to pair a price with its volume whichever comes first. */
	private readonly pairs = new Map<string, { price?: number; volume?: number }>();
	/** Set by halt(): nothing may start running afterwards. */
	private halted = false;
	private readonly onFenced: () => void;
	/** Copies of accepted ticks, flags and new series for tabs that mirror this one (null: none do). */
	private tap: LiveTap | null = null;
	/** Raised whenever settings change, so frames (and mirroring tabs) carry the new ones. */
	private settingsVersion = 0;
	private settingsSent = 0;

	constructor(options: EngineOptions) {
		this.store = options.store;
		this.now = options.now ?? Date.now;
		this.autoRun = options.autoRun ?? true;
		this.estimateBytes = options.estimateBytes ?? (async () => null);
		this.onFenced = options.onFenced ?? (() => {});
	}

	/** Loads history, resumes the simulator where it left off and starts the loop. */
	async init(options: EngineInitOptions = {}): Promise<EngineSnapshot> {
		// First become the only writer (a tab that had the role can write nothing from now on),
		// then read where the history ends: whatever it wrote before is in what is read.
		await this.store.claimWriter();
		const { series: heads, counters, settings } = await this.store.open();
		if (settings) this.settings.retentionMs = settings.retentionMs;
		// Defaults, then what was stored, then what the address asks for.
		this.settings.simulator = normalizeSimulatorSettings({
			...(settings?.simulator as Partial<SimulatorSettings> | undefined),
			...options.simulator
		});
		this.settings.detection = normalizeDetection(settings?.detection, isDetector);
		this.settings.derived = normalizeDerived(settings?.derived);
		this.settings.sizeCapBytes = clampSizeCap(settings?.sizeCapBytes);
		this.store.setSizeCap(this.settings.sizeCapBytes);
		const ids = await this.store.maxIds();
		this.nextAnomalyId = ids.anomaly + 1;
		this.scoreboard.restore(counters, ids.truth, await this.store.openTruths());

		for (const head of heads) {
			this.register(head.info, false);
			if (head.lastT !== undefined) this.lastT[head.info.id] = head.lastT;
			if (head.lastV !== undefined) this.lastV[head.info.id] = head.lastV;
		}
		this.startSimulator(this.settings.simulator);
		// Derived series whose source is in the history (a feed's may come back only when it does).
		for (const spec of this.settings.derived) this.startDerived(spec);
		const anomalies = await this.store.recentAnomalies(SNAPSHOT_ANOMALIES);
		this.rate.since = this.now();
		// The snapshot lists every series; frames only announce ones that appear later.
		this.seriesAdded = [];
		this.activeChanged = false;
		const first = this.simIds[0];
		if (options.watchFirst !== undefined && first !== undefined) this.watch(first, options.watchFirst);
		if (this.autoRun) {
			// The page gets its snapshot (and its chart the stored ticks) while each detector is
			// fed its series' recent history; live ticks start once they all have been (the
			// simulator then catches up on the time that passed).
			void this.primeDetectors().then(() => {
				this.run();
				// Feeds connected in an earlier session come back on their own.
				if (!this.halted) void this.restoreFeeds();
			});
		} else {
			await this.primeDetectors();
		}
		this.settingsSent = this.settingsVersion;
		return this.snapshot(anomalies);
	}

	/** What a page needs to start showing this engine: series, settings, stats and `anomalies`. */
	snapshot(anomalies: Anomaly[]): EngineSnapshot {
		return {
			role: 'leader',
			detectors: DETECTORS.map(({ name, title, description }) => ({ name, title, description })),
			series: [...this.series],
			activeSeries: this.activeIds(),
			anomalies,
			stats: this.stats(),
			settings: structuredClone(this.settings)
		};
	}

	/** The newest flags of every series, newest first (for a mirroring tab's first screen). */
	recentAnomalies(limit: number): Promise<Anomaly[]> {
		return this.store.recentAnomalies(limit);
	}

	/** The settings and their version: a mirroring tab follows changes made in any tab. */
	currentSettings(): { version: number; settings: EngineSettings } {
		return { version: this.settingsVersion, settings: structuredClone(this.settings) };
	}

	/** Starts (or, with null, stops) copying live ticks, flags and new series to `tap`. */
	setTap(tap: LiveTap | null): void {
		this.tap = tap;
	}

	/**
	 * Applies simulator settings at once. Scenario, size, rate, seed or anomaly rates start a new
	 * scenario that carries on from each series' last value and the simulated time reached;
	 * speed and pause only change the clock.
	 */
	async setSimulator(patch: Partial<SimulatorSettings>): Promise<SimulatorSettings> {
		const current = this.settings.simulator;
		const next = normalizeSimulatorSettings({ ...current, ...patch });
		const wall = this.now();
		const rebuild = (['scenario', 'seed', 'count', 'ticksPerSecond', 'enabled'] as const).some((k) => next[k] !== current[k]) ||
			JSON.stringify(next.anomalyRates) !== JSON.stringify(current.anomalyRates);
		this.settings.simulator = next;
		if (rebuild || !this.source) {
			// The old scenario's open injections can no longer be caught: settle them now.
			for (const truth of this.scoreboard.settle(Infinity)) this.store.putTruth(truth);
			this.store.setCounters(this.scoreboard.counters);
			this.startSimulator(next);
		} else if (this.source) {
			this.source.clock.setSpeed(next.speed, wall);
			this.source.clock.setPaused(next.paused, wall);
		}
		await this.saveSettings();
		return structuredClone(next);
	}

	/**
	 * Changes which detector runs, or how eager it is, for one series (`seriesKey`) or as the
	 * default for all. A new sensitivity applies at once to the running detectors; a new
	 * detector starts afresh, primed with the series' recent history.
	 */
	async setDetection(patch: { seriesKey?: string; detector?: string; sensitivity?: number }): Promise<DetectionSettings> {
		const current = this.settings.detection;
		const next = normalizeDetection(
			patch.seriesKey === undefined
				? { ...current, ...pick(patch) }
				: { ...current, series: { ...current.series, [patch.seriesKey]: { ...current.series[patch.seriesKey], ...pick(patch) } } },
			isDetector
		);
		this.settings.detection = next;
		const affected = patch.seriesKey === undefined ? this.series : this.series.filter((s) => s.key === patch.seriesKey);
		const rebuilt: SeriesInfo[] = [];
		for (const info of affected) {
			const choice = choiceFor(next, info.key);
			const detector = this.detectors[info.id];
			if (detector && detector.name === choice.detector) {
				detector.threshold = detectorFactory(choice.detector).thresholdFor(choice.sensitivity);
			} else {
				this.detectors[info.id] = this.createDetector(info);
				rebuilt.push(info);
			}
		}
		await Promise.all(rebuilt.map((info) => this.prime(info)));
		await this.saveSettings();
		return structuredClone(next);
	}

	/** One pass of the pipeline: everything the sources have up to now. */
	step(): void {
		const wall = this.now();
		const batch = this.batch;
		batch.clear();
		this.newTruths.length = 0;
		const source = this.source;
		if (source) source.advance(wall, batch, this.newTruths);
		for (const truth of this.newTruths) {
			truth.seriesId = this.simIds[truth.seriesId];
			this.store.putTruth(this.scoreboard.injected(truth));
		}

		const simIds = this.simIds;
		let accepted = 0;
		for (let i = 0; i < batch.n; i++) if (this.ingest(simIds[batch.ids[i]], batch.t[i], batch.v[i])) accepted++;
		for (const run of this.imports) if (!run.done) run.step(wall, this.importSink);
		accepted += this.importAccepted;
		this.importAccepted = 0;
		this.rate.ticks += accepted;

		// Injection windows are in simulated time.
		const missed = this.scoreboard.settle(source ? source.now(wall) : wall);
		for (const truth of missed) this.store.putTruth(truth);
		if (accepted > 0 || missed.length > 0) this.store.setCounters(this.scoreboard.counters);
		this.measureRate(wall);
	}

	/**
	 * One tick of any source through the pipeline: order policy, history, detector, the page.
	 * Returns whether it was accepted.
	 */
	private ingest(id: number, t: number, v: number): boolean {
		this.offered++;
		// Policy: a tick older than its series' newest is refused and counted; equal times are kept.
		if (t < this.lastT[id]) {
			this.reject('out-of-order');
			return false;
		}
		if (!Number.isFinite(v) || !Number.isFinite(t)) {
			this.reject('not-a-number');
			return false;
		}
		this.lastT[id] = t;
		this.lastV[id] = v;
		this.store.append(id, t, v);
		this.aggregator.push(id, t, v);
		const price = this.priceOf[id];
		if (price >= 0) this.aggregator.addVolume(price, t, v);
		const detector = this.detectors[id];
		const score = detector.update(t, v);
		if (score >= detector.threshold) this.flag(id, t, v, score, detector);
		const watch = this.watches[id];
		if (watch) watch.push(t, v, detector.lower, detector.upper);
		const tap = this.tap;
		if (tap !== null) tap.tick(id, t, v, detector.lower, detector.upper);
		return true;
	}

	/** A tick from a WebSocket feed: its series appears on first sight. */
	private onFeedTick(feedId: string, key: string, t: number, v: number, truth: boolean | undefined): void {
		// Per tick: one lookup by the feed's own key, no string built (a busy feed sends 30k/s).
		let keys = this.feedKeys.get(feedId);
		if (!keys) this.feedKeys.set(feedId, (keys = new Map()));
		let info = keys.get(key);
		if (!info) {
			const seriesKey = `feed/${feedId}/${key}`;
			info = this.byKey.get(seriesKey);
			if (!info) {
				if (this.feeds && !this.feeds.admit(feedId, this.feedSeries.size, key)) return;
				const kind = feedSeriesKind(key);
				info = this.register({ id: this.nextSeriesId, key: seriesKey, label: key, source: `feed:${feedId}`, unit: '', kind }, true);
			}
			keys.set(key, info);
			this.feedSeries.add(info.id);
			this.activeChanged = true;
		}
		// A feed that labels its anomalies is scored against them like the simulator.
		if (truth !== undefined) this.labelled[info.id] = 1;
		if (truth === true) {
			this.store.putTruth(this.scoreboard.injected({ id: 0, seriesId: info.id, kind: 'labelled', t0: t, t1: t, magnitude: 0 }));
		}
		if (this.ingest(info.id, t, v)) this.rate.ticks++;
	}

	private feedHub(): Promise<FeedHub> {
		this.feedsLoading ??= import('./feed-hub').then(({ FeedHub }) => {
			this.feeds = new FeedHub(
				this.store,
				{
					tick: (feedId, key, t, v, truth) => this.onFeedTick(feedId, key, t, v, truth),
					gap: () => {}
				},
				this.now
			);
			// Closed while loading: the hub must not open sockets for a stopped engine.
			if (this.halted) this.feeds.closeAll();
			return this.feeds;
		});
		return this.feedsLoading;
	}

	/** Feeds connected in an earlier session come back on their own (the feed code loads only if there are any). */
	private async restoreFeeds(): Promise<void> {
		if ((await this.store.loadFeeds()).length === 0) return;
		const hub = await this.feedHub();
		if (!this.halted) await hub.restore();
	}

	/** Connects a WebSocket feed; its mapping is proposed from the first frames. */
	async connectFeed(url: string, subscribe?: string, mqtt?: MqttSettings): Promise<FeedStatus> {
		return (await this.feedHub()).connect(url, subscribe, mqtt);
	}

	async setFeedMapping(id: string, mapping: FeedMapping): Promise<void> {
		await (await this.feedHub()).setMapping(id, mapping);
	}

	async removeFeed(id: string): Promise<void> {
		await (await this.feedHub()).remove(id);
		const prefix = `feed/${id}/`;
		for (const info of this.series) if (info.key.startsWith(prefix)) this.feedSeries.delete(info.id);
		this.feedKeys.delete(id);
		this.activeChanged = true;
	}

	/** Ids of the series the sources produce now: the simulator's and every feed's. */
	activeIds(): number[] {
		return [...this.simIds, ...this.feedSeries, ...this.derivedIds, ...this.importIds];
	}

	watch(seriesId: number, windowSize: number): void {
		const size = Math.max(1, Math.floor(windowSize));
		const buffer = new WatchBuffer(seriesId, size);
		this.watches[seriesId] = buffer;
		// The history read copies the in-memory ticks synchronously, so ticks from here on land in
		// the buffer and none are both in the initial window and appended.
		// Both reads at once: the flags are trimmed to the window once its first tick is known.
		void Promise.all([this.store.readLast(seriesId, size), this.store.recentAnomaliesOf(seriesId, WATCH_ANOMALIES)])
			.then(([{ t, v }, anomalies]) => {
				if (this.watches[seriesId] !== buffer) return;
				const from = t.length > 0 ? t[0] : Infinity;
				buffer.setInitial(t, v, anomalies.filter((a) => a.t >= from));
			})
			.catch((error: unknown) => {
				// The chart still goes live with what arrives from now on.
				this.problems.set('read-failed', `Reading history failed (${describe(error)}); showing live ticks only.`);
				if (this.watches[seriesId] === buffer) buffer.setInitial(new Float64Array(0), new Float64Array(0), []);
			});
	}

	/** Ticks of [from, to] for a chart looking at history: min/max per pixel when there are more. */
	readView(seriesId: number, from: number, to: number, points: number): Promise<ViewData> {
		return readView(this.store, seriesId, from, to, points);
	}

	/**
	 * One series' ticks in [from, to] (stored and in memory) as a CSV or JSON file. The text is
	 * built in chunks (no one giant string) and handed over as a Blob, which crosses to the page
	 * without a copy.
	 */
	async exportSeries(seriesId: number, from: number, to: number, format: ExportFormat): Promise<ExportFile> {
		const info = this.series.find((s) => s.id === seriesId);
		if (!info) throw new Error(`no series ${seriesId}`);
		const [{ ticksCsv, ticksJson, exportFileName }, ticks] = await Promise.all([import('../io/export'), this.store.readRange(seriesId, from, to)]);
		const parts = Array.from(format === 'csv' ? ticksCsv(ticks) : ticksJson(ticks, info));
		return {
			blob: new Blob(parts, { type: format === 'csv' ? 'text/csv' : 'application/json' }),
			name: exportFileName(info.key, 'ticks', format, this.now()),
			rows: ticks.t.length
		};
	}

	/** The anomaly log (every stored flag, or one series' in [from, to]) as a CSV or JSON file. */
	async exportAnomalies(format: ExportFormat, seriesId?: number, from = -Infinity, to = Infinity): Promise<ExportFile> {
		// Flags are read from IndexedDB: the newest ones must be there first.
		await this.flush();
		const anomalies =
			seriesId === undefined ? (await this.store.recentAnomalies(EXPORT_ANOMALIES_MAX)).reverse() : await this.store.anomaliesInRange(seriesId, from, to, EXPORT_ANOMALIES_MAX);
		const { anomaliesCsv, anomaliesJson, exportFileName } = await import('../io/export');
		const keys = new Map(this.series.map((s) => [s.id, s.key]));
		const parts = Array.from(format === 'csv' ? anomaliesCsv(anomalies, keys) : anomaliesJson(anomalies, keys));
		const key = seriesId === undefined ? 'all-series' : (keys.get(seriesId) ?? `series-${seriesId}`);
		return {
			blob: new Blob(parts, { type: format === 'csv' ? 'text/csv' : 'application/json' }),
			name: exportFileName(key, 'anomalies', format, this.now()),
			rows: anomalies.length
		};
	}

	/** What a workspace file or link carries from the engine: settings, and feeds without credentials. */
	async workspaceParts(): Promise<Pick<Workspace, 'simulator' | 'detection' | 'feeds'>> {
		const feeds = (await this.store.loadFeeds()).map((row) => {
			const mqtt = row.mqtt as { topics?: unknown; qos?: unknown } | undefined;
			const topics = Array.isArray(mqtt?.topics) ? mqtt.topics.filter((t): t is string => typeof t === 'string') : [];
			return withoutSecrets({
				url: row.url,
				...(row.subscribe ? { subscribe: row.subscribe } : {}),
				...(topics.length > 0 ? { mqtt: { topics, qos: mqtt?.qos === 1 ? (1 as const) : (0 as const) } } : {}),
				...(row.mapping !== undefined ? { mapping: row.mapping } : {})
			});
		});
		return { simulator: structuredClone(this.settings.simulator), detection: structuredClone(this.settings.detection), feeds };
	}

	saveView(name: string, view: unknown): Promise<number> {
		return this.store.saveView(name, view);
	}

	listViews(): Promise<{ id: number; name: string; createdAt: number; view: unknown }[]> {
		return this.store.listViews();
	}

	deleteView(id: number): Promise<void> {
		return this.store.deleteView(id);
	}

	adjacentAnomaly(seriesId: number, t: number, direction: -1 | 1): Promise<Anomaly | null> {
		return this.store.adjacentAnomaly(seriesId, t, direction);
	}

	unwatch(seriesId: number): void {
		this.watches[seriesId] = undefined;
	}

	/** Everything new since the last call; the caller transfers the arrays. */
	pullFrame(): EngineFrame {
		const series: SeriesFrame[] = [];
		for (const watch of this.watches) {
			if (!watch) continue;
			const frame = watch.take();
			if (frame) series.push(frame);
		}
		let anomalies = this.frameAnomalies;
		if (anomalies.length > MAX_FRAME_ANOMALIES) anomalies = anomalies.slice(-MAX_FRAME_ANOMALIES);
		this.frameAnomalies = [];
		const seriesAdded = this.seriesAdded;
		this.seriesAdded = [];
		const frame: EngineFrame = { series, anomalies, seriesAdded, stats: this.stats(), role: 'leader' };
		if (this.settingsSent !== this.settingsVersion) {
			frame.settings = structuredClone(this.settings);
			this.settingsSent = this.settingsVersion;
		}
		if (this.activeChanged) {
			frame.activeSeries = this.activeIds();
			this.activeChanged = false;
		}
		return frame;
	}

	async setRetention(retentionMs: number): Promise<void> {
		this.settings.retentionMs = retentionMs;
		await this.saveSettings();
		await this.enforceRetention();
	}

	async storageInfo(): Promise<StorageInfo> {
		const { usage, quota, persisted, tickBytes, ticks } = await this.store.storageEstimate();
		return { usage, quota, persisted, tickBytes, ticks, sizeCapBytes: this.settings.sizeCapBytes };
	}

	async setSizeCap(bytes: number): Promise<void> {
		this.settings.sizeCapBytes = clampSizeCap(bytes);
		this.store.setSizeCap(this.settings.sizeCapBytes);
		await this.saveSettings();
		await this.enforceRetention();
	}

	async enforceRetention(): Promise<number> {
		// Sped-up simulated time runs ahead of the wall clock: the window follows the newer one.
		const wall = this.now();
		const now = Math.max(wall, this.source ? this.source.now(wall) : wall);
		return this.store.enforceRetention(now, this.settings.retentionMs);
	}

	flush(): Promise<void> {
		this.handOverWindows();
		return this.store.flush();
	}

	/** The store reports a problem; storage full also makes room at once. */
	onStorageProblem(problem: StorageProblem): void {
		if (problem.kind === 'fenced') {
			this.halt();
			this.onFenced();
			return;
		}
		this.problems.set(problem.kind, problem.message);
		if (problem.kind === 'quota') {
			void this.store.evictOldest().then((rows) => {
				this.problems.set(
					'quota',
					`Storage was full: the oldest history (${rows} blocks of ticks) was removed to make room. Anomalies are kept.`
				);
			});
		}
	}

	/** Writes work again after a failure. */
	onStorageRecovered(): void {
		this.problems.delete('write-failed');
	}

	stats(): EngineStats {
		return {
			ticksPerSecond: this.rate.perSecond,
			totalTicks: this.store.totalTicks,
			seriesCount: this.series.length,
			historyBytes: this.historyBytes,
			...this.scoreboard.counters,
			medianDelayMs: this.scoreboard.medianDelayMs(),
			rejected: { ...this.rejected },
			diagnostics: this.diagnostics(),
			problems: [...this.problems.values()],
			feeds: this.feeds?.statuses() ?? [],
			imports: this.imports.map((run) => run.status()),
			simulator: this.source
				? {
						time: this.source.now(this.now()),
						speed: this.source.clock.speed,
						achievedSpeed: this.rate.speed,
						paused: this.source.clock.paused
					}
				: null
		};
	}

	/**
	 * Where every record went since this engine started. A record is a tick, or a whole frame
	 * where a frame never became ticks (refused, a duplicate, or dropped at the topic cap).
	 * received = persisted + pending + dropped + rejected + duplicates holds at every moment;
	 * after a flush, pending is 0.
	 */
	diagnostics(): Diagnostics {
		const feeds = this.feeds?.statuses() ?? [];
		const rejectedByReason: Record<string, number> = { ...this.rejected };
		let dropped = 0;
		let duplicates = 0;
		let feedRejected = 0;
		let reconnects = 0;
		let staleEvents = 0;
		for (const feed of feeds) {
			for (const [reason, n] of Object.entries(feed.rejected)) {
				rejectedByReason[reason] = (rejectedByReason[reason] ?? 0) + (n ?? 0);
				feedRejected += n ?? 0;
			}
			dropped += feed.mqtt?.droppedTopics ?? 0;
			duplicates += feed.duplicates;
			reconnects += feed.gaps;
			staleEvents += feed.staleEvents;
		}
		const refused = Object.values(this.rejected).reduce((sum, n) => sum + n, 0);
		const persisted = this.store.persistedTicks;
		const accepted = this.offered - refused;
		return {
			received: this.offered + feedRejected + duplicates + dropped,
			decoded: this.offered,
			persisted,
			pending: accepted - persisted,
			dropped,
			rejected: refused + feedRejected,
			rejectedByReason,
			duplicates,
			reconnects,
			staleEvents
		};
	}

	async dispose(): Promise<void> {
		this.halt();
		await this.store.close();
	}

	/**
	 * Stops at once without writing what is buffered: another tab owns the history now, and
	 * its newest ticks must not be interleaved with this tab's last second.
	 */
	halt(): void {
		this.halted = true;
		this.feeds?.closeAll();
		for (const timer of this.timers) clearInterval(timer);
		this.timers = [];
		this.store.stop();
	}

	private run(): void {
		if (this.halted) return;
		this.store.start();
		this.timers.push(setInterval(() => this.step(), STEP_MS));
		// A silent series still gets its last windows closed; closed windows reach the store before
		// its once-a-second flush.
		this.timers.push(
			setInterval(() => {
				// On the ticks' clock: a simulator catching up runs behind the wall clock, and closing
				// its windows by wall time would drop its late ticks from them.
				const wall = this.now();
				const source = this.source;
				const clock = source && !source.clock.paused ? Math.min(wall, source.now(wall)) : wall;
				this.aggregator.closeUpTo(clock - WINDOW_GRACE_MS);
				this.handOverWindows();
			}, WINDOW_HANDOVER_MS)
		);
		this.timers.push(setInterval(() => void this.enforceRetention(), RETENTION_INTERVAL_MS));
		const measure = async () => {
			this.historyBytes = await this.estimateBytes();
		};
		void measure();
		this.timers.push(setInterval(() => void measure(), 2000));
		void this.enforceRetention();
	}

	private startSimulator(settings: SimulatorSettings): void {
		if (!settings.enabled) {
			this.source = null;
			this.simIds = new Int32Array(0);
			this.activeChanged = true;
			return;
		}
		const wall = this.now();
		const resume = new Map<string, number>();
		for (const info of this.series) if (this.lastT[info.id] > -Infinity) resume.set(info.key, this.lastV[info.id]);
		// Each series' time only moves forward: a scenario starts after the newest stored tick
		// of its own series (other scenarios' simulated clocks do not drag it along).
		const startAfter = (keys: readonly string[]) => {
			let after = -Infinity;
			for (const key of keys) {
				const info = this.byKey.get(key);
				if (info) after = Math.max(after, this.lastT[info.id] + 1);
			}
			return after;
		};
		const source = new SimulatorSource(settings, { wallNow: wall, startAfter, resume, warmupTicks: SIM_WARMUP_TICKS });
		const specs = source.scenario.series;
		this.simIds = new Int32Array(specs.length);
		specs.forEach((spec, index) => {
			const known = this.byKey.get(spec.key);
			const info = known ?? this.register({ id: this.nextSeriesId, source: 'simulator', ...spec }, true);
			this.simIds[index] = info.id;
			this.labelled[info.id] = 1;
		});
		this.source = source;
		this.activeChanged = true;
		this.rate.simSince = 0;
	}

	private async primeDetectors(): Promise<void> {
		await Promise.all(this.series.map((info) => this.prime(info)));
	}

	/** Feeds a fresh detector the series' recent history, so it does not start cold. */
	private async prime(info: SeriesInfo): Promise<void> {
		const { t, v } = await this.store.readLast(info.id, PRIME_TICKS);
		const detector = this.detectors[info.id];
		for (let i = 0; i < t.length; i++) detector.update(t[i], v[i]);
	}

	private createDetector(info: SeriesInfo): Detector {
		const choice = choiceFor(this.settings.detection, info.key);
		return detectorFactory(choice.detector).create({ kind: info.kind, sensitivity: choice.sensitivity });
	}

	private async saveSettings(): Promise<void> {
		this.settingsVersion++;
		const { retentionMs, simulator, detection, derived, sizeCapBytes } = this.settings;
		await this.store.saveSettings({ retentionMs, simulator: { ...simulator }, detection: structuredClone(detection), derived: structuredClone(derived), sizeCapBytes });
	}

	private register(info: SeriesInfo, isNew: boolean): SeriesInfo {
		this.series.push(info);
		this.byKey.set(info.key, info);
		this.nextSeriesId = Math.max(this.nextSeriesId, info.id + 1);
		if (info.id >= this.lastT.length) {
			const size = Math.max(info.id + 1, this.lastT.length * 2);
			const lastT = new Float64Array(size).fill(-Infinity);
			lastT.set(this.lastT);
			this.lastT = lastT;
			const lastV = new Float64Array(size);
			lastV.set(this.lastV);
			this.lastV = lastV;
			const labelled = new Uint8Array(size);
			labelled.set(this.labelled);
			this.labelled = labelled;
			const priceOf = new Int32Array(size).fill(-1);
			priceOf.set(this.priceOf);
			this.priceOf = priceOf;
		}
		this.pairWithPartner(info);
		this.detectors[info.id] = this.createDetector(info);
		if (isNew) {
			this.seriesAdded.push(info);
			this.store.putSeries(info);
			this.tap?.series(info);
		}
		return info;
	}

	/** A volume series adds its values to its price series' windows (candles carry volume). */
	private pairWithPartner(info: SeriesInfo): void {
		if (info.kind !== 'price' && info.kind !== 'volume') return;
		const prefix = info.key.slice(0, info.key.lastIndexOf('/'));
		let pair = this.pairs.get(prefix);
		if (!pair) this.pairs.set(prefix, (pair = {}));
		pair[info.kind] = info.id;
		if (pair.price !== undefined && pair.volume !== undefined) this.priceOf[pair.volume] = pair.price;
	}

	private importAccepted = 0;
	private readonly importSink = {
		truth: (seriesId: number, t0: number, t1: number) => {
			this.store.putTruth(this.scoreboard.injected({ id: 0, seriesId, kind: 'labelled', t0, t1, magnitude: 0 }));
		},
		tick: (seriesId: number, t: number, v: number) => {
			if (this.ingest(seriesId, t, v)) this.importAccepted++;
		},
		// A replay runs on its own clock (at 100× its stamps run ahead): its truths close on it.
		reached: (seriesId: number, t: number) => {
			for (const truth of this.scoreboard.settle(t, seriesId)) this.store.putTruth(truth);
		}
	};

	/**
	 * Imports a CSV file (a time column and one or more value columns; NAB files with their
	 * label windows from `labels`, or a 0/1 label column) and replays it through the pipeline at
	 * `speed` (1, 10, 100 or 'max'), stamped from now on, with the labels as truth. Each value
	 * column becomes the series `import/<file>/<column>`.
	 */
	async importCsv(file: Blob, options: { name: string; speed: ReplaySpeed; labels?: Blob; labelsName?: string }): Promise<ImportSummary> {
		const [{ importCsvStream }, { nabWindowsFor }, { ImportRun }] = await Promise.all([import('../io/csv-import'), import('../io/nab-labels'), import('./import-run')]);
		const parsed = await importCsvStream(textChunks(file));
		const notes = [...parsed.notes];
		let windows = parsed.labelWindows;
		if (options.labels) {
			const labels = nabWindowsFor(await options.labels.text(), options.name);
			notes.push(...labels.notes);
			if (labels.key !== null) windows = labels.windows;
		}
		const fileKey = options.name.replace(/[^\w.-]+/g, '_').slice(0, 80) || 'file';
		const columns = parsed.columns.filter((column) => column.t.length > 0);
		const infos = columns.map((column) => {
			const key = `import/${fileKey}/${column.name.replace(/[^\w.-]+/g, '_').slice(0, 40) || 'value'}`;
			const info = this.byKey.get(key) ?? this.register({ id: this.nextSeriesId, key, label: `${options.name}: ${column.name}`, source: 'import', unit: '', kind: 'value' }, true);
			// Labels make the verdicts known; without them flags stay unjudged.
			if (windows.length > 0) this.labelled[info.id] = 1;
			this.importIds.add(info.id);
			return info;
		});
		this.activeChanged = true;
		const run = new ImportRun({
			id: `import-${this.imports.length + 1}`,
			name: options.name,
			keys: infos.map((info) => info.key),
			columns,
			seriesIds: infos.map((info) => info.id),
			windows,
			speed: options.speed,
			now: this.now()
		});
		this.imports.push(run);
		return {
			...run.status(),
			series: infos,
			rows: parsed.rows,
			timeUnit: parsed.timeUnit,
			rejectedCount: parsed.rejectedCount,
			rejected: parsed.rejected.slice(0, 5).map((r) => ({ reason: r.reason, line: r.line, detail: r.detail })),
			notes
		};
	}

	/**
	 * Runs the series' detector again, as now set, over [from, to] of its history and compares the
	 * new flags with the stored ones. The first WARM_UP_TICKS ticks of the range only warm the fresh
	 * detector up; flags are compared after them.
	 */
	async rerunDetection(seriesId: number, from: number, to: number): Promise<RerunResult> {
		const info = this.series.find((s) => s.id === seriesId);
		if (!info) throw new Error(`no series ${seriesId}`);
		await this.flush();
		const { t, v } = await this.store.readRange(seriesId, from, to, RERUN_MAX_TICKS);
		const detector = this.createDetector(info);
		const fresh: Anomaly[] = [];
		for (let i = 0; i < t.length; i++) {
			const score = detector.update(t[i], v[i]);
			if (i < WARM_UP_TICKS || score < detector.threshold) continue;
			fresh.push({ id: -1, seriesId, t: t[i], v: v[i], score, detector: detector.name, expected: detector.expected, lower: detector.lower, upper: detector.upper });
		}
		const compareFrom = t.length > WARM_UP_TICKS ? t[WARM_UP_TICKS] : to;
		const compareTo = t.length > 0 ? t[t.length - 1] : to;
		const [old, { compareFlags }] = await Promise.all([this.store.anomaliesInRange(seriesId, compareFrom, compareTo), import('../io/compare')]);
		const { counts } = compareFlags(old, fresh, { from: compareFrom, to: compareTo });
		const choice = choiceFor(this.settings.detection, info.key);
		return { ...counts, ticks: t.length, warmUp: Math.min(WARM_UP_TICKS, t.length), detector: choice.detector, sensitivity: choice.sensitivity, truncated: t.length >= RERUN_MAX_TICKS };
	}

	/** Closed windows go to the store (written with the next flush); live windows stay open. */
	private handOverWindows(): void {
		for (const [key, buffer] of this.closedWindows) {
			if (buffer.length === 0) continue;
			const seriesId = Math.floor(key / RESOLUTIONS.length);
			const candles = buffer.drain();
			this.store.putCandles(seriesId, RESOLUTIONS[key % RESOLUTIONS.length].name, candles);
			// Derived series get one tick per closed window, stamped at the window's start.
			const derived = this.derivedBy.get(key);
			if (!derived) continue;
			for (let i = 0; i < candles.t.length; i++) {
				for (const { id, stat } of derived) {
					const value = derivedValue(stat, candles.high[i], candles.low[i], candles.count[i], candles.sum[i], candles.volume[i]);
					if (Number.isFinite(value)) this.ingest(id, candles.t[i], value);
				}
			}
		}
	}

	/**
	 * A new series made of one statistic of another's windows (e.g. trades per minute), charted
	 * and watched by detectors like any other; kept in the settings, so it comes back after a reload.
	 */
	async deriveSeries(sourceId: number, resolution: Resolution, stat: DerivedStat): Promise<SeriesInfo> {
		const source = this.series.find((s) => s.id === sourceId);
		if (!source) throw new Error(`no series ${sourceId}`);
		const spec: DerivedSpec = { sourceKey: source.key, resolution, stat };
		const existing = this.byKey.get(derivedKey(spec));
		if (existing && this.derivedIds.has(existing.id)) return existing;
		if (this.settings.derived.length >= MAX_DERIVED) throw new Error(`At most ${MAX_DERIVED} derived series.`);
		this.settings.derived.push(spec);
		const info = this.startDerived(spec);
		await this.saveSettings();
		if (!info) throw new Error(`no series ${source.key}`);
		return info;
	}

	private startDerived(spec: DerivedSpec): SeriesInfo | null {
		const source = this.byKey.get(spec.sourceKey);
		if (!source) return null;
		const index = RESOLUTIONS.findIndex((r) => r.name === spec.resolution);
		let info = this.byKey.get(derivedKey(spec));
		if (!info) info = this.register(derivedInfo(this.nextSeriesId, source, spec), true);
		const key = source.id * RESOLUTIONS.length + index;
		const list = this.derivedBy.get(key) ?? [];
		if (!list.some((d) => d.id === info.id)) list.push({ id: info.id, stat: spec.stat });
		this.derivedBy.set(key, list);
		this.derivedIds.add(info.id);
		this.activeChanged = true;
		return info;
	}

	/**
	 * Windows of one series at one resolution over [from, to]: the closed ones from history and the
	 * one still open (`live`, null when none), for candlesticks and aggregate charts.
	 */
	async readCandles(seriesId: number, resolution: Resolution, from: number, to: number): Promise<{ candles: Candles; live: Float64Array | null }> {
		const index = RESOLUTIONS.findIndex((r) => r.name === resolution);
		if (index < 0) return { candles: emptyCandles(), live: null };
		this.handOverWindows();
		const candles = await this.store.readCandles(seriesId, resolution, from, to);
		const live = new Float64Array(WINDOW_FIELDS);
		const open = this.aggregator.peek(seriesId, index, live) && live[0] <= to && live[0] + RESOLUTIONS[index].ms > from;
		return { candles, live: open ? live : null };
	}

	private flag(seriesId: number, t: number, v: number, score: number, detector: Detector): void {
		// Only series whose source knows the truth are judged; others' flags stay unjudged.
		const labelled = this.labelled[seriesId] === 1;
		const verdict = labelled ? this.scoreboard.judge(seriesId, t) : undefined;
		const anomaly: Anomaly = {
			id: this.nextAnomalyId++,
			seriesId,
			t,
			v,
			score,
			detector: detector.name,
			expected: detector.expected,
			lower: detector.lower,
			upper: detector.upper,
			truth: labelled ? verdict !== undefined : undefined
		};
		if (verdict) {
			anomaly.truthId = verdict.truth.id;
			if (verdict.first) this.store.putTruth(verdict.truth);
		}
		this.store.putAnomaly(anomaly);
		this.tap?.anomaly(anomaly);
		// A page that stops asking (hidden tab) must not make this grow without bound.
		if (this.frameAnomalies.length >= 2 * MAX_FRAME_ANOMALIES) this.frameAnomalies.splice(0, MAX_FRAME_ANOMALIES);
		this.frameAnomalies.push(anomaly);
	}

	private reject(reason: string): void {
		this.rejected[reason] = (this.rejected[reason] ?? 0) + 1;
	}

	private measureRate(now: number): void {
		const elapsed = now - this.rate.since;
		if (elapsed < RATE_WINDOW_MS) return;
		const sim = this.source ? this.source.now(now) : now;
		this.rate.perSecond = (this.rate.ticks * 1000) / elapsed;
		// Simulated time achieved per wall second: below the set speed when the source is capped.
		this.rate.speed = this.rate.simSince > 0 ? Math.max(0, sim - this.rate.simSince) / elapsed : 0;
		this.rate.ticks = 0;
		this.rate.since = now;
		this.rate.simSince = sim;
	}
}

/** Ticks of [from, to] of a series in `store`, min/max per pixel when there are more, with its flags. */
export async function readView(store: HistoryStore, seriesId: number, from: number, to: number, points: number): Promise<ViewData> {
	const [ticks, anomalies] = await Promise.all([
		store.readDecimated(seriesId, from, to, Math.max(1, Math.floor(points))),
		store.anomaliesInRange(seriesId, from, to, WATCH_ANOMALIES)
	]);
	return { t: ticks.t, v: ticks.v, decimated: ticks.decimated, anomalies };
}

function describe(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

/** The fields of a detection patch that are set. */
function pick(patch: { detector?: string; sensitivity?: number }): Partial<{ detector: string; sensitivity: number }> {
	const out: Partial<{ detector: string; sensitivity: number }> = {};
	if (patch.detector !== undefined) out.detector = patch.detector;
	if (patch.sensitivity !== undefined) out.sensitivity = patch.sensitivity;
	return out;
}

/** A file's text as decoded chunks (never one giant string). */
async function* textChunks(file: Blob): AsyncGenerator<string> {
	const reader = file.stream().pipeThrough(new TextDecoderStream()).getReader();
	for (;;) {
		const { done, value } = await reader.read();
		if (done) return;
		yield value;
	}
}

/** Smallest size cap: below it a busy feed's last minutes would not fit. */
const MIN_SIZE_CAP_BYTES = 10_000_000;

function clampSizeCap(bytes: unknown): number {
	return typeof bytes === 'number' && Number.isFinite(bytes) ? Math.max(MIN_SIZE_CAP_BYTES, Math.floor(bytes)) : DEFAULT_SIZE_CAP_BYTES;
}
