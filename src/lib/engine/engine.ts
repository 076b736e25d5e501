import type { Anomaly, Truth } from '../domain/anomaly';
import type { SeriesInfo } from '../domain/series';
import { TickBatch } from '../domain/tick-batch';
import type { Detector } from '../detectors/detector';
import { RollingZScore } from '../detectors/rolling-zscore';
import { TruthMatcher } from '../detectors/truth-matcher';
import { MarketSimulator } from '../sources/simulator/market-simulator';
import type { HistoryStore, StorageProblem } from '../storage/history-store';
import type {
	EngineFrame,
	EngineInitOptions,
	EngineSettings,
	EngineSnapshot,
	EngineStats,
	SeriesFrame
} from './types';
import { WatchBuffer } from './watch-buffer';

/** How often the engine advances sources and runs detectors: ~100 batches a second. */
export const STEP_MS = 10;
/** Tick rate is measured over this span. */
const RATE_WINDOW_MS = 1000;
/** Retention runs in the background this often. */
const RETENTION_INTERVAL_MS = 30_000;
/** A flag up to this long after an injection's last tick still counts as catching it. */
export const MATCH_SLACK_MS = 2000;
/** Ticks fed to each detector from history at start, so it does not begin cold after a reload. */
const PRIME_TICKS = 256;
/** Anomalies a frame carries at most; a flood beyond that is in the log's counts and in storage. */
const MAX_FRAME_ANOMALIES = 500;
/** How many recent anomalies the page gets at start. */
const SNAPSHOT_ANOMALIES = 200;

export const DEFAULT_SETTINGS: EngineSettings = {
	retentionMs: 60 * 60 * 1000,
	simulator: { seed: 1, seriesCount: 100, ticksPerSecond: 10, anomaliesPerSeriesHour: 10 }
};

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
		rejected: {},
		problems: []
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
}

/**
 * Composition of the live pipeline, free of DOM and Comlink: source → detectors → truth
 * matching → history writer, and per-frame batches for the page. Runs in the engine worker,
 * and in Node under tests.
 */
export class Engine {
	private readonly store: HistoryStore;
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
	private watches: (WatchBuffer | undefined)[] = [];
	private simulator: MarketSimulator | null = null;
	/** Simulator's local series index → series id. */
	private simIds = new Int32Array(0);
	private readonly batch = new TickBatch(4096);
	private readonly newTruths: Truth[] = [];
	private readonly matcher = new TruthMatcher({ slackMs: MATCH_SLACK_MS });
	/** Open injections caught so far → when their window closes (then the id is forgotten). */
	private readonly caughtIds = new Map<number, number>();
	private frameAnomalies: Anomaly[] = [];
	private nextAnomalyId = 1;
	private nextTruthId = 1;
	private counters = { hits: 0, falseAlarms: 0, missed: 0, caught: 0, injected: 0 };
	private readonly rejected: Record<string, number> = {};
	private readonly problems = new Map<StorageProblem['kind'] | 'read-failed', string>();
	private historyBytes: number | null = null;
	private rate = { ticks: 0, since: 0, perSecond: 0 };
	private timers: ReturnType<typeof setInterval>[] = [];

	constructor(options: EngineOptions) {
		this.store = options.store;
		this.now = options.now ?? Date.now;
		this.autoRun = options.autoRun ?? true;
		this.estimateBytes = options.estimateBytes ?? (async () => null);
	}

