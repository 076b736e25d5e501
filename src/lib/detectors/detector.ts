/**
 * An online anomaly detector for one series: fed tick by tick, O(1) per tick, no allocation.
 * One instance per series; the engine compares the returned score against `threshold`.
 */
export interface Detector {
	readonly name: string;
	/** Feed one tick; returns the anomaly score (for z-score: |z|, 0 while warming up). O(1), no allocation. */
	update(t: number, v: number): number;
	/** Score at or above which a tick is flagged. */
	readonly threshold: number;
	/** What the detector expected for the last tick passed to update (for the log). */
	readonly expected: number;
	reset(): void;
}
