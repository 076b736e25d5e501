import type { SeriesKind } from '../domain/series';
import type { Detector } from './detector';

/**
 * A step of at least this score (z ≈ 3.9 on the z-scale) that the next step mostly undoes is a
 * spike, not two moves: the return is judged from the value before the spike.
 */
const SPIKE_SCORE = 0.3;
/** "Mostly undoes": the two steps together keep less than half of the first one. */
const RETURN_KEEPS = 0.5;

/** sign(v) · ln(1 + |v|): trade sizes are log-normal, so a big trade is judged on a log scale. */
function signedLog1p(v: number): number {
	return v < 0 ? -Math.log1p(-v) : Math.log1p(v);
}

function signedExpm1(y: number): number {
	return y < 0 ? -Math.expm1(-y) : Math.expm1(y);
}

/**
 * Prices wander (a random walk): a detector judges each step v − previous v, and its band is
 * moved back onto the price. A one-tick spike makes two big steps; the second is judged from
 * the value before the spike, so the return is not flagged as a second anomaly.
 */
class OnSteps implements Detector {
	private readonly inner: Detector;
	private prev = NaN;
	private prevStep = 0;
	private prevScore = 0;
	private base = NaN;

	constructor(inner: Detector) {
		this.inner = inner;
	}

	get name(): string {
		return this.inner.name;
	}
	get threshold(): number {
		return this.inner.threshold;
	}
	set threshold(value: number) {
		this.inner.threshold = value;
	}
	get expected(): number {
		return this.base + this.inner.expected;
	}
	get lower(): number {
		return this.base + this.inner.lower;
	}
	get upper(): number {
		return this.base + this.inner.upper;
	}

	update(t: number, v: number): number {
		// v − v is NaN for NaN and ±∞: such a tick carries nothing to learn from.
		if (v - v !== 0) return 0;
		if (this.prev !== this.prev) {
			this.prev = v;
			this.base = v;
			return 0;
		}
		let step = v - this.prev;
		let base = this.prev;
		const back = step + this.prevStep;
		const undone = step * this.prevStep < 0 && (back < 0 ? -back : back) < RETURN_KEEPS * Math.abs(this.prevStep);
		if (this.prevScore >= SPIKE_SCORE && undone) {
			step = back;
			base = this.prev - this.prevStep;
		}
		this.base = base;
		const score = this.inner.update(t, step);
		// A merged return is not a step of its own: the next tick compares with this one plainly.
		this.prevStep = base === this.prev ? step : 0;
		this.prevScore = score;
		this.prev = v;
		return score;
	}

	reset(): void {
		this.inner.reset();
		this.prev = NaN;
		this.prevStep = 0;
		this.prevScore = 0;
		this.base = NaN;
	}
}

/** Sizes (volumes): judged on sign(v)·ln(1 + |v|), band mapped back to shares. */
class OnLogScale implements Detector {
	private readonly inner: Detector;

	constructor(inner: Detector) {
		this.inner = inner;
	}

	get name(): string {
		return this.inner.name;
	}
	get threshold(): number {
		return this.inner.threshold;
	}
	set threshold(value: number) {
		this.inner.threshold = value;
	}
	get expected(): number {
		return signedExpm1(this.inner.expected);
	}
	get lower(): number {
		return signedExpm1(this.inner.lower);
	}
	get upper(): number {
		return signedExpm1(this.inner.upper);
	}

	update(t: number, v: number): number {
		if (v - v !== 0) return 0;
		return this.inner.update(t, signedLog1p(v));
	}

	reset(): void {
		this.inner.reset();
	}
}

/**
 * Wraps a detector that judges levels so it suits a kind of series: prices on their steps,
 * volumes on a log scale, sensors and plain values as they are.
 */
export function adaptToKind(kind: SeriesKind, inner: Detector): Detector {
	if (kind === 'price') return new OnSteps(inner);
	if (kind === 'volume') return new OnLogScale(inner);
	return inner;
}
