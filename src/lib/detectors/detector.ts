import type { SeriesKind } from '../domain/series';

/**
 * An online anomaly detector for one series: fed tick by tick, constant memory, no allocation
 * per tick, O(1) or O(log w) per tick. One instance per series.
 */
export interface Detector {
	readonly name: string;
	/** Feed one tick; returns the anomaly score in [0, 1] (0 while warming up). */
	update(t: number, v: number): number;
	/** A tick is flagged when its score is at or above this; set from the person's sensitivity. */
	threshold: number;
	/** For the last tick passed to `update`: the value expected, and the band of ordinary values. */
	readonly expected: number;
	readonly lower: number;
	readonly upper: number;
	/** Forget everything learned (e.g. after a gap in a feed). */
	reset(): void;
}

/** Sensitivity when the person has not chosen one (0 = flag almost nothing, 1 = flag a lot). */
export const DEFAULT_SENSITIVITY = 0.5;

export interface DetectorOptions {
	kind: SeriesKind;
	/** 0..1; each detector maps it to its own threshold. */
	sensitivity?: number;
}

/** A kind of detector the app offers: the registry lists these. */
export interface DetectorFactory {
	/** Stable id, e.g. `zscore`, `ensemble`. */
	readonly name: string;
	readonly title: string;
	/** One sentence for the person choosing it. */
	readonly description: string;
	create(options: DetectorOptions): Detector;
	/** The threshold a sensitivity gives (the inverse the UI shows is not needed). */
	thresholdFor(sensitivity: number): number;
}
