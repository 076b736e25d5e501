/**
 * One series' ticks that are not yet compacted into a big chunk: `tail` holds ticks already
 * handed to IndexedDB as small per-flush chunks (keys in `tailKeys`), `pend` the ticks not yet
 * handed over. Reads of the newest ticks are served from here without touching IndexedDB.
 */
export class SeriesBuffer {
	pendT: Float64Array;
	pendV: Float64Array;
	pendN = 0;
	tailT: Float64Array;
	tailV: Float64Array;
	tailN = 0;
	/** Keys (t0) of the small chunk rows that hold the tail, oldest first. */
	tailKeys: number[] = [];
	/** Largest chunk key ever written for this series; new keys must exceed it. */
	lastKey = -Infinity;

	constructor(capacity = 256) {
		this.pendT = new Float64Array(capacity);
		this.pendV = new Float64Array(capacity);
		this.tailT = new Float64Array(capacity);
		this.tailV = new Float64Array(capacity);
	}

	append(t: number, v: number): void {
		if (this.pendN === this.pendT.length) {
			this.pendT = grow(this.pendT, this.pendN * 2);
			this.pendV = grow(this.pendV, this.pendN * 2);
		}
		this.pendT[this.pendN] = t;
		this.pendV[this.pendN] = v;
		this.pendN++;
	}

	/** Moves the pending ticks to the end of the tail (they were just written as a small chunk). */
	pendToTail(key: number): void {
		const need = this.tailN + this.pendN;
		if (need > this.tailT.length) {
			const cap = Math.max(need, this.tailT.length * 2);
			this.tailT = grow(this.tailT, cap);
			this.tailV = grow(this.tailV, cap);
		}
		this.tailT.set(this.pendT.subarray(0, this.pendN), this.tailN);
		this.tailV.set(this.pendV.subarray(0, this.pendN), this.tailN);
		this.tailN = need;
		this.tailKeys.push(key);
		this.pendN = 0;
	}

	get memoryN(): number {
		return this.tailN + this.pendN;
	}

	/**
	 * Copies the newest `n` (≤ memoryN) in-memory ticks into `t`/`v` starting at `at`.
	 * Memory order is tail then pend, oldest first.
	 */
	copyNewest(n: number, t: Float64Array, v: Float64Array, at: number): void {
		const fromPend = Math.min(n, this.pendN);
		const fromTail = n - fromPend;
		if (fromTail > 0) {
			t.set(this.tailT.subarray(this.tailN - fromTail, this.tailN), at);
			v.set(this.tailV.subarray(this.tailN - fromTail, this.tailN), at);
		}
		t.set(this.pendT.subarray(this.pendN - fromPend, this.pendN), at + fromTail);
		v.set(this.pendV.subarray(this.pendN - fromPend, this.pendN), at + fromTail);
	}
}

function grow(a: Float64Array, cap: number): Float64Array {
	const b = new Float64Array(cap);
	b.set(a);
	return b;
}
