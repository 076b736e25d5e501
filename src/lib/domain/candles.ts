/**
 * Tumbling-window aggregates ("candles") of one series. The windows are aligned to the epoch
 * (a 1-minute window starts on a whole minute, UTC), so every series and every reload agree on
 * where windows begin.
 */
export type Resolution = '1s' | '10s' | '1m' | '5m' | '1h';

export const RESOLUTIONS: readonly { name: Resolution; ms: number }[] = [
	{ name: '1s', ms: 1_000 },
	{ name: '10s', ms: 10_000 },
	{ name: '1m', ms: 60_000 },
	{ name: '5m', ms: 300_000 },
	{ name: '1h', ms: 3_600_000 }
];

export function resolutionMs(resolution: Resolution): number {
	const found = RESOLUTIONS.find((r) => r.name === resolution);
	if (!found) throw new RangeError(`unknown resolution ${resolution}`);
	return found.ms;
}

/**
 * Closed windows of one series at one resolution, as columns of equal length, oldest first.
 * `t` is each window's start (epoch ms); the mean is `sum / count`. `volume` is the summed
 * volume of the paired volume series over the window (NaN where the series has none).
 */
export interface Candles {
	t: Float64Array;
	open: Float64Array;
	high: Float64Array;
	low: Float64Array;
	close: Float64Array;
	count: Float64Array;
	sum: Float64Array;
	volume: Float64Array;
}

export const CANDLE_COLUMNS = ['t', 'open', 'high', 'low', 'close', 'count', 'sum', 'volume'] as const;

export function emptyCandles(n = 0): Candles {
	return {
		t: new Float64Array(n),
		open: new Float64Array(n),
		high: new Float64Array(n),
		low: new Float64Array(n),
		close: new Float64Array(n),
		count: new Float64Array(n),
		sum: new Float64Array(n),
		volume: new Float64Array(n)
	};
}
