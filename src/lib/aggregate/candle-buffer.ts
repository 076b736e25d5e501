import { CANDLE_COLUMNS, emptyCandles, type Candles } from '../domain/candles';

/** Windows a fresh buffer holds before it first doubles: about 4 min of 1 s windows. */
const INITIAL_CAPACITY = 256;

/**
 * Closed windows of one (series, resolution), collected in growing typed-array columns until
 * they are drained in a batch (to storage, to the chart). Fed from an `AggregateSink`.
 */
export class CandleBuffer {
	length = 0;
	private columns: Candles;
	private capacity: number;

	constructor(capacity = INITIAL_CAPACITY) {
		this.capacity = Math.max(1, capacity | 0);
		this.columns = emptyCandles(this.capacity);
	}

	push(t: number, open: number, high: number, low: number, close: number, count: number, sum: number, volume: number): void {
		if (this.length === this.capacity) this.grow(this.capacity * 2);
		const c = this.columns;
		const n = this.length++;
		c.t[n] = t;
		c.open[n] = open;
		c.high[n] = high;
		c.low[n] = low;
		c.close[n] = close;
		c.count[n] = count;
		c.sum[n] = sum;
		c.volume[n] = volume;
	}

	/**
	 * Hands over every window held, oldest first, and starts empty. The columns are exact-length
	 * copies with buffers of their own: a view into the spare capacity would carry all of it
	 * along when transferred to the page or structured-cloned into IndexedDB.
	 */
	drain(): Candles {
		const out = this.copyLast(this.length);
		this.length = 0;
		return out;
	}

	/** Copies of the newest `n` windows (all of them when fewer are held), oldest first. */
	copyLast(n: number): Candles {
		const count = n > 0 ? Math.min(Math.floor(n), this.length) : 0;
		const from = this.length - count;
		const out = emptyCandles(count);
		for (const name of CANDLE_COLUMNS) out[name].set(this.columns[name].subarray(from, this.length));
		return out;
	}

	clear(): void {
		this.length = 0;
	}

	private grow(capacity: number): void {
		const columns = emptyCandles(capacity);
		for (const name of CANDLE_COLUMNS) columns[name].set(this.columns[name].subarray(0, this.length));
		this.columns = columns;
		this.capacity = capacity;
	}
}
