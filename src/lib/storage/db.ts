import Dexie, { type EntityTable, type Table, type Transaction } from 'dexie';
import type { Anomaly, Truth } from '../domain/anomaly';
import type { Resolution } from '../domain/candles';
import type { SeriesInfo } from '../domain/series';
import { summarizeBlocks, summarizeChunk } from './chunk-summary';

/**
 * A block of consecutive ticks of one series, stored as columns. The primary key is
 * `[seriesId+t0]` so that retention is a primary-key range delete (the only fast delete).
 * `t0` is the key time: the first tick's time, nudged up by KEY_EPSILON_MS in the rare case
 * that it would collide with the previous chunk's key (all of a chunk's ticks at one instant).
 */
export interface ChunkRow {
	seriesId: number;
	t0: number;
	/** Time of the chunk's last tick, epoch ms. */
	t1: number;
	n: number;
	t: Float64Array;
	v: Float64Array;
}

/** Running totals kept across reloads; written in the same transaction as the ticks they count. */
export interface CountersRow {
	key: 'counters';
	totalTicks: number;
	hits: number;
	falseAlarms: number;
	missed: number;
	/** Injections flagged at least once. */
	caught: number;
	injected: number;
}

export interface SettingsRow {
	key: 'settings';
	retentionMs: number;
	/** The simulator's last settings (stored as given; the engine normalises them). */
	simulator?: Record<string, unknown>;
	/** Detector choices (stored as given; the engine normalises them). */
	detection?: unknown;
	/** Derived series the person defined (stored as given; the engine normalises them). */
	derived?: unknown;
	/** Stored ticks are kept under this many bytes (oldest deleted first). */
	sizeCapBytes?: number;
}

/** Every series' newest chunk key and newest tick, so a start needs one read, not one per series. */
export interface HeadsRow {
	key: 'heads';
	/** [seriesId, newest chunk key, newest tick time, its value]. */
	heads: [number, number, number, number][];
}

/** Newest stored window start per (series, resolution): a window at or before it is not stored again. */
export interface CandleHeadsRow {
	key: 'candleHeads';
	heads: [seriesId: number, res: Resolution, lastT: number][];
}

/**
 * The fencing token of the tab that writes the history: each tab that becomes the writer raises
 * `epoch`, and every write checks it in its own transaction, so a tab that lost the role (frozen,
 * then thawed) can never write over the new writer's history, whatever its timers do.
 */
export interface WriterRow {
	key: 'writer';
	epoch: number;
	since: number;
}

/** The dashboard's workspace (layout, alerts, theme), as the page serialised it; checked on load. */
export interface WorkspaceRow {
	key: 'workspace';
	value: unknown;
}

export type MetaRow = CountersRow | SettingsRow | HeadsRow | CandleHeadsRow | WriterRow | WorkspaceRow;

/**
 * What a decimated read needs of one chunk without reading its ticks. Same primary key as the
 * chunk (`[seriesId+t0]`), written and deleted in the same transactions, so retention's range
 * deletes apply to both tables alike. NaN values are left out of min/max.
 */
export interface SummaryRow {
	seriesId: number;
	/** The chunk's key. */
	t0: number;
	/** Time of the first tick (the key may sit up to a few KEY_EPSILON_MS above it). */
	tFirst: number;
	t1: number;
	n: number;
	/** Value of the last tick. */
	vLast: number;
	/** Smallest value and the index of its first occurrence (-1 and +Infinity when all are NaN). */
	min: number;
	iMin: number;
	tMin: number;
	max: number;
	iMax: number;
	tMax: number;
}

/**
 * Second-level summary of a chunk (same key): per block of BLOCK_TICKS ticks, BLOCK_FIELDS
 * float64s (see chunk-summary). Read only for the chunks a decimated read's bucket edges cut.
 */
export interface BlockRow {
	seriesId: number;
	t0: number;
	b: Float64Array;
}

/**
 * Closed windows of one series at one resolution (see domain/candles), stored as columns like
 * ticks. Key `[seriesId+res+t0]`, t0 = the first window's start, so age retention per resolution
 * is a primary-key range delete.
 */
export interface CandleRow {
	seriesId: number;
	res: Resolution;
	t0: number;
	/** Start of the last window. */
	t1: number;
	n: number;
	t: Float64Array;
	open: Float64Array;
	high: Float64Array;
	low: Float64Array;
	close: Float64Array;
	count: Float64Array;
	sum: Float64Array;
	volume: Float64Array;
}

/** A named view the person saved; `view` is whatever (JSON-able) the UI defines. */
export interface ViewRow {
	id: number;
	name: string;
	createdAt: number;
	view: unknown;
}

/** A WebSocket feed the person connected, with the mapping that turns its frames into ticks. */
export interface FeedRow {
	id: string;
	url: string;
	subscribe?: string;
	/** Stored as given; the feed code checks it before use. */
	mapping?: unknown;
	preset?: string;
	/**
	 * For an MQTT broker: topic filters, QoS and credentials. The credentials stay in this
	 * browser's IndexedDB: never in exports, status or logs. Stored as given; checked before use.
	 */
	mqtt?: unknown;
}

export const DB_NAME = 'tickscope';

export class TickscopeDb extends Dexie {
	series!: EntityTable<SeriesInfo, 'id'>;
	chunks!: Table<ChunkRow, [number, number]>;
	anomalies!: EntityTable<Anomaly, 'id'>;
	truths!: EntityTable<Truth, 'id'>;
	meta!: Table<MetaRow, string>;
	feeds!: Table<FeedRow, string>;
	summaries!: Table<SummaryRow, [number, number]>;
	blocks!: Table<BlockRow, [number, number]>;
	candles!: Table<CandleRow, [number, Resolution, number]>;
	views!: EntityTable<ViewRow, 'id'>;

	constructor(name = DB_NAME, options?: ConstructorParameters<typeof Dexie>[1]) {
		super(name, options);
		// Schema changes add a version with an upgrade function; never wipe data silently.
		this.version(1).stores({
			series: 'id, &key',
			chunks: '[seriesId+t0]',
			anomalies: 'id, [seriesId+t]',
			truths: 'id, [seriesId+t0]',
			meta: 'key'
		});
		// 2: the WebSocket feeds the person connected (a new table; nothing to migrate).
		this.version(2).stores({ feeds: 'id' });
		// 3: chunk summaries and their per-block second level (fast decimated reads, counts and
		// sizes without reading ticks), candles, named views. Existing chunks get their summaries
		// here, in the upgrade.
		this.version(3)
			.stores({ summaries: '[seriesId+t0]', blocks: '[seriesId+t0]', candles: '[seriesId+res+t0]', views: '++id, name' })
			.upgrade(summarizeExistingChunks);
	}
}

/** Chunks summarized per step of the upgrade: bounded memory (~8 MiB of rows) for any history size. */
const UPGRADE_PAGE_ROWS = 256;

/** Upgrade to 3: summaries per stored chunk, so old history is decimated and counted like new. */
export async function summarizeExistingChunks(tx: Transaction): Promise<void> {
	const chunks = tx.table<ChunkRow, [number, number]>('chunks');
	let after: [number, number] | null = null;
	for (;;) {
		const page: ChunkRow[] = await (after ? chunks.where('[seriesId+t0]').above(after) : chunks.toCollection()).limit(UPGRADE_PAGE_ROWS).toArray();
		if (page.length === 0) return;
		await tx.table('summaries').bulkPut(page.map(summarizeChunk));
		await tx.table('blocks').bulkPut(page.map(summarizeBlocks));
		const last = page[page.length - 1];
		after = [last.seriesId, last.t0];
	}
}
