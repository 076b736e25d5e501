import type { AnomalyKind, Truth } from '../../domain/anomaly';
import { Random } from './random';
import type { AnomalyRates } from './scenario';

export interface InjectorOptions {
	/** Its own random stream: the clean model's stream is the same with or without injections. */
	seed: number;
	seriesCount: number;
	/** Per series; converts durations in seconds to ticks and gives a truth's end time. */
	ticksPerSecond: number;
	rates: AnomalyRates;
	/** Kinds this scenario allows; rates of other kinds are ignored. */
	kinds: readonly AnomalyKind[];
	warmupTicks: number;
	/**
	 * Prices: a level shift or a drift moves the series for good. Sensors: the series returns to
	 * its model once the anomalous stretch ends.
	 */
	persistent: boolean;
	/** Output is rounded to a multiple of this (0.01 for cents, 1 for sensor counts); 0: none. */
	quantum: number;
	/** Physical range: outputs are clipped to it; a failed sensor reads `min` or `max`. */
	min: number;
	max: number;
	/**
	 * Sizes (volumes, quantities): anomalies act on ln|v| and `scale` is in log units, so a
	 * spike multiplies a size instead of adding to it; the sign of a signed size is kept.
	 * An additive 10σ on a log-normal size is a 3σ event on its own scale: nothing unusual.
	 */
	logScale?: boolean;
}

/** Kind codes in the per-series state (index into KIND_CODES). */
const NONE = -1;
const KIND_CODES: readonly AnomalyKind[] = [
	'spike',
	'level-shift',
	'variance-burst',
	'drift',
	'stuck',
	'dropout',
	'sensor-failure'
];
const [SPIKE, LEVEL, VARIANCE, DRIFT, STUCK, DROPOUT, FAILURE] = [0, 1, 2, 3, 4, 5, 6];

/** Size of spikes and level shifts in units of the series' per-tick noise: clear of a 6σ threshold. */
const JUMP_MIN_SIGMA = 8;
const JUMP_MAX_SIGMA = 15;
/** A drift's total travel, in per-tick σ, spread over its whole stretch (each step stays small). */
const DRIFT_MIN_SIGMA = 15;
const DRIFT_MAX_SIGMA = 40;
/** Variance bursts multiply the noise by 4–8. */
const BURST_MIN_FACTOR = 4;
const BURST_MAX_FACTOR = 8;
/** Durations in simulated seconds, by kind code (spikes are one tick; persistent shifts too). */
const DURATION_S: readonly (readonly [number, number])[] = [
	[0, 0],
	[20, 60],
	[10, 30],
	[20, 60],
	[5, 20],
	[2, 10],
	[3, 10]
];

/**
 * Injects labelled anomalies into a scenario's clean values, one active anomaly per series at a
 * time, and records each as a Truth whose [t0, t1] covers exactly the ticks it altered. State is
 * in typed arrays sized once; `apply` does not allocate (a Truth object per injection, which is
 * rare, is the only allocation).
 */
export class Injector {
	/** Per-series noise per tick, in value units; the scenario keeps it current. */
	readonly scale: Float64Array;
	private readonly rng: Random;
	private readonly intervalMs: number;
	private readonly ticksPerSecond: number;
	private readonly warmupTicks: number;
	private readonly persistent: boolean;
	private readonly quantum: number;
	private readonly perUnit: number;
	private readonly min: number;
	private readonly max: number;
	/** Probability that a tick starts an injection, and the cumulative share of each kind code. */
	private readonly pStart: number;
	private readonly cumulative: Float64Array;
	private readonly active: Int8Array;
	private readonly remaining: Int32Array;
	private readonly total: Int32Array;
	/** Kind parameter: offset, noise sd, drift travel, or the value a stuck or failed sensor shows. */
	private readonly param: Float64Array;
	/** Offsets that stay after a persistent level shift or drift. */
	private readonly offset: Float64Array;
	private readonly ticks: Float64Array;
	private readonly lastOut: Float64Array;
	private readonly logScale: boolean;
	/** The fast path already drew the start of an injection on this tick. */
	private startsNow = false;

	constructor(options: InjectorOptions) {
		const n = options.seriesCount;
		this.rng = new Random(options.seed);
		this.ticksPerSecond = options.ticksPerSecond;
		this.intervalMs = 1000 / options.ticksPerSecond;
		this.warmupTicks = options.warmupTicks;
		this.persistent = options.persistent;
		this.quantum = options.quantum;
		this.perUnit = options.quantum > 0 ? 1 / options.quantum : 1;
		this.min = options.min;
		this.max = options.max;
		this.cumulative = new Float64Array(KIND_CODES.length);
		let perHour = 0;
		KIND_CODES.forEach((kind, code) => {
			const rate = options.kinds.includes(kind) ? Math.max(0, options.rates[kind] ?? 0) : 0;
			perHour += rate;
			this.cumulative[code] = perHour;
		});
		for (let code = 0; code < KIND_CODES.length; code++) {
			this.cumulative[code] = perHour > 0 ? this.cumulative[code] / perHour : 0;
		}
		this.pStart = perHour / (3600 * options.ticksPerSecond);
		this.scale = new Float64Array(n);
		this.active = new Int8Array(n).fill(NONE);
		this.remaining = new Int32Array(n);
		this.total = new Int32Array(n);
		this.param = new Float64Array(n);
		this.offset = new Float64Array(n);
		this.ticks = new Float64Array(n);
		this.lastOut = new Float64Array(n).fill(Number.NaN);
		this.logScale = options.logScale ?? false;
	}