	/** Loads history, resumes the simulator where it left off and starts the loop. */
	async init(options: EngineInitOptions = {}): Promise<EngineSnapshot> {
		const { series: heads, counters, settings } = await this.store.open();
		if (settings) this.settings.retentionMs = settings.retentionMs;
		this.settings.simulator = { ...this.settings.simulator, ...options.simulator };
		this.counters = { ...counters };
		const ids = await this.store.maxIds();
		this.nextAnomalyId = ids.anomaly + 1;
		this.nextTruthId = ids.truth + 1;

		const resumePrices = new Map<string, number>();
		for (const head of heads) {
			this.register(head.info, false);
			if (head.lastT !== undefined) this.lastT[head.info.id] = head.lastT;
			if (head.lastV !== undefined) resumePrices.set(head.info.key, head.lastV);
		}
		// Truths left open by the last session can no longer be caught: the matcher settles them.
		for (const truth of await this.store.openTruths()) this.matcher.add(truth);

		this.startSimulator(resumePrices);
		await this.primeDetectors();
		const anomalies = await this.store.recentAnomalies(SNAPSHOT_ANOMALIES);
		this.rate.since = this.now();
		// The snapshot lists every series; frames only announce ones that appear later.
		this.seriesAdded = [];
		if (this.autoRun) this.run();
		return {
			owner: true,
			series: [...this.series],
			anomalies,
			stats: this.stats(),
			settings: structuredClone(this.settings)
		};
	}

	/** One pass of the pipeline: everything the sources have up to now. */
	step(): void {
		const now = this.now();
		const batch = this.batch;
		batch.clear();
		this.newTruths.length = 0;
		if (this.simulator) this.simulator.advance(now, batch, this.newTruths);
		for (const truth of this.newTruths) this.addTruth(truth);

		const { simIds, detectors, lastT, watches, store } = this;
		let accepted = 0;
		for (let i = 0; i < batch.n; i++) {
			const id = simIds[batch.ids[i]];
			const t = batch.t[i];
			const v = batch.v[i];
			// Policy: a tick older than its series' newest is refused and counted; equal times are kept.
			if (t < lastT[id]) {
				this.reject('out-of-order');
				continue;
			}
			if (!Number.isFinite(v) || !Number.isFinite(t)) {
				this.reject('not-a-number');
				continue;
			}
			lastT[id] = t;
			store.append(id, t, v);
			accepted++;
			const detector = detectors[id];
			const score = detector.update(t, v);
			if (score >= detector.threshold) this.flag(id, t, v, score, detector);
			const watch = watches[id];
			if (watch) watch.push(t, v);
		}
		this.rate.ticks += accepted;

		const missed = this.matcher.expire(now);
		for (const truth of missed) {
			if (truth.detected === false) this.counters.missed++;
			this.store.putTruth(truth);
		}
		for (const [id, closesAt] of this.caughtIds) if (closesAt < now) this.caughtIds.delete(id);
		if (accepted > 0 || missed.length > 0) this.store.setCounters(this.counters);
		this.measureRate(now);
	}

	watch(seriesId: number, windowSize: number): void {
		const size = Math.max(1, Math.floor(windowSize));
		const buffer = new WatchBuffer(seriesId, size);
		this.watches[seriesId] = buffer;
		// The history read copies the in-memory ticks synchronously, so ticks from here on land in
		// the buffer and none are both in the initial window and appended.
		const reading = this.store.readLast(seriesId, size);
		void reading
			.then(async ({ t, v }) => {
				if (this.watches[seriesId] !== buffer) return;
				const from = t.length > 0 ? t[0] : Infinity;
				const anomalies = await this.store.anomaliesSince(seriesId, from);
				buffer.setInitial(t, v, anomalies);
			})
			.catch((error: unknown) => {
				// The chart still goes live with what arrives from now on.
				this.problems.set('read-failed', `Reading history failed (${describe(error)}); showing live ticks only.`);
				if (this.watches[seriesId] === buffer) buffer.setInitial(new Float64Array(0), new Float64Array(0), []);
			});
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
		return { series, anomalies, seriesAdded, stats: this.stats() };
	}

	async setRetention(retentionMs: number): Promise<void> {
		this.settings.retentionMs = retentionMs;
		await this.store.saveSettings({ retentionMs });
		await this.enforceRetention();
	}

	async enforceRetention(): Promise<number> {
		return this.store.enforceRetention(this.now(), this.settings.retentionMs);
	}

	flush(): Promise<void> {
		return this.store.flush();
	}

