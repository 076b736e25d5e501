import type { Detector, DetectorFactory, DetectorOptions } from './detector';
import { adaptToKind } from './kind-adapter';
import { clampScore, scoreToZ, zThresholdFor, zToScore } from './score-map';

export interface ZScoreOptions {
	/** Samples in the rolling window, default 200 (20 s at 10 ticks/s). */
	window?: number;
	/** Samples seen before scoring; default 30 (σ from fewer is too rough to judge by). */
	warmup?: number;
	threshold?: number;
}

/** A constant series has σ = 0: a floor of 1e-12 of the values' scale turns a change into a huge finite z. */
const STD_FLOOR_REL = 1e-12;
/** Samples fed to the stats are clipped to mean ± 3σ, so one spike does not blind the detector for a window. */
const CLIP_SIGMA = 3;
/** After this many clipped samples in a row they are fed as they are: a new level, not outliers. */
const ADAPT_AFTER_TICKS = 5;
/** |z| flagged at sensitivity 0 and 1; 6σ (the old default) at 0.5. */
const Z_AT_SENSITIVITY_0 = 12;
const Z_AT_SENSITIVITY_1 = 3;
/** |z| at the default sensitivity. */
const Z_DEFAULT = zThresholdFor(0.5, Z_AT_SENSITIVITY_0, Z_AT_SENSITIVITY_1);

/**
 * Rolling z-score: mean and σ of the last `window` samples from running sums kept around an
 * offset and recomputed from the ring once per window (no cancellation, no drift); O(1) per tick.
 * Score = z² / (z² + 6²). Band = mean ± the |z| the threshold stands for, times σ.
 */
export class ZScoreDetector implements Detector {
	readonly name = 'zscore';
	threshold: number;
	expected = NaN;
	lower = NaN;
	upper = NaN;
	private readonly window: number;
	private readonly warmup: number;
	private readonly ring: Float64Array;
	private head = 0;
	private count = 0;
	private fed = 0;
	private sinceRecompute = 0;
	private offset = 0;
	private sum = 0;
	private sumSq = 0;
	private outsideInRow = 0;

	constructor(options: ZScoreOptions = {}) {
		this.window = options.window ?? 200;
		this.warmup = options.warmup ?? 30;
		this.threshold = options.threshold ?? zToScore(Z_DEFAULT);
		if (!Number.isInteger(this.window) || this.window < 2) throw new RangeError('window must be an integer >= 2');
		this.ring = new Float64Array(this.window);
	}

	update(_t: number, x: number): number {
		if (x - x !== 0) return 0;
		const n = this.count;
		const mean = n > 0 ? this.offset + this.sum / n : x;
		const variance = n > 1 ? (this.sumSq - (this.sum * this.sum) / n) / (n - 1) : 0;
		const scale = Math.max(Math.abs(x), Math.abs(mean));
		const std = Math.max(Math.sqrt(variance > 0 ? variance : 0), scale * STD_FLOOR_REL, Number.MIN_VALUE);
		const dev = x - mean;
		const z = dev === 0 ? 0 : Math.abs(dev) / std;
		const k = scoreToZ(this.threshold);
		this.expected = mean;
		this.lower = mean - k * std;
		this.upper = mean + k * std;

		let sample = x;
		const warm = this.fed >= this.warmup;
		const limit = CLIP_SIGMA * std;
		// Only a warm σ may clip: clipping to a σ of 0 (two equal first samples) would keep it 0 for good.
		const outside = warm && (dev > limit || dev < -limit);
		this.outsideInRow = outside ? this.outsideInRow + 1 : 0;
		if (outside && this.outsideInRow <= ADAPT_AFTER_TICKS) sample = dev > 0 ? mean + limit : mean - limit;
		this.feed(sample);
		return warm ? clampScore(zToScore(z)) : 0;
	}

	reset(): void {
		this.head = 0;
		this.count = 0;
		this.fed = 0;
		this.sinceRecompute = 0;
		this.offset = 0;
		this.sum = 0;
		this.sumSq = 0;
		this.outsideInRow = 0;
		this.expected = NaN;
		this.lower = NaN;
		this.upper = NaN;
	}

	private feed(sample: number): void {
		const ring = this.ring;
		// Centred on the first sample until the first recompute: a constant series sums exact zeros.
		if (this.count === 0) this.offset = sample;
		if (this.count === this.window) {
			const old = ring[this.head] - this.offset;
			this.sum -= old;
			this.sumSq -= old * old;
		} else {
			this.count++;
		}
		ring[this.head] = sample;
		const d = sample - this.offset;
		this.sum += d;
		this.sumSq += d * d;
		if (++this.head === this.window) this.head = 0;
		this.fed++;
		if (++this.sinceRecompute >= this.window) this.recompute();
	}

	/** Exact sums from the ring around its mean: window work once per window updates, O(1) amortised. */
	private recompute(): void {
		const ring = this.ring;
		const n = this.count;
		let total = 0;
		for (let k = 0; k < n; k++) total += ring[k];
		const offset = total / n;
		let sum = 0;
		let sumSq = 0;
		for (let k = 0; k < n; k++) {
			const d = ring[k] - offset;
			sum += d;
			sumSq += d * d;
		}
		this.offset = offset;
		this.sum = sum;
		this.sumSq = sumSq;
		this.sinceRecompute = 0;
	}
}

export const zscoreFactory: DetectorFactory = {
	name: 'zscore',
	title: 'Rolling z-score',
	description: 'Distance from the mean of the last 200 values in standard deviations; fast, good for spikes on steady noise.',
	create(options: DetectorOptions): Detector {
		const threshold = zscoreFactory.thresholdFor(options.sensitivity ?? 0.5);
		return adaptToKind(options.kind, new ZScoreDetector({ threshold }));
	},
	thresholdFor(sensitivity: number): number {
		return zToScore(zThresholdFor(sensitivity, Z_AT_SENSITIVITY_0, Z_AT_SENSITIVITY_1));
	}
};
