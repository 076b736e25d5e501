import type { Anomaly, Truth } from '../domain/anomaly';
import type { Candles, Resolution } from '../domain/candles';
import type { SeriesInfo } from '../domain/series';
import { CandleWriter, type CandleRetention } from './candle-writer';
import { ChunkIndex, type IndexOp } from './chunk-index';
import { summarizeBlocks, summarizeChunk } from './chunk-summary';
import type { BlockRow, CandleHeadsRow, ChunkRow, CountersRow, FeedRow, HeadsRow, SettingsRow, SummaryRow, TickscopeDb, ViewRow, WorkspaceRow } from './db';
import { browserStorage, requestPersistence, type BrowserStorage } from './persistence';
import { deleteOldRows, expireCandles, trimToBytes, type TickRetention } from './retention';
import { SeriesBuffer } from './series-buffer';
import { decimateTicks, readTicks, type TickSnapshot } from './tick-reads';
import { claimWriter, FencedError, writeBatch, type WriteBatch } from './write-batch';

export { CANDLE_COMPACT_WINDOWS, DEFAULT_CANDLE_RETENTION } from './candle-writer';

/** How often buffered ticks are written: a crash loses at most this much. */
export const FLUSH_INTERVAL_MS = 1000;
/** Small per-flush chunks of a series are merged into one row once they hold this many ticks. */
export const COMPACT_TICKS = 2048;
/** Smallest step between two chunk keys of one series (exactly representable, > ulp at 1e12 ms). */
export const KEY_EPSILON_MS = 1 / 1024;
/** Default cap on the estimated bytes of stored ticks (see chunkBytes); the oldest chunks go first. */
export const DEFAULT_SIZE_CAP_BYTES = 500_000_000;
/** Truths looked at for ones left open at start: far more than can be open at once. */
const OPEN_TRUTHS_SCAN = 5000;
/** Delay before retrying a failed write, doubled per failure up to RETRY_MAX_MS. */
const RETRY_BASE_MS = 500;
const RETRY_MAX_MS = 30_000;

export interface StorageProblem {
	/** `fenced`: another tab became the writer; this store dropped what it had and writes no more. */
	kind: 'quota' | 'write-failed' | 'fenced';
	message: string;
}

export interface HistoryStoreOptions {
	flushIntervalMs?: number;
	compactTicks?: number;
	onProblem?: (problem: StorageProblem) => void;
	/** A write succeeded after one or more failures. */
	onRecovered?: () => void;
	/** Cap on the estimated bytes of stored ticks that enforceRetention keeps to. */
	sizeCapBytes?: number;
	candleRetention?: CandleRetention;
}

/** Size and extent of a series' history (stored, queued and in memory). */
export interface SeriesMeta {
	count: number;
	first: number | null;
	last: number | null;
	lastV: number | null;
}

export interface StorageEstimate extends BrowserStorage {
	/** Estimated bytes of stored tick chunks (see chunkBytes: TICK_BYTES per tick, CHUNK_ROW_OVERHEAD_BYTES per row). */
	tickBytes: number;
	ticks: number;
	chunkRows: number;
}

