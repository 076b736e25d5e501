import { getContext, setContext, untrack } from 'svelte';
import type { Anomaly } from '../domain/anomaly';
import type { SeriesInfo } from '../domain/series';
import type { DetectionSettings } from '../detectors/detection-settings';
import type { DetectorInfo, EngineFrame, EngineSettings, EngineStats, FeedMapping, SimulatorSettings, TabRole } from '../engine/types';
import { feedUrlProblem } from './feed-url';
import { topicsProblem } from '../sources/mqtt/mqtt-address';
import type { MqttSettings } from '../engine/feed';
import { SCENARIOS } from '../sources/simulator/scenario-info';
import { decimalsOf } from './format';
import { ChartWindow } from './chart-window';
import { resolutionMs, type Resolution } from '../domain/candles';
import type { CandleData, ExportFormat, ImportSummary, RerunResult, SeriesMeta, StorageInfo } from '../engine/types';
import { requestPersistence } from '../storage/persistence';
import type { ReplaySpeed } from '../io/replay';
import { download } from './download';
import type { DerivedStat } from '../engine/derived';
import { choiceFor } from '../detectors/detection-settings';
import { cleanViewName, parseNamedView, type NamedView, type SavedView } from './named-view';
import { connectEngine, type EngineClient } from './engine-client';
import { clampWindow, WINDOW_DEFAULT } from './settings';

/** Rows the anomaly log keeps on screen (all are in IndexedDB). */
const LOG_ROWS = 200;
/** The status line changes at most this often: faster is unreadable and costs renders. */
const STATS_INTERVAL_MS = 250;
/** The latest-ticks table and the price beside the chart change at most this often. */
const SUMMARY_INTERVAL_MS = 100;
/** Rows of the latest-ticks table. */
const LATEST_ROWS = 10;

/**
 * A frozen stretch of one series' history, drawn instead of the live window: the person paused,
 * zoomed or panned. Ticks may be decimated (min and max per pixel column) for long ranges.
 */
export interface HistoryView {
	seriesKey: string;
	from: number;
	to: number;
	t: Float64Array;
	v: Float64Array;
	decimated: boolean;
	anomalies: Anomaly[];
	/** A fetch for this range is on its way; the previous data is drawn meanwhile. */
	loading: boolean;
}

/** Points fetched for a reopened view's range (about a wide chart's pixel width). */
const VIEW_POINTS = 1200;
/** Ticks each extra chart panel keeps. */
export const PANEL_WINDOW = 400;
/** Extra chart panels at most: each one streams a series every frame. */
export const MAX_PANELS = 16;

/** A small live chart of one more series beside the main one; reads from the same frames. */
export class PanelChart {
	readonly window = new ChartWindow(PANEL_WINDOW);
	readonly chartAnomalies: Anomaly[] = [];
	windowSeries: SeriesInfo | null = null;
	readonly view = null;
	ready = false;
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	private readonly listeners = new Set<() => void>();

	constructor(readonly seriesId: number) {}

	onRedraw(listener: () => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	redraw(): void {
		for (const listener of this.listeners) listener();
	}
}

/** Candles the candle chart shows, newest last. */
const CANDLES_SHOWN = 120;
/** Narrowest time span the chart zooms to, ms. */
const MIN_SPAN_MS = 50;

export interface LatestTick {
	t: number;
	v: number;
	change: number;
	flagged: boolean;
}

/** `outdated`: a newer version of the app opened the history; this tab stopped and must reload. */
export type Phase = 'starting' | 'live' | 'failed' | 'outdated';

/**
 * The app state the UI reads. Hot data (chart columns) never enters `$state`: it sits in
 * `window` and goes straight to uPlot; only summaries are reactive, reassigned per frame.
 */
export class Dashboard {
	phase = $state<Phase>('starting');
	/** `mirror`: another tab records the history and this one shows what it streams. */
	role = $state<TabRole>('leader');
	failure = $state<string | null>(null);
	/** Every series in the history. */
	series = $state.raw<SeriesInfo[]>([]);
	/** Ids of the series the sources produce now. */
	activeIds = $state.raw<readonly number[]>([]);
	simulator = $state.raw<SimulatorSettings | null>(null);
	detection = $state.raw<DetectionSettings | null>(null);
	detectors = $state.raw<DetectorInfo[]>([]);
	selectedId = $state<number | null>(null);
	windowSize = $state(WINDOW_DEFAULT);
	retentionMs = $state(60 * 60 * 1000);
	stats = $state.raw<EngineStats | null>(null);
	/** Newest first. */
	anomalies = $state.raw<Anomaly[]>([]);
	latest = $state.raw<LatestTick[]>([]);
	/** Oldest value in the chart window, for the change shown beside the latest price. */
	windowFirst = $state<number | null>(null);
	/** Decimals the selected series is quoted in (read off its values). */
	decimals = $state(2);
	/** null: the chart follows the newest ticks. Otherwise the stretch of history it shows. */
	view = $state.raw<HistoryView | null>(null);
	/** null: ticks are charted. Otherwise candles of this window length. */
	aggregation = $state<Resolution | null>(null);
	/** The last re-run of the detector over the shown range, for the toolbar. */
	rerun = $state.raw<RerunResult | null>(null);
	/** The selected series' stored extent; refreshed with `storage`. */
	meta = $state.raw<SeriesMeta | null>(null);
	/** Usage, quota, persistence and the size cap; refreshed every few seconds. */
	storage = $state.raw<StorageInfo | null>(null);
	/** Extra live charts, in the order they were added. */
	panels = $state.raw<PanelChart[]>([]);
	/** Views the person saved, newest first. */
	savedViews = $state.raw<SavedView[]>([]);
	/** The newest candles of the selected series at `aggregation`; read by the candle chart. */
	candles: CandleData | null = null;

