/**
 * The newest `size` rows of a chart as contiguous columns (time, value, band low, band high), so
 * uPlot gets plain typed-array views with no copying per frame. Storage is twice the window:
 * appends go at the end and, when the end is reached, the live window is moved back to the
 * start (one copy per `size` appended rows, amortised O(1) per row).
 */
export class ChartWindow {
	private cols: Float64Array[];
	private start = 0;
	private end = 0;
	size: number;

	constructor(size: number, columns = 4) {
		this.size = size;
		this.cols = Array.from({ length: columns }, () => new Float64Array(size * 2));
	}

	get length(): number {
		return this.end - this.start;
	}

	/** View of column `c`, oldest first. Valid until the next append, replace or resize. */
	column(c: number): Float64Array {
		return this.cols[c].subarray(this.start, this.end);
	}

	get xs(): Float64Array {
		return this.column(0);
	}

	get ys(): Float64Array {
		return this.column(1);
	}

	/** Appends rows given as columns of equal length (missing columns are filled with NaN). */
	append(...cols: Float64Array[]): void {
		const k = cols[0].length;
		if (k >= this.size) {
			this.replace(...cols);
			return;
		}
		const capacity = this.cols[0].length;
		if (this.end + k > capacity) {
			const keep = Math.min(this.length, this.size - k);
			for (const col of this.cols) col.copyWithin(0, this.end - keep, this.end);
			this.start = 0;
			this.end = keep;
		}
		this.cols.forEach((col, c) => {
			if (cols[c]) col.set(cols[c], this.end);
			else col.fill(Number.NaN, this.end, this.end + k);
		});
		this.end += k;
		if (this.end - this.start > this.size) this.start = this.end - this.size;
	}

	replace(...cols: Float64Array[]): void {
		const n = cols[0].length;
		const k = Math.min(n, this.size);
		this.cols.forEach((col, c) => {
			if (cols[c]) col.set(cols[c].subarray(n - k), 0);
			else col.fill(Number.NaN, 0, k);
		});
		this.start = 0;
		this.end = k;
	}

	/** Changes the window length, keeping the newest rows that still fit. */
	resize(size: number): void {
		if (size === this.size) return;
		const keep = Math.min(this.length, size);
		this.cols = this.cols.map((col) => {
			const next = new Float64Array(size * 2);
			next.set(col.subarray(this.end - keep, this.end));
			return next;
		});
		this.size = size;
		this.start = 0;
		this.end = keep;
	}

	clear(): void {
		this.start = 0;
		this.end = 0;
	}
}
