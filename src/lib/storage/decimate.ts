/**
 * Bucket of a tick at time t, from ≤ t ≤ to, when [from, to] is split into `buckets` equal
 * spans: floor((t − from) · buckets / (to − from)), computed in that order in float64, and
 * clamped to buckets − 1 (so t = to falls in the last bucket). Each bucket is half-open,
 * [from + k·w, from + (k+1)·w) with w = (to − from) / buckets, except the last, which also holds
 * t = to. When to = from every tick is in bucket 0. Each operation is monotone, so the bucket
 * never decreases as t grows: a run of ticks whose first and last share a bucket lies wholly in it.
 */
export function bucketOf(t: number, from: number, to: number, buckets: number): number {
	if (!(to > from)) return 0;
	const k = Math.floor(((t - from) * buckets) / (to - from));
	return k < buckets ? k : buckets - 1;
}

/**
 * Per bucket, the smallest and the largest value with their times and their positions in the
 * tick stream. Ticks and summaries may be added in any order, and the same tick more than once:
 * of equal values the one at the lower position wins. NaN values are skipped.
 */
export class MinMaxBuckets {
	private readonly minV: Float64Array;
	private readonly minT: Float64Array;
	private readonly minPos: Float64Array;
	private readonly maxV: Float64Array;
	private readonly maxT: Float64Array;
	private readonly maxPos: Float64Array;

	constructor(readonly buckets: number) {
		this.minV = new Float64Array(buckets);
		this.minT = new Float64Array(buckets);
		this.minPos = new Float64Array(buckets).fill(-1);
		this.maxV = new Float64Array(buckets);
		this.maxT = new Float64Array(buckets);
		this.maxPos = new Float64Array(buckets).fill(-1);
	}

	addMin(k: number, t: number, v: number, pos: number): void {
		if (this.minPos[k] < 0 ? v === v : v < this.minV[k] || (v === this.minV[k] && pos < this.minPos[k])) {
			this.minV[k] = v;
			this.minT[k] = t;
			this.minPos[k] = pos;
		}
	}

	addMax(k: number, t: number, v: number, pos: number): void {
		if (this.maxPos[k] < 0 ? v === v : v > this.maxV[k] || (v === this.maxV[k] && pos < this.maxPos[k])) {
			this.maxV[k] = v;
			this.maxT[k] = t;
			this.maxPos[k] = pos;
		}
	}

	/** Ticks t[start..end) at stream positions base + start …, all known to lie in [from, to]. */
	addTicks(t: Float64Array, v: Float64Array, start: number, end: number, base: number, from: number, to: number): void {
		const buckets = this.buckets;
		const span = to - from;
		const minV = this.minV;
		const maxV = this.maxV;
		const minPos = this.minPos;
		const maxPos = this.maxPos;
		// Hot loop over raw chunks: bucketOf inlined.
		for (let i = start; i < end; i++) {
			const x = v[i];
			if (x !== x) continue;
			let k = span > 0 ? Math.floor(((t[i] - from) * buckets) / span) : 0;
			if (k >= buckets) k = buckets - 1;
			const pos = base + i;
			if (minPos[k] < 0 || x < minV[k] || (x === minV[k] && pos < minPos[k])) {
				minV[k] = x;
				this.minT[k] = t[i];
				minPos[k] = pos;
			}
			if (maxPos[k] < 0 || x > maxV[k] || (x === maxV[k] && pos < maxPos[k])) {
				maxV[k] = x;
				this.maxT[k] = t[i];
				maxPos[k] = pos;
			}
		}
	}

	/**
	 * Whether ticks of value ≥ `min` … ≤ `max`, none before stream position `pos`, could still
	 * change bucket k's min (or max): if not, they need not be read.
	 */
	couldChange(k: number, min: number, max: number, pos: number, minKnown: boolean, maxKnown: boolean): boolean {
		if (!minKnown && (this.minPos[k] < 0 || min < this.minV[k] || (min === this.minV[k] && pos < this.minPos[k]))) return true;
		return !maxKnown && (this.maxPos[k] < 0 || max > this.maxV[k] || (max === this.maxV[k] && pos < this.maxPos[k]));
	}

	/** Per bucket in order: its min and its max in stream order, once when they are the same tick. */
	emit(): { t: Float64Array; v: Float64Array } {
		let n = 0;
		for (let k = 0; k < this.buckets; k++) {
			if (this.minPos[k] >= 0) n += this.minPos[k] === this.maxPos[k] ? 1 : 2;
		}
		const t = new Float64Array(n);
		const v = new Float64Array(n);
		let j = 0;
		for (let k = 0; k < this.buckets; k++) {
			const a = this.minPos[k];
			if (a < 0) continue;
			const b = this.maxPos[k];
			const minFirst = a <= b;
			t[j] = minFirst ? this.minT[k] : this.maxT[k];
			v[j++] = minFirst ? this.minV[k] : this.maxV[k];
			if (a === b) continue;
			t[j] = minFirst ? this.maxT[k] : this.minT[k];
			v[j++] = minFirst ? this.maxV[k] : this.minV[k];
		}
		return { t, v };
	}
}