	/** The selected series' chart window; read by the chart on redraw. */
	readonly window = new ChartWindow(WINDOW_DEFAULT);
	/** Flags on the selected series inside the window, oldest first; read by the chart. */
	chartAnomalies: Anomaly[] = [];
	/** Which series `window` holds now (it switches when the new series' first frame lands). */
	windowSeries: SeriesInfo | null = null;

	private client: EngineClient | null = null;
	// Plain Sets on purpose: listeners and lookups are not UI state and must not trigger renders.
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	private readonly redrawListeners = new Set<() => void>();
	private frameRequest = 0;
	private lastStatsAt = 0;
	private lastSummaryAt = 0;
	/** Flags not yet in the log, newest last: the log follows at the summary rate. */
	private pendingAnomalies: Anomaly[] = [];
	private disposed = false;
	private candleTimer: ReturnType<typeof setInterval> | null = null;
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	private readonly candleListeners = new Set<() => void>();
	/** Numbers view requests, so a slow answer for an old range never replaces a newer one. */
	private viewRequest = 0;
	/** The window is showing the selected series (its first frame has come in). */
	private windowReady = false;

	selected = $derived(this.series.find((s) => s.id === this.selectedId) ?? null);
	/** The live series, in the order the source declares them. */
	activeSeries = $derived.by(() => {
		// A lookup built and dropped inside the derivation: no reactivity wanted.
		// eslint-disable-next-line svelte/prefer-svelte-reactivity
		const byId = new Map(this.series.map((s) => [s.id, s]));
		return this.activeIds.map((id) => byId.get(id)).filter((s): s is SeriesInfo => s !== undefined);
	});

	private options: { simulator?: Partial<SimulatorSettings>; dbName?: string } = {};

	async start(options: { simulator?: Partial<SimulatorSettings>; dbName?: string } = {}): Promise<void> {
		this.options = options;
		await this.connect();
	}

	/**
	 * The browser is freezing this page (a background tab): it would hold the recording without
	 * drawing anything, so another tab records meanwhile; this one mirrors when it thaws.
	 */
	async handOver(): Promise<void> {
		await this.client?.api.handOver();
	}

	/** Makes this tab the one that records; the tab that did becomes a mirror of this one. */
	async takeOver(): Promise<void> {
		await this.client?.api.takeOver();
	}

