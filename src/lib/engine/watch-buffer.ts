import type { Anomaly } from '../domain/anomaly';
import type { SeriesFrame } from './types';

/** Columns a watched series carries: time, value, and the detector's band (low, high). */
const COLUMNS = 4;

/**
 * Ticks of one watched series waiting for the page's next frame, with the detector's band of
 * ordinary values at each. Holds at most the window: if the page falls behind (a hidden tab
 * stops asking), older ticks are dropped and the next frame replaces the page's window instead
 * of appending to it.
 */
export class WatchBuffer {
	readonly seriesId: number;
	readonly windowSize: number;
	/** Rings, one per column: t, v, lo, hi. */
	private cols: Float64Array[];
	/** Ring: `start` is the oldest tick, `n` how many are held. */
	private start = 0;
	private n = 0;
	private overflowed = false;
	/** The initial window from history; the first frame sends it with everything since. */
	private initial: { t: Float64Array; v: Float64Array; anomalies: Anomaly[] } | null = null;
	/** Ticks at or before this time are already in the initial window (a mirror's overlap). */
	private skipUpTo = -Infinity;
	/** True until the history read for the initial window has come back. */
	loading = true;

	constructor(seriesId: number, windowSize: number) {
		this.seriesId = seriesId;
		this.windowSize = windowSize;
		// Start small: most frames carry a handful of ticks; grow up to the window on demand.
		const cap = Math.min(windowSize, 1024);
		this.cols = Array.from({ length: COLUMNS }, () => new Float64Array(cap));
	}

	push(t: number, v: number, lo: number, hi: number): void {
		if (t <= this.skipUpTo) return;
		if (this.n === this.cols[0].length && this.n < this.windowSize) this.grow();
		const [ts, vs, los, his] = this.cols;
		const cap = ts.length;
		let at: number;
		if (this.n === cap) {
			// Full at the window size: overwrite the oldest.
			at = this.start;
			this.start = (this.start + 1) % cap;
			this.overflowed = true;
		} else {
			at = (this.start + this.n) % cap;
			this.n++;
		}
		ts[at] = t;
		vs[at] = v;
		los[at] = lo;
		his[at] = hi;
	}

	/**
	 * The window from history. With `cutOverlap` (a mirror, whose window from the recording tab
	 * overlaps the ticks streamed to it meanwhile, in either order): window ticks at or after the
	 * first one buffered are dropped, and streamed ticks not newer than the window's last are skipped.
	 */
	setInitial(t: Float64Array, v: Float64Array, anomalies: Anomaly[], cutOverlap = false): void {
		if (cutOverlap && this.n > 0) {
			const first = this.cols[0][this.start];
			let keep = t.length;
			while (keep > 0 && t[keep - 1] >= first) keep--;
			t = t.subarray(0, keep);
			v = v.subarray(0, keep);
		} else if (cutOverlap && t.length > 0) {
			this.skipUpTo = t[t.length - 1];
		}
		this.initial = { t, v, anomalies };
		this.loading = false;
	}

	/** Ticks were lost on the way: the next frame replaces the page's window. */
	markOverflowed(): void {
		this.overflowed = true;
	}

	/** What the page should get now, or null when there is nothing new. */
	take(): SeriesFrame | null {
		if (this.loading) return null;
		const initial = this.initial;
		if (!initial && this.n === 0) return null;
		const replace = initial !== null || this.overflowed;
		const keepInitial = initial ? Math.min(initial.t.length, this.windowSize - this.n) : 0;
		const total = keepInitial + this.n;
		const out = Array.from({ length: COLUMNS }, () => new Float64Array(total));
		if (initial && keepInitial > 0) {
			out[0].set(initial.t.subarray(initial.t.length - keepInitial));
			out[1].set(initial.v.subarray(initial.v.length - keepInitial));
			// History keeps ticks, not bands: none is drawn for the stored part.
			out[2].fill(Number.NaN, 0, keepInitial);
			out[3].fill(Number.NaN, 0, keepInitial);
		}
		for (let c = 0; c < COLUMNS; c++) this.copyRing(this.cols[c], out[c], keepInitial);
		const [t, v, lo, hi] = out;
		const frame: SeriesFrame = { id: this.seriesId, t, v, lo, hi, replace };
		if (initial) {
			const from = total > 0 ? t[0] : Infinity;
			frame.anomalies = initial.anomalies.filter((a) => a.t >= from);
		}
		this.initial = null;
		this.overflowed = false;
		this.start = 0;
		this.n = 0;
		return frame;
	}

	private copyRing(ring: Float64Array, out: Float64Array, at: number): void {
		const cap = ring.length;
		const first = Math.min(this.n, cap - this.start);
		out.set(ring.subarray(this.start, this.start + first), at);
		if (first < this.n) out.set(ring.subarray(0, this.n - first), at + first);
	}

	private grow(): void {
		// Only called before the ring wraps (it wraps only once it holds the whole window).
		const cap = Math.min(this.windowSize, this.cols[0].length * 2);
		this.cols = this.cols.map((ring) => {
			const next = new Float64Array(cap);
			this.copyRing(ring, next, 0);
			return next;
		});
		this.start = 0;
	}
}
