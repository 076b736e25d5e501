import type { Truth } from '../../domain/anomaly';
import type { SeriesKind } from '../../domain/series';
import type { TickBatch } from '../../domain/tick-batch';
import { Random } from './random';

export interface SimSeriesSpec {
	key: string;
	label: string;
	unit: string;
	kind: SeriesKind;
}

export interface MarketSimulatorOptions {
	/** Same seed (and same options) → identical ticks and truths. */
	seed: number;
	/** 1..10000, default 100. */
	seriesCount?: number;
	/** Ticks per second per series, default 10. */
	ticksPerSecond?: number;
	/** Expected injections per series per hour of simulated time, default 10. */
	anomaliesPerSeriesHour?: number;
	/** Epoch ms of the first round. */
	startTime: number;
	/** No injection in a series' first N ticks (default 250), so detectors have warmed up. */
	warmupTicks?: number;
	/** Resume: start a series (by key) at this price instead of its seeded one. */
	initialPrices?: ReadonlyMap<string, number>;
}

/** Upper bound on instruments: 10 000 × 10 ticks/s is already 100k ticks/s for one worker. */
export const MAX_SERIES = 10000;
/** Prices move on a 0.01 USD grid, like most listed equities. */
const TICKS_PER_USD = 100;
const TICK_SIZE_USD = 1 / TICKS_PER_USD;
const START_PRICE_MIN_USD = 5;
const START_PRICE_MAX_USD = 500;
/** Base per-tick log-return σ, drawn log-uniformly per instrument. */
const SIGMA_MIN = 1e-4;
const SIGMA_MAX = 5e-4;
/**
 * Base per-tick σ is raised so one step is worth at least one price tick (σ·price ≥ 0.01 USD;
 * a $5 stock gets σ = 2e-3). Without it a cheap stock moves once every few dozen ticks, a lone
 * 0.01 step looks like a 10σ event to a rolling-std detector, and an 8σ injection rounds to
 * nothing: 100 series × 10 min gave ~500 false alarms and recall ~0.83; with it, 0 and > 0.99.
 */
const MIN_STEP_TICKS = 1;
/** GARCH(1,1) per tick: α + β = 0.998 → a volatility shock halves in ~350 ticks (~35 s at 10/s). */
const GARCH_ALPHA = 0.015;
const GARCH_BETA = 0.983;
/** Conditional variance kept within [0.25, 9] × base (σ within ½..3×) so no regime is absurd. */
const VAR_MIN_FACTOR = 0.25;
const VAR_MAX_FACTOR = 9;
/** Injected size in units of the current per-tick σ: 8..15, well clear of a threshold of 6. */
const MAGNITUDE_MIN_SIGMA = 8;
const MAGNITUDE_MAX_SIGMA = 15;
/** Share of injections that are one-tick spikes; the rest are level shifts. */
const SPIKE_SHARE = 0.6;
/** Label RNG is a second stream so labels and start prices do not depend on seriesCount. */
const LABEL_STREAM_SALT = 0x5bd1e995;

const CONSONANTS = 'BCDFGHJKLMNPRSTVWXZ';
const VOWELS = 'AEIOUY';
/** C = consonant, V = vowel: shapes that read like tickers (KRNX, TOVA, MELK, ZAB). */
const LABEL_SHAPES = ['CVCC', 'CCVC', 'CVCV', 'CCCC', 'CVC', 'VCC', 'CVVC', 'VCVC'];

/**
 * Seeded price simulator: log-normal steps with GARCH(1,1) volatility, quantised to 0.01, with
 * spikes and level shifts injected and reported as Truth. Time runs in rounds of 1000 /
 * ticksPerSecond ms; in each round every series ticks once at round start + its own phase, and
 * series are visited in phase order, so output is time-ordered without sorting and one RNG
 * stream gives the same ticks however advance() calls chunk time.
 */
export class MarketSimulator {
	readonly series: readonly SimSeriesSpec[];
	private readonly rng: Random;
	private readonly startTime: number;
	private readonly roundMs: number;
	private readonly warmupTicks: number;
	private readonly injectProbability: number;
	/** Visit order within a round: slot → series index. */
	private readonly order: Int32Array;
	/** Offset of each slot from its round start, ms; increasing in slot. */
	private readonly phaseMs: Float64Array;
	private readonly logPrice: Float64Array;
	private readonly variance: Float64Array;
	private readonly baseVariance: Float64Array;
	private readonly tickCount: Float64Array;
	private round = 0;
	private slot = 0;
	private lastT = -Infinity;

