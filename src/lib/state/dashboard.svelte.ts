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
import { SeriesHub } from './series-hub';
import { LinkedTime } from './linked-time';
import {
	decodeShare,
	defaultWorkspace,
	emptyWorkspace,
	encodeShare,
	MAX_PANELS,
	newPanel,
	parseWorkspace,
	serializeWorkspace,
	SHARE_PARAM,
	type AlertSettings,
	type PanelKind,
	type PanelSpec,
	type Theme,
	type Workspace
} from '../workspace/workspace';

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
/** How often a hidden tab still takes a frame (for alerts), ms. */
const HIDDEN_FRAME_MS = 1000;

/** Ticks a line-chart panel keeps per series. */
export const PANEL_WINDOW = 400;

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
	/** The layout, alerts, theme and linked time of this dashboard (saved with the history). */
	workspace = $state.raw<Workspace>(emptyWorkspace());
	/** Panels of the workspace, in grid order. */
	panels = $derived(this.workspace.panels);
	/** Plain-words notes about the last workspace opened (from a file or a link). */
	workspaceNotes = $state.raw<string[]>([]);
	/** Live series for every panel, each streamed once (see SeriesHub). */
	readonly hub = new SeriesHub(
		// Untracked: a panel subscribing inside an effect must not come to depend on the selection.
		(id) => untrack(() => this.rewatch(id)),
		(id) => untrack(() => this.seriesById(id))
	);
	/** The time range linked chart panels share (null: live). */
	readonly timeLink = new LinkedTime();
	private workspaceSave: ReturnType<typeof setTimeout> | null = null;
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
	/** A hidden tab's frame timer (animation frames stop there; flags must still reach alerts). */
	private hiddenTimer: ReturnType<typeof setTimeout> | null = null;
	private lastStatsAt = 0;
	private lastSummaryAt = 0;
	/** Flags not yet in the log, newest last: the log follows at the summary rate. */
	private pendingAnomalies: Anomaly[] = [];
	private disposed = false;
	private candleTimer: ReturnType<typeof setInterval> | null = null;
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	private readonly candleListeners = new Set<() => void>();
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	private readonly anomalyListeners = new Set<(anomalies: Anomaly[]) => void>();
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
			this.nextFrame();
		} catch (error) {
			this.phase = 'failed';
			this.failure = `The engine could not start: ${error instanceof Error ? error.message : String(error)}`;
		}
	}

	select(seriesId: number): void {
		if (!this.client || seriesId === this.selectedId) return;
		const previous = this.selectedId;
		this.selectedId = seriesId;
		// The previous series stays watched only as far as panels need it.
		if (previous !== null) this.rewatch(previous);
		this.windowReady = false;
		this.latest = [];
		this.viewRequest++;
		this.view = null;
		this.rerun = null;
		this.meta = null;
		void this.refreshStorage();
		this.candles = null;
		if (this.aggregation) void this.refreshCandles();
		this.rewatch(seriesId);
	}

	setWindowSize(requested: number): void {
		const size = clampWindow(requested);
		this.windowSize = size;
		this.window.resize(size);
		if (!this.client || this.selectedId === null) return;
		this.notifyRedraw();
		// Re-watch: a larger window needs older ticks from history; the next frame replaces.
		this.rewatch(this.selectedId);
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

	/** Candles of any series over [from, to] (candle panels poll their own); null before the engine is up. */
	async readCandles(seriesId: number, resolution: Resolution, from: number, to: number): Promise<CandleData | null> {
		return this.client ? this.client.api.readCandles(seriesId, resolution, from, to) : null;
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

	/** Series by id (the history's, including ones not live now). */
	seriesById(id: number): SeriesInfo | undefined {
		return this.series.find((s) => s.id === id);
	}

	/** Series by key. */
	seriesByKey(key: string): SeriesInfo | undefined {
		return this.series.find((s) => s.key === key);
	}

	/**
	 * Watches a series with the window everything on the page needs of it (the main chart's and
	 * the panels'), or stops watching it when nothing does.
	 */
	private rewatch(seriesId: number): void {
		if (!this.client) return;
		const size = Math.max(seriesId === this.selectedId ? untrack(() => this.windowSize) : 0, this.hub.sizeOf(seriesId));
		if (size > 0) void this.client.api.watch(seriesId, size);
		else void this.client.api.unwatch(seriesId);
	}

	/** Adds a panel at the end of the grid (a line chart of the main chart's series, by default). */
	addPanel(kind: PanelKind = 'line', seriesKeys?: string[]): void {
		if (this.workspace.panels.length >= MAX_PANELS) return;
		const keys = seriesKeys ?? (this.selected ? [this.selected.key] : []);
		this.setPanels([...this.workspace.panels, newPanel(kind, keys)]);
	}

	removePanel(id: string): void {
		this.setPanels(this.workspace.panels.filter((p) => p.id !== id));
	}

	/** Moves a panel `delta` places in the grid order. */
	movePanel(id: string, delta: number): void {
		const panels = [...this.workspace.panels];
		const from = panels.findIndex((p) => p.id === id);
		const to = Math.max(0, Math.min(panels.length - 1, from + delta));
		if (from < 0 || from === to) return;
		const [panel] = panels.splice(from, 1);
		panels.splice(to, 0, panel);
		this.setPanels(panels);
	}

	/** Changes one panel's settings (size, axes, window length, link, title, series). */
	updatePanel(id: string, patch: Partial<Omit<PanelSpec, 'id' | 'kind'>>): void {
		this.setPanels(this.workspace.panels.map((p) => (p.id === id ? { ...p, ...patch } : p)));
	}

	/** Back to the first-run layout for what runs now (alerts and theme stay). */
	resetWorkspace(): void {
		const fresh = defaultWorkspace(this.activeSeries);
		this.setWorkspace({ ...this.workspace, panels: fresh.panels });
		this.workspaceNotes = [];
	}

	/** A layout of line charts of these series (`?charts=N`), replacing the panels. */
	setLineCharts(seriesIds: readonly number[]): void {
		const keys = seriesIds.map((id) => this.seriesById(id)?.key).filter((k): k is string => k !== undefined);
		this.setPanels(keys.slice(0, MAX_PANELS).map((key) => newPanel('line', [key], { w: 1, h: 1 })));
	}

	setLinkTime(linked: boolean): void {
		this.setWorkspace({ ...this.workspace, linkTime: linked });
		if (!linked) this.timeLink.set(null);
	}

	setTheme(theme: Theme): void {
		this.setWorkspace({ ...this.workspace, theme });
	}

	setAlerts(alerts: AlertSettings): void {
		this.setWorkspace({ ...this.workspace, alerts });
	}

	private setPanels(panels: PanelSpec[]): void {
		this.setWorkspace({ ...this.workspace, panels });
	}

	/** Replaces the workspace and saves it (in the history's database) a moment later. */
	private setWorkspace(workspace: Workspace): void {
		this.workspace = workspace;
		if (this.workspaceSave) clearTimeout(this.workspaceSave);
		this.workspaceSave = setTimeout(() => {
			this.workspaceSave = null;
			void this.client?.api.saveWorkspace(serializeWorkspace(this.workspace)).catch(() => {});
		}, 300);
	}

	/**
	 * The workspace at start: a shared link's (`#ws=…`), else the saved one, else a first-run
	 * layout for what runs now.
	 */
	async loadWorkspace(shared: string | null): Promise<void> {
		const client = this.client;
		if (!client) return;
		if (shared) {
			const opened = await decodeShare(shared);
			if (opened) {
				await this.openWorkspace(opened.workspace, opened.problems, 'link');
				return;
			}
			this.workspaceNotes = ['The shared link does not hold a workspace Tickscope can read; your own is shown.'];
		}
		const stored = parseWorkspace(await client.api.loadWorkspace());
		if (stored) {
			this.workspace = stored.workspace;
			return;
		}
		this.setWorkspace(defaultWorkspace(this.activeSeries));
	}

	/** The whole workspace as a file: layout, feeds (without credentials), mappings, settings, views. */
	async exportWorkspace(): Promise<void> {
		const client = this.client;
		if (!client) return;
		const parts = await client.api.workspaceParts();
		const ws: Workspace = { ...this.workspace, ...parts, views: this.savedViews.map((v) => ({ name: v.name, view: v.view })) };
		const name = `tickscope-workspace-${ws.name.replace(/[^\w-]+/g, '-').slice(0, 40) || 'workspace'}.json`;
		download(new Blob([JSON.stringify(serializeWorkspace(ws), null, '\t')], { type: 'application/json' }), name);
	}

	/** A link that opens this workspace elsewhere (the fragment never reaches a server). */
	async shareLink(): Promise<string> {
		const parts = this.client ? await this.client.api.workspaceParts() : {};
		const ws: Workspace = { ...this.workspace, ...parts, views: [] };
		return `${location.origin}${location.pathname}#${SHARE_PARAM}=${await encodeShare(ws)}`;
	}

	/** Opens a workspace file; returns plain-words problems (empty when all of it was taken). */
	async importWorkspace(file: File): Promise<string[]> {
		if (file.size > 5_000_000) return ['That file is too big to be a workspace.'];
		let parsed: ReturnType<typeof parseWorkspace>;
		try {
			parsed = parseWorkspace(JSON.parse(await file.text()));
		} catch {
			parsed = null;
		}
		if (!parsed) return ['That file is not a Tickscope workspace.'];
		await this.openWorkspace(parsed.workspace, parsed.problems, 'file');
		return this.workspaceNotes;
	}

	/** Makes `ws` the workspace: its layout at once, then its simulator, detection, feeds and views. */
	private async openWorkspace(ws: Workspace, problems: string[], from: 'file' | 'link'): Promise<void> {
		const notes = [...problems];
		this.setWorkspace(ws);
		const client = this.client;
		if (client) {
			try {
				if (ws.simulator) await this.setSimulator(ws.simulator);
				if (ws.detection) {
					await this.setDetection({ detector: ws.detection.detector, sensitivity: ws.detection.sensitivity });
					for (const [seriesKey, choice] of Object.entries(ws.detection.series)) await this.setDetection({ seriesKey, ...choice });
				}
				// Plain lookups built and dropped here: no reactivity wanted.
				// eslint-disable-next-line svelte/prefer-svelte-reactivity
				const connected = new Set((this.stats?.feeds ?? []).map((f) => f.url));
				for (const feed of ws.feeds) {
					if (feed.secretsRemoved) notes.push(`The feed ${feed.url} needs its credentials again: add them and connect it.`);
					if (connected.has(feed.url)) continue;
					const problem = await this.connectFeed(feed.url, feed.subscribe, feed.mqtt ? { topics: feed.mqtt.topics, qos: feed.mqtt.qos } : undefined);
					if (problem) notes.push(problem);
				}
				// eslint-disable-next-line svelte/prefer-svelte-reactivity
				const names = new Set(this.savedViews.map((v) => v.name));
				for (const view of ws.views) if (!names.has(view.name)) await client.api.saveView(view.name, view.view);
				if (ws.views.length > 0) await this.loadViews();
			} catch (error) {
				notes.push(`Part of the workspace could not be applied: ${error instanceof Error ? error.message : String(error)}`);
			}
		}
		this.workspaceNotes = [`Opened the workspace “${ws.name}” from ${from === 'link' ? 'a shared link' : 'a file'}.`, ...notes];
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

	/** Alerts call back with each frame's new flags (live ones only, not the history's); returns the unsubscribe. */
	onAnomalies(listener: (anomalies: Anomaly[]) => void): () => void {
		this.anomalyListeners.add(listener);
		return () => this.anomalyListeners.delete(listener);
	}

	dispose(): void {
		this.disposed = true;
		cancelAnimationFrame(this.frameRequest);
		if (this.hiddenTimer) clearTimeout(this.hiddenTimer);
		if (this.candleTimer) clearInterval(this.candleTimer);
		this.client?.dispose();
		this.client = null;
		this.redrawListeners.clear();
	}

	/**
	 * Asks for the next frame: at the next animation frame, or in a hidden tab (where animation
	 * frames stop) once a second, so flags still reach the alerts while nothing is drawn.
	 */
	private nextFrame(): void {
		if (typeof document !== 'undefined' && document.hidden) {
			this.hiddenTimer = setTimeout(() => {
				this.hiddenTimer = null;
				void this.onAnimationFrame();
			}, HIDDEN_FRAME_MS);
		} else {
			this.frameRequest = requestAnimationFrame(this.onAnimationFrame);
		}
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
			if (frame.restart) this.applyRestart(frame.restart);
			if (frame.settings) this.applySettings(frame.settings);
			this.apply(frame);
		} catch (error) {
			if (this.disposed || client !== this.client) return;
			this.phase = 'failed';
			this.failure = `Lost contact with the engine: ${error instanceof Error ? error.message : String(error)}`;
			return;
		}
		if (!this.disposed) this.nextFrame();
	};

	/** The tab switched role: series, live series and settings as the new role has them. */
	private applyRestart(restart: NonNullable<EngineFrame['restart']>): void {
		this.series = restart.series;
		this.hub.refreshInfo();
		this.activeIds = restart.activeSeries;
		this.applySettings(restart.settings);
		const first = restart.activeSeries[0];
		if (first !== undefined && !restart.activeSeries.includes(this.selectedId ?? -1)) this.select(first);
	}

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
		if (frame.seriesAdded.length > 0) this.hub.refreshInfo();
		for (const s of frame.series) {
			// Panels: each series' window updated once, however many panels show it.
			this.hub.apply(s);
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
			this.hub.addAnomalies(frame.anomalies);
			for (const listener of this.anomalyListeners) listener(frame.anomalies);
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
		this.hub.flush();
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
