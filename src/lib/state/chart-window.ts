/**
 * The newest `size` points of a chart as contiguous columns, so uPlot gets plain typed-array
 * views with no copying per frame. Storage is twice the window: appends go at the end and,
 * when the end is reached, the live window is moved back to the start (one copy per `size`
 * appended points, amortised O(1) per point).
 */
export class ChartWindow {
	private t: Float64Array;
	private v: Float64Array;
	private start = 0;
	private end = 0;
	size: number;

	constructor(size: number) {
		this.size = size;
		this.t = new Float64Array(size * 2);
		this.v = new Float64Array(size * 2);
	}

	get length(): number {
		return this.end - this.start;
	}

	/** Views of the window, oldest first. Valid until the next append, replace or resize. */
	get xs(): Float64Array {
		return this.t.subarray(this.start, this.end);
	}

	get ys(): Float64Array {
		return this.v.subarray(this.start, this.end);
	}

	append(t: Float64Array, v: Float64Array): void {
		const k = t.length;
		if (k >= this.size) {
			this.replace(t, v);
			return;
		}
		if (this.end + k > this.t.length) {
			const keep = Math.min(this.length, this.size - k);
			this.t.copyWithin(0, this.end - keep, this.end);
			this.v.copyWithin(0, this.end - keep, this.end);
			this.start = 0;
			this.end = keep;
		}
		this.t.set(t, this.end);
		this.v.set(v, this.end);
		this.end += k;
		if (this.end - this.start > this.size) this.start = this.end - this.size;
	}

	replace(t: Float64Array, v: Float64Array): void {
		const k = Math.min(t.length, this.size);
		this.t.set(t.subarray(t.length - k), 0);
		this.v.set(v.subarray(v.length - k), 0);
		this.start = 0;
		this.end = k;
	}

	/** Changes the window length, keeping the newest points that still fit. */
	resize(size: number): void {
		if (size === this.size) return;
		const keep = Math.min(this.length, size);
		const t = new Float64Array(size * 2);
		const v = new Float64Array(size * 2);
		t.set(this.t.subarray(this.end - keep, this.end));
		v.set(this.v.subarray(this.end - keep, this.end));
		this.t = t;
		this.v = v;
		this.size = size;
		this.start = 0;
		this.end = keep;
	}

	clear(): void {
		this.start = 0;
		this.end = 0;
	}
}
