import Dexie, { type EntityTable, type Table } from 'dexie';
import type { Anomaly, Truth } from '../domain/anomaly';
import type { SeriesInfo } from '../domain/series';

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
}

/** Every series' newest chunk key and newest tick, so a start needs one read, not one per series. */
export interface HeadsRow {
	key: 'heads';
	/** [seriesId, newest chunk key, newest tick time, its value]. */
	heads: [number, number, number, number][];
}

export type MetaRow = CountersRow | SettingsRow | HeadsRow;

/** A WebSocket feed the person connected, with the mapping that turns its frames into ticks. */
export interface FeedRow {
	id: string;
	url: string;
	subscribe?: string;
	/** Stored as given; the feed code checks it before use. */
	mapping?: unknown;
	preset?: string;
}

export const DB_NAME = 'tickscope';

export class TickscopeDb extends Dexie {
	series!: EntityTable<SeriesInfo, 'id'>;
	chunks!: Table<ChunkRow, [number, number]>;
	anomalies!: EntityTable<Anomaly, 'id'>;
	truths!: EntityTable<Truth, 'id'>;
	meta!: Table<MetaRow, string>;
	feeds!: Table<FeedRow, string>;

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
	}
}
