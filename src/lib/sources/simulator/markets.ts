import type { Truth } from '../../domain/anomaly';
import type { TickBatch } from '../../domain/tick-batch';
import { Injector } from './injector';
import { SCENARIOS } from './scenario-info';
import { Random } from './random';
import { checkScenarioOptions, type ScenarioInfo, type ScenarioOptions, type SimScenario, type SimSeriesSpec } from './scenario';

/** Upper bound on instruments: 10,000 × 2 series × 10 ticks/s is already 200k ticks/s for one worker. */
const MAX_COUNT = 10_000;
const DEFAULT_WARMUP_TICKS = 60;
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
/**
 * GARCH(1,1) per tick: α + β = 0.998 → a volatility shock halves in ~350 ticks (~35 s at 10/s).
 * α = 0.025 (0.015 before): pooled excess kurtosis of returns ~0.9 instead of ~0.3 and a clearer
 * |return| autocorrelation, with the same ~1 false alarm of the 6σ delta detector per 20
 * instrument-hours of the clean model.
 */
const GARCH_ALPHA = 0.025;
const GARCH_BETA = 0.973;
/** Conditional variance kept within [0.25, 9] × base (σ within ½..3×) so no regime is absurd. */
const VAR_MIN_FACTOR = 0.25;
const VAR_MAX_FACTOR = 9;
/** Sectors whose instruments share one factor shock per round; 10 is in the 8–12 of a real index. */
export const SECTOR_COUNT = 10;
/** Loading on the sector factor: same-sector returns correlate about β_i·β_j ≈ 0.25–0.64. */
const SECTOR_BETA_MIN = 0.5;
const SECTOR_BETA_MAX = 0.8;
/** Natural jumps (news, sweeps): fat tails of 3–5σ, mostly under a 6σ detector; no Truth. */
const JUMPS_PER_HOUR = 3;
const JUMP_MIN_SIGMA = 3;
const JUMP_MAX_SIGMA = 5;
/**
 * Mean shares per tick at base volatility, log-uniform per instrument. At least 30: with 10, a
 * quiet tick of a thin instrument read 1 share (the floor) ~1% of the time, and a downward
 * injection there changes nothing; with 30, 1 tick in 600k.
 */
const VOLUME_BASE_MIN_SHARES = 30;
const VOLUME_BASE_MAX_SHARES = 3000;
/** Volume mean ∝ (σ_t/σ_base)^1.5: variance ratio to the power 0.75. */
const VOLUME_VARIANCE_EXPONENT = 0.75;
/**
 * Big moves trade big: the mean scales by (1 − w) + w·z² for this tick's standardised return z
 * (mean 1, so the average stays the base); a 4σ move trades ~8.5× the usual.
 */
const VOLUME_MOVE_WEIGHT = 0.5;
/** Log-sd of volume around its mean. */
const VOLUME_LOG_SD = 0.5;
/**
 * Volume anomalies act on ln(volume) in steps of this: a 8–15× spike multiplies a trade by
 * e^3.2..e^6 (25×–400×), 5–10 of volume's own log-scale σ (≈ 0.6), unusual but not absurd.
 */
const VOLUME_INJECT_LOG_SCALE = 0.4;
/** Label and per-instrument draws use a stream of their own so they do not depend on the count. */
const LABEL_STREAM_SALT = 0x5bd1e995;
const PRICE_INJECTOR_SALT = 0x27d4eb2f;
const VOLUME_INJECTOR_SALT = 0x165667b1;

const CONSONANTS = 'BCDFGHJKLMNPRSTVWXZ';
const VOWELS = 'AEIOUY';
/** C = consonant, V = vowel: shapes that read like tickers (KRNX, TOVA, MELK, ZAB). */
const LABEL_SHAPES = ['CVCC', 'CCVC', 'CVCV', 'CCCC', 'CVC', 'VCC', 'CVVC', 'VCVC'];


/**
 * Equities: per instrument a price (series 2k) and its trade volume (2k+1), both ticking at the
 * same t, price first. Log-normal steps with GARCH(1,1) volatility, a one-factor sector model,
 * rare natural jumps, a 0.01 grid; volume log-normal, rising with volatility and with the size
 * of the move. Time runs in rounds of 1000 / ticksPerSecond ms; each instrument ticks once per
 * round at its own phase and instruments are visited in phase order, so output is time-ordered
 * without sorting and one random stream gives the same ticks however advance() chunks time.
 */
