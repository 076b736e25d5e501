import type { ChunkRow, SummaryRow, TickscopeDb } from './db';
import { bucketOf, MinMaxBuckets } from './decimate';
import { searchTime } from './series-buffer';

/**
 * What one read sees of a series, taken synchronously so that memory and rows neither overlap
 * nor leave a gap: the stored rows overlapping the range, which are all older than the ticks in
 * memory and never change again (only retention may delete them), the rows among them not yet
 * committed, and the in-memory ticks inside the range.
 */
export interface TickSnapshot {
	seriesId: number;
	from: number;
	/** Whether a tick at exactly `from` belongs to the range (`to` always does). */
	fromInclusive: boolean;
	to: number;
	/** Summaries of the overlapping rows, oldest first. */
	rows: SummaryRow[];
	/** Rows queued for writing, by key: read from here, not from IndexedDB. */
	inflight: Map<number, ChunkRow>;
	memT: Float64Array;
	memV: Float64Array;
}

export interface Ticks {
	t: Float64Array;
	v: Float64Array;
}

/**
 * Ticks of the snapshot in time order; with `limit`, the oldest `limit` of them, plus any that
 * share the time of the last one (so paging on with `t > last` loses nothing).
 */
export async function readTicks(db: TickscopeDb, snap: TickSnapshot, limit = Infinity): Promise<Ticks> {
	const parts: [Float64Array, Float64Array, number, number][] = [];
	let count = 0;
	let cutT = NaN;
	let lastT = NaN;
	const { rows } = snap;
	let i = 0;
	while (i < rows.length && (count < limit || lastT === cutT)) {
		// Enough rows for what is missing, plus one: the first may lie partly before the range.
		let j = i;
		let sum = 0;
		while (j < rows.length && (j === i || sum < limit - count)) sum += rows[j++].n;
		if (j < rows.length) j++;
		const got = await fetchRows(db, snap, rows.slice(i, j), true);
		for (const row of got) {
			if (!row) continue;
			const lo = searchTime(row.t, row.n, snap.from, snap.fromInclusive);
			const hi = searchTime(row.t, row.n, snap.to, false);
			if (hi <= lo) continue;
			parts.push([row.t, row.v, lo, hi]);
			if (count < limit && count + hi - lo >= limit) cutT = row.t[lo + (limit - count) - 1];
			count += hi - lo;
			lastT = row.t[hi - 1];
		}
		i = j;
	}
	if (count < limit || lastT === cutT) {
		parts.push([snap.memT, snap.memV, 0, snap.memT.length]);
		if (count < limit && count + snap.memT.length >= limit) cutT = snap.memT[limit - count - 1];
		count += snap.memT.length;
	}
	return concat(parts, count, count > limit ? cutT : Infinity);
}

/**
 * Min and max per bucket (see bucketOf for the edges) over the snapshot's range, or the raw
 * ticks when the range holds at most 2·buckets. Whole chunks inside one bucket are taken from
 * their summaries; only chunks that a bucket edge (or the range's ends) cuts are read.
 */
export async function decimateTicks(db: TickscopeDb, snap: TickSnapshot, buckets: number): Promise<Ticks & { decimated: boolean }> {
	const { rows, from, to, memT, memV } = snap;
	const most = 2 * buckets;
	let upper = memT.length;
	for (const row of rows) upper += row.n;
	if (upper <= most) return { ...(await readTicks(db, snap)), decimated: false };

	const cut: SummaryRow[] = [];
	const whole = new Uint8Array(rows.length);
	let inRange = memT.length;
	for (let i = 0; i < rows.length; i++) {
		const row = rows[i];
		if (row.tFirst >= from && row.t1 <= to && bucketOf(row.tFirst, from, to, buckets) === bucketOf(row.t1, from, to, buckets)) {
			whole[i] = 1;
			inRange += row.n;
		} else cut.push(row);
	}
	const cutRows = await fetchRows(db, snap, cut, false);
	const bounds = cutRows.map((row) => {
		if (!row) return [0, 0];
		const lo = searchTime(row.t, row.n, from, true);
		const hi = searchTime(row.t, row.n, to, false);
		inRange += Math.max(0, hi - lo);
		return [lo, hi];
	});
	if (inRange <= most) return { ...(await readTicks(db, snap)), decimated: false };

	const acc = new MinMaxBuckets(buckets);
	let base = 0;
	let c = 0;
	for (let i = 0; i < rows.length; i++) {
		const s = rows[i];
		if (whole[i]) {
			if (s.iMin >= 0) {
				const k = bucketOf(s.tFirst, from, to, buckets);
				acc.addMin(k, s.tMin, s.min, base + s.iMin);
				acc.addMax(k, s.tMax, s.max, base + s.iMax);
			}
		} else {
			const row = cutRows[c];
			const [lo, hi] = bounds[c++];
			if (row && hi > lo) acc.addTicks(row.t, row.v, lo, hi, base, from, to);
		}
		base += s.n;
	}
	acc.addTicks(memT, memV, 0, memT.length, base, from, to);
	return { ...acc.emit(), decimated: true };
}

/**
 * The chunk rows of `wanted` (in order; undefined where retention deleted one meanwhile). One
 * range read when they are (nearly) contiguous, else one get per row in a single transaction.
 */
async function fetchRows(db: TickscopeDb, snap: TickSnapshot, wanted: SummaryRow[], contiguous: boolean): Promise<(ChunkRow | undefined)[]> {
	const out: (ChunkRow | undefined)[] = wanted.map((s) => snap.inflight.get(s.t0));
	const missing = wanted.filter((_, i) => !out[i]);
	if (missing.length === 0) return out;
	const id = snap.seriesId;
	const byKey = new Map<number, ChunkRow>();
	if (contiguous) {
		const got = await db.chunks
			.where('[seriesId+t0]')
			.between([id, missing[0].t0], [id, missing[missing.length - 1].t0], true, true)
			.toArray();
		for (const row of got) byKey.set(row.t0, row);
	} else {
		const got = await db.chunks.bulkGet(missing.map((s): [number, number] => [id, s.t0]));
		for (const row of got) if (row) byKey.set(row.t0, row);
	}
	for (let i = 0; i < wanted.length; i++) {
		// A row under the same key with other contents is a small row a queued compaction replaces.
		if (!out[i]) out[i] = checked(byKey.get(wanted[i].t0), wanted[i]);
	}
	return out;
}

function checked(row: ChunkRow | undefined, summary: SummaryRow): ChunkRow | undefined {
	return row && row.n === summary.n && row.t1 === summary.t1 ? row : undefined;
}

function concat(parts: [Float64Array, Float64Array, number, number][], count: number, cutT: number): Ticks {
	let n = 0;
	for (const [t, , lo, hi] of parts) {
		// Everything up to the limit, plus the ticks sharing the time of the limit's last one.
		const end = cutT === Infinity ? hi : Math.max(lo, searchTime(t, hi, cutT, false));
		n += end - lo;
		if (end < hi) break;
	}
	n = Math.min(n, count);
	const t = new Float64Array(n);
	const v = new Float64Array(n);
	let at = 0;
	for (const [pt, pv, lo, hi] of parts) {
		const take = Math.min(hi - lo, n - at);
		if (take <= 0) break;
		t.set(pt.subarray(lo, lo + take), at);
		v.set(pv.subarray(lo, lo + take), at);
		at += take;
	}
	return { t, v };
}