export type Counters = Omit<CountersRow, 'key' | 'totalTicks'>;

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
	/** Ticks committed to IndexedDB by this store since it opened (the accounting's "persisted"). */
	persistedTicks = 0;
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
	/** Every series' chunk summaries: decimated reads, counts and sizes without reading ticks. */
	private readonly index = new ChunkIndex();
	private readonly candles: CandleWriter;
	private sizeCapBytes: number;
	/** The writer epoch claimed (null: never claimed, writes unfenced, as in most unit tests). */
	private epoch: number | null = null;
	/** Lost the writer role: flushes write nothing. */
	private fenced = false;
	/** Retention runs one at a time. */
	private maintenance: Promise<unknown> = Promise.resolve();

	constructor(db: TickscopeDb, options: HistoryStoreOptions = {}) {
		this.db = db;
		this.flushIntervalMs = options.flushIntervalMs ?? FLUSH_INTERVAL_MS;
		this.compactTicks = options.compactTicks ?? COMPACT_TICKS;
		this.onProblem = options.onProblem ?? (() => {});
		this.onRecovered = options.onRecovered ?? (() => {});
		this.sizeCapBytes = options.sizeCapBytes ?? DEFAULT_SIZE_CAP_BYTES;
		this.candles = new CandleWriter(options.candleRetention);
	}

	/** Loads totals and each series' newest tick; call once before appending. */
	async open(): Promise<{ series: SeriesHead[]; counters: Counters; settings?: SettingsRow }> {
		const [series, counters, settings, stored, candleHeads] = await Promise.all([
			this.db.series.toArray(),
			this.db.meta.get('counters') as Promise<CountersRow | undefined>,
			this.db.meta.get('settings') as Promise<SettingsRow | undefined>,
			this.db.meta.get('heads') as Promise<HeadsRow | undefined>,
			this.db.meta.get('candleHeads') as Promise<CandleHeadsRow | undefined>
		]);
		// The summaries load in the background: the first query waits for them, the start does not.
		void this.ensureIndex().catch(() => {});
		for (const [id, key, t, v] of stored?.heads ?? []) this.heads.set(id, [key, t, v]);
		this.candles.loadHeads(candleHeads);
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

	/** The saved workspace as stored (the page checks it), or undefined. */
	async loadWorkspace(): Promise<unknown> {
		const row = (await this.db.meta.get('workspace')) as WorkspaceRow | undefined;
		return row?.value;
	}

	async saveWorkspace(value: unknown): Promise<void> {
		await this.db.meta.put({ key: 'workspace', value: structuredClone(value) } satisfies WorkspaceRow);
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
		if (this.fenced) return;
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
	 * Size and extent of a series' history: stored, queued and in-memory ticks. From the in-memory
	 * chunk summaries (read once per store), never from the ticks.
	 */
	async seriesMeta(seriesId: number): Promise<SeriesMeta> {
		await this.ensureIndex();
		const rows = this.index.series(seriesId)?.rows ?? [];
		const buffer = this.buffers.get(seriesId);
		const pendN = buffer?.pendN ?? 0;
		const count = (this.index.series(seriesId)?.ticks ?? 0) + pendN;
		if (count === 0) return { count: 0, first: null, last: null, lastV: null };
		const first = rows.length > 0 ? rows[0].tFirst : buffer!.pendT[0];
		if (buffer && pendN > 0) return { count, first, last: buffer.pendT[pendN - 1], lastV: buffer.pendV[pendN - 1] };
		const newest = rows[rows.length - 1];
		return { count, first, last: newest.t1, lastV: newest.vLast };
	}

	/**
	 * Ticks with t > since, oldest first; with `limit`, the oldest `limit` of them plus any sharing
	 * the last one's time, so asking again with since = the last t returned loses nothing.
	 */
	async readSince(seriesId: number, since: number, limit?: number): Promise<{ t: Float64Array; v: Float64Array }> {
		await this.ensureIndex();
		return readTicks(this.db, this.snapshot(seriesId, since, false, Infinity), limit);
	}

	/** Ticks with from ≤ t ≤ to, oldest first; `limit` as in readSince. */
	async readRange(seriesId: number, from: number, to: number, limit?: number): Promise<{ t: Float64Array; v: Float64Array }> {
		await this.ensureIndex();
		if (!(from <= to)) return { t: new Float64Array(0), v: new Float64Array(0) };
		return readTicks(this.db, this.snapshot(seriesId, from, true, to), limit);
	}

	/**
	 * At most 2·buckets points over from ≤ t ≤ to: per bucket (edges: see bucketOf in decimate.ts,
	 * equal spans, the last closed at `to`) the tick with the smallest and the one with the largest
	 * value, in time order (one point when they are the same tick; the first of equal values wins;
	 * NaN values are skipped). When the range holds at most 2·buckets ticks, those ticks as they
	 * are, with `decimated: false`. A bound that is not finite becomes the series' first or last
	 * tick time.
	 */
	async readDecimated(
		seriesId: number,
		from: number,
		to: number,
		buckets: number
	): Promise<{ t: Float64Array; v: Float64Array; decimated: boolean }> {
		await this.ensureIndex();
		if (!Number.isFinite(from) || !Number.isFinite(to)) {
			const meta = await this.seriesMeta(seriesId);
			if (meta.first === null || meta.last === null) return { t: new Float64Array(0), v: new Float64Array(0), decimated: false };
			if (!Number.isFinite(from)) from = from < 0 ? meta.first : meta.last;
			if (!Number.isFinite(to)) to = to > 0 ? meta.last : meta.first;
		}
		if (!(from <= to)) return { t: new Float64Array(0), v: new Float64Array(0), decimated: false };
		const n = Math.max(1, Math.floor(buckets) || 1);
		return decimateTicks(this.db, this.snapshot(seriesId, from, true, to), n);
	}

	/** Flags of one series with from ≤ t ≤ to, oldest first (the oldest `limit`), including unwritten ones. */
	async anomaliesInRange(seriesId: number, from: number, to: number, limit = Infinity): Promise<Anomaly[]> {
		const query = this.db.anomalies.where('[seriesId+t]').between([seriesId, from], [seriesId, to], true, true);
		const stored = await (Number.isFinite(limit) ? query.limit(limit) : query).toArray();
		const pending = [...this.inFlightAnomalies(), ...this.pendingAnomalies].filter((a) => a.seriesId === seriesId && a.t >= from && a.t <= to);
		return mergeById(stored, pending)
			.sort((a, b) => a.t - b.t || a.id - b.id)
			.slice(0, limit);
	}

	/** The flag of a series nearest before (`-1`) or after (`1`) time t (strictly), or null. */
	async adjacentAnomaly(seriesId: number, t: number, direction: -1 | 1): Promise<Anomaly | null> {
		const range =
			direction < 0
				? this.db.anomalies.where('[seriesId+t]').between([seriesId, -Infinity], [seriesId, t], true, false).reverse()
				: this.db.anomalies.where('[seriesId+t]').between([seriesId, t], [seriesId, Infinity], false, true);
		let best: Anomaly | null = (await range.first()) ?? null;
		for (const a of [...this.inFlightAnomalies(), ...this.pendingAnomalies]) {
			if (a.seriesId !== seriesId || (direction < 0 ? !(a.t < t) : !(a.t > t))) continue;
			if (!best || (direction < 0 ? a.t > best.t : a.t < best.t)) best = a;
		}
		return best;
	}

	/** Truths of one series overlapping [from, to] (t0 ≤ to and t1 ≥ from), by t0, in their newest state. */
	async truthsInRange(seriesId: number, from: number, to: number): Promise<Truth[]> {
		const stored = await this.db.truths
			.where('[seriesId+t0]')
			.between([seriesId, -Infinity], [seriesId, to], true, true)
			.filter((truth) => truth.t1 >= from)
			.toArray();
		const pending: Truth[] = [];
		for (const batch of this.unwritten) pending.push(...batch.truths);
		pending.push(...this.pendingTruths.values());
		const matching = pending.filter((truth) => truth.seriesId === seriesId && truth.t0 <= to && truth.t1 >= from);
		return mergeById(stored, matching).sort((a, b) => a.t0 - b.t0 || a.id - b.id);
	}

	/**
	 * Queues closed windows of one series at one resolution; they are written with the next flush,
	 * in its transaction. Windows not newer than the newest already taken are ignored (a restart
	 * may close again the window the last session was killed in). Returns how many were taken.
	 */
	putCandles(seriesId: number, res: Resolution, candles: Candles): number {
		return this.candles.put(seriesId, res, candles);
	}

	/**
	 * Windows of one series at one resolution that overlap [from, to] (start ≤ to and
	 * start > from − resolution), stored, queued and buffered, oldest first.
	 */
	readCandles(seriesId: number, res: Resolution, from: number, to: number): Promise<Candles> {
		return this.candles.read(this.db, seriesId, res, from, to, this.queuedCandles());
	}

	/** Saves a named view; returns its id. `view` must be structured-cloneable (plain data). */
	async saveView(name: string, view: unknown): Promise<number> {
		return this.db.views.add({ name, createdAt: Date.now(), view: structuredClone(view) } as ViewRow);
	}

	/** Every saved view, oldest first. */
	async listViews(): Promise<ViewRow[]> {
		return this.db.views.toArray();
	}

	async deleteView(id: number): Promise<void> {
		await this.db.views.delete(id);
	}

	/**
	 * Deletes chunks whose newest tick is older than `now - maxAgeMs` (oldest first, in batches of
	 * RETENTION_BATCH_ROWS per transaction; small rows whose ticks are also in memory leave memory
	 * too; rows of writes still queued stay), then candles past their resolution's age (see
	 * setCandleRetention), then the oldest chunks while the stored ticks' estimated bytes exceed
	 * the size cap (setSizeCap). Anomalies and truths are never touched. Returns the number of
	 * chunk rows deleted (by age and by size).
	 */
	async enforceRetention(now: number, maxAgeMs: number): Promise<number> {
		if (this.fenced) return 0;
		return this.serially(async () => {
			await this.ensureIndex();
			const cutoff = now - maxAgeMs;
			let deleted = 0;
			for (const id of this.index.seriesIds()) {
				deleted += (await deleteOldRows(this.retention(), id, (t1) => t1 < cutoff)).rows;
			}
			await expireCandles(this.db, this.candleExpiries(now, maxAgeMs));
			deleted += (await trimToBytes(this.retention(), this.sizeCapBytes)).rows;
			return deleted;
		});
	}

	/** Candle rows past their age; `tickMaxAgeMs` for resolutions that follow ticks. Returns rows deleted. */
	async enforceCandleRetention(now: number, tickMaxAgeMs: number): Promise<number> {
		return this.serially(() => expireCandles(this.db, this.candleExpiries(now, tickMaxAgeMs)));
	}

	/**
	 * Deletes the oldest tick chunks, oldest across all series first (by newest tick), until the
	 * estimated stored tick bytes (see chunkBytes) are at most `maxBytes`, in transactions of at
	 * most RETENTION_BATCH_ROWS rows. Rows of writes still queued stay; small rows whose ticks are
	 * also in memory go from memory too. Returns the number of ticks removed.
	 */
	async enforceSizeCap(maxBytes: number): Promise<number> {
		if (this.fenced) return 0;
		return this.serially(async () => {
			await this.ensureIndex();
			return (await trimToBytes(this.retention(), maxBytes)).ticks;
		});
	}

	/** The cap enforceRetention keeps the stored ticks' estimated bytes to. */
	setSizeCap(maxBytes: number): void {
		this.sizeCapBytes = maxBytes;
	}

	/** Candle ages per resolution (see DEFAULT_CANDLE_RETENTION); unnamed ones stay as they are. */
	setCandleRetention(patch: CandleRetention): void {
		this.candles.setRetention(patch);
	}

	/**
	 * Makes room after a QuotaExceededError: drops the oldest `fraction` of the stored ticks'
	 * estimated bytes, oldest across all series first (anomalies and truths stay). Returns the
	 * number of rows deleted.
	 */
	async evictOldest(fraction = 0.25): Promise<number> {
		if (this.fenced) return 0;
		return this.serially(async () => {
			await this.ensureIndex();
			return (await trimToBytes(this.retention(), this.index.bytes * (1 - fraction))).rows;
		});
	}

	/** The browser's usage and quota (null where unknown) and our estimate of the stored ticks. */
	async storageEstimate(): Promise<StorageEstimate> {
		await this.ensureIndex();
		const browser = await browserStorage();
		return { ...browser, tickBytes: this.index.bytes, ticks: this.index.ticks, chunkRows: this.index.rows };
	}

	/** navigator.storage.persist() where it exists (the window, not workers); null where it does not. */
	requestPersistence(): Promise<boolean | null> {
		return requestPersistence();
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

	/**
	 * Makes this store the history's only writer: from now on a batch is written only while no
	 * other store has claimed since (checked inside each write's transaction). Call before open().
	 */
	async claimWriter(): Promise<number> {
		this.epoch = await claimWriter(this.db, Date.now());
		return this.epoch;
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

	private ensureIndex(): Promise<void> {
		return this.index.ensure(
			() => this.db.summaries.toArray(),
			() => {
				// Writes queued now may commit before or after the summaries are read: replayed over them.
				const ops: IndexOp[] = [];
				for (const batch of this.unwritten) {
					for (const del of batch.deletes) ops.push({ del });
					for (const put of batch.summaries) ops.push({ put });
				}
				return ops;
			}
		);
	}

	/** What one tick read sees; see TickSnapshot. Synchronous on purpose. */
	private snapshot(seriesId: number, from: number, fromInclusive: boolean, to: number): TickSnapshot {
		const buffer = this.buffers.get(seriesId);
		const index = this.index.series(seriesId);
		// Rows from the first tail key on hold ticks that are still in memory.
		const bound = buffer && buffer.tailKeys.length > 0 ? buffer.tailKeys[0] : Infinity;
		let rows: SummaryRow[] = [];
		if (index) {
			const lo = index.firstEndingFrom(from);
			const hi = Math.min(index.endStartingBy(to), index.lowerKey(bound));
			rows = index.rows.slice(lo, Math.max(lo, hi));
			// A row ending exactly at an exclusive `from` has nothing after it.
			if (!fromInclusive) while (rows.length > 0 && rows[0].t1 <= from) rows.shift();
		}
		const inflight = new Map<number, ChunkRow>();
		const inflightBlocks = new Map<number, BlockRow>();
		for (const batch of this.unwritten) {
			for (const row of batch.rows) if (row.seriesId === seriesId) inflight.set(row.t0, row);
			for (const row of batch.blocks) if (row.seriesId === seriesId) inflightBlocks.set(row.t0, row);
		}
		const memory = buffer ? buffer.copyRange(from, fromInclusive, to) : { t: new Float64Array(0), v: new Float64Array(0) };
		return { seriesId, from, fromInclusive, to, rows, inflight, inflightBlocks, memT: memory.t, memV: memory.v };
	}

	private retention(): TickRetention {
		return {
			db: this.db,
			index: this.index,
			deletableRows: (seriesId) => {
				const index = this.index.series(seriesId);
				if (!index) return 0;
				let bound = Infinity;
				for (const batch of this.unwritten) for (const row of batch.rows) if (row.seriesId === seriesId && row.t0 < bound) bound = row.t0;
				return index.lowerKey(bound);
			},
			forget: (seriesId, key) => {
				this.buffers.get(seriesId)?.dropTailRows(key);
			}
		};
	}

	private candleExpiries(now: number, tickMaxAgeMs: number) {
		return this.candles.expiries(now, tickMaxAgeMs, this.index.seriesIds(), this.queuedCandles());
	}

	private queuedCandles() {
		return this.unwritten.map((batch) => batch.candles);
	}

	/** Runs maintenance jobs one after another (retention from a timer may meet one from settings). */
	private serially<T>(job: () => Promise<T>): Promise<T> {
		const run = this.maintenance.then(job, job);
		this.maintenance = run.catch(() => {});
		return run;
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
			ticks: 0,
			summaries: [],
			blocks: [],
			candles: { rows: [], deletes: [], heads: null },
			epoch: this.epoch
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
				// Merge the small rows and the new ticks into rows of compactTicks/2 … compactTicks
				// ticks, the first stored under the first small key: a fast feed's second of ticks
				// becomes several rows of ≤ 32 KiB, not one huge one that every cut read must load.
				const first = buffer.tailKeys.length > 0 ? buffer.tailKeys[0] : key;
				if (buffer.tailKeys.length > 1) {
					const range: [number, number, number] = [id, buffer.tailKeys[1], buffer.tailKeys[buffer.tailKeys.length - 1]];
					batch.deletes.push(range);
					this.index.record({ del: range });
				}
				const n = buffer.tailN + buffer.pendN;
				const pieces = Math.ceil(n / this.compactTicks);
				let rowKey = first;
				let start = 0;
				for (let p = 1; p <= pieces; p++) {
					const end = Math.round((n * p) / pieces);
					const { t, v } = buffer.copyMerged(start, end);
					if (p > 1) rowKey = Math.max(t[0], rowKey + KEY_EPSILON_MS);
					this.addRow(batch, { seriesId: id, t0: rowKey, t1: t[t.length - 1], n: end - start, t, v });
					start = end;
				}
				buffer.clearTail();
				buffer.lastKey = Math.max(buffer.lastKey, rowKey);
				this.heads.set(id, [buffer.lastKey, newestT, newestV]);
			} else {
				const n = buffer.pendN;
				this.addRow(batch, {
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
		batch.candles = this.candles.swap();
		return batch;
	}

	private addRow(batch: WriteBatch, row: ChunkRow): void {
		const summary = summarizeChunk(row);
		batch.rows.push(row);
		batch.summaries.push(summary);
		batch.blocks.push(summarizeBlocks(row));
		this.index.record({ put: summary });
	}

	private async writeQueued(): Promise<void> {
		while (this.unwritten.length > 0) {
			const batch = this.unwritten[0];
			try {
				await this.write(batch);
				this.unwritten.shift();
				this.persistedTicks += batch.ticks;
				if (this.failures > 0) this.onRecovered();
				this.failures = 0;
			} catch (error) {
				if (error instanceof FencedError || (error as { name?: string } | null)?.name === 'FencedError') {
					// Another tab writes now: nothing of this store's may reach the history, ever.
					this.fenced = true;
					this.unwritten.length = 0;
					this.stop();
					this.onProblem({ kind: 'fenced', message: 'Another tab records the history now.' });
					return;
				}
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

	private write(batch: WriteBatch): Promise<void> {
		return writeBatch(this.db, batch);
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

/** Stored items overridden by newer ones with the same id (queued after them). */
function mergeById<T extends { id: number }>(stored: T[], newer: T[]): T[] {
	const byId = new Map(stored.map((item) => [item.id, item]));
	for (const item of newer) byId.set(item.id, item);
	return [...byId.values()];
}

function isQuotaError(error: unknown): boolean {
	const inner = (error as { inner?: { name?: string } } | null)?.inner;
	return (error as { name?: string } | null)?.name === 'QuotaExceededError' || inner?.name === 'QuotaExceededError';
}

function describe(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
