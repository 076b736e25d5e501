import type { Anomaly } from '../domain/anomaly';
import type { SeriesFrame } from './types';

/**
 * Ticks of one watched series waiting for the page's next frame. Holds at most the window:
 * if the page falls behind (a hidden tab stops asking), older ticks are dropped and the next
 * frame replaces the page's window instead of appending to it.
 */
export class WatchBuffer {
	readonly seriesId: number;
	readonly windowSize: number;
	private t: Float64Array;
	private v: Float64Array;
	/** Ring: `start` is the oldest tick, `n` how many are held. */
	private start = 0;
	private n = 0;
	private overflowed = false;
	/** The initial window from history; the first frame sends it with everything since. */
	private initial: { t: Float64Array; v: Float64Array; anomalies: Anomaly[] } | null = null;
	/** True until the history read for the initial window has come back. */
	loading = true;

	constructor(seriesId: number, windowSize: number) {
		this.seriesId = seriesId;
		this.windowSize = windowSize;
		// Start small: most frames carry a handful of ticks; grow up to the window on demand.
		const cap = Math.min(windowSize, 1024);
		this.t = new Float64Array(cap);
		this.v = new Float64Array(cap);
	}

	push(t: number, v: number): void {
		if (this.n === this.t.length && this.n < this.windowSize) this.grow();
		const cap = this.t.length;
		if (this.n === cap) {
			// Full at the window size: overwrite the oldest.
			this.t[this.start] = t;
			this.v[this.start] = v;
			this.start = (this.start + 1) % cap;
			this.overflowed = true;
			return;
		}
		const at = (this.start + this.n) % cap;
		this.t[at] = t;
		this.v[at] = v;
		this.n++;
	}

	setInitial(t: Float64Array, v: Float64Array, anomalies: Anomaly[]): void {
		this.initial = { t, v, anomalies };
		this.loading = false;
	}

	/** What the page should get now, or null when there is nothing new. */
	take(): SeriesFrame | null {
		if (this.loading) return null;
		const initial = this.initial;
		if (!initial && this.n === 0) return null;
		const replace = initial !== null || this.overflowed;
		const keepInitial = initial ? Math.min(initial.t.length, this.windowSize - this.n) : 0;
		const total = keepInitial + this.n;
		const t = new Float64Array(total);
		const v = new Float64Array(total);
		if (initial && keepInitial > 0) {
			t.set(initial.t.subarray(initial.t.length - keepInitial));
			v.set(initial.v.subarray(initial.v.length - keepInitial));
		}
		this.copyRing(t, v, keepInitial);
		const frame: SeriesFrame = { id: this.seriesId, t, v, replace };
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

	private copyRing(t: Float64Array, v: Float64Array, at: number): void {
		const cap = this.t.length;
		const first = Math.min(this.n, cap - this.start);
		t.set(this.t.subarray(this.start, this.start + first), at);
		v.set(this.v.subarray(this.start, this.start + first), at);
		if (first < this.n) {
			t.set(this.t.subarray(0, this.n - first), at + first);
			v.set(this.v.subarray(0, this.n - first), at + first);
		}
	}

	private grow(): void {
		// Only called while the ring has not wrapped (n === capacity and start === 0 until full).
		const cap = Math.min(this.windowSize, this.t.length * 2);
		const t = new Float64Array(cap);
		const v = new Float64Array(cap);
		this.copyRing(t, v, 0);
		this.t = t;
		this.v = v;
		this.start = 0;
	}
}
