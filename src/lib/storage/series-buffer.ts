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
	/** Where each of those rows' ticks start in the tail. */
	private tailStarts: number[] = [];
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
		this.tailStarts.push(this.tailN);
		this.tailN = need;
		this.tailKeys.push(key);
		this.pendN = 0;
	}

	/** Forgets the tail (it was just compacted into rows of its own) and the pending ticks. */
	clearTail(): void {
		this.tailN = 0;
		this.tailKeys = [];
		this.tailStarts = [];
		this.pendN = 0;
	}

	/**
	 * Forgets the tail rows keyed at or below `key` (retention is deleting them), so that a later
	 * compaction does not write their ticks back. Returns how many ticks left memory.
	 */
	dropTailRows(key: number): number {
		let rows = 0;
		while (rows < this.tailKeys.length && this.tailKeys[rows] <= key) rows++;
		if (rows === 0) return 0;
		const ticks = rows < this.tailKeys.length ? this.tailStarts[rows] : this.tailN;
		this.tailT.copyWithin(0, ticks, this.tailN);
		this.tailV.copyWithin(0, ticks, this.tailN);
		this.tailN -= ticks;
		this.tailKeys.splice(0, rows);
		this.tailStarts = this.tailStarts.slice(rows).map((start) => start - ticks);
		return ticks;
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

	/** Copies of ticks [start, end) of tail followed by pend, in arrays of their own. */
	copyMerged(start: number, end: number): { t: Float64Array; v: Float64Array } {
		const t = new Float64Array(end - start);
		const v = new Float64Array(end - start);
		const tailEnd = Math.min(end, this.tailN);
		if (start < tailEnd) {
			t.set(this.tailT.subarray(start, tailEnd));
			v.set(this.tailV.subarray(start, tailEnd));
		}
		const pendStart = Math.max(start, this.tailN) - this.tailN;
		const pendEnd = end - this.tailN;
		if (pendEnd > pendStart) {
			t.set(this.pendT.subarray(pendStart, pendEnd), Math.max(0, this.tailN - start));
			v.set(this.pendV.subarray(pendStart, pendEnd), Math.max(0, this.tailN - start));
		}
		return { t, v };
	}

	/** Copies of the in-memory ticks with from ≤ t ≤ to (from < t when not `fromInclusive`), oldest first. */
	copyRange(from: number, fromInclusive: boolean, to: number): { t: Float64Array; v: Float64Array } {
		const tailLo = searchTime(this.tailT, this.tailN, from, fromInclusive);
		const tailHi = searchTime(this.tailT, this.tailN, to, false);
		const pendLo = searchTime(this.pendT, this.pendN, from, fromInclusive);
		const pendHi = searchTime(this.pendT, this.pendN, to, false);
		const nTail = Math.max(0, tailHi - tailLo);
		const n = nTail + Math.max(0, pendHi - pendLo);
		const t = new Float64Array(n);
		const v = new Float64Array(n);
		if (nTail > 0) {
			t.set(this.tailT.subarray(tailLo, tailHi));
			v.set(this.tailV.subarray(tailLo, tailHi));
		}
		if (n > nTail) {
			t.set(this.pendT.subarray(pendLo, pendHi), nTail);
			v.set(this.pendV.subarray(pendLo, pendHi), nTail);
		}
		return { t, v };
	}
}

/** Index of the first of a[0..n) (non-decreasing) that is > x, or ≥ x when `inclusive`. */
export function searchTime(a: Float64Array, n: number, x: number, inclusive: boolean): number {
	let lo = 0;
	let hi = n;
	while (lo < hi) {
		const mid = (lo + hi) >>> 1;
		if (inclusive ? a[mid] < x : a[mid] <= x) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}

function grow(a: Float64Array, cap: number): Float64Array {
	const b = new Float64Array(cap);
	b.set(a);
	return b;
}
