import type { Anomaly, Truth } from '../domain/anomaly';
import type { SeriesInfo } from '../domain/series';
import type { ChunkRow, CountersRow, FeedRow, HeadsRow, SettingsRow, TickscopeDb } from './db';
import { SeriesBuffer } from './series-buffer';

/** How often buffered ticks are written: a crash loses at most this much. */
export const FLUSH_INTERVAL_MS = 1000;
/** Small per-flush chunks of a series are merged into one row once they hold this many ticks. */
export const COMPACT_TICKS = 2048;
/** Smallest step between two chunk keys of one series (exactly representable, > ulp at 1e12 ms). */
export const KEY_EPSILON_MS = 1 / 1024;
/** Truths looked at for ones left open at start: far more than can be open at once. */
const OPEN_TRUTHS_SCAN = 5000;
/** Delay before retrying a failed write, doubled per failure up to RETRY_MAX_MS. */
const RETRY_BASE_MS = 500;
const RETRY_MAX_MS = 30_000;

export interface StorageProblem {
	kind: 'quota' | 'write-failed';
	message: string;
}

export interface HistoryStoreOptions {
	flushIntervalMs?: number;
	compactTicks?: number;
	onProblem?: (problem: StorageProblem) => void;
	/** A write succeeded after one or more failures. */
	onRecovered?: () => void;
}

export type Counters = Omit<CountersRow, 'key' | 'totalTicks'>;

/** Everything one flush writes, in one transaction. Replaying a batch is safe (puts and range deletes). */
interface WriteBatch {
	rows: ChunkRow[];
	/** Inclusive key ranges [seriesId, from, to] of small chunks replaced by a compacted row. */
	deletes: [number, number, number][];
	series: SeriesInfo[];
	anomalies: Anomaly[];
	truths: Truth[];
	counters: CountersRow;
	/** Every series' newest chunk key and tick, when some series got new ticks. */
	heads: HeadsRow | null;
	ticks: number;
}

export interface SeriesHead {
	info: SeriesInfo;
	/** Newest stored tick, or undefined when the series has none. */
	lastT?: number;
	lastV?: number;
}

/**
 * The history writer and reader: buffers ticks per series, flushes them about once a second as
 * columnar chunks (swap, then write; failed writes are retried in order), compacts small chunks,
 * enforces retention with primary-key range deletes, and answers "last N" from memory first.
 * The only code that writes history; it lives in the engine worker.
 */
export class HistoryStore {
	readonly db: TickscopeDb;
	/** Ticks appended since the history began (persisted with each flush). */
	totalTicks = 0;
	private readonly buffers = new Map<number, SeriesBuffer>();
	private readonly dirty = new Set<number>();
	private pendingSeries: SeriesInfo[] = [];
	private pendingAnomalies: Anomaly[] = [];
	private readonly pendingTruths = new Map<number, Truth>();
	private counters: Counters = { hits: 0, falseAlarms: 0, missed: 0, caught: 0, injected: 0 };
	private readonly unwritten: WriteBatch[] = [];
	/** Per series: newest chunk key, newest tick time and value (as of the last swap). */
	private readonly heads = new Map<number, [key: number, t: number, v: number]>();
	private writing: Promise<void> | null = null;
	private timer: ReturnType<typeof setTimeout> | null = null;
	private failures = 0;
	private readonly flushIntervalMs: number;
	private readonly compactTicks: number;
	private readonly onProblem: (problem: StorageProblem) => void;
	private readonly onRecovered: () => void;

	constructor(db: TickscopeDb, options: HistoryStoreOptions = {}) {
		this.db = db;
		this.flushIntervalMs = options.flushIntervalMs ?? FLUSH_INTERVAL_MS;
		this.compactTicks = options.compactTicks ?? COMPACT_TICKS;
		this.onProblem = options.onProblem ?? (() => {});
		this.onRecovered = options.onRecovered ?? (() => {});
	}

	/** Loads totals and each series' newest tick; call once before appending. */
	async open(): Promise<{ series: SeriesHead[]; counters: Counters; settings?: SettingsRow }> {
		const [series, counters, settings, stored] = await Promise.all([
			this.db.series.toArray(),
			this.db.meta.get('counters') as Promise<CountersRow | undefined>,
			this.db.meta.get('settings') as Promise<SettingsRow | undefined>,
			this.db.meta.get('heads') as Promise<HeadsRow | undefined>
		]);
		for (const [id, key, t, v] of stored?.heads ?? []) this.heads.set(id, [key, t, v]);
		if (counters) {
			this.totalTicks = counters.totalTicks;
			this.counters = {
				hits: counters.hits,
				falseAlarms: counters.falseAlarms,
				missed: counters.missed,
				caught: counters.caught ?? 0,
				injected: counters.injected
			};
		}
		const heads = await Promise.all(
			series.map(async (info): Promise<SeriesHead> => {
				const buffer = this.buffer(info.id);
				// One row holds every series' newest tick: no read per series at start.
				const head = this.heads.get(info.id);
				if (head) {
					buffer.lastKey = head[0];
					return { info, lastT: head[1], lastV: head[2] };
				}
				// Histories written before that row existed: read the newest chunk.
				const last = await this.db.chunks
					.where('[seriesId+t0]')
					.between([info.id, -Infinity], [info.id, Infinity])
					.last();
				if (!last) return { info };
				buffer.lastKey = last.t0;
				this.heads.set(info.id, [last.t0, last.t[last.n - 1], last.v[last.n - 1]]);
				return { info, lastT: last.t[last.n - 1], lastV: last.v[last.n - 1] };
			})
		);
		return { series: heads, counters: { ...this.counters }, settings };
	}

