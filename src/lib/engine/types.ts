import type { Anomaly, Truth } from '../domain/anomaly';
import type { Candles, Resolution } from '../domain/candles';
import type { DerivedSpec, DerivedStat } from './derived';
import type { ImportStatus } from './import-run';
import type { ReplaySpeed } from '../io/replay';
import type { SeriesInfo } from '../domain/series';
import type { DetectionSettings } from '../detectors/detection-settings';
import type { FeedMapping } from '../sources/parsers/mapping';
import type { FeedStatus, MqttSettings } from './feed';
import type { Workspace } from '../workspace/workspace';

export type { FeedStatus } from './feed';
export type { FeedMapping } from '../sources/parsers/mapping';
import type { SimulatorSettings } from '../sources/simulator/settings';

export type { SimulatorSettings } from '../sources/simulator/settings';

export interface EngineSettings {
	/** Ticks older than this are deleted from history; anomalies are kept. */
	retentionMs: number;
	simulator: SimulatorSettings;
	detection: DetectionSettings;
	/** Series made of another series' window statistics, in the order they were made. */
	derived: DerivedSpec[];
	/** Stored ticks are kept under this many bytes, oldest deleted first (anomalies always kept). */
	sizeCapBytes: number;
}

export interface SeriesMeta {
	count: number;
	first: number | null;
	last: number | null;
	lastV: number | null;
}

/** Storage as the browser reports it, and the engine's own account of stored ticks. */
export interface StorageInfo {
	usage: number | null;
	quota: number | null;
	persisted: boolean | null;
	tickBytes: number;
	ticks: number;
	sizeCapBytes: number;
}

export interface EngineStats {
	/** Accepted ticks per second over the last measuring interval. */
	ticksPerSecond: number;
	/** Ticks accepted since the history began (survives reloads). */
	totalTicks: number;
	seriesCount: number;
	/** Origin storage in use (IndexedDB and caches), or null where the browser does not say. */
	historyBytes: number | null;
	/** Flags that matched an injected anomaly. */
	hits: number;
	/** Flags with no injected anomaly behind them. */
	falseAlarms: number;
	/** Injections whose window closed with no flag. */
	missed: number;
	/** Injections flagged at least once. */
	caught: number;
	/** Median time from an injection's first tick to its first flag, over recent catches. */
	medianDelayMs: number | null;
	injected: number;
	/** Ticks refused, by reason (e.g. `out-of-order`). */
	rejected: Record<string, number>;
	/** Where every record went (see Engine.diagnostics). */
	diagnostics: Diagnostics;
	/** Plain-words problems the person should know about (storage full, writes failing). */
	problems: string[];
	/** Every connected WebSocket feed: connection state, rates, mapping, rejects. */
	feeds: FeedStatus[];
	/** Imported files replaying (or replayed) through the pipeline. */
	imports: ImportStatus[];
	/** The simulator's clock, when it runs. */
	simulator: {
		time: number;
		/** Set speed. */
		speed: number;
		/** Simulated seconds per wall second over the last second (lower when capped). */
		achievedSpeed: number;
		paused: boolean;
	} | null;
}

/** New ticks of one watched series since the last frame, or (replace) its whole window. */
export interface SeriesFrame {
	id: number;
	t: Float64Array;
	v: Float64Array;
	/** The detector's band of ordinary values at each tick (NaN where unknown, e.g. from history). */
	lo: Float64Array;
	hi: Float64Array;
	/** The page drops what it had and takes this as the window (first load, or it fell behind). */
	replace: boolean;
	/** With `replace`: the anomalies of this series inside the window, oldest first. */
	anomalies?: Anomaly[];
}

