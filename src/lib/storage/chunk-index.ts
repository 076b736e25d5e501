import { chunkBytes } from './chunk-summary';
import type { SummaryRow } from './db';

/** A change to the chunk table, as the index replays it: a put, or an inclusive key-range delete. */
export type IndexOp = { put: SummaryRow } | { del: [seriesId: number, from: number, to: number] };

/** One series' chunk summaries in key order (which is time order), with their tick total. */
export class SeriesIndex {
	readonly rows: SummaryRow[] = [];
	ticks = 0;

	/** Index of the first row whose key is ≥ `key` (rows.length when none). */
	lowerKey(key: number): number {
		let lo = 0;
		let hi = this.rows.length;
		while (lo < hi) {
			const mid = (lo + hi) >>> 1;
			if (this.rows[mid].t0 < key) lo = mid + 1;
			else hi = mid;
		}
		return lo;
	}

	/** Index of the first row whose last tick is at or after `t`: the first row that can hold t ≥ `t`. */
	firstEndingFrom(t: number): number {
		let lo = 0;
		let hi = this.rows.length;
		while (lo < hi) {
			const mid = (lo + hi) >>> 1;
			if (this.rows[mid].t1 < t) lo = mid + 1;
			else hi = mid;
		}
		return lo;
	}

	/** Index just past the last row whose first tick is at or before `t`. */
	endStartingBy(t: number): number {
		let lo = 0;
		let hi = this.rows.length;
		while (lo < hi) {
			const mid = (lo + hi) >>> 1;
			if (this.rows[mid].tFirst <= t) lo = mid + 1;
			else hi = mid;
		}
		return lo;
	}

	/** Returns the change in [ticks, rows]. */
	put(row: SummaryRow): [number, number] {
		const rows = this.rows;
		// New rows almost always go last.
		const at = rows.length === 0 || rows[rows.length - 1].t0 < row.t0 ? rows.length : this.lowerKey(row.t0);
		if (at < rows.length && rows[at].t0 === row.t0) {
			const dn = row.n - rows[at].n;
			rows[at] = row;
			this.ticks += dn;
			return [dn, 0];
		}
		rows.splice(at, 0, row);
		this.ticks += row.n;
		return [row.n, 1];
	}

	/** Removes rows with from ≤ key ≤ to; returns the change in [ticks, rows]. */
	deleteRange(from: number, to: number): [number, number] {
		const lo = this.lowerKey(from);
		let hi = lo;
		let dn = 0;
		while (hi < this.rows.length && this.rows[hi].t0 <= to) dn += this.rows[hi++].n;
		if (hi === lo) return [0, 0];
		this.rows.splice(lo, hi - lo);
		this.ticks -= dn;
		return [-dn, lo - hi];
	}
}

/**
 * Every series' chunk summaries, in memory: the state the chunk table will have once every
 * queued write has committed (rows are added when a flush swaps them out, not when they commit).
 * Loaded lazily from the summaries table; changes made while that read is under way are
 * journaled and replayed over it. Replaying is safe because each key ends up as the last op
 * touching it says, whichever prefix of those ops the read already saw.
 */
export class ChunkIndex {
	/** Ticks and rows in all series. */
	ticks = 0;
	rows = 0;
	private readonly bySeries = new Map<number, SeriesIndex>();
	private journal: IndexOp[] | null = null;
	private loading: Promise<void> | null = null;
	private loaded = false;

	/**
	 * Resolves once the index is loaded. `read` returns the stored summaries in key order;
	 * `pending` the ops of writes queued but perhaps not yet committed, oldest first.
	 */
	ensure(read: () => Promise<SummaryRow[]>, pending: () => IndexOp[]): Promise<void> {
		if (this.loaded) return Promise.resolve();
		if (!this.loading) {
			this.journal = pending();
			this.loading = read().then(
				(rows) => {
					this.bySeries.clear();
					this.ticks = 0;
					this.rows = 0;
					for (const row of rows) this.apply({ put: row });
					for (const op of this.journal ?? []) this.apply(op);
					this.journal = null;
					this.loaded = true;
				},
				(error) => {
					this.journal = null;
					this.loading = null;
					throw error;
				}
			);
		}
		return this.loading;
	}

	get isLoaded(): boolean {
		return this.loaded;
	}

	/** Records a change; before loading starts there is nothing to keep up to date. */
	record(op: IndexOp): void {
		if (this.journal) this.journal.push(op);
		else if (this.loaded) this.apply(op);
	}

	series(seriesId: number): SeriesIndex | undefined {
		return this.bySeries.get(seriesId);
	}

	seriesIds(): number[] {
		return [...this.bySeries.keys()];
	}

	get bytes(): number {
		return chunkBytes(this.ticks, this.rows);
	}

	private apply(op: IndexOp): void {
		if ('put' in op) {
			let index = this.bySeries.get(op.put.seriesId);
			if (!index) this.bySeries.set(op.put.seriesId, (index = new SeriesIndex()));
			this.count(index.put(op.put));
		} else {
			const index = this.bySeries.get(op.del[0]);
			if (index) this.count(index.deleteRange(op.del[1], op.del[2]));
		}
	}

	private count([ticks, rows]: [number, number]): void {
		this.ticks += ticks;
		this.rows += rows;
	}
}
