import type { Detector, DetectorFactory, DetectorOptions } from './detector';
import { adaptToKind } from './kind-adapter';
import { RollingOrderStatistics } from './order-statistics';
import { clampScore, scoreToZ, zThresholdFor, zToScore } from './score-map';

export interface RollingMedianOptions {
	/** Values in the window, default 201 (odd: one middle value). */
	window?: number;
	/** Values seen before scoring, default 30. */
	warmup?: number;
	threshold?: number;
}

/** IQR / 1.349 is σ for normal data; unlike σ, one outlier cannot move it. */
const IQR_PER_SIGMA = 1.349;
/** q95 − q05 spans 3.29σ of normal data: the fallback when over half the values are equal (IQR 0). */
const P90_PER_SIGMA = 3.29;
/** Last resort for step-like data: the window's full range taken as 6σ. */
const RANGE_PER_SIGMA = 6;
/** Relative floor as in zscore.ts: a constant series still gives finite z. */
const SCALE_FLOOR_REL = 1e-12;
const Z_AT_SENSITIVITY_0 = 12;
const Z_AT_SENSITIVITY_1 = 3;
const Z_DEFAULT = zThresholdFor(0.5, Z_AT_SENSITIVITY_0, Z_AT_SENSITIVITY_1);

/**
 * Rolling median and interquartile range from an order-statistics tree over the window, O(log w)
 * per tick. The robust z = |v − median| / (IQR / 1.349) ignores up to a quarter of the window
 * being outliers, so bursts of spikes neither hide each other nor inflate the scale.
 */
export class RollingMedianDetector implements Detector {
	readonly name = 'median';
	threshold: number;
	expected = NaN;
	lower = NaN;
	upper = NaN;
	private readonly stats: RollingOrderStatistics;
	private readonly warmup: number;
	private seen = 0;

	constructor(options: RollingMedianOptions = {}) {
		this.stats = new RollingOrderStatistics(options.window ?? 201);
		this.warmup = options.warmup ?? 30;
		this.threshold = options.threshold ?? zToScore(Z_DEFAULT);
	}

	update(_t: number, x: number): number {
		if (x - x !== 0) return 0;
		const stats = this.stats;
		const n = stats.length;
		let score = 0;
		if (n === 0) {
			this.expected = x;
			this.lower = x;
			this.upper = x;
		} else {
			const last = n - 1;
			// Nearest ranks (no interpolation): two fewer tree walks per quantile, same robustness.
			const median = stats.select(Math.round(0.5 * last));
			let scale = (stats.select(Math.round(0.75 * last)) - stats.select(Math.round(0.25 * last))) / IQR_PER_SIGMA;
			if (!(scale > 0)) scale = (stats.select(Math.round(0.95 * last)) - stats.select(Math.round(0.05 * last))) / P90_PER_SIGMA;
			if (!(scale > 0)) scale = (stats.select(last) - stats.select(0)) / RANGE_PER_SIGMA;
			scale = Math.max(scale, Math.max(Math.abs(x), Math.abs(median)) * SCALE_FLOOR_REL, Number.MIN_VALUE);
			const dev = x - median;
			const k = scoreToZ(this.threshold);
			this.expected = median;
			this.lower = median - k * scale;
			this.upper = median + k * scale;
			if (this.seen >= this.warmup) score = clampScore(zToScore(Math.abs(dev) / scale));
		}
		stats.push(x);
		this.seen++;
		return score;
	}

	reset(): void {
		this.stats.clear();
		this.seen = 0;
		this.expected = NaN;
		this.lower = NaN;
		this.upper = NaN;
	}
}

export const medianFactory: DetectorFactory = {
	name: 'median',
	title: 'Rolling median',
	description: 'Distance from the median of the last 201 values in robust units (IQR); outliers in the window do not skew it.',
	create(options: DetectorOptions): Detector {
		const threshold = medianFactory.thresholdFor(options.sensitivity ?? 0.5);
		return adaptToKind(options.kind, new RollingMedianDetector({ threshold }));
	},
	thresholdFor(sensitivity: number): number {
		return zToScore(zThresholdFor(sensitivity, Z_AT_SENSITIVITY_0, Z_AT_SENSITIVITY_1));
	}
};