/** What the page receives once per animation frame. Arrays are transferred, not copied. */
export interface EngineFrame {
	series: SeriesFrame[];
	/** New flags on any series since the last frame, oldest first. */
	anomalies: Anomaly[];
	/** Series that appeared since the last frame. */
	seriesAdded: SeriesInfo[];
	/** The ids of the series the sources produce now, when that changed since the last frame. */
	activeSeries?: number[];
	stats: EngineStats;
	/** Settings, when they changed since the last frame (in this tab or another). */
	settings?: EngineSettings;
	/**
	 * Set when this tab switched role (it started recording, or now mirrors another tab): the
	 * series, the live ones and the settings as the new role sees them, to take over whole.
	 */
	restart?: Pick<EngineSnapshot, 'series' | 'activeSeries' | 'settings'>;
	/**
	 * `leader`: this tab runs the sources and writes the history. `mirror`: another tab does, and
	 * this one shows what that tab streams (it takes over by itself when that tab closes or freezes).
	 */
	role: TabRole;
	/** Set once a newer version of the app opened the history (with a newer schema): reload. */
	stopped?: 'outdated';
}

export type TabRole = 'leader' | 'mirror';

/** A detector the person can choose, as the page lists it. */
export interface DetectorInfo {
	name: string;
	title: string;
	description: string;
}

export interface EngineSnapshot {
	role: TabRole;
	detectors: DetectorInfo[];
	/** Every series in the history. */
	series: SeriesInfo[];
	/** The ids of those the sources produce now. */
	activeSeries: number[];
	/** Newest first. */
	anomalies: Anomaly[];
	stats: EngineStats;
	settings: EngineSettings;
}

export interface EngineInitOptions {
	dbName?: string;
	/** Start streaming the first live series with this window at once (saves a round trip). */
	watchFirst?: number;
	simulator?: Partial<SimulatorSettings>;
}

/** The engine worker's surface, as the page sees it through Comlink. */
export interface EngineApi {
	init(options: EngineInitOptions): Promise<EngineSnapshot>;
	/** Makes this tab the one that records (the tab that did becomes a mirror of this one). */
	takeOver(): Promise<void>;
	/** This page is being frozen: if it records, it writes what it has and lets another tab record. */
	handOver(): Promise<void>;
	/** Stream this series to the page with a window of `windowSize` ticks (first frame replaces). */
	watch(seriesId: number, windowSize: number): void;
	unwatch(seriesId: number): void;
	pullFrame(): EngineFrame;
	setRetention(retentionMs: number): Promise<void>;
	/** Changes simulator settings now (scenario, size, rate, seed, anomalies, speed, pause). */
	setSimulator(patch: Partial<SimulatorSettings>): Promise<SimulatorSettings>;
	/** Connects a WebSocket feed (its mapping is proposed from the first frames). */
	connectFeed(url: string, subscribe?: string, mqtt?: MqttSettings): Promise<FeedStatus>;
	setFeedMapping(id: string, mapping: FeedMapping): Promise<void>;
	/** Closes a feed for good (its history stays). */
	removeFeed(id: string): Promise<void>;
	/** Detector and sensitivity for one series (`seriesKey`) or the default for all. */
	setDetection(patch: { seriesKey?: string; detector?: string; sensitivity?: number }): Promise<DetectionSettings>;
	/** Writes everything buffered to IndexedDB now. */
	flush(): Promise<void>;
	/** Ticks of [from, to] (stored and in memory), decimated to about `points` when there are more. */
	readView(seriesId: number, from: number, to: number, points: number): Promise<ViewData>;
	/** Tumbling windows (candles) of a series over [from, to], plus the one still open. */
	readCandles(seriesId: number, resolution: Resolution, from: number, to: number): Promise<CandleData>;
	/** One series' ticks in [from, to] as a file (use ±Infinity for all of it). */
	exportSeries(seriesId: number, from: number, to: number, format: ExportFormat): Promise<ExportFile>;
	/** The anomaly log as a file: every series, or one series in [from, to]. */
	exportAnomalies(format: ExportFormat, seriesId?: number, from?: number, to?: number): Promise<ExportFile>;
	/** Ticks stored for a series, its oldest and newest time and last value; cheap at any size. */
	seriesMeta(seriesId: number): Promise<SeriesMeta>;
	/** Ticks with from ≤ t ≤ to (the oldest `limit` when given). */
	readRange(seriesId: number, from: number, to: number, limit?: number): Promise<{ t: Float64Array; v: Float64Array }>;
	/** Ticks newer than `since` (the oldest `limit` when given): for following a series by polling. */
	readSince(seriesId: number, since: number, limit?: number): Promise<{ t: Float64Array; v: Float64Array }>;
	/** Flags and truths (injected or labelled anomalies) of a series overlapping [from, to]. */
	anomaliesInRange(seriesId: number, from: number, to: number): Promise<{ anomalies: Anomaly[]; truths: Truth[] }>;
	storageInfo(): Promise<StorageInfo>;
	/** Keeps stored ticks under `bytes` (oldest deleted first, in the background). */
	setSizeCap(bytes: number): Promise<void>;
	/** Imports a CSV file and replays it through the pipeline at `speed`, labels as truth. */
	importCsv(file: Blob, options: { name: string; speed: ReplaySpeed; labels?: Blob; labelsName?: string }): Promise<ImportSummary>;
	/** Runs the series' detector again over [from, to] and compares with the stored flags. */
	rerunDetection(seriesId: number, from: number, to: number): Promise<RerunResult>;
	/** Makes a series of one statistic of another's windows (e.g. ticks per minute); returns it. */
	deriveSeries(sourceId: number, resolution: Resolution, stat: DerivedStat): Promise<SeriesInfo>;
	/** Saves a named view (what the UI puts in it is the UI's business); returns its id. */
	saveView(name: string, view: unknown): Promise<number>;
	/** Saved views, newest first; each `view` as stored (the UI checks it). */
	listViews(): Promise<{ id: number; name: string; createdAt: number; view: unknown }[]>;
	deleteView(id: number): Promise<void>;
	/** The saved workspace as stored (the page checks it), or undefined on a first run. */
	loadWorkspace(): Promise<unknown>;
	saveWorkspace(workspace: unknown): Promise<void>;
	/** Settings and feeds (without credentials) for a workspace file or link. */
	workspaceParts(): Promise<Pick<Workspace, 'simulator' | 'detection' | 'feeds'>>;
	/** The series' flag nearest before (`-1`) or after (`1`) time `t`, or null. */
	adjacentAnomaly(seriesId: number, t: number, direction: -1 | 1): Promise<Anomaly | null>;
	dispose(): Promise<void>;
}

