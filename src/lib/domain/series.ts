/** What a series measures; drives units, default detector mode and chart styling. */
export type SeriesKind = 'price' | 'volume' | 'sensor' | 'value';

/** A named stream of (t, v) ticks. `id` is the small integer used on every hot path. */
export interface SeriesInfo {
	id: number;
	/** Stable across sessions, e.g. `sim/ACME` or `binance/btcusdt/price`. */
	key: string;
	/** Short human label shown in the picker, e.g. `ACME`. */
	label: string;
	/** Where ticks come from, e.g. `simulator`. */
	source: string;
	unit: string;
	kind: SeriesKind;
}