	async loadFeeds(): Promise<FeedRow[]> {
		return this.db.feeds.toArray();
	}

	async saveFeed(feed: FeedRow): Promise<void> {
		await this.db.feeds.put(structuredClone(feed));
	}

	async deleteFeed(id: string): Promise<void> {
		await this.db.feeds.delete(id);
	}

	/** Starts the periodic flush. */
	start(): void {
		if (this.timer) return;
		const tick = () => {
			this.timer = setTimeout(tick, this.nextDelayMs());
			void this.flush();
		};
		this.timer = setTimeout(tick, this.flushIntervalMs);
	}

	/** Hot path: one tick. No allocation unless the series' buffer has to grow. */
	append(seriesId: number, t: number, v: number): void {
		let buffer = this.buffers.get(seriesId);
		if (!buffer) buffer = this.buffer(seriesId);
		buffer.append(t, v);
		if (buffer.pendN === 1) this.dirty.add(seriesId);
		this.totalTicks++;
	}

	putSeries(info: SeriesInfo): void {
		this.pendingSeries.push(info);
	}

	putAnomaly(anomaly: Anomaly): void {
		this.pendingAnomalies.push(anomaly);
	}

	/** Queues a truth (new, or its `detected` changed); the latest state of each id is written. */
	putTruth(truth: Truth): void {
		this.pendingTruths.set(truth.id, { ...truth });
	}

	setCounters(counters: Counters): void {
		this.counters = { ...counters };
	}

	async saveSettings(settings: Omit<SettingsRow, 'key'>): Promise<void> {
		await this.db.meta.put({ key: 'settings', ...settings });
	}

	/** Writes everything buffered; resolves once it is committed (or queued for retry after a failure). */
	async flush(): Promise<void> {
		this.unwritten.push(this.swap());
		// One writer at a time, batches in order: a later batch may compact rows an earlier one wrote.
		while (this.writing) await this.writing;
		if (this.unwritten.length === 0) return;
		this.writing = this.writeQueued().finally(() => {
			this.writing = null;
		});
		await this.writing;
	}

	/** The newest `n` ticks of a series, oldest first; served from memory when it holds enough. */
	async readLast(seriesId: number, n: number): Promise<{ t: Float64Array; v: Float64Array }> {
		const buffer = this.buffers.get(seriesId);
		const inMemory = buffer ? Math.min(n, buffer.memoryN) : 0;
		const memT = new Float64Array(inMemory);
		const memV = new Float64Array(inMemory);
		if (buffer && inMemory > 0) buffer.copyNewest(inMemory, memT, memV, 0);
		if (inMemory === n || !buffer) {
			if (!buffer && n > 0) return this.readStored(seriesId, n, Infinity, true, memT, memV);
			return { t: memT, v: memV };
		}
		// Rows at or past the first tail key hold ticks we already copied from memory. Without a
		// tail every written row is older than memory, and rows written while we await get keys
		// above lastKey: so the bound is taken now, synchronously with the copy.
		const hasTail = buffer.tailKeys.length > 0;
		const bound = hasTail ? buffer.tailKeys[0] : buffer.lastKey;
		return this.readStored(seriesId, n - inMemory, bound, !hasTail, memT, memV);
	}

	/**
	 * Deletes chunks whose newest tick is older than `now - maxAgeMs`, per series, as primary-key
	 * range deletes. Anomalies and truths are never touched. Returns the number of rows deleted.
	 */
	async enforceRetention(now: number, maxAgeMs: number): Promise<number> {
		const cutoff = now - maxAgeMs;
		const ids = (await this.db.series.toCollection().primaryKeys()) as number[];
		let deleted = 0;
		for (const id of ids) {
			const buffer = this.buffers.get(id);
			// Never delete rows the in-memory tail still stands for: compaction rewrites them.
			const upper = buffer && buffer.tailKeys.length > 0 ? Math.min(cutoff, buffer.tailKeys[0]) : cutoff;
			const newestOld = await this.db.chunks
				.where('[seriesId+t0]')
				.between([id, -Infinity], [id, upper], true, false)
				.last();
			if (!newestOld) continue;
			// The newest row starting before the cutoff may still reach into the window: keep it then.
			const includeIt = newestOld.t1 < cutoff;
			deleted += await this.db.chunks
				.where('[seriesId+t0]')
				.between([id, -Infinity], [id, newestOld.t0], true, includeIt)
				.delete();
		}
		return deleted;
	}

