import { RESOLUTIONS } from '../domain/candles';

/**
 * Receives each window as it closes, as plain numbers (no object per window). `resolution` is an
 * index into `RESOLUTIONS`; `t` is the window's start; `volume` is NaN when none was given.
 * It must not call back into the aggregator that reports to it: the aggregator is midway
 * through a tick when it reports.
 */
export interface AggregateSink {
	closed(
		slot: number,
		resolution: number,
		t: number,
		open: number,
		high: number,
		low: number,
		close: number,
		count: number,
		sum: number,
		volume: number
	): void;
}

/** Numbers per window record, in the order of `CANDLE_COLUMNS`: t, open, high, low, close, count, sum, volume. */
export const WINDOW_FIELDS = 8;
const T = 0;
const OPEN = 1;
const HIGH = 2;
const LOW = 3;
const CLOSE = 4;
const COUNT = 5;
const SUM = 6;
const VOLUME = 7;

const RESOLUTION_COUNT = RESOLUTIONS.length;
/** Numbers per slot: one window record per resolution. */
const SLOT_FIELDS = RESOLUTION_COUNT * WINDOW_FIELDS;
const RESOLUTION_MS = Float64Array.from(RESOLUTIONS, (r) => r.ms);
/** Slots allocated up front: a dashboard shows a handful of series; more double the capacity. */
const INITIAL_SLOTS = 16;

/**
 * The open tumbling window of every (slot, resolution), updated in O(resolutions) per tick with no
 * allocation. Windows are aligned to the epoch: start = floor(t / ms) * ms. A window is reported
 * to the sink when a later tick (or `closeUpTo`) moves past its end; a gap opens no empty windows.
 *
 * A window's record holds its start in `t`; `count` 0 with a finite start is a window with no
 * price tick yet (only volume, or a window just closed by `closeUpTo`): it is never reported,
 * and ticks before its start are late and dropped, so no window is ever reported twice. A NaN
 * start means the slot has never seen a tick at that resolution.
 */
export class Aggregator {
	/** (Tick or volume, resolution) pairs dropped because that window had already been reported. */
	late = 0;
	/**
	 * One record of `WINDOW_FIELDS` numbers per (slot, resolution), interleaved rather than one
	 * column per field: a tick touches every field of its window, and 8 doubles are one 64-byte
	 * cache line.
	 */
	private state: Float64Array;
	private capacity: number;
	private readonly sink: AggregateSink;
	/** One past the highest slot ever used: `closeUpTo` scans no further. */
	private used = 0;

	constructor(sink: AggregateSink, initialSlots = INITIAL_SLOTS) {
		this.sink = sink;
		this.capacity = Math.max(1, initialSlots | 0);
		this.state = new Float64Array(this.capacity * SLOT_FIELDS);
		clearRecords(this.state, 0, this.capacity);
	}

	/**
	 * Adds a tick. Ticks of one slot must come in non-decreasing time; a tick older than an open
	 * window is dropped at that resolution (counted in `late`). A tick with a non-finite time or
	 * value is ignored; a non-finite volume counts as no volume.
	 */
	push(slot: number, t: number, v: number, volume = NaN): void {
		if (t - t !== 0 || v - v !== 0) return;
		if (slot >>> 0 !== slot || slot >= this.used) this.ensure(slot);
		const s = this.state;
		const hasVolume = volume - volume === 0;
		let i = slot * SLOT_FIELDS;
		for (let r = 0; r < RESOLUTION_COUNT; r++, i += WINDOW_FIELDS) {
			const start = s[i + T];
			const ms = RESOLUTION_MS[r];
			// The common case, t inside the open window [start, start + ms), needs no division.
			// A NaN start fails the test and falls through to open the first window.
			if (t >= start && t < start + ms) {
				if (s[i + COUNT] === 0) {
					s[i + OPEN] = v;
					s[i + HIGH] = v;
					s[i + LOW] = v;
				} else {
					if (v > s[i + HIGH]) s[i + HIGH] = v;
					if (v < s[i + LOW]) s[i + LOW] = v;
				}
				s[i + CLOSE] = v;
				s[i + COUNT]++;
				s[i + SUM] += v;
				if (hasVolume) {
					const vol = s[i + VOLUME];
					s[i + VOLUME] = vol === vol ? vol + volume : volume;
				}
				continue;
			}
			if (t < start) {
				this.late++;
				continue;
			}
			if (s[i + COUNT] > 0) this.report(slot, r, i);
			s[i + T] = windowStart(t, ms);
			s[i + OPEN] = v;
			s[i + HIGH] = v;
			s[i + LOW] = v;
			s[i + CLOSE] = v;
			s[i + COUNT] = 1;
			s[i + SUM] = v;
			s[i + VOLUME] = hasVolume ? volume : NaN;
		}
	}

	/**
	 * Adds volume at time `t` to the slot's windows without counting a tick: how a quantity
	 * series feeds the price series it is paired with. It moves the slot's windows on like a
	 * tick does, so a trade's quantity may come before or after its price; a volume in a window
	 * with no price tick is never reported.
	 */
	addVolume(slot: number, t: number, volume: number): void {
		if (t - t !== 0 || volume - volume !== 0) return;
		if (slot >>> 0 !== slot || slot >= this.used) this.ensure(slot);
		const s = this.state;
		let i = slot * SLOT_FIELDS;
		for (let r = 0; r < RESOLUTION_COUNT; r++, i += WINDOW_FIELDS) {
			const start = s[i + T];
			const ms = RESOLUTION_MS[r];
			if (t >= start && t < start + ms) {
				const vol = s[i + VOLUME];
				s[i + VOLUME] = vol === vol ? vol + volume : volume;
				continue;
			}
			if (t < start) {
				this.late++;
				continue;
			}
			if (s[i + COUNT] > 0) this.report(slot, r, i);
			openEmpty(s, i, windowStart(t, ms));
			s[i + VOLUME] = volume;
		}
	}

