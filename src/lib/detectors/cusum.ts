import type { Detector, DetectorFactory, DetectorOptions } from './detector';
import { adaptToKind } from './kind-adapter';
import { clampScore, clampSensitivity } from './score-map';

export interface CusumOptions {
	/** Span of the EW mean and σ the sums are measured from, default 300 ticks. */
	span?: number;
	/** Allowance k in σ: shifts smaller than k are ignored; default 0.5 (tuned for shifts ≥ 1σ). */
	allowance?: number;
	/** The sum (in σ-ticks) that scores 1; default 24. */
	fullScale?: number;
	/** Ticks seen before scoring, default 50. */
	warmup?: number;
	threshold?: number;
}

/** One tick adds at most 6σ: a lone spike is the other detectors' business, a shift is this one's. */
const Z_CLIP = 6;
/** Residuals fed to σ are clipped to 3σ so a shift does not inflate the σ it is measured in. */
const CLIP_SIGMA = 3;
const STD_FLOOR_REL = 1e-12;
/** Decision interval h at sensitivity 0 and 1 (σ-ticks beyond the allowance); 12 at 0.5: ~1 false alarm per 10⁵ ticks of N(0, 1). */
const H_AT_SENSITIVITY_0 = 24;
const H_AT_SENSITIVITY_1 = 6;
/** The sum that scores 1 (= h at sensitivity 0). */
const FULL_SCALE = 24;

/**
 * Two-sided CUSUM (Page 1954) on standardised residuals z = (v − μ)/σ against an EW reference:
 * S⁺ = max(0, S⁺ + z − k), S⁻ = max(0, S⁻ − z − k). A sustained shift of δσ adds δ − k per tick,
 * so it is found after about h / (δ − k) ticks while noise keeps the sums near 0. Score =
 * S / 24. At an alarm (score ≥ threshold, i.e. S ≥ h) the sums reset and the reference jumps by
 * the mean deviation over the N ticks of the run (unclipped: after a 1e12 jump the clipped
 * estimate μ + σ(k + S/N) would trail by 1e12 and alarm forever), so one shift gives one alarm. That reset is the classic CUSUM's and depends on the threshold: at a lower h
 * alarms come earlier and more often, so flags still only grow with sensitivity.
 */
export class CusumDetector implements Detector {
	readonly name = 'cusum';
	threshold: number;
	expected = NaN;
	lower = NaN;
	upper = NaN;
	private readonly alpha: number;
	private readonly k: number;
	private readonly fullScale: number;
	private readonly warmup: number;
	private n = 0;
	private mean = 0;
	private variance = 0;
	private up = 0;
	private down = 0;
	private upRun = 0;
	private downRun = 0;
	/** Sums of the raw deviations over the current runs of S⁺ > 0 and S⁻ > 0. */
	private upDev = 0;
	private downDev = 0;

	constructor(options: CusumOptions = {}) {
		this.alpha = 2 / ((options.span ?? 300) + 1);
		this.k = options.allowance ?? 0.5;
		this.fullScale = options.fullScale ?? FULL_SCALE;
		this.warmup = options.warmup ?? 50;
		this.threshold = options.threshold ?? cusumThreshold(0.5);
	}

	update(_t: number, x: number): number {
		if (x - x !== 0) return 0;
		const n = this.n;
		const mean = n > 0 ? this.mean : x;
		const scale = Math.max(Math.abs(x), Math.abs(mean));
		const std = Math.max(Math.sqrt(this.variance), scale * STD_FLOOR_REL, Number.MIN_VALUE);
		const dev = x - mean;
		let z = dev / std;
		if (z > Z_CLIP) z = Z_CLIP;
		else if (z < -Z_CLIP) z = -Z_CLIP;
		// The band: values that would not push a sum past the threshold from where it stands now.
		const h = this.threshold * this.fullScale;
		this.expected = mean;
		this.lower = mean - Math.max(0, h - this.down + this.k) * std;
		this.upper = mean + Math.max(0, h - this.up + this.k) * std;

		let score = 0;
		if (n >= this.warmup) {
			this.up = Math.max(0, this.up + z - this.k);
			this.down = Math.max(0, this.down - z - this.k);
			this.upRun = this.up > 0 ? this.upRun + 1 : 0;
			this.downRun = this.down > 0 ? this.downRun + 1 : 0;
			this.upDev = this.up > 0 ? this.upDev + dev : 0;
			this.downDev = this.down > 0 ? this.downDev + dev : 0;
			const s = this.up > this.down ? this.up : this.down;
			score = clampScore(s / this.fullScale);
		}
		if (score >= this.threshold && score > 0) {
			const rising = this.up >= this.down;
			this.mean = mean + (rising ? this.upDev / this.upRun : this.downDev / this.downRun);
			this.up = this.down = 0;
			this.upRun = this.downRun = 0;
			this.upDev = this.downDev = 0;
		} else {
			const limit = CLIP_SIGMA * std;
			// Only a warm σ may clip: clipping to a σ of 0 would keep it 0 for good.
			const d = n >= this.warmup ? (dev > limit ? limit : dev < -limit ? -limit : dev) : dev;
			const a = n + 1 < 1 / this.alpha ? 1 / (n + 1) : this.alpha;
			this.mean = mean + a * d;
			this.variance = (1 - a) * (this.variance + a * d * d);
		}
		this.n = n + 1;
		return score;
	}

	reset(): void {
		this.n = 0;
		this.mean = 0;
		this.variance = 0;
		this.up = this.down = 0;
		this.upRun = this.downRun = 0;
		this.upDev = this.downDev = 0;
		this.expected = NaN;
		this.lower = NaN;
		this.upper = NaN;
	}
}

function cusumThreshold(sensitivity: number): number {
	const h = H_AT_SENSITIVITY_0 * Math.pow(H_AT_SENSITIVITY_1 / H_AT_SENSITIVITY_0, clampSensitivity(sensitivity));
	return h / FULL_SCALE;
}

export const cusumFactory: DetectorFactory = {
	name: 'cusum',
	title: 'CUSUM',
	description: 'Accumulates small deviations from the usual level; finds level shifts and drifts that no single tick shows.',
	create(options: DetectorOptions): Detector {
		return adaptToKind(options.kind, new CusumDetector({ threshold: cusumFactory.thresholdFor(options.sensitivity ?? 0.5) }));
	},
	thresholdFor: cusumThreshold
};