	private async connect(): Promise<void> {
		try {
			this.client = connectEngine();
			// untrack: a caller's effect must not come to depend on the window size.
			const watchFirst = untrack(() => this.windowSize);
			const snapshot = await this.client.api.init({ ...this.options, watchFirst });
			if (this.disposed) return;
			this.role = snapshot.role;
			this.selectedId = null;
			this.series = snapshot.series;
			this.activeIds = snapshot.activeSeries;
			this.simulator = snapshot.settings.simulator;
			this.detection = snapshot.settings.detection;
			this.detectors = snapshot.detectors;
			this.anomalies = snapshot.anomalies;
			this.pendingAnomalies = [];
			this.stats = snapshot.stats;
			this.retentionMs = snapshot.settings.retentionMs;
			this.phase = 'live';
			void this.loadViews();
			// The engine already streams the first live series (watchFirst).
			if (snapshot.activeSeries.length > 0) {
				this.selectedId = snapshot.activeSeries[0];
				this.windowReady = false;
				// The person changed the window while the engine was starting: watch with that size.
				const size = untrack(() => this.windowSize);
				if (size !== watchFirst) void this.client.api.watch(snapshot.activeSeries[0], size);
			}
			this.frameRequest = requestAnimationFrame(this.onAnimationFrame);
		} catch (error) {
			this.phase = 'failed';
			this.failure = `The engine could not start: ${error instanceof Error ? error.message : String(error)}`;
		}
	}

	select(seriesId: number): void {
		if (!this.client || seriesId === this.selectedId) return;
		const previous = this.selectedId;
		if (previous !== null && !this.panels.some((p) => p.seriesId === previous)) void this.client.api.unwatch(previous);
		this.selectedId = seriesId;
		this.windowReady = false;
		this.latest = [];
		this.viewRequest++;
		this.view = null;
		this.rerun = null;
		this.meta = null;
		void this.refreshStorage();
		this.candles = null;
		if (this.aggregation) void this.refreshCandles();
		void this.client.api.watch(seriesId, this.windowSize);
	}

	setWindowSize(requested: number): void {
		const size = clampWindow(requested);
		this.windowSize = size;
		this.window.resize(size);
		if (!this.client || this.selectedId === null) return;
		this.notifyRedraw();
		// Re-watch: a larger window needs older ticks from history; the next frame replaces.
		void this.client.api.watch(this.selectedId, size);
	}

	/** Changes the simulator now; switching scenario also takes that scenario's default size and rate. */
	async setSimulator(patch: Partial<SimulatorSettings>): Promise<void> {
		if (!this.client) return;
		const change = { ...patch };
		if (patch.scenario && patch.scenario !== this.simulator?.scenario) {
			const info = SCENARIOS[patch.scenario];
			change.count ??= info.defaultCount;
			change.ticksPerSecond ??= info.defaultTicksPerSecond;
		}
		this.simulator = await this.client.api.setSimulator(change);
	}

	/** Connects a WebSocket feed; a plain-words problem (bad URL, blocked by the page) comes back instead. */
	async connectFeed(url: string, subscribe?: string, mqtt?: MqttSettings): Promise<string | null> {
		const trimmed = url.trim();
		const problem = feedUrlProblem(trimmed, location.protocol);
		if (problem) return problem;
		if (mqtt) {
			const topics = topicsProblem(mqtt.topics);
			if (topics) return `${topics[0].toUpperCase()}${topics.slice(1)}.`;
		}
		if (!this.client) return 'The engine is not running yet.';
		await this.client.api.connectFeed(trimmed, subscribe?.trim() || undefined, mqtt);
		return null;
	}

	async setFeedMapping(id: string, mapping: FeedMapping): Promise<void> {
		await this.client?.api.setFeedMapping(id, mapping);
	}

	async removeFeed(id: string): Promise<void> {
		await this.client?.api.removeFeed(id);
	}

	/** Detector or sensitivity for one series (`seriesKey`), or the default for all series. */
	async setDetection(patch: { seriesKey?: string; detector?: string; sensitivity?: number }): Promise<void> {
		if (!this.client) return;
		this.detection = await this.client.api.setDetection(patch);
	}

	async setRetention(retentionMs: number): Promise<void> {
		this.retentionMs = retentionMs;
		await this.client?.api.setRetention(retentionMs);
	}

	/** Writes buffered history now (before an update reloads the page). */
	async flush(): Promise<void> {
		await this.client?.api.flush();
	}

	/**
	 * Charts candles of `resolution` windows instead of ticks (null: back to ticks). The newest
	 * CANDLES_SHOWN windows are fetched at once and then every second (or every window, if shorter).
	 */
	setAggregation(resolution: Resolution | null): void {
		this.aggregation = resolution;
		this.candles = null;
		if (this.candleTimer) clearInterval(this.candleTimer);
		this.candleTimer = null;
		if (!resolution) return;
		void this.refreshCandles();
		this.candleTimer = setInterval(() => void this.refreshCandles(), Math.min(1000, resolutionMs(resolution)));
	}

