// Shared maps between a detector's own statistic (|z|, CUSUM sum, …) and the [0, 1] score.

/** |z| that scores 0.5: the rolling z-score's old default threshold (6σ on price steps). */
export const Z_HALF = 6;
/** Above this a statistic counts as infinite: z² would overflow long before 1e150². */
const HUGE = 1e150;

/** Smooth, increasing map of |z| ≥ 0 onto [0, 1): z² / (z² + 6²); 3σ → 0.2, 6σ → 0.5, 12σ → 0.8. */
export function zToScore(z: number): number {
	const a = z < 0 ? -z : z;
	// NaN and ∞ land here too: a statistic that blew up is as anomalous as it gets.
	if (!(a < HUGE)) return a > 0 ? 1 : 0;
	const a2 = a * a;
	return a2 / (a2 + Z_HALF * Z_HALF);
}

/** Inverse of zToScore: the |z| that a score stands for. */
export function scoreToZ(score: number): number {
	if (!(score > 0)) return 0;
	if (score >= 1) return Infinity;
	return Z_HALF * Math.sqrt(score / (1 - score));
}

/** Clamps a person's sensitivity to [0, 1]; NaN means "not chosen" and gives the default 0.5. */
export function clampSensitivity(sensitivity: number | undefined): number {
	if (sensitivity === undefined || Number.isNaN(sensitivity)) return 0.5;
	return sensitivity < 0 ? 0 : sensitivity > 1 ? 1 : sensitivity;
}

/**
 * Threshold on the z-scale, log-linear in sensitivity: `zAt0` at sensitivity 0 (flag little),
 * `zAt1` at 1 (flag a lot), their geometric mean at the default 0.5.
 */
export function zThresholdFor(sensitivity: number, zAt0: number, zAt1: number): number {
	return zAt0 * Math.pow(zAt1 / zAt0, clampSensitivity(sensitivity));
}

/** A score in [0, 1] or 0: NaN (a broken statistic) must never reach the person as a score. */
export function clampScore(score: number): number {
	return score > 0 ? (score < 1 ? score : 1) : 0;
}

/** Upper tail of the standard normal, P(Z > z); |error| < 1.2e-7 relative (Numerical Recipes erfc). */
export function normalTail(z: number): number {
	const x = z / Math.SQRT2;
	const a = x < 0 ? -x : x;
	const t = 1 / (1 + 0.5 * a);
	const poly =
		-1.26551223 +
		t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
	const erfc = t * Math.exp(-a * a + poly);
	return x >= 0 ? 0.5 * erfc : 1 - 0.5 * erfc;
}
