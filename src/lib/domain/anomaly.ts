/** Kinds of anomaly a source can inject or a detector can name. */
export type AnomalyKind =
	| 'spike'
	| 'level-shift'
	| 'variance-burst'
	| 'drift'
	| 'stuck'
	| 'dropout'
	/** A sensor reads 0 or its maximum (broken wire, saturated). */
	| 'sensor-failure'
	/** Marked anomalous by the data's own source (a feed's flag, an imported file's labels). */
	| 'labelled';

/** Kinds the simulator injects (`labelled` comes only from data). */
export const ANOMALY_KINDS: readonly Exclude<AnomalyKind, 'labelled'>[] = [
	'spike',
	'level-shift',
	'variance-burst',
	'drift',
	'stuck',
	'dropout',
	'sensor-failure'
];

/**
 * Ground truth: an anomaly the source knows it put there (simulator injection, labelled replay).
 * A detector flag at any t in [t0, t1 + match slack] counts as a hit for it.
 */
export interface Truth {
	id: number;
	seriesId: number;
	kind: AnomalyKind;
	/** First tick time affected, epoch ms. */
	t0: number;
	/** Last tick time of the anomalous stretch, epoch ms (t1 === t0 for a one-tick spike). */
	t1: number;
	/** Size of the injection in units of the series' recent volatility (σ). */
	magnitude: number;
	/** Set once a detector flags inside the window; false once the window closed unflagged. */
	detected?: boolean;
}

/** A tick a detector flagged. Kept until the person deletes it, even after its ticks age out. */
export interface Anomaly {
	id: number;
	seriesId: number;
	t: number;
	v: number;
	/** Detector score; for the z-score detector, |z|. */
	score: number;
	detector: string;
	/** What the detector expected at t (e.g. previous value plus mean step). */
	expected: number;
	/** The band of ordinary values the detector held at t; the tick fell outside it. */
	lower?: number;
	upper?: number;
	/** Right or wrong against truth: true = hit, false = false alarm, undefined = truth unknown. */
	truth?: boolean;
	/** The Truth it matched, when it was a hit. */
	truthId?: number;
}