	constructor(options: MarketSimulatorOptions) {
		const n = options.seriesCount ?? 100;
		const ticksPerSecond = options.ticksPerSecond ?? 10;
		const perHour = options.anomaliesPerSeriesHour ?? 10;
		if (!Number.isInteger(n) || n < 1 || n > MAX_SERIES) {
			throw new RangeError(`seriesCount must be an integer in 1..${MAX_SERIES}, got ${n}`);
		}
		if (!(ticksPerSecond > 0)) throw new RangeError(`ticksPerSecond must be > 0`);
		if (!(perHour >= 0)) throw new RangeError(`anomaliesPerSeriesHour must be >= 0`);

		this.rng = new Random(options.seed);
		this.startTime = options.startTime;
		this.roundMs = 1000 / ticksPerSecond;
		this.warmupTicks = options.warmupTicks ?? 250;
		this.injectProbability = perHour / (3600 * ticksPerSecond);
		this.logPrice = new Float64Array(n);
		this.variance = new Float64Array(n);
		this.baseVariance = new Float64Array(n);
		this.tickCount = new Float64Array(n);

		const labelRng = new Random(options.seed ^ LABEL_STREAM_SALT);
		const taken = new Set<string>();
		const series: SimSeriesSpec[] = [];
		for (let i = 0; i < n; i++) {
			let label: string;
			do label = makeLabel(labelRng);
			while (taken.has(label));
			taken.add(label);
			const key = `sim/${label}`;
			series.push({ key, label, unit: 'USD', kind: 'price' });

			const seeded = logUniform(labelRng, START_PRICE_MIN_USD, START_PRICE_MAX_USD);
			const resumed = options.initialPrices?.get(key);
			const price = resumed !== undefined && resumed > 0 ? resumed : seeded;
			const sigma = Math.max(
				logUniform(labelRng, SIGMA_MIN, SIGMA_MAX),
				(MIN_STEP_TICKS * TICK_SIZE_USD) / price
			);
			this.logPrice[i] = Math.log(price);
			this.baseVariance[i] = sigma * sigma;
			this.variance[i] = sigma * sigma;
		}
		this.series = series;

		// Phases spread evenly over the round, series shuffled over the slots (Fisher–Yates).
		this.order = new Int32Array(n);
		this.phaseMs = new Float64Array(n);
		for (let s = 0; s < n; s++) {
			this.order[s] = s;
			this.phaseMs[s] = (s * this.roundMs) / n;
		}
		for (let s = n - 1; s > 0; s--) {
			const j = this.rng.int(s + 1);
			const tmp = this.order[s];
			this.order[s] = this.order[j];
			this.order[j] = tmp;
		}
	}

	/**
	 * Emit every tick with time <= until, in time order, into `out` (ids = local series index),
	 * and push a Truth for every injection started (seriesId = local index, id = 0: the caller
	 * assigns ids). Returns the number of ticks emitted.
	 */
	advance(until: number, out: TickBatch, truths: Truth[]): number {
		const { order, phaseMs, logPrice, variance, baseVariance, tickCount, rng } = this;
		const n = order.length;
		const p = this.injectProbability;
		let round = this.round;
		let slot = this.slot;
		let lastT = this.lastT;
		let roundStart = this.startTime + round * this.roundMs;
		let emitted = 0;
		for (;;) {
			let t = roundStart + phaseMs[slot];
			if (t > until) break;
			// Float rounding at extreme rates could put a slot a hair before the previous one.
			if (t < lastT) t = lastT;
			const i = order[slot];

			const sigma = Math.sqrt(variance[i]);
			const ret = sigma * rng.normal();
			logPrice[i] += ret;
			const base = baseVariance[i];
			let nextVar =
				base * (1 - GARCH_ALPHA - GARCH_BETA) + GARCH_ALPHA * ret * ret + GARCH_BETA * variance[i];
			if (nextVar < base * VAR_MIN_FACTOR) nextVar = base * VAR_MIN_FACTOR;
			else if (nextVar > base * VAR_MAX_FACTOR) nextVar = base * VAR_MAX_FACTOR;
			variance[i] = nextVar;

			let logShown = logPrice[i];
			if (tickCount[i] >= this.warmupTicks && rng.next() < p) {
				const magnitude =
					MAGNITUDE_MIN_SIGMA + (MAGNITUDE_MAX_SIGMA - MAGNITUDE_MIN_SIGMA) * rng.next();
				const jump = (rng.next() < 0.5 ? -1 : 1) * magnitude * sigma;
				const isSpike = rng.next() < SPIKE_SHARE;
				// A spike displaces only this tick; a level shift moves the path itself.
				if (isSpike) logShown += jump;
				else logShown = logPrice[i] += jump;
				const kind = isSpike ? 'spike' : 'level-shift';
				truths.push({ id: 0, seriesId: i, kind, t0: t, t1: t, magnitude });
			}
			tickCount[i]++;

			// Dividing the integer tick count gives the double nearest k/100 (k * 0.01 may not).
			const priceTicks = Math.round(Math.exp(logShown) * TICKS_PER_USD);
			out.push(i, t, (priceTicks < 1 ? 1 : priceTicks) / TICKS_PER_USD);
			emitted++;
			lastT = t;
			if (++slot === n) {
				slot = 0;
				round++;
				roundStart = this.startTime + round * this.roundMs;
			}
		}
		this.round = round;
		this.slot = slot;
		this.lastT = lastT;
		return emitted;
	}
}

function logUniform(rng: Random, min: number, max: number): number {
	return min * Math.exp(rng.next() * Math.log(max / min));
}

function makeLabel(rng: Random): string {
	const shape = LABEL_SHAPES[rng.int(LABEL_SHAPES.length)];
	let label = '';
	for (let k = 0; k < shape.length; k++) {
		const pool = shape[k] === 'C' ? CONSONANTS : VOWELS;
		label += pool[rng.int(pool.length)];
	}
	return label;
}
