import type { Anomaly } from '../domain/anomaly';
import type { SeriesInfo } from '../domain/series';
import type { SeriesFrame } from '../engine/types';
import { ChartWindow } from './chart-window';
import type { SeriesSource, SeriesView } from './series-source';

/** Flags kept per series beyond its window's start are dropped; this many at most in any case. */
const MAX_FLAGS = 2000;

interface Subscription {
	ids: readonly number[];
	size: number;
	listener: () => void;
	dirty: boolean;
}

class Entry implements SeriesView {
	window: ChartWindow;
	anomalies: Anomaly[] = [];
	ready = false;
	readonly subs = new Set<Subscription>();

	constructor(
		public info: SeriesInfo,
		size: number
	) {
		this.window = new ChartWindow(size);
	}

	/** The largest window any subscriber asked for. */
	wanted(): number {
		let size = 0;
		for (const sub of this.subs) size = Math.max(size, sub.size);
		return size;
	}
}

/**
 * The one place live series reach panels from (see SeriesSource). A series is watched once,
 * with the largest window any panel asked for; a frame updates its window once; each
 * subscriber runs once per frame however many of its series changed.
 */
export class SeriesHub implements SeriesSource {
	private readonly entries = new Map<number, Entry>();
	private readonly dirty = new Set<Subscription>();

	/**
	 * @param rewatch called when the window a series needs changes (0: no longer needed by panels);
	 *   the owner watches the engine with the largest of that and its own needs.
	 * @param lookup series info by id
	 */
	constructor(
		private readonly rewatch: (seriesId: number) => void,
		private readonly lookup: (seriesId: number) => SeriesInfo | undefined
	) {}

	subscribe(seriesIds: readonly number[], windowSize: number, listener: () => void): () => void {
		const sub: Subscription = { ids: [...new Set(seriesIds)], size: Math.max(1, Math.floor(windowSize)), listener, dirty: false };
		for (const id of sub.ids) {
			let entry = this.entries.get(id);
			const info = entry?.info ?? this.lookup(id);
			if (!info) continue;
			const before = entry?.wanted() ?? 0;
			if (!entry) this.entries.set(id, (entry = new Entry(info, sub.size)));
			entry.subs.add(sub);
			if (sub.size > before) {
				if (entry.window.size < sub.size) entry.window.resize(sub.size);
				// A bigger window: the engine sends it whole again (its first frame replaces).
				entry.ready = false;
				this.rewatch(id);
			} else if (entry.ready) {
				// Already streaming: this subscriber can draw at once.
				this.markDirty(sub);
			}
		}
		let done = false;
		return () => {
			if (done) return;
			done = true;
			this.dirty.delete(sub);
			for (const id of sub.ids) {
				const entry = this.entries.get(id);
				if (!entry || !entry.subs.delete(sub)) continue;
				if (entry.subs.size === 0) {
					this.entries.delete(id);
					this.rewatch(id);
				} else if (entry.wanted() < entry.window.size) {
					entry.window.resize(entry.wanted());
					this.rewatch(id);
				}
			}
		};
	}

	view(seriesId: number): SeriesView | undefined {
		return this.entries.get(seriesId);
	}

	/** Window panels need of a series (0: none). */
	sizeOf(seriesId: number): number {
		return this.entries.get(seriesId)?.wanted() ?? 0;
	}

	/** Series panels stream now. */
	ids(): number[] {
		return [...this.entries.keys()];
	}

	/** One series' part of a frame. Returns whether any panel shows it. */
	apply(frame: SeriesFrame): boolean {
		const entry = this.entries.get(frame.id);
		if (!entry) return false;
		if (frame.replace) {
			entry.window.replace(frame.t, frame.v, frame.lo, frame.hi);
			entry.anomalies = frame.anomalies ? [...frame.anomalies] : [];
			entry.ready = true;
		} else if (entry.ready) {
			entry.window.append(frame.t, frame.v, frame.lo, frame.hi);
		} else {
			return true;
		}
		this.trimFlags(entry);
		for (const sub of entry.subs) this.markDirty(sub);
		return true;
	}

	/** New flags of any series. */
	addAnomalies(anomalies: readonly Anomaly[]): void {
		for (const a of anomalies) {
			const entry = this.entries.get(a.seriesId);
			if (!entry || !entry.ready) continue;
			entry.anomalies.push(a);
			if (entry.anomalies.length > MAX_FLAGS) entry.anomalies.splice(0, entry.anomalies.length - MAX_FLAGS);
			for (const sub of entry.subs) this.markDirty(sub);
		}
	}

	/** Series info changed (e.g. first seen after the panel asked for it). */
	refreshInfo(): void {
		for (const [id, entry] of this.entries) entry.info = this.lookup(id) ?? entry.info;
	}

	/** Calls every subscriber whose series changed since the last flush, once. */
	flush(): void {
		if (this.dirty.size === 0) return;
		const due = [...this.dirty];
		this.dirty.clear();
		for (const sub of due) {
			sub.dirty = false;
			sub.listener();
		}
	}

	/** Lets go of every series (the page is closing or the engine restarts). */
	clear(): void {
		this.entries.clear();
		this.dirty.clear();
	}

	private markDirty(sub: Subscription): void {
		if (sub.dirty) return;
		sub.dirty = true;
		this.dirty.add(sub);
	}

	private trimFlags(entry: Entry): void {
		const from = entry.window.length > 0 ? entry.window.xs[0] : Infinity;
		let drop = 0;
		while (drop < entry.anomalies.length && entry.anomalies[drop].t < from) drop++;
		if (drop > 0) entry.anomalies.splice(0, drop);
	}
}
