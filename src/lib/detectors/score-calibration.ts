/** σ floor of the calibrated score: a component silent for hours must not turn its first 0.01 into 100σ. */
const SIGMA_FLOOR = 0.01;
/** Ticks before the running distribution is trusted (NAB's shortest probation is 150 rows). */
const WARMUP_TICKS = 100;

/**
 * Per-stream calibration of a component's raw score, after Numenta's anomaly likelihood: how far
 * the score stands above its own running distribution (EW mean and σ over `span` ticks), in σ.
 * A component that fires often on a noisy series is discounted there and trusted on a quiet one,
 * so one threshold fits series of any character. O(1), two numbers of state.
 */
export class ScoreCalibration {
	private readonly alpha: number;
	private n = 0;
	private mean = 0;
	private variance = 0;

	constructor(span: number) {
		this.alpha = 2 / (span + 1);
	}

	/** Standardised excess of this raw score (≥ 0), then learns from it. */
	calibrate(raw: number): number {
		const sd = Math.sqrt(this.variance);
		const excess = (raw - this.mean) / (sd > SIGMA_FLOOR ? sd : SIGMA_FLOOR);
		const a = this.n + 1 < 1 / this.alpha ? 1 / (this.n + 1) : this.alpha;
		const d = raw - this.mean;
		this.mean += a * d;
		this.variance = (1 - a) * (this.variance + a * d * d);
		this.n++;
		return excess > 0 && this.n > WARMUP_TICKS ? excess : 0;
	}

	reset(): void {
		this.n = 0;
		this.mean = 0;
		this.variance = 0;
	}
}