	/** The store reports a problem; storage full also makes room at once. */
	onStorageProblem(problem: StorageProblem): void {
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
			...this.counters,
			rejected: { ...this.rejected },
			problems: [...this.problems.values()]
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
		for (const timer of this.timers) clearInterval(timer);
		this.timers = [];
		this.store.stop();
	}

	private run(): void {
		this.store.start();
		this.timers.push(setInterval(() => this.step(), STEP_MS));
		this.timers.push(setInterval(() => void this.enforceRetention(), RETENTION_INTERVAL_MS));
		const measure = async () => {
			this.historyBytes = await this.estimateBytes();
		};
		void measure();
		this.timers.push(setInterval(() => void measure(), 2000));
		void this.enforceRetention();
	}

	private startSimulator(resumePrices: ReadonlyMap<string, number>): void {
		const sim = this.settings.simulator;
		const simulator = new MarketSimulator({
			seed: sim.seed,
			seriesCount: sim.seriesCount,
			ticksPerSecond: sim.ticksPerSecond,
			anomaliesPerSeriesHour: sim.anomaliesPerSeriesHour,
			startTime: this.now(),
			// Detectors are primed from history or warm up in 50 ticks; injections wait a little longer.
			warmupTicks: 60,
			initialPrices: resumePrices
		});
		this.simIds = new Int32Array(simulator.series.length);
		simulator.series.forEach((spec, index) => {
			const known = this.byKey.get(spec.key);
			const info = known ?? this.register({ id: this.nextSeriesId, source: 'simulator', ...spec }, true);
			this.simIds[index] = info.id;
		});
		this.simulator = simulator;
	}

	private async primeDetectors(): Promise<void> {
		await Promise.all(
			this.series.map(async (info) => {
				const { t, v } = await this.store.readLast(info.id, PRIME_TICKS);
				const detector = this.detectors[info.id];
				for (let i = 0; i < t.length; i++) detector.update(t[i], v[i]);
			})
		);
	}

	private register(info: SeriesInfo, isNew: boolean): SeriesInfo {
		this.series.push(info);
		this.byKey.set(info.key, info);
		this.nextSeriesId = Math.max(this.nextSeriesId, info.id + 1);
		if (info.id >= this.lastT.length) {
			const lastT = new Float64Array(Math.max(info.id + 1, this.lastT.length * 2)).fill(-Infinity);
			lastT.set(this.lastT);
			this.lastT = lastT;
		}
		this.detectors[info.id] = new RollingZScore({
			window: 200,
			warmup: 50,
			threshold: 6,
			// Prices wander (a random walk): judge each step. Sensors hover: judge the level.
			mode: info.kind === 'price' ? 'delta' : 'level'
		});
		if (isNew) {
			this.seriesAdded.push(info);
			this.store.putSeries(info);
		}
		return info;
	}

	private addTruth(truth: Truth): void {
		truth.id = this.nextTruthId++;
		truth.seriesId = this.simIds[truth.seriesId];
		this.matcher.add(truth);
		this.counters.injected++;
		this.store.putTruth(truth);
	}

	private flag(seriesId: number, t: number, v: number, score: number, detector: Detector): void {
		const truth = this.matcher.match(seriesId, t);
		// The first flag inside an injection's window catches it; later ones are hits too.
		const firstCatch = truth !== undefined && !this.caughtIds.has(truth.id);
		const anomaly: Anomaly = {
			id: this.nextAnomalyId++,
			seriesId,
			t,
			v,
			score,
			detector: detector.name,
			expected: detector.expected,
			truth: truth !== undefined
		};
		if (truth) {
			anomaly.truthId = truth.id;
			this.counters.hits++;
			if (firstCatch) {
				this.caughtIds.set(truth.id, truth.t1 + MATCH_SLACK_MS);
				this.counters.caught++;
				this.store.putTruth(truth);
			}
		} else {
			this.counters.falseAlarms++;
		}
		this.store.putAnomaly(anomaly);
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
		this.rate.perSecond = (this.rate.ticks * 1000) / elapsed;
		this.rate.ticks = 0;
		this.rate.since = now;
	}
}

function describe(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
