/**
 * Ticks as three parallel columns, reused between batches: `push` never allocates unless the
 * batch outgrows its capacity (then it doubles, so growth is amortised and rare).
 */
export class TickBatch {
	ids: Int32Array;
	t: Float64Array;
	v: Float64Array;
	n = 0;

	constructor(capacity = 1024) {
		this.ids = new Int32Array(capacity);
		this.t = new Float64Array(capacity);
		this.v = new Float64Array(capacity);
	}

	push(id: number, t: number, v: number): void {
		if (this.n === this.t.length) this.grow();
		this.ids[this.n] = id;
		this.t[this.n] = t;
		this.v[this.n] = v;
		this.n++;
	}

	clear(): void {
		this.n = 0;
	}

	private grow(): void {
		const cap = this.t.length * 2;
		const ids = new Int32Array(cap);
		const t = new Float64Array(cap);
		const v = new Float64Array(cap);
		ids.set(this.ids);
		t.set(this.t);
		v.set(this.v);
		this.ids = ids;
		this.t = t;
		this.v = v;
	}
}