	private async refreshCandles(): Promise<void> {
		const client = this.client;
		const resolution = this.aggregation;
		const seriesId = this.selectedId;
		if (!client || !resolution || seriesId === null) return;
		// The newest tick's time, not the wall clock: a simulator may run ahead of it or be paused.
		const to = this.window.length > 0 ? this.window.xs[this.window.length - 1] : Date.now();
		const data = await client.api.readCandles(seriesId, resolution, to - CANDLES_SHOWN * resolutionMs(resolution), to);
		if (client !== this.client || resolution !== this.aggregation || seriesId !== this.selectedId) return;
		this.candles = data;
		for (const listener of this.candleListeners) listener();
	}

	/** The candle chart calls back when new candles are in; returns the unsubscribe. */
	onCandles(listener: () => void): () => void {
		this.candleListeners.add(listener);
		return () => this.candleListeners.delete(listener);
	}

	/**
	 * Downloads the selected series' ticks: what the chart shows (`shown`) or all of its history.
	 * Resolves to the number of rows written.
	 */
	async exportSeries(format: ExportFormat, scope: 'shown' | 'all'): Promise<number> {
		if (!this.client || this.selectedId === null) return 0;
		const range = scope === 'shown' ? this.shownRange() : null;
		const file = await this.client.api.exportSeries(this.selectedId, range?.from ?? -Infinity, range?.to ?? Infinity, format);
		download(file.blob, file.name);
		return file.rows;
	}

	/** Downloads the anomaly log of every series. */
	async exportAnomalies(format: ExportFormat): Promise<number> {
		if (!this.client) return 0;
		const file = await this.client.api.exportAnomalies(format);
		download(file.blob, file.name);
		return file.rows;
	}

	/**
	 * Imports a CSV file (with NAB label windows from `labels`, if given) and replays it through
	 * the pipeline at `speed`; shows its first series.
	 */
	async importCsv(file: File, speed: ReplaySpeed, labels?: File): Promise<ImportSummary | null> {
		if (!this.client) return null;
		const summary = await this.client.api.importCsv(file, { name: file.name, speed, labels, labelsName: labels?.name });
		const fresh = summary.series.filter((info) => !this.series.some((s) => s.id === info.id));
		if (fresh.length > 0) this.series = this.series.concat(fresh);
		if (summary.series.length > 0) this.select(summary.series[0].id);
		return summary;
	}

	/** Runs the selected series' detector again over the shown range and compares with its stored flags. */
	async rerunDetection(): Promise<void> {
		const range = this.shownRange();
		if (!this.client || this.selectedId === null || !range) return;
		this.rerun = await this.client.api.rerunDetection(this.selectedId, range.from, range.to);
	}

	async refreshStorage(): Promise<void> {
		const client = this.client;
		if (!client) return;
		const id = this.selectedId;
		const [storage, meta] = await Promise.all([client.api.storageInfo(), id === null ? null : client.api.seriesMeta(id)]);
		this.storage = storage;
		if (id === this.selectedId) this.meta = meta;
	}

	/**
	 * Asks the browser to keep the history under storage pressure (persist() exists on the page,
	 * not in the worker). Resolves to whether it is persistent now (null: the browser cannot say).
	 */
	async persistStorage(): Promise<boolean | null> {
		const granted = await requestPersistence();
		await this.refreshStorage();
		return granted;
	}

	async setSizeCap(bytes: number): Promise<void> {
		await this.client?.api.setSizeCap(bytes);
		await this.refreshStorage();
	}

	/** What the chart shows now, as a view that can be saved and reopened. */
	currentView(): NamedView | null {
		const series = this.selected;
		if (!series || !this.detection) return null;
		return {
			seriesKey: series.key,
			range: this.view ? { from: this.view.from, to: this.view.to } : null,
			windowSize: this.windowSize,
			aggregation: this.aggregation,
			detection: choiceFor(this.detection, series.key)
		};
	}

	/** Saves the current view under `name`; a plain-words problem comes back instead when it cannot. */
	async saveView(name: string): Promise<string | null> {
		const clean = cleanViewName(name);
		if (!clean) return 'Give the view a name.';
		const view = this.currentView();
		if (!view || !this.client) return 'Pick a series first.';
		await this.client.api.saveView(clean, view);
		await this.loadViews();
		return null;
	}

	async loadViews(): Promise<void> {
		if (!this.client) return;
		const rows = await this.client.api.listViews();
		this.savedViews = rows.flatMap((row) => {
			const view = parseNamedView(row.view);
			return view ? [{ id: row.id, name: row.name, createdAt: row.createdAt, view }] : [];
		});
	}

