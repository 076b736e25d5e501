import type { Detector } from './detector';

/** sign(v) · ln(1 + |v|): compresses heavy-tailed sizes (volumes, quantities) to a near-normal scale. */
export function signedLog1p(v: number): number {
	return v < 0 ? -Math.log1p(-v) : Math.log1p(v);
}

function inverse(y: number): number {
	return y < 0 ? -Math.expm1(-y) : Math.expm1(y);
}

/**
 * Runs a detector on log-scaled values. Trade sizes are log-normal: on the raw scale every big
 * trade is a "6σ event"; on the log scale only sizes far out of the usual range are.
 */
export class LogScaled implements Detector {
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

	get lower(): number {
		return inverse(this.inner.lower);
	}

	get upper(): number {
		return inverse(this.inner.upper);
	}

	get expected(): number {
		return inverse(this.inner.expected);
	}

	update(t: number, v: number): number {
		return this.inner.update(t, signedLog1p(v));
	}

	reset(): void {
		this.inner.reset();
	}
}
