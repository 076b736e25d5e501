/** No node: the empty subtree. */
const NIL = -1;

/**
 * The last `capacity` values in order: a treap (randomised balanced search tree) whose nodes are
 * the ring slots, in typed arrays sized once. Each push replaces the oldest value; push and
 * `select` are O(log w) expected, with no allocation. Equal values are ordered by slot, so every
 * key is unique and the oldest can be found and removed exactly.
 */
export class RollingOrderStatistics {
	readonly capacity: number;
	private readonly value: Float64Array;
	private readonly left: Int32Array;
	private readonly right: Int32Array;
	private readonly size: Int32Array;
	private readonly priority: Uint32Array;
	private root = NIL;
	private head = 0;
	private count = 0;

	constructor(capacity: number) {
		if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be an integer >= 1');
		this.capacity = capacity;
		this.value = new Float64Array(capacity);
		this.left = new Int32Array(capacity);
		this.right = new Int32Array(capacity);
		this.size = new Int32Array(capacity);
		this.priority = new Uint32Array(capacity);
		// xorshift32 with a fixed seed: priorities need only be independent of the values.
		let s = 0x9e3779b9;
		for (let k = 0; k < capacity; k++) {
			s ^= s << 13;
			s ^= s >>> 17;
			s ^= s << 5;
			this.priority[k] = s >>> 0;
		}
	}

	/** Values held (≤ capacity). */
	get length(): number {
		return this.count;
	}

	/** Adds x, dropping the oldest value once full. */
	push(x: number): void {
		const slot = this.head;
		if (this.count === this.capacity) this.root = this.remove(this.root, slot);
		else this.count++;
		this.value[slot] = x;
		this.left[slot] = NIL;
		this.right[slot] = NIL;
		this.size[slot] = 1;
		this.root = this.insert(this.root, slot);
		if (++this.head === this.capacity) this.head = 0;
	}

	/** The k-th smallest held value, k in [0, length − 1] (clamped). NaN when empty. */
	select(k: number): number {
		if (this.count === 0) return NaN;
		let rank = k < 0 ? 0 : k >= this.count ? this.count - 1 : k;
		const { left, right, size, value } = this;
		let t = this.root;
		for (;;) {
			const l = left[t];
			const ls = l === NIL ? 0 : size[l];
			if (rank < ls) t = l;
			else if (rank === ls) return value[t];
			else {
				rank -= ls + 1;
				t = right[t];
			}
		}
	}

	/** Quantile q in [0, 1], interpolated between neighbouring ranks. */
	quantile(q: number): number {
		const pos = q * (this.count - 1);
		const lo = Math.floor(pos);
		const a = this.select(lo);
		const frac = pos - lo;
		return frac > 0 ? a + frac * (this.select(lo + 1) - a) : a;
	}

	/** The most recently pushed value. */
	get newest(): number {
		return this.count === 0 ? NaN : this.value[this.head === 0 ? this.capacity - 1 : this.head - 1];
	}

	clear(): void {
		this.root = NIL;
		this.head = 0;
		this.count = 0;
	}

	/** Key order: by value, then by slot, so equal values stay distinct. */
	private before(a: number, b: number): boolean {
		const va = this.value[a];
		const vb = this.value[b];
		return va < vb || (va === vb && a < b);
	}

	private insert(t: number, node: number): number {
		if (t === NIL) return node;
		this.size[t]++;
		if (this.before(node, t)) {
			const l = this.insert(this.left[t], node);
			this.left[t] = l;
			if (this.priority[l] > this.priority[t]) return this.rotateRight(t);
		} else {
			const r = this.insert(this.right[t], node);
			this.right[t] = r;
			if (this.priority[r] > this.priority[t]) return this.rotateLeft(t);
		}
		return t;
	}

	private remove(t: number, node: number): number {
		if (t === node) return this.merge(this.left[t], this.right[t]);
		this.size[t]--;
		if (this.before(node, t)) this.left[t] = this.remove(this.left[t], node);
		else this.right[t] = this.remove(this.right[t], node);
		return t;
	}

	private merge(a: number, b: number): number {
		if (a === NIL) return b;
		if (b === NIL) return a;
		if (this.priority[a] > this.priority[b]) {
			this.right[a] = this.merge(this.right[a], b);
			this.size[a] = 1 + this.sizeOf(this.left[a]) + this.size[this.right[a]];
			return a;
		}
		this.left[b] = this.merge(a, this.left[b]);
		this.size[b] = 1 + this.size[this.left[b]] + this.sizeOf(this.right[b]);
		return b;
	}

	private rotateRight(t: number): number {
		const l = this.left[t];
		this.left[t] = this.right[l];
		this.right[l] = t;
		this.size[l] = this.size[t];
		this.size[t] = 1 + this.sizeOf(this.left[t]) + this.sizeOf(this.right[t]);
		return l;
	}

	private rotateLeft(t: number): number {
		const r = this.right[t];
		this.right[t] = this.left[r];
		this.left[r] = t;
		this.size[r] = this.size[t];
		this.size[t] = 1 + this.sizeOf(this.left[t]) + this.sizeOf(this.right[t]);
		return r;
	}

	private sizeOf(t: number): number {
		return t === NIL ? 0 : this.size[t];
	}
}