export class MarketsScenario implements SimScenario {
	static readonly info: ScenarioInfo = SCENARIOS.markets;
	readonly name = 'markets';
	readonly series: readonly SimSeriesSpec[];
	/** Sector of each instrument, 0..SECTOR_COUNT − 1 (for tests and tooltips). */
	readonly sectors: Uint8Array;
	private readonly rng: Random;
	private readonly prices: Injector;
	private readonly volumes: Injector;
	private readonly startTime: number;
	private readonly roundMs: number;
	private readonly ticksPerJump: number;
	/** Visit order within a round: slot → instrument. */
	private readonly order: Int32Array;
	/** Offset of each slot from its round start, ms; increasing in slot. */
	private readonly phaseMs: Float64Array;
	private readonly factor = new Float64Array(SECTOR_COUNT);
	private readonly beta: Float64Array;
	/** √(1 − β²): the idiosyncratic share that keeps the total per-tick σ at √variance. */
	private readonly idio: Float64Array;
	private readonly logPrice: Float64Array;
	private readonly variance: Float64Array;
	private readonly baseVariance: Float64Array;
	private readonly volumeBase: Float64Array;
	private readonly ticksToJump: Float64Array;
	private round = 0;
	private slot = 0;
	private lastT = -Infinity;

	constructor(options: ScenarioOptions) {
		const n = options.count;
		const tps = options.ticksPerSecond;
		checkScenarioOptions(options, MAX_COUNT);
		this.rng = new Random(options.seed);
		this.startTime = options.startTime;
		this.roundMs = 1000 / tps;
		this.ticksPerJump = (3600 * tps) / JUMPS_PER_HOUR;
		this.sectors = new Uint8Array(n);
		this.beta = new Float64Array(n);
		this.idio = new Float64Array(n);
		this.logPrice = new Float64Array(n);
		this.variance = new Float64Array(n);
		this.baseVariance = new Float64Array(n);
		this.volumeBase = new Float64Array(n);
		this.ticksToJump = new Float64Array(n);

		const labelRng = new Random(options.seed ^ LABEL_STREAM_SALT);
		const taken = new Set<string>();
		const series: SimSeriesSpec[] = [];
		for (let k = 0; k < n; k++) {
			let label: string;
			do label = makeLabel(labelRng);
			while (taken.has(label));
			taken.add(label);
			const key = `sim/markets/${label}/price`;
			series.push({ key, label, unit: 'USD', kind: 'price' });
			const volumeKey = `sim/markets/${label}/volume`;
			series.push({ key: volumeKey, label: `${label} vol`, unit: 'shares', kind: 'volume' });

			const seeded = logUniform(labelRng, START_PRICE_MIN_USD, START_PRICE_MAX_USD);
			const resumed = options.resume?.get(key);
			const price = resumed !== undefined && resumed > 0 && Number.isFinite(resumed) ? resumed : seeded;
			const floor = (MIN_STEP_TICKS * TICK_SIZE_USD) / price;
			const sigma = Math.max(logUniform(labelRng, SIGMA_MIN, SIGMA_MAX), floor);
			this.logPrice[k] = Math.log(price);
			this.baseVariance[k] = sigma * sigma;
			this.variance[k] = sigma * sigma;
			this.sectors[k] = labelRng.int(SECTOR_COUNT);
			this.beta[k] = SECTOR_BETA_MIN + (SECTOR_BETA_MAX - SECTOR_BETA_MIN) * labelRng.next();
			this.idio[k] = Math.sqrt(1 - this.beta[k] ** 2);
			this.volumeBase[k] = logUniform(labelRng, VOLUME_BASE_MIN_SHARES, VOLUME_BASE_MAX_SHARES);
			this.ticksToJump[k] = this.drawJumpWait();
		}
		this.series = series;

		// Phases spread evenly over the round, instruments shuffled over the slots (Fisher–Yates).
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

		const common = {
			seriesCount: 2 * n,
			ticksPerSecond: tps,
			rates: options.anomalyRates,
			kinds: SCENARIOS.markets.kinds,
			warmupTicks: options.warmupTicks ?? DEFAULT_WARMUP_TICKS,
			max: Infinity
		};
		// Indexed by series (2k, 2k + 1) so truths carry the local series index as they are pushed.
		this.prices = new Injector({
			...common,
			seed: options.seed ^ PRICE_INJECTOR_SALT,
			persistent: true,
			quantum: TICK_SIZE_USD,
			min: TICK_SIZE_USD
		});
		this.volumes = new Injector({
			...common,
			seed: options.seed ^ VOLUME_INJECTOR_SALT,
			persistent: false,
			quantum: 1,
			min: 1,
			logScale: true
		});
	}

