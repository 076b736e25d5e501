import { getContext, setContext, untrack } from 'svelte';
import type { Anomaly } from '../domain/anomaly';
import type { SeriesInfo } from '../domain/series';
import type { DetectionSettings } from '../detectors/detection-settings';
import type { DetectorInfo, EngineFrame, EngineStats, FeedMapping, SimulatorSettings } from '../engine/types';
import { feedUrlProblem } from './feed-url';
import { SCENARIOS } from '../sources/simulator/scenario-info';
import { decimalsOf } from './format';
import { ChartWindow } from './chart-window';
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

export interface LatestTick {
	t: number;
	v: number;
	change: number;
	flagged: boolean;
}

/**
 * `elsewhere`: another tab owns the history, this one waits to be asked to take over.
 * `taken-over`: this tab had it until another tab took it.
 */
export type Phase = 'starting' | 'live' | 'failed' | 'elsewhere' | 'taken-over';

/**
 * The app state the UI reads. Hot data (chart columns) never enters `$state`: it sits in
 * `window` and goes straight to uPlot; only summaries are reactive, reassigned per frame.
 */
export class Dashboard {
	phase = $state<Phase>('starting');
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
		await this.connect(false);
	}

	/** Runs the engine in this tab; the tab that had the history stops and says so. */
	async takeOver(): Promise<void> {
		cancelAnimationFrame(this.frameRequest);
		this.client?.dispose();
		this.client = null;
		this.phase = 'starting';
		await this.connect(true);
	}

	private async connect(takeOver: boolean): Promise<void> {
		try {
			this.client = connectEngine();
			// untrack: a caller's effect must not come to depend on the window size.
			const watchFirst = untrack(() => this.windowSize);
			const snapshot = await this.client.api.init({ ...this.options, takeOver, watchFirst });
			if (this.disposed) return;
			if (!snapshot.owner) {
				this.phase = 'elsewhere';
				this.client.dispose();
				this.client = null;
				return;
			}
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
			// The engine already streams the first live series (watchFirst).
			if (snapshot.activeSeries.length > 0) {
				this.selectedId = snapshot.activeSeries[0];
				this.windowReady = false;
			}
			this.frameRequest = requestAnimationFrame(this.onAnimationFrame);
		} catch (error) {
			this.phase = 'failed';
			this.failure = `The engine could not start: ${error instanceof Error ? error.message : String(error)}`;
		}
	}

	select(seriesId: number): void {
		if (!this.client || seriesId === this.selectedId) return;
		if (this.selectedId !== null) void this.client.api.unwatch(this.selectedId);
		this.selectedId = seriesId;
		this.windowReady = false;
		this.latest = [];
		void this.client.api.watch(seriesId, this.windowSize);
	}

	setWindowSize(requested: number): void {
		const size = clampWindow(requested);
		this.windowSize = size;
		if (!this.client || this.selectedId === null) return;
		this.window.resize(size);
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
	async connectFeed(url: string, subscribe?: string): Promise<string | null> {
		const trimmed = url.trim();
		const problem = feedUrlProblem(trimmed, location.protocol);
		if (problem) return problem;
		if (!this.client) return 'The engine is not running yet.';
		await this.client.api.connectFeed(trimmed, subscribe?.trim() || undefined);
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

	/** The chart calls back on every frame that changed its data; returns the unsubscribe. */
	onRedraw(listener: () => void): () => void {
		this.redrawListeners.add(listener);
		return () => this.redrawListeners.delete(listener);
	}

	dispose(): void {
		this.disposed = true;
		cancelAnimationFrame(this.frameRequest);
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
				this.phase = 'taken-over';
				client.dispose();
				this.client = null;
				return;
			}
			this.apply(frame);
		} catch (error) {
			if (this.disposed || client !== this.client) return;
			this.phase = 'failed';
			this.failure = `Lost contact with the engine: ${error instanceof Error ? error.message : String(error)}`;
			return;
		}
		if (!this.disposed) this.frameRequest = requestAnimationFrame(this.onAnimationFrame);
	};

	private apply(frame: EngineFrame): void {
		let redraw = false;
		// First: a frame may carry the first ticks of a series it also announces.
		if (frame.seriesAdded.length > 0) this.series = this.series.concat(frame.seriesAdded);
		for (const s of frame.series) {
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
