import type { Anomaly } from '../domain/anomaly';
import type { SeriesInfo } from '../domain/series';
import type { ChartWindow } from './chart-window';

/** One live series as panels see it: its newest ticks, its band, and its flags in the window. */
export interface SeriesView {
	readonly info: SeriesInfo;
	/** Columns: 0 time (epoch ms), 1 value, 2 band low, 3 band high (NaN where unknown). */
	readonly window: ChartWindow;
	/** Flags inside the window, oldest first. */
	readonly anomalies: readonly Anomaly[];
	/** The first window (from history) has arrived. */
	readonly ready: boolean;
}

/**
 * Where every panel reads live series from. However many panels show a series, the engine
 * streams it once (one watch, with the largest window asked for), frames are applied once per
 * series, and each subscriber is called at most once per animation frame.
 */
export interface SeriesSource {
	/**
	 * Streams `seriesIds` with at least `windowSize` ticks each and calls `listener` after every
	 * frame that changed any of them (and once their first windows are in). Returns the unsubscribe.
	 */
	subscribe(seriesIds: readonly number[], windowSize: number, listener: () => void): () => void;
	view(seriesId: number): SeriesView | undefined;
}

/** A shared time range for linked chart panels: null follows the newest ticks (live). */
export interface TimeLink {
	readonly range: { from: number; to: number } | null;
	set(range: { from: number; to: number } | null): void;
	/** Called whenever the range changes. Returns the unsubscribe. */
	onChange(listener: () => void): () => void;
}