/** The accounting behind "nothing lost": received = persisted + pending + dropped + rejected + duplicates. */
export interface Diagnostics {
	/** Records that reached the app: ticks from every source, plus frames that never became ticks. */
	received: number;
	/** Ticks handed to the pipeline (decoded from feeds, made by the simulator, replayed). */
	decoded: number;
	/** Ticks committed to IndexedDB since the engine started. */
	persisted: number;
	/** Ticks accepted and not yet committed (written within a second). */
	pending: number;
	/** Frames dropped before decoding (an MQTT feed past its topic cap). */
	dropped: number;
	/** Frames the decoder refused and ticks the pipeline refused, by reason below. */
	rejected: number;
	rejectedByReason: Record<string, number>;
	/** Exact copies of a recent frame, dropped. */
	duplicates: number;
	reconnects: number;
	staleEvents: number;
}

export type ExportFormat = 'csv' | 'json';

/** What an import found and started. */
export interface ImportSummary extends ImportStatus {
	series: SeriesInfo[];
	rows: number;
	timeUnit: string;
	rejectedCount: number;
	/** The first few refused rows, with the reason. */
	rejected: { reason: string; line: number; detail: string }[];
	notes: string[];
}

/** Stored flags against the detector run again over the same ticks. */
export interface RerunResult {
	old: number;
	new: number;
	matched: number;
	otherDetector: number;
	onlyOld: number;
	onlyNew: number;
	ticks: number;
	warmUp: number;
	detector: string;
	sensitivity: number;
	/** The range held more ticks than a re-run reads; the oldest were used. */
	truncated: boolean;
}

export interface ExportFile {
	blob: Blob;
	/** A safe download name, e.g. `sim-markets-ABC-price-ticks-2026-11-25T12-00-00Z.csv`. */
	name: string;
	rows: number;
}

export interface CandleData {
	candles: Candles;
	/** The open window: t, open, high, low, close, count, sum, volume; null when none. */
	live: Float64Array | null;
}

/** A stretch of history for the chart: at most 2 points (min and max) per pixel when decimated. */
export interface ViewData {
	t: Float64Array;
	v: Float64Array;
	decimated: boolean;
	/** Flags inside the range, oldest first (capped). */
	anomalies: Anomaly[];
}