	advance(until: number, out: TickBatch, truths: Truth[]): number {
		const { order, phaseMs, factor, sectors, beta, idio, rng } = this;
		const { logPrice, variance, baseVariance, volumeBase, ticksToJump } = this;
		const priceScale = this.prices.scale;
		const volumeScale = this.volumes.scale;
		const n = order.length;
		let round = this.round;
		let slot = this.slot;
		let lastT = this.lastT;
		let roundStart = this.startTime + round * this.roundMs;
		const before = out.n;
		for (;;) {
			let t = roundStart + phaseMs[slot];
			if (t > until) break;
			// Float rounding at extreme rates could put a slot a hair before the previous one.
			if (t < lastT) t = lastT;
			// One factor shock per sector per round, drawn when the round's first slot is emitted.
			if (slot === 0) for (let s = 0; s < SECTOR_COUNT; s++) factor[s] = rng.normal();
			const k = order[slot];

			// Standardised return: sector factor plus idiosyncratic part, unit variance, plus a jump now and then.
			let z = beta[k] * factor[sectors[k]] + idio[k] * rng.normal();
			if (--ticksToJump[k] <= 0) {
				const size = JUMP_MIN_SIGMA + (JUMP_MAX_SIGMA - JUMP_MIN_SIGMA) * rng.next();
				z += rng.next() < 0.5 ? -size : size;
				ticksToJump[k] = this.drawJumpWait();
			}
			const v = variance[k];
			const sigma = Math.sqrt(v);
			const ret = sigma * z;
			logPrice[k] += ret;
			const base = baseVariance[k];
			let nextVar = base * (1 - GARCH_ALPHA - GARCH_BETA) + GARCH_ALPHA * ret * ret + GARCH_BETA * v;
			if (nextVar < base * VAR_MIN_FACTOR) nextVar = base * VAR_MIN_FACTOR;
			else if (nextVar > base * VAR_MAX_FACTOR) nextVar = base * VAR_MAX_FACTOR;
			variance[k] = nextVar;

			// Dividing the integer tick count gives the double nearest k/100 (k * 0.01 may not).
			const priceTicks = Math.round(Math.exp(logPrice[k]) * TICKS_PER_USD);
			const price = (priceTicks < 1 ? 1 : priceTicks) / TICKS_PER_USD;
			const volumeMean = volumeBase[k] * Math.pow(v / base, VOLUME_VARIANCE_EXPONENT);
			const moveFactor = 1 - VOLUME_MOVE_WEIGHT + VOLUME_MOVE_WEIGHT * z * z;
			// − s²/2 keeps the log-normal's mean at volumeMean × moveFactor.
			const noise = Math.exp(VOLUME_LOG_SD * rng.normal() - 0.5 * VOLUME_LOG_SD * VOLUME_LOG_SD);
			const shares = Math.round(volumeMean * moveFactor * noise);

			const p = 2 * k;
			priceScale[p] = price * sigma;
			volumeScale[p + 1] = VOLUME_INJECT_LOG_SCALE;
			const pushed = truths.length;
			const shownPrice = this.prices.apply(p, t, price, truths);
			if (!Number.isNaN(shownPrice)) out.push(p, t, shownPrice);
			const shownVolume = this.volumes.apply(p + 1, t, shares < 1 ? 1 : shares, truths);
			if (!Number.isNaN(shownVolume)) out.push(p + 1, t, shownVolume);
			for (let j = pushed; j < truths.length; j++) this.endOnTick(truths[j], round, slot);

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
		return out.n - before;
	}

	/**
	 * The injector ends a truth at t0 + (ticks − 1) × interval; at 7 ticks/s that sum lands a
	 * hair before the tick it means (1000/7 is not a double), so the stretch's last tick fell
	 * outside its window. Recompute that tick's time exactly as advance() will.
	 */
	private endOnTick(truth: Truth, round: number, slot: number): void {
		const ticksLeft = Math.round((truth.t1 - truth.t0) / this.roundMs);
		if (ticksLeft > 0) truth.t1 = this.startTime + (round + ticksLeft) * this.roundMs + this.phaseMs[slot];
	}

	/** Ticks until an instrument's next natural jump: exponential, mean one JUMPS_PER_HOUR-th of an hour. */
	private drawJumpWait(): number {
		return Math.ceil(-Math.log(1 - this.rng.next()) * this.ticksPerJump);
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
