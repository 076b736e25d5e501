import type { Detector } from './detector';

export interface RollingZScoreOptions {
	/** Samples in the rolling window, default 200 (20 s at 10 ticks/s). */
	window?: number;
	/** |z| at or above which a tick is flagged, default 6. */
	threshold?: number;
	/** 'delta' scores each step v − previous v (random-walk prices); 'level' scores v itself. */
	mode?: 'delta' | 'level';
	/** Samples needed before scoring, default = window. */
	warmup?: number;
}

/**
 * Relative std floor: a constant series has std 0 (or ~1e-17 of rounding), so any change would
 * divide by zero; 1e-12 of the value's scale makes that a large finite score instead (0.01 on
 * 7e6 scores ~1400).
 */
const STD_FLOOR_REL = 1e-12;
/**
 * Samples fed to the stats are clipped to mean ± 3σ (Huber-style). Clipping at the threshold
 * (6σ) let frequent injections inflate σ: one every 30 ticks added 36σ²/30 to the variance and
 * caught 37% of them; at 3σ it adds at most 9σ²/30, and normal data loses only 0.3% of its mass.
 */
const CLIP_SIGMA = 3;
/** After this many samples in a row beyond the clip edge, they are fed unclipped. */
const ADAPT_AFTER_TICKS = 5;

/** √2: a step measured across two ticks has √2 times the one-tick std. */
const SQRT2 = Math.SQRT2;

/**
 * Rolling z-score over a ring buffer with running sums, O(1) per update. Sums are kept around an
 * offset (the first sample, then the window mean at each recompute) and recomputed from the
 * ring every `window` updates, so neither cancellation nor float drift builds up. Samples fed
 * to the stats are winsorised to mean ± 3σ so one spike does not blind the detector
 * for a window.
 */
export class RollingZScore implements Detector {
	readonly name = 'zscore';
	/** |z| at or above which a tick is flagged. */
	threshold: number;
	private readonly window: number;
	private readonly warmup: number;
	private readonly isDelta: boolean;
	private readonly ring: Float64Array;
	private head = 0;
	private count = 0;
	/** Samples ever fed; compared with warmup (saturates harmlessly as a float). */
	private fed = 0;
	private sinceRecompute = 0;
	private offset = 0;
	private sum = 0;
	private sumSq = 0;
	private prev = 0;
	private hasPrev = false;
	/** Delta mode: the value before the current run of flagged ticks. */
	private anchor = 0;
	private lastFlagged = false;
	/** Consecutive samples beyond the clip edge. */
	private outsideInRow = 0;
	private lastExpected = NaN;
	/** σ of the last scored tick (of steps in delta mode), for the band. */
	private lastStd = NaN;

	constructor(options: RollingZScoreOptions = {}) {
		this.window = options.window ?? 200;
		this.threshold = options.threshold ?? 6;
		this.isDelta = (options.mode ?? 'delta') === 'delta';
		this.warmup = options.warmup ?? this.window;
		if (!Number.isInteger(this.window) || this.window < 2) {
			throw new RangeError('window must be an integer >= 2');
		}
		this.ring = new Float64Array(this.window);
	}

	/** The band: expected ± threshold·σ (NaN while warming up). */
	get lower(): number {
		return this.lastExpected - this.threshold * this.lastStd;
	}

	get upper(): number {
		return this.lastExpected + this.threshold * this.lastStd;
	}

	get expected(): number {
		return this.lastExpected;
	}

	update(_t: number, v: number): number {
		let x = v;
		if (this.isDelta) {
			if (!this.hasPrev) {
				this.prev = v;
				this.hasPrev = true;
				this.lastExpected = v;
				return 0;
			}
			x = v - this.prev;
		}
		const n = this.count;
		const mean = n > 0 ? this.offset + this.sum / n : 0;
		this.lastExpected = this.isDelta ? this.prev + mean : n > 0 ? mean : v;

		let score = 0;
		let sample = x;
		let feed = true;
		if (this.fed >= this.warmup && n >= 2) {
			const variance = (this.sumSq - (this.sum * this.sum) / n) / (n - 1);
			const scale = Math.max(Math.abs(v), Math.abs(x), Math.abs(mean));
			const std = Math.max(Math.sqrt(variance > 0 ? variance : 0), scale * STD_FLOOR_REL, Number.MIN_VALUE);
			const dev = Math.abs(x - mean);
			score = dev === 0 ? 0 : dev / std;
			this.lastStd = std;
			if (this.isDelta && this.lastFlagged && score >= this.threshold) {
				// A spike's return: measured from the value before the flagged run, this step is
				// ordinary, so it is not a second anomaly and is kept out of the stats.
				const anchored = Math.abs(v - this.anchor - 2 * mean) / (SQRT2 * std);
				if (anchored < score) {
					score = anchored;
					feed = false;
				}
			}
			const limit = Math.min(this.threshold, CLIP_SIGMA) * std;
			const outside = sample > mean + limit || sample < mean - limit;
			this.outsideInRow = outside ? this.outsideInRow + 1 : 0;
			// Clip isolated outliers; a run of them is a new regime the stats must follow, or σ
			// collapses onto the clip edge and the return to normal is flagged for a whole window
			// (a 300-tick level shift gave ~1,300 false flags after it ended).
			if (this.outsideInRow <= ADAPT_AFTER_TICKS) {
				if (sample > mean + limit) sample = mean + limit;
				else if (sample < mean - limit) sample = mean - limit;
			}
		}

		if (feed) this.feed(sample);
		const flagged = score >= this.threshold;
		if (flagged && !this.lastFlagged) this.anchor = this.prev;
		this.lastFlagged = flagged;
		this.prev = v;
		return score;
	}

	reset(): void {
		this.head = 0;
		this.count = 0;
		this.fed = 0;
		this.sinceRecompute = 0;
		this.offset = 0;
		this.sum = 0;
		this.sumSq = 0;
		this.prev = 0;
		this.hasPrev = false;
		this.anchor = 0;
		this.lastFlagged = false;
		this.outsideInRow = 0;
		this.lastExpected = NaN;
		this.lastStd = NaN;
	}

	private feed(sample: number): void {
		const ring = this.ring;
		// Centre the sums on the first sample until the first recompute: a constant series then
		// sums exact zeros (Σ0.3 / n is not exactly 0.3) and large values keep their precision.
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

	/** Exact sums from the ring, around its current mean: amortised O(1) (window work per window updates). */
	private recompute(): void {
		const ring = this.ring;
		const n = this.count;
		let total = 0;
		for (let k = 0; k < n; k++) total += ring[k];
		// Before the ring fills, only slots 0..n-1 are written, so iterating 0..n-1 is right either way.
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
