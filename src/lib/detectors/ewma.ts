import type { Detector, DetectorFactory, DetectorOptions } from './detector';
import { adaptToKind } from './kind-adapter';
import { clampScore, scoreToZ, zThresholdFor, zToScore } from './score-map';

export interface EwmaOptions {
	/** Span N of the exponential weights (α = 2 / (N + 1)); default 100 ticks. */
	span?: number;
	/** Ticks seen before scoring, default 30. */
	warmup?: number;
	threshold?: number;
}

/** Relative σ floor (see zscore.ts): a change on a constant series gets a huge finite z, not ∞ or NaN. */
const STD_FLOOR_REL = 1e-12;
/** Samples fed to the mean and variance are clipped to mean ± 3σ unless 5 in a row are out (a new level). */
const CLIP_SIGMA = 3;
const ADAPT_AFTER_TICKS = 5;
const Z_AT_SENSITIVITY_0 = 12;
const Z_AT_SENSITIVITY_1 = 3;
const Z_DEFAULT = zThresholdFor(0.5, Z_AT_SENSITIVITY_0, Z_AT_SENSITIVITY_1);

/**
 * Exponentially weighted mean and variance (West's incremental form), O(1) and two numbers of
 * state: reacts faster than a rolling window after a change and forgets old regimes smoothly.
 * Until N ticks are seen the weight is 1/n, so early estimates are plain averages, not biased to
 * the first value.
 */
export class EwmaDetector implements Detector {
	readonly name = 'ewma';
	threshold: number;
	expected = NaN;
	lower = NaN;
	upper = NaN;
	private readonly alpha: number;
	private readonly warmup: number;
	private n = 0;
	private mean = 0;
	private variance = 0;
	private outsideInRow = 0;

	constructor(options: EwmaOptions = {}) {
		const span = options.span ?? 100;
		if (!(span >= 1)) throw new RangeError('span must be >= 1');
		this.alpha = 2 / (span + 1);
		this.warmup = options.warmup ?? 30;
		this.threshold = options.threshold ?? zToScore(Z_DEFAULT);
	}

	update(_t: number, x: number): number {
		if (x - x !== 0) return 0;
		const n = this.n;
		const mean = n > 0 ? this.mean : x;
		const scale = Math.max(Math.abs(x), Math.abs(mean));
		const std = Math.max(Math.sqrt(this.variance), scale * STD_FLOOR_REL, Number.MIN_VALUE);
		const dev = x - mean;
		const z = dev === 0 ? 0 : Math.abs(dev) / std;
		const k = scoreToZ(this.threshold);
		this.expected = mean;
		this.lower = mean - k * std;
		this.upper = mean + k * std;

		let d = dev;
		const limit = CLIP_SIGMA * std;
		// Only a warm σ may clip: clipping to a σ of 0 (two equal first samples) would keep it 0 for good.
		const outside = n >= this.warmup && (dev > limit || dev < -limit);
		this.outsideInRow = outside ? this.outsideInRow + 1 : 0;
		if (outside && this.outsideInRow <= ADAPT_AFTER_TICKS) d = dev > 0 ? limit : -limit;
		const a = n + 1 < 1 / this.alpha ? 1 / (n + 1) : this.alpha;
		this.mean = mean + a * d;
		this.variance = (1 - a) * (this.variance + a * d * d);
		this.n = n + 1;
		return n >= this.warmup ? clampScore(zToScore(z)) : 0;
	}

	reset(): void {
		this.n = 0;
		this.mean = 0;
		this.variance = 0;
		this.outsideInRow = 0;
		this.expected = NaN;
		this.lower = NaN;
		this.upper = NaN;
	}
}

export const ewmaFactory: DetectorFactory = {
	name: 'ewma',
	title: 'EWMA',
	description: 'Distance from an exponentially weighted mean in weighted standard deviations; adapts quickly after a change.',
	create(options: DetectorOptions): Detector {
		const threshold = ewmaFactory.thresholdFor(options.sensitivity ?? 0.5);
		return adaptToKind(options.kind, new EwmaDetector({ threshold }));
	},
	thresholdFor(sensitivity: number): number {
		return zToScore(zThresholdFor(sensitivity, Z_AT_SENSITIVITY_0, Z_AT_SENSITIVITY_1));
	}
};
