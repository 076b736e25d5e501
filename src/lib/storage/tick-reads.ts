import { B_IMAX, B_IMIN, B_MAX, B_MIN, B_TFIRST, B_TLAST, B_TMAX, B_TMIN, BLOCK_FIELDS, BLOCK_TICKS } from './chunk-summary';
import type { BlockRow, ChunkRow, SummaryRow, TickscopeDb } from './db';
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
	inflightBlocks: Map<number, BlockRow>;
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
		const got = await fetchRows(db, snap, rows.slice(i, j));
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
 * Up to this many cut chunks are read whole straight away; past it, their per-block summaries
 * (1/16 of their size) are read first and decide which of them can change a bucket at all.
 */
const DIRECT_CUT_ROWS = 32;

/**
 * Min and max per bucket (see bucketOf for the edges) over the snapshot's range, or the raw
 * ticks when the range holds at most 2·buckets. Chunks inside one bucket are taken from their
 * summaries. Of the chunks a bucket edge (or an end of the range) cuts, the blocks inside one
 * bucket are taken from the block summaries; a cut chunk is read only when one of its cut
 * blocks could hold a smaller min or larger max than the bucket has without it.
 */
export async function decimateTicks(db: TickscopeDb, snap: TickSnapshot, buckets: number): Promise<Ticks & { decimated: boolean }> {
	const { rows, from, to, memT, memV } = snap;
	const most = 2 * buckets;
	let upper = memT.length;
	for (const row of rows) upper += row.n;
	if (upper <= most) return { ...(await readTicks(db, snap)), decimated: false };

	const acc = new MinMaxBuckets(buckets);
	// Stream position of each row's first tick: ties between equal values go to the earlier tick.
	const base = new Float64Array(rows.length + 1);
	const cut: number[] = [];
	let inRange = memT.length;
	for (let i = 0; i < rows.length; i++) {
		const s = rows[i];
		base[i + 1] = base[i] + s.n;
		const k = bucketOf(s.tFirst, from, to, buckets);
		if (s.tFirst >= from && s.t1 <= to && k === bucketOf(s.t1, from, to, buckets)) {
			inRange += s.n;
			if (s.iMin >= 0) {
				acc.addMin(k, s.tMin, s.min, base[i] + s.iMin);
				acc.addMax(k, s.tMax, s.max, base[i] + s.iMax);
			}
		} else cut.push(i);
	}
	acc.addTicks(memT, memV, 0, memT.length, base[rows.length], from, to);

	let read = cut;
	if (cut.length > DIRECT_CUT_ROWS) {
		const blocks = await fetchBlocks(db, snap, cut.map((i) => rows[i]));
		const lower = foldBlocks(acc, snap, buckets, cut, blocks, base);
		// Below the threshold only an exact count tells raw from decimated: read them all then.
		if (inRange + lower.ticks > most) read = lower.needed;
	}
	const got = await fetchRows(db, snap, read.map((i) => rows[i]));
	const bounds = got.map((row) => (row ? [searchTime(row.t, row.n, from, true), searchTime(row.t, row.n, to, false)] : [0, 0]));
	if (read === cut) {
		for (const [lo, hi] of bounds) inRange += Math.max(0, hi - lo);
		if (inRange <= most) return { ...(await readTicks(db, snap)), decimated: false };
	}
	for (let r = 0; r < read.length; r++) {
		const row = got[r];
		const [lo, hi] = bounds[r];
		if (row && hi > lo) acc.addTicks(row.t, row.v, lo, hi, base[read[r]], from, to);
	}
	return { ...acc.emit(), decimated: true };
}

/**
 * Folds what the block summaries of the cut rows tell for certain: blocks inside one bucket, and
 * a cut block's min (max) in the bucket it lies in. Returns the ticks so counted and the rows
 * whose other cut-block parts could still change a bucket (or whose blocks are missing).
 */