	async deleteView(id: number): Promise<void> {
		await this.client?.api.deleteView(id);
		await this.loadViews();
	}

	/** Reopens a saved view; a plain-words problem comes back when its series is gone. */
	async openView(saved: SavedView): Promise<string | null> {
		const { view } = saved;
		const series = this.series.find((s) => s.key === view.seriesKey);
		if (!series) return `The series ${view.seriesKey} of “${saved.name}” is not in the history any more.`;
		this.select(series.id);
		if (view.windowSize !== this.windowSize) this.setWindowSize(view.windowSize);
		if (this.detection) {
			const now = choiceFor(this.detection, series.key);
			if (now.detector !== view.detection.detector || now.sensitivity !== view.detection.sensitivity) {
				await this.setDetection({ seriesKey: series.key, ...view.detection });
			}
		}
		this.setAggregation(view.aggregation);
		if (view.range) await this.showRange(view.range.from, view.range.to, VIEW_POINTS);
		else this.goLive();
		return null;
	}

	/**
	 * Makes a series of one statistic of the selected series' windows at the current aggregation
	 * (e.g. ticks per minute), and shows it: detectors watch it like any other series.
	 */
	async deriveSeries(stat: DerivedStat): Promise<string | null> {
		if (!this.client || this.selectedId === null || !this.aggregation) return 'Pick a series and a window length first.';
		try {
			const info = await this.client.api.deriveSeries(this.selectedId, this.aggregation, stat);
			if (!this.series.some((s) => s.id === info.id)) this.series = this.series.concat(info);
			this.setAggregation(null);
			this.select(info.id);
			return null;
		} catch (error) {
			return error instanceof Error ? error.message : String(error);
		}
	}

	/** Adds a small live chart of a series (the main chart's, by default) below the main one. */
	addPanel(seriesId = this.selectedId): void {
		if (!this.client || seriesId === null || this.panels.length >= MAX_PANELS) return;
		if (this.panels.some((p) => p.seriesId === seriesId)) return;
		const panel = new PanelChart(seriesId);
		panel.windowSeries = this.series.find((s) => s.id === seriesId) ?? null;
		this.panels = [...this.panels, panel];
		// One watch per series: the main chart's, when it shows the same series, serves both.
		void this.client.api.watch(seriesId, seriesId === this.selectedId ? Math.max(this.windowSize, PANEL_WINDOW) : PANEL_WINDOW);
	}

	removePanel(seriesId: number): void {
		this.panels = this.panels.filter((p) => p.seriesId !== seriesId);
		if (seriesId !== this.selectedId) void this.client?.api.unwatch(seriesId);
	}

	/** Freezes the chart on what it shows now; ticks keep arriving and being stored meanwhile. */
	pause(): void {
		if (this.view) return;
		const t = this.window.xs.slice();
		const v = this.window.ys.slice();
		if (t.length === 0) return;
		const seriesKey = this.windowSeries?.key ?? '';
		this.view = { seriesKey, from: t[0], to: t[t.length - 1], t, v, decimated: false, anomalies: this.chartAnomalies.slice(), loading: false };
		this.notifyRedraw();
	}

	/** Back to following the newest ticks: the live window kept filling while paused. */
	goLive(): void {
		this.viewRequest++;
		this.view = null;
		this.notifyRedraw();
	}

	/** The time span the chart shows now (live: its window's extent). */
	shownRange(): { from: number; to: number } | null {
		if (this.view) return { from: this.view.from, to: this.view.to };
		const xs = this.window.xs;
		return xs.length > 0 ? { from: xs[0], to: xs[xs.length - 1] } : null;
	}