	/**
	 * Makes room after a QuotaExceededError: drops every series' oldest quarter of stored time
	 * span (anomalies and truths stay). Returns the number of rows deleted.
	 */
	async evictOldest(fraction = 0.25): Promise<number> {
		const ids = (await this.db.series.toCollection().primaryKeys()) as number[];
		let deleted = 0;
		for (const id of ids) {
			const keys = this.db.chunks.where('[seriesId+t0]').between([id, -Infinity], [id, Infinity]);
			const [first] = (await keys.clone().limit(1).primaryKeys()) as [number, number][];
			const [last] = (await keys.clone().reverse().limit(1).primaryKeys()) as [number, number][];
			if (!first || !last || first[1] === last[1]) continue;
			const cutoff = first[1] + (last[1] - first[1]) * fraction;
			deleted += await this.db.chunks
				.where('[seriesId+t0]')
				.between([id, -Infinity], [id, cutoff], true, true)
				.delete();
		}
		return deleted;
	}

	/** The newest `limit` anomalies of one series, oldest first, including those not yet written. */
	async recentAnomaliesOf(seriesId: number, limit: number): Promise<Anomaly[]> {
		const stored = await this.db.anomalies
			.where('[seriesId+t]')
			.between([seriesId, -Infinity], [seriesId, Infinity])
			.reverse()
			.limit(limit)
			.toArray();
		const seen = new Set(stored.map((a) => a.id));
		for (const a of [...this.inFlightAnomalies(), ...this.pendingAnomalies]) {
			if (a.seriesId === seriesId && !seen.has(a.id)) stored.push(a);
		}
		return stored.sort((a, b) => a.t - b.t).slice(-limit);
	}

	async recentAnomalies(limit: number): Promise<Anomaly[]> {
		return this.db.anomalies.orderBy('id').reverse().limit(limit).toArray();
	}

	/** Truths whose outcome was not settled when the last session ended. */
	async openTruths(): Promise<Truth[]> {
		// Open truths are the newest few: look back over the latest OPEN_TRUTHS_SCAN, not all ever kept.
		return this.db.truths
			.orderBy('id')
			.reverse()
			.limit(OPEN_TRUTHS_SCAN)
			.filter((truth) => truth.detected === undefined)
			.toArray();
	}

	async maxIds(): Promise<{ anomaly: number; truth: number }> {
		const [anomaly, truth] = await Promise.all([
			this.db.anomalies.orderBy('id').lastKey(),
			this.db.truths.orderBy('id').lastKey()
		]);
		return { anomaly: (anomaly as number | undefined) ?? 0, truth: (truth as number | undefined) ?? 0 };
	}

	/** Stops the timer and writes what is buffered. */
	async close(): Promise<void> {
		this.stop();
		await this.flush();
	}

	/** Stops the periodic flush; what is buffered stays in memory, unwritten. */
	stop(): void {
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
	}

	private *inFlightAnomalies(): Iterable<Anomaly> {
		for (const batch of this.unwritten) yield* batch.anomalies;
	}

	private buffer(seriesId: number): SeriesBuffer {
		let buffer = this.buffers.get(seriesId);
		if (!buffer) {
			buffer = new SeriesBuffer();
			this.buffers.set(seriesId, buffer);
		}
		return buffer;
	}