	/**
	 * The value series `i` shows at `t` given its clean model value, or NaN when the tick is
	 * dropped (a dropout). Starts an injection now and then, pushing its Truth.
	 */
	apply(i: number, t: number, clean: number, truths: Truth[]): number {
		// The common case, kept small so it inlines into a scenario's loop: nothing active, no
		// offset left by an earlier shift, and no injection starting on this tick.
		if (this.active[i] === NONE && this.offset[i] === 0) {
			const n = this.ticks[i] + 1;
			if (n <= this.warmupTicks || this.pStart === 0 || this.rng.next() >= this.pStart) {
				this.ticks[i] = n;
				return this.emit(i, clean);
			}
			// An injection starts here: the full path draws its parameters from the stream.
			this.startsNow = true;
		}
		if (!this.logScale) return this.emit(i, this.applyOn(i, t, clean, truths));
		// Sizes: the arithmetic runs on ln|v|, the sign of a signed size is kept.
		const worked = this.applyOn(i, t, Math.log(Math.abs(clean)), truths);
		return this.emit(i, (clean < 0 ? -1 : 1) * Math.exp(worked));
	}

	/** Value (or ln|value|) → the space the anomaly arithmetic runs in. */
	private toWork(x: number): number {
		return this.logScale ? Math.log(Math.abs(x)) : x;
	}

	/** The anomaly arithmetic in working space. Returns NaN for a dropped tick. */
	private applyOn(i: number, t: number, clean: number, truths: Truth[]): number {
		const n = ++this.ticks[i];
		let v = clean + this.offset[i];
		let code = this.active[i];
		if (code === NONE) {
			const starts = this.startsNow || (n > this.warmupTicks && this.pStart > 0 && this.rng.next() < this.pStart);
			this.startsNow = false;
			if (!starts) return v;
			code = this.start(i, t, v, truths);
			// A persistent shift moved the offset for good and needs nothing more.
			if (code === NONE) return clean + this.offset[i];
		}

		const a = this.param[i];
		const done = this.total[i] - this.remaining[i] + 1;
		switch (code) {
			case SPIKE:
			case LEVEL:
				v += a;
				break;
			case VARIANCE:
				v += a * this.rng.normal();
				break;
			case DRIFT:
				v += (a * done) / this.total[i];
				break;
			case STUCK:
			case FAILURE:
				v = a;
				break;
			case DROPOUT:
				v = Number.NaN;
				break;
		}
		if (--this.remaining[i] === 0) {
			this.active[i] = NONE;
			if (code === DRIFT && this.persistent) this.offset[i] += a;
		}
		return v;
	}

	/** Sets up an injection on series `i`; returns its kind code, or NONE when it is already done. */
	private start(i: number, t: number, v: number, truths: Truth[]): number {
		const rng = this.rng;
		const u = rng.next();
		let code = 0;
		while (code < KIND_CODES.length - 1 && u >= this.cumulative[code]) code++;
		const sigma = this.scale[i];
		// A size spike is a huge trade; a size that drops to nothing for one tick is no event.
		let sign = rng.next() < 0.5 && !(this.logScale && code === SPIKE) ? -1 : 1;
		// Move where there is room: a spike down on a sensor reading 0 would change nothing.
		if (!this.logScale && (code === SPIKE || code === LEVEL || code === DRIFT)) {
			const reach = JUMP_MIN_SIGMA * sigma;
			if (sign < 0 && v - reach < this.min) sign = 1;
			else if (sign > 0 && v + reach > this.max) sign = -1;
		}
		const [lo, hi] = DURATION_S[code];
		let ticks = Math.max(1, Math.round((lo + (hi - lo) * rng.next()) * this.ticksPerSecond));
		let magnitude = 0;
		let param = 0;
		switch (code) {
			case SPIKE:
			case LEVEL:
				magnitude = JUMP_MIN_SIGMA + (JUMP_MAX_SIGMA - JUMP_MIN_SIGMA) * rng.next();
				param = sign * magnitude * sigma;
				if (code === SPIKE) ticks = 1;
				break;
			case VARIANCE:
				magnitude = BURST_MIN_FACTOR + (BURST_MAX_FACTOR - BURST_MIN_FACTOR) * rng.next();
				// Extra noise so that the total sd is `magnitude` times the normal one.
				param = Math.sqrt(magnitude * magnitude - 1) * sigma;
				break;
			case DRIFT:
				magnitude = DRIFT_MIN_SIGMA + (DRIFT_MAX_SIGMA - DRIFT_MIN_SIGMA) * rng.next();
				param = sign * magnitude * sigma;
				break;
			case STUCK:
				param = Number.isNaN(this.lastOut[i]) ? v : this.toWork(this.lastOut[i]);
				break;
			case FAILURE:
				param = this.toWork(sign < 0 ? this.min : this.max);
				break;
		}
		const kind = KIND_CODES[code];
		if (code === LEVEL && this.persistent) {
			this.offset[i] += param;
			truths.push({ id: 0, seriesId: i, kind, t0: t, t1: t, magnitude });
			return NONE;
		}
		truths.push({ id: 0, seriesId: i, kind, t0: t, t1: t + (ticks - 1) * this.intervalMs, magnitude });
		this.active[i] = code;
		this.remaining[i] = ticks;
		this.total[i] = ticks;
		this.param[i] = param;
		return code;
	}

	private emit(i: number, v: number): number {
		if (Number.isNaN(v)) return v;
		let out = v < this.min ? this.min : v > this.max ? this.max : v;
		// Dividing the integer count by the inverse gives the double nearest k·q (k * q may not).
		if (this.quantum > 0) out = Math.round(out * this.perUnit) / this.perUnit;
		// Rounding may not land back inside the range at its edges.
		if (out < this.min) out = this.min;
		this.lastOut[i] = out;
		return out;
	}
}