	/**
	 * Shows [from, to] from history, decimated to about `points` pixels. The chart rescales at
	 * once with what it has; the fetched ticks replace it when they come.
	 */
	async showRange(from: number, to: number, points: number): Promise<void> {
		const client = this.client;
		const seriesId = this.selectedId;
		if (!client || seriesId === null || !(to > from)) return;
		if (to - from < MIN_SPAN_MS) {
			const mid = (from + to) / 2;
			[from, to] = [mid - MIN_SPAN_MS / 2, mid + MIN_SPAN_MS / 2];
		}
		const seriesKey = this.selected?.key ?? '';
		// The window may still hold the previous series (a view reopened right after a switch).
		if (!this.view && this.windowSeries?.id === seriesId) this.pause();
		const request = ++this.viewRequest;
		const keep = this.view?.seriesKey === seriesKey ? this.view : null;
		const shown = keep ?? { t: new Float64Array(0), v: new Float64Array(0), decimated: false, anomalies: [] };
		this.view = { ...shown, seriesKey, from, to, loading: true };
		this.notifyRedraw();
		const result = await client.api.readView(seriesId, from, to, Math.max(16, Math.round(points)));
		if (request !== this.viewRequest || client !== this.client) return;
		this.view = { seriesKey, from, to, t: result.t, v: result.v, decimated: result.decimated, anomalies: result.anomalies, loading: false };
		this.notifyRedraw();
	}

	/** Zooms by `factor` (< 1 in, > 1 out) around time `at` (default: the middle). */
	zoom(factor: number, points: number, at?: number): Promise<void> {
		const range = this.shownRange();
		if (!range) return Promise.resolve();
		const centre = at ?? (range.from + range.to) / 2;
		return this.showRange(centre - (centre - range.from) * factor, centre + (range.to - centre) * factor, points);
	}

	/** Moves the shown span by `fraction` of its width (negative: back in time). */
	pan(fraction: number, points: number): Promise<void> {
		const range = this.shownRange();
		if (!range) return Promise.resolve();
		const shift = (range.to - range.from) * fraction;
		return this.showRange(range.from + shift, range.to + shift, points);
	}

	/**
	 * Centres the chart on the selected series' flag before (`-1`) or after (`1`) the middle of
	 * what is shown (live: before the newest tick), keeping the span. Resolves to false when there
	 * is none that way.
	 */
	async jumpToAnomaly(direction: -1 | 1, points: number): Promise<boolean> {
		const client = this.client;
		const range = this.shownRange();
		if (!client || this.selectedId === null || !range) return false;
		// Live, the newest flag is the "previous" one; in history, flags are counted from the middle.
		const from = this.view ? (range.from + range.to) / 2 : range.to + 1;
		const found = await client.api.adjacentAnomaly(this.selectedId, from, direction);
		if (!found) return false;
		const half = Math.max((range.to - range.from) / 2, MIN_SPAN_MS);
		await this.showRange(found.t - half, found.t + half, points);
		return true;
	}

	/** The chart calls back on every frame that changed its data; returns the unsubscribe. */
	onRedraw(listener: () => void): () => void {
		this.redrawListeners.add(listener);
		return () => this.redrawListeners.delete(listener);
	}

	dispose(): void {
		this.disposed = true;
		cancelAnimationFrame(this.frameRequest);
		if (this.candleTimer) clearInterval(this.candleTimer);
		this.client?.dispose();
		this.client = null;
		this.redrawListeners.clear();
	}

	/** One engine frame per animation frame; the next is asked for only after this one is applied. */
	private readonly onAnimationFrame = async (): Promise<void> => {
		const client = this.client;
		if (!client || this.disposed) return;
		try {
			const frame = await client.api.pullFrame();
			// A take-over replaced the engine while this frame was on its way: drop it.
			if (client !== this.client) return;
			if (frame.stopped) {
				this.phase = frame.stopped;
				client.dispose();
				this.client = null;
				return;
			}
			if (frame.role !== this.role) this.role = frame.role;
			if (frame.settings) this.applySettings(frame.settings);
			this.apply(frame);
		} catch (error) {
			if (this.disposed || client !== this.client) return;
			this.phase = 'failed';
			this.failure = `Lost contact with the engine: ${error instanceof Error ? error.message : String(error)}`;
			return;
		}
		if (!this.disposed) this.frameRequest = requestAnimationFrame(this.onAnimationFrame);
	};

	/** Settings changed (here, or in another tab of the same history). */
	private applySettings(settings: EngineSettings): void {
		this.simulator = settings.simulator;
		this.detection = settings.detection;
		this.retentionMs = settings.retentionMs;
	}

