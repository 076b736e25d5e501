import type { Anomaly } from '../domain/anomaly';
import type { SeriesInfo } from '../domain/series';

/** Ticks one tap holds between two sends; a mirror that fell this far behind re-reads its window. */
const MAX_TICKS = 1 << 20;

/** What a recording tab sends mirroring tabs a few times a second. */
export interface LiveBatch {
	n: number;
	ids: Int32Array;
	t: Float64Array;
	v: Float64Array;
	lo: Float64Array;
	hi: Float64Array;
	/** More than MAX_TICKS came in since the last send: the oldest were dropped. */
	overflowed: boolean;
	anomalies: Anomaly[];
	seriesAdded: SeriesInfo[];
}

/**
 * Copies of the engine's accepted ticks (with the detector's band), flags and new series, for
 * tabs that mirror this one. Column arrays grow to the busiest interval and are reused, so the
 * per-tick cost is five stores; `drain` copies out only what was filled.
 */
export class LiveTap {
	private ids = new Int32Array(1024);
	private t = new Float64Array(1024);
	private v = new Float64Array(1024);
	private lo = new Float64Array(1024);
	private hi = new Float64Array(1024);
	private n = 0;
	private overflowed = false;
	private anomalies: Anomaly[] = [];
	private seriesAdded: SeriesInfo[] = [];

	tick(id: number, t: number, v: number, lo: number, hi: number): void {
		if (this.n === this.t.length) {
			if (this.n >= MAX_TICKS) {
				this.overflowed = true;
				return;
			}
			this.grow();
		}
		const i = this.n++;
		this.ids[i] = id;
		this.t[i] = t;
		this.v[i] = v;
		this.lo[i] = lo;
		this.hi[i] = hi;
	}

	anomaly(anomaly: Anomaly): void {
		if (this.anomalies.length < 1000) this.anomalies.push(anomaly);
	}

	series(info: SeriesInfo): void {
		this.seriesAdded.push(info);
	}

	get pending(): number {
		return this.n;
	}

	/** Everything since the last drain, in arrays of its own (the tap's are reused). */
	drain(): LiveBatch {
		const n = this.n;
		const batch: LiveBatch = {
			n,
			ids: this.ids.slice(0, n),
			t: this.t.slice(0, n),
			v: this.v.slice(0, n),
			lo: this.lo.slice(0, n),
			hi: this.hi.slice(0, n),
			overflowed: this.overflowed,
			anomalies: this.anomalies,
			seriesAdded: this.seriesAdded
		};
		this.n = 0;
		this.overflowed = false;
		this.anomalies = [];
		this.seriesAdded = [];
		return batch;
	}

	private grow(): void {
		const size = this.t.length * 2;
		const ids = new Int32Array(size);
		ids.set(this.ids);
		this.ids = ids;
		const grow = (a: Float64Array) => {
			const b = new Float64Array(size);
			b.set(a);
			return b;
		};
		this.t = grow(this.t);
		this.v = grow(this.v);
		this.lo = grow(this.lo);
		this.hi = grow(this.hi);
	}
}
