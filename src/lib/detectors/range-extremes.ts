import type { Detector, DetectorFactory, DetectorOptions } from './detector';
import { adaptToKind } from './kind-adapter';
import { clampScore, clampSensitivity } from './score-map';

export interface RangeOptions {
	/** The range edges relax toward the mean by 1/forgetTicks per tick; default 20,000 (~33 min at 10/s). */
	forgetTicks?: number;
	/** Ticks seen before scoring, default 100 (the range must have been explored first). */
	warmup?: number;
	threshold?: number;
}

/** Excess beyond the range, as a share of the range, that scores 0.5. */
const EXCESS_HALF = 0.05;
/**
 * Excess flagged at sensitivity 0 and 1 (share of the range); 10% at 0.5. Records of plain
 * Gaussian noise exceed a slowly forgotten range by 3% about once per 1,600 ticks, by 10% about
 * 20 times less often; NAB's optimum (~1.3%) is for series whose anomalies are their records.
 */
const EXCESS_AT_SENSITIVITY_0 = 0.5;
const EXCESS_AT_SENSITIVITY_1 = 0.02;
/** The centre the edges relax toward: an EW mean of span ~200 ticks. */
const CENTRE_ALPHA = 0.01;

/**
 * New extremes: the highest and lowest values seen (edges relaxing slowly toward the mean, so a
 * series that settles lower can again find a high unusual), and a tick's excess beyond them as
 * a share of the range. Needs no scale: the range learned from the stream is the scale. Score =
 * e / (e + 0.05); values inside the range score 0. Much of NAB's labelled anomalies are here.
 */
export class RangeDetector implements Detector {
	readonly name = 'range';
	threshold: number;
	expected = NaN;
	lower = NaN;
	upper = NaN;
	private readonly forget: number;
	private readonly warmup: number;
	private n = 0;
	private hi = -Infinity;
	private lo = Infinity;
	private centre = 0;

	constructor(options: RangeOptions = {}) {
		this.forget = 1 / (options.forgetTicks ?? 20_000);
		this.warmup = options.warmup ?? 100;
		this.threshold = options.threshold ?? rangeThreshold(0.5);
	}

	update(_t: number, x: number): number {
		if (x - x !== 0) return 0;
		if (this.n === 0) this.centre = x;
		const hi = this.hi;
		const lo = this.lo;
		const range = hi - lo;
		let score = 0;
		if (range > 0) {
			const excess = x > hi ? (x - hi) / range : x < lo ? (lo - x) / range : 0;
			if (this.n >= this.warmup && excess > 0) score = clampScore(excess / (excess + EXCESS_HALF));
			const t = this.threshold;
			const margin = (t >= 1 ? Infinity : (EXCESS_HALF * t) / (1 - t)) * range;
			this.lower = lo - margin;
			this.upper = hi + margin;
		} else {
			// Only one value seen so far: any other one is infinitely far out of that range.
			if (this.n >= this.warmup && x !== hi && range === 0) score = 1;
			this.lower = this.upper = this.n > 0 ? hi : x;
		}
		this.expected = this.centre;
		this.hi = x > hi ? x : hi - this.forget * (hi - this.centre);
		this.lo = x < lo ? x : lo - this.forget * (lo - this.centre);
		this.centre += CENTRE_ALPHA * (x - this.centre);
		this.n++;
		return score;
	}

	reset(): void {
		this.n = 0;
		this.hi = -Infinity;
		this.lo = Infinity;
		this.centre = 0;
		this.expected = NaN;
		this.lower = NaN;
		this.upper = NaN;
	}
}

function rangeThreshold(sensitivity: number): number {
	const e = EXCESS_AT_SENSITIVITY_0 * Math.pow(EXCESS_AT_SENSITIVITY_1 / EXCESS_AT_SENSITIVITY_0, clampSensitivity(sensitivity));
	return e / (e + EXCESS_HALF);
}

export const rangeFactory: DetectorFactory = {
	name: 'range',
	title: 'New extremes',
	description: 'Flags values beyond the highest or lowest seen so far (slowly forgotten), by how far they exceed the range.',
	create(options: DetectorOptions): Detector {
		return adaptToKind(options.kind, new RangeDetector({ threshold: rangeThreshold(options.sensitivity ?? 0.5) }));
	},
	thresholdFor: rangeThreshold
};