	/** Swap, then write: takes everything buffered into a batch and leaves the buffers empty. */
	private swap(): WriteBatch {
		const batch: WriteBatch = {
			rows: [],
			deletes: [],
			series: this.pendingSeries,
			anomalies: this.pendingAnomalies,
			truths: [...this.pendingTruths.values()],
			counters: { key: 'counters', totalTicks: this.totalTicks, ...this.counters },
			heads: null,
			ticks: 0
		};
		this.pendingSeries = [];
		this.pendingAnomalies = [];
		this.pendingTruths.clear();
		for (const id of this.dirty) {
			const buffer = this.buffers.get(id);
			if (!buffer || buffer.pendN === 0) continue;
			batch.ticks += buffer.pendN;
			const newestT = buffer.pendT[buffer.pendN - 1];
			const newestV = buffer.pendV[buffer.pendN - 1];
			const key = Math.max(buffer.pendT[0], buffer.lastKey + KEY_EPSILON_MS);
			if (buffer.tailN + buffer.pendN >= this.compactTicks) {
				// Merge the small rows and the new ticks into one row stored under the first small key.
				const first = buffer.tailKeys.length > 0 ? buffer.tailKeys[0] : key;
				const n = buffer.tailN + buffer.pendN;
				const t = new Float64Array(n);
				const v = new Float64Array(n);
				t.set(buffer.tailT.subarray(0, buffer.tailN));
				v.set(buffer.tailV.subarray(0, buffer.tailN));
				t.set(buffer.pendT.subarray(0, buffer.pendN), buffer.tailN);
				v.set(buffer.pendV.subarray(0, buffer.pendN), buffer.tailN);
				batch.rows.push({ seriesId: id, t0: first, t1: t[n - 1], n, t, v });
				if (buffer.tailKeys.length > 1) {
					batch.deletes.push([id, buffer.tailKeys[1], buffer.tailKeys[buffer.tailKeys.length - 1]]);
				}
				buffer.tailN = 0;
				buffer.tailKeys = [];
				buffer.pendN = 0;
				buffer.lastKey = Math.max(buffer.lastKey, first);
				this.heads.set(id, [buffer.lastKey, newestT, newestV]);
			} else {
				const n = buffer.pendN;
				batch.rows.push({
					seriesId: id,
					t0: key,
					t1: buffer.pendT[n - 1],
					n,
					t: buffer.pendT.slice(0, n),
					v: buffer.pendV.slice(0, n)
				});
				buffer.pendToTail(key);
				buffer.lastKey = key;
				this.heads.set(id, [key, newestT, newestV]);
			}
		}
		if (batch.ticks > 0) batch.heads = { key: 'heads', heads: [...this.heads].map(([id, [k, t, v]]) => [id, k, t, v]) };
		this.dirty.clear();
		return batch;
	}

	private async writeQueued(): Promise<void> {
		while (this.unwritten.length > 0) {
			const batch = this.unwritten[0];
			try {
				await this.write(batch);
				this.unwritten.shift();
				if (this.failures > 0) this.onRecovered();
				this.failures = 0;
			} catch (error) {
				this.failures++;
				const quota = isQuotaError(error);
				this.onProblem({
					kind: quota ? 'quota' : 'write-failed',
					message: quota
						? 'Storage is full: the oldest history is being removed to make room.'
						: `Saving history failed (${describe(error)}); retrying.`
				});
				// Left queued: the next flush writes it first, so nothing buffered is lost.
				return;
			}
		}
	}

	private async write(batch: WriteBatch): Promise<void> {
		const db = this.db;
		await db.transaction('rw', [db.chunks, db.series, db.anomalies, db.truths, db.meta], async () => {
			for (const [id, from, to] of batch.deletes) {
				await db.chunks.where('[seriesId+t0]').between([id, from], [id, to], true, true).delete();
			}
			if (batch.rows.length > 0) await db.chunks.bulkPut(batch.rows);
			if (batch.series.length > 0) await db.series.bulkPut(batch.series);
			if (batch.anomalies.length > 0) await db.anomalies.bulkPut(batch.anomalies);
			if (batch.truths.length > 0) await db.truths.bulkPut(batch.truths);
			await db.meta.put(batch.counters);
			if (batch.heads) await db.meta.put(batch.heads);
		});
	}

	private nextDelayMs(): number {
		if (this.failures === 0) return this.flushIntervalMs;
		return Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** (this.failures - 1));
	}

	private async readStored(
		seriesId: number,
		need: number,
		bound: number,
		inclusive: boolean,
		memT: Float64Array,
		memV: Float64Array
	): Promise<{ t: Float64Array; v: Float64Array }> {
		let missing = need;
		const rows = await this.db.chunks
			.where('[seriesId+t0]')
			.between([seriesId, -Infinity], [seriesId, bound], true, inclusive)
			.reverse()
			.until((row) => {
				if (missing <= 0) return true;
				missing -= row.n;
				return false;
			})
			.toArray();
		const fromRows = Math.min(need, need - missing);
		const n = fromRows + memT.length;
		const t = new Float64Array(n);
		const v = new Float64Array(n);
		// rows are newest first; fill from the end of the stored part backwards.
		let end = fromRows;
		for (const row of rows) {
			const take = Math.min(row.n, end);
			t.set(row.t.subarray(row.n - take, row.n), end - take);
			v.set(row.v.subarray(row.n - take, row.n), end - take);
			end -= take;
			if (end === 0) break;
		}
		t.set(memT, fromRows);
		v.set(memV, fromRows);
		return { t, v };
	}
}

function isQuotaError(error: unknown): boolean {
	const inner = (error as { inner?: { name?: string } } | null)?.inner;
	return (error as { name?: string } | null)?.name === 'QuotaExceededError' || inner?.name === 'QuotaExceededError';
}

function describe(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