	private apply(frame: EngineFrame): void {
		let redraw = false;
		// First: a frame may carry the first ticks of a series it also announces.
		if (frame.seriesAdded.length > 0) this.series = this.series.concat(frame.seriesAdded);
		const panels = this.panels;
		for (const s of frame.series) {
			for (const panel of panels) {
				if (panel.seriesId !== s.id) continue;
				if (s.replace) panel.window.replace(s.t, s.v, s.lo, s.hi);
				else if (panel.ready) panel.window.append(s.t, s.v, s.lo, s.hi);
				panel.ready ||= s.replace === true;
				panel.windowSeries ??= this.series.find((info) => info.id === s.id) ?? null;
				panel.redraw();
			}
			if (s.id !== this.selectedId) continue;
			if (s.replace) {
				this.window.replace(s.t, s.v, s.lo, s.hi);
				this.chartAnomalies = s.anomalies ?? [];
				this.windowSeries = this.series.find((info) => info.id === s.id) ?? null;
				this.windowReady = true;
			} else if (this.windowReady) {
				this.window.append(s.t, s.v, s.lo, s.hi);
			}
			redraw = true;
		}
		if (frame.anomalies.length > 0) {
			for (const a of frame.anomalies) if (a.seriesId === this.selectedId) this.chartAnomalies.push(a);
			for (const a of frame.anomalies) this.pendingAnomalies.push(a);
			for (const panel of this.panels) {
				let added = false;
				for (const a of frame.anomalies) {
					if (a.seriesId !== panel.seriesId) continue;
					panel.chartAnomalies.push(a);
					added = true;
				}
				if (!added) continue;
				const first = panel.window.length > 0 ? panel.window.xs[0] : -Infinity;
				while (panel.chartAnomalies.length > 0 && panel.chartAnomalies[0].t < first) panel.chartAnomalies.shift();
				panel.redraw();
			}
			if (this.pendingAnomalies.length > 2 * LOG_ROWS) this.pendingAnomalies.splice(0, this.pendingAnomalies.length - LOG_ROWS);
			redraw = true;
		}
		if (frame.activeSeries) {
			this.activeIds = frame.activeSeries;
			// A new scenario: follow it unless the picked series is still live.
			const first = frame.activeSeries[0];
			if (first !== undefined && !frame.activeSeries.includes(this.selectedId ?? -1)) this.select(first);
		}
		const now = performance.now();
		if (now - this.lastStatsAt >= STATS_INTERVAL_MS) {
			this.stats = frame.stats;
			this.lastStatsAt = now;
		}
		// The chart (a canvas) redraws every frame; the tables, figures and log around it change
		// the page's layout, so they follow at most every SUMMARY_INTERVAL_MS (a busy feed re-laid
		// the page 60 times a second for numbers and rows nobody can read that fast).
		if ((redraw || this.pendingAnomalies.length > 0) && now - this.lastSummaryAt >= SUMMARY_INTERVAL_MS) {
			this.lastSummaryAt = now;
			if (this.pendingAnomalies.length > 0) {
				const fresh = this.pendingAnomalies.slice(-LOG_ROWS).reverse();
				this.pendingAnomalies = [];
				this.anomalies = fresh.concat(this.anomalies).slice(0, LOG_ROWS);
			}
			if (redraw) {
				this.latest = this.latestTicks();
				this.windowFirst = this.window.length > 0 ? this.window.ys[0] : null;
				this.decimals = decimalsOf(this.window.ys);
			}
		}
		if (redraw) {
			this.trimChartAnomalies();
			this.notifyRedraw();
		}
	}

	private trimChartAnomalies(): void {
		const xs = this.window.xs;
		if (xs.length === 0) return;
		const from = xs[0];
		let drop = 0;
		while (drop < this.chartAnomalies.length && this.chartAnomalies[drop].t < from) drop++;
		if (drop > 0) this.chartAnomalies = this.chartAnomalies.slice(drop);
	}

	private latestTicks(): LatestTick[] {
		const xs = this.window.xs;
		const ys = this.window.ys;
		const rows: LatestTick[] = [];
		// eslint-disable-next-line svelte/prefer-svelte-reactivity
		const flagged = new Set(this.chartAnomalies.map((a) => a.t));
		for (let i = xs.length - 1; i >= 0 && rows.length < LATEST_ROWS; i--) {
			rows.push({ t: xs[i], v: ys[i], change: i > 0 ? ys[i] - ys[i - 1] : 0, flagged: flagged.has(xs[i]) });
		}
		return rows;
	}

	private notifyRedraw(): void {
		for (const listener of this.redrawListeners) listener();
	}
}

const KEY = Symbol('dashboard');

export function setDashboard(dashboard: Dashboard): Dashboard {
	return setContext(KEY, dashboard);
}

export function getDashboard(): Dashboard {
	return getContext<Dashboard>(KEY);
}