	/**
	 * Reports every open window that ends at or before `now` (end = start + ms, exclusive), so a
	 * silent series still gets its last window closed. A tick that arrives later for a window
	 * closed this way is dropped, so pass a `now` on the ticks' clock, less the lag a tick may have.
	 */
	closeUpTo(now: number): void {
		const s = this.state;
		for (let slot = 0; slot < this.used; slot++) {
			let i = slot * SLOT_FIELDS;
			for (let r = 0; r < RESOLUTION_COUNT; r++, i += WINDOW_FIELDS) {
				if (!(s[i + COUNT] > 0)) continue;
				const end = s[i + T] + RESOLUTION_MS[r];
				if (end > now) continue;
				this.report(slot, r, i);
				// Holds the next window's start, so a late tick cannot reopen the one just reported.
				openEmpty(s, i, end);
			}
		}
	}

	/**
	 * Copies the open window of (slot, resolution) into `out` (t, open, high, low, close, count,
	 * sum, volume): the live candle. False, `out` untouched, when no tick has opened one.
	 */
	peek(slot: number, resolution: number, out: Float64Array): boolean {
		if (slot >>> 0 !== slot || slot >= this.used || resolution >>> 0 !== resolution || resolution >= RESOLUTION_COUNT) {
			return false;
		}
		const s = this.state;
		const i = slot * SLOT_FIELDS + resolution * WINDOW_FIELDS;
		if (!(s[i + COUNT] > 0)) return false;
		for (let k = 0; k < WINDOW_FIELDS; k++) out[k] = s[i + k];
		return true;
	}

	/**
	 * Continues an open window saved with `peek` (after a reload), replacing whatever the slot
	 * holds at that resolution. The window's start must be aligned for that resolution.
	 */
	restore(slot: number, resolution: number, window: ArrayLike<number>): void {
		if (resolution >>> 0 !== resolution || resolution >= RESOLUTION_COUNT) throw new RangeError(`no resolution ${resolution}`);
		if (window.length !== WINDOW_FIELDS) throw new RangeError(`a window has ${WINDOW_FIELDS} numbers`);
		const ms = RESOLUTION_MS[resolution];
		if (windowStart(window[T], ms) !== window[T]) throw new RangeError(`window start ${window[T]} is not aligned to ${ms} ms`);
		if (slot >>> 0 !== slot || slot >= this.used) this.ensure(slot);
		const i = slot * SLOT_FIELDS + resolution * WINDOW_FIELDS;
		for (let k = 0; k < WINDOW_FIELDS; k++) this.state[i + k] = window[k];
	}

	/** Forgets the slot's open windows without reporting them, so the engine can reuse the slot. */
	remove(slot: number): void {
		if (slot >>> 0 !== slot || slot >= this.capacity) return;
		clearRecords(this.state, slot, 1);
	}

	private report(slot: number, r: number, i: number): void {
		const s = this.state;
		this.sink.closed(slot, r, s[i + T], s[i + OPEN], s[i + HIGH], s[i + LOW], s[i + CLOSE], s[i + COUNT], s[i + SUM], s[i + VOLUME]);
	}

	/** Makes room for `slot`, doubling the capacity so growth costs O(1) amortised per slot. */
	private ensure(slot: number): void {
		if (!Number.isInteger(slot) || slot < 0) throw new RangeError(`slot must be an integer >= 0, not ${slot}`);
		if (slot >= this.capacity) {
			let capacity = this.capacity;
			while (capacity <= slot) capacity *= 2;
			const state = new Float64Array(capacity * SLOT_FIELDS);
			state.set(this.state);
			clearRecords(state, this.capacity, capacity - this.capacity);
			this.state = state;
			this.capacity = capacity;
		}
		if (slot >= this.used) this.used = slot + 1;
	}
}

/**
 * Start of the window of length `ms` holding `t`, aligned to the epoch. For a `t` a hair below
 * a boundary, `t / ms` can round up to the next whole number; the window must never start after
 * its tick, so that case steps back one window.
 */
export function windowStart(t: number, ms: number): number {
	const start = Math.floor(t / ms) * ms;
	return start > t ? start - ms : start;
}

/** A window that starts at `start` and has seen no price tick yet. */
function openEmpty(s: Float64Array, i: number, start: number): void {
	s[i + T] = start;
	s[i + OPEN] = NaN;
	s[i + HIGH] = NaN;
	s[i + LOW] = NaN;
	s[i + CLOSE] = NaN;
	s[i + COUNT] = 0;
	s[i + SUM] = 0;
	s[i + VOLUME] = NaN;
}

/** Marks `n` slots from `first` as never having seen a tick (NaN start, count 0). */
function clearRecords(s: Float64Array, first: number, n: number): void {
	for (let i = first * SLOT_FIELDS, end = (first + n) * SLOT_FIELDS; i < end; i += WINDOW_FIELDS) openEmpty(s, i, NaN);
}