function foldBlocks(
	acc: MinMaxBuckets,
	snap: TickSnapshot,
	buckets: number,
	cut: number[],
	blocks: (BlockRow | undefined)[],
	base: Float64Array
): { ticks: number; needed: number[] } {
	const { rows, from, to } = snap;
	const needed: number[] = [];
	const pending: number[] = [];
	let ticks = 0;
	for (let c = 0; c < cut.length; c++) {
		const s = rows[cut[c]];
		const b = blocks[c]?.b;
		if (!b || b.length !== Math.ceil(s.n / BLOCK_TICKS) * BLOCK_FIELDS || b[b.length - BLOCK_FIELDS + B_TLAST] !== s.t1) {
			needed.push(cut[c]);
			continue;
		}
		const at = base[cut[c]];
		for (let o = 0; o < b.length; o += BLOCK_FIELDS) {
			const tf = b[o + B_TFIRST];
			const tl = b[o + B_TLAST];
			if (tl < from || tf > to || b[o + B_IMIN] < 0) continue;
			const k0 = bucketOf(Math.max(tf, from), from, to, buckets);
			const k1 = bucketOf(Math.min(tl, to), from, to, buckets);
			const tMin = b[o + B_TMIN];
			const tMax = b[o + B_TMAX];
			if (tf >= from && tl <= to && k0 === k1) {
				ticks += Math.min(BLOCK_TICKS, s.n - (o / BLOCK_FIELDS) * BLOCK_TICKS);
				acc.addMin(k0, tMin, b[o + B_MIN], at + b[o + B_IMIN]);
				acc.addMax(k0, tMax, b[o + B_MAX], at + b[o + B_IMAX]);
				continue;
			}
			// The block's min is the min of its part in the bucket that holds it.
			if (tMin >= from && tMin <= to) acc.addMin(bucketOf(tMin, from, to, buckets), tMin, b[o + B_MIN], at + b[o + B_IMIN]);
			if (tMax >= from && tMax <= to) acc.addMax(bucketOf(tMax, from, to, buckets), tMax, b[o + B_MAX], at + b[o + B_IMAX]);
			pending.push(c, o, k0, k1);
		}
	}
	// Only now, with every certain part folded in, can a cut block be ruled out.
	let lastNeeded = -1;
	for (let p = 0; p < pending.length; p += 4) {
		const c = pending[p];
		if (c === lastNeeded) continue;
		const b = blocks[c]!.b;
		const o = pending[p + 1];
		const tMin = b[o + B_TMIN];
		const tMax = b[o + B_TMAX];
		const kMin = tMin >= from && tMin <= to ? bucketOf(tMin, from, to, buckets) : -1;
		const kMax = tMax >= from && tMax <= to ? bucketOf(tMax, from, to, buckets) : -1;
		const pos = base[cut[c]] + (o / BLOCK_FIELDS) * BLOCK_TICKS;
		for (let k = pending[p + 2]; k <= pending[p + 3]; k++) {
			if (acc.couldChange(k, b[o + B_MIN], b[o + B_MAX], pos, k === kMin, k === kMax)) {
				needed.push(cut[c]);
				lastNeeded = c;
				break;
			}
		}
	}
	return { ticks, needed: needed.sort((x, y) => x - y) };
}

/** The block summaries of `wanted` (undefined where missing), from queued writes or one bulkGet. */
async function fetchBlocks(db: TickscopeDb, snap: TickSnapshot, wanted: SummaryRow[]): Promise<(BlockRow | undefined)[]> {
	const out = wanted.map((s) => snap.inflightBlocks.get(s.t0));
	const missing = wanted.map((s, i) => (out[i] ? -1 : i)).filter((i) => i >= 0);
	if (missing.length === 0) return out;
	const got = await db.blocks.bulkGet(missing.map((i): [number, number] => [snap.seriesId, wanted[i].t0]));
	missing.forEach((i, j) => (out[i] = got[j]));
	return out;
}

/**
 * The chunk rows of `wanted` (in order; undefined where retention deleted one meanwhile), from
 * queued writes or one bulkGet. In Chromium a bulkGet of n keys beat a range getAll of the same
 * n rows of 32 KiB by about 2× (bench/history.mjs, 100k-tick range: 8 ms against 14 ms).
 */
async function fetchRows(db: TickscopeDb, snap: TickSnapshot, wanted: SummaryRow[]): Promise<(ChunkRow | undefined)[]> {
	const out: (ChunkRow | undefined)[] = wanted.map((s) => snap.inflight.get(s.t0));
	const missing = wanted.map((s, i) => (out[i] ? -1 : i)).filter((i) => i >= 0);
	if (missing.length === 0) return out;
	const got = await db.chunks.bulkGet(missing.map((i): [number, number] => [snap.seriesId, wanted[i].t0]));
	// A row under the same key with other contents is a small row a queued compaction replaces.
	missing.forEach((i, j) => (out[i] = checked(got[j], wanted[i])));
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
