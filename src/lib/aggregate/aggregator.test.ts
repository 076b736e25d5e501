import { describe, expect, it } from 'vitest';
import { CANDLE_COLUMNS, RESOLUTIONS, type Candles } from '../domain/candles';
import { Random } from '../sources/simulator/random';
import { Aggregator, WINDOW_FIELDS, type AggregateSink } from './aggregator';
import { CandleBuffer } from './candle-buffer';

const R = RESOLUTIONS.length;
const [S1, S10, M1, M5, H1] = [0, 1, 2, 3, 4];
/** 2023-11-14 22:13:20 UTC: a whole 10 s, not a whole minute. */
const BASE = 1_700_000_000_000;

/** A sink that files every closed window into a `CandleBuffer` per (slot, resolution). */
function recorder() {
	const buffers = new Map<number, CandleBuffer>();
	let reports = 0;
	const sink: AggregateSink = {
		closed(slot, resolution, t, open, high, low, close, count, sum, volume) {
			reports++;
			const key = slot * R + resolution;
			let buffer = buffers.get(key);
			if (!buffer) buffers.set(key, (buffer = new CandleBuffer(4)));
			buffer.push(t, open, high, low, close, count, sum, volume);
		}
	};
	return {
		sink,
		get reports() {
			return reports;
		},
		candles(slot: number, resolution: number): Candles {
			return buffers.get(slot * R + resolution)?.copyLast(Infinity) ?? new CandleBuffer().drain();
		},
		/** Windows as rows [t, open, high, low, close, count, sum, volume], easy to compare. */
		rows(slot: number, resolution: number): number[][] {
			const c = this.candles(slot, resolution);
			return Array.from(c.t, (_, k) => CANDLE_COLUMNS.map((name) => c[name][k]));
		}
	};
}

describe('Aggregator', () => {
	it('reports OHLC, count, sum and volume of hand-built windows at every resolution', () => {
		const rec = recorder();
		const agg = new Aggregator(rec.sink);
		// Three 1 s windows in the first 10 s, one more in the next 10 s; all in one minute.
		const ticks: [number, number, number][] = [
			[BASE + 0, 10, 1],
			[BASE + 400, 12, 2],
			[BASE + 999, 9, 3],
			[BASE + 1000, 9, 1],
			[BASE + 1000, 8, 1],
			[BASE + 3500, 20, 5],
			[BASE + 3600, 15, 5],
			[BASE + 10_000, 7, 2]
		];
		for (const [t, v, vol] of ticks) agg.push(0, t, v, vol);
		expect(rec.rows(0, S1)).toEqual([
			[BASE, 10, 12, 9, 9, 3, 31, 6],
			[BASE + 1000, 9, 9, 8, 8, 2, 17, 2],
			[BASE + 3000, 20, 20, 15, 15, 2, 35, 10]
		]);
		expect(rec.rows(0, S10)).toEqual([[BASE, 10, 20, 8, 15, 7, 83, 18]]);
		expect(rec.rows(0, M1)).toEqual([]);

		agg.closeUpTo(BASE + 3_600_000);
		expect(rec.rows(0, S1).at(-1)).toEqual([BASE + 10_000, 7, 7, 7, 7, 1, 7, 2]);
		expect(rec.rows(0, S10).at(-1)).toEqual([BASE + 10_000, 7, 7, 7, 7, 1, 7, 2]);
		// BASE is 20 s into its minute, 13 min 20 s into its hour.
		const wholeMinute = [BASE - 20_000, 10, 20, 7, 7, 8, 90, 20];
		expect(rec.rows(0, M1)).toEqual([wholeMinute]);
		expect(rec.rows(0, M5)).toEqual([[BASE - 200_000, ...wholeMinute.slice(1)]]);
		expect(rec.rows(0, H1)).toEqual([[BASE - 800_000, ...wholeMinute.slice(1)]]);
		const m = rec.candles(0, M1);
		expect(m.sum[0] / m.count[0]).toBe(90 / 8);
	});

	it('aligns windows to the epoch, not to the first tick', () => {
		const rec = recorder();
		const agg = new Aggregator(rec.sink);
		const t = Date.UTC(2024, 4, 17, 13, 47, 38, 456);
		agg.push(3, t, 1);
		agg.closeUpTo(Infinity);
		const starts = RESOLUTIONS.map((_, r) => rec.candles(3, r).t[0]);
		expect(starts).toEqual([
			Date.UTC(2024, 4, 17, 13, 47, 38),
			Date.UTC(2024, 4, 17, 13, 47, 30),
			Date.UTC(2024, 4, 17, 13, 47),
			Date.UTC(2024, 4, 17, 13, 45),
			Date.UTC(2024, 4, 17, 13)
		]);
	});

	it('opens no empty windows for a gap', () => {
		const rec = recorder();
		const agg = new Aggregator(rec.sink);
		agg.push(0, BASE + 500, 1);
		agg.push(0, BASE + 7_250, 2);
		expect(rec.reports).toBe(1);
		agg.closeUpTo(Infinity);
		expect(Array.from(rec.candles(0, S1).t)).toEqual([BASE, BASE + 7_000]);
		expect(Array.from(rec.candles(0, S10).t)).toEqual([BASE]);
	});

	it('closeUpTo closes a silent series once, when its window has ended, and refuses late ticks', () => {
		const rec = recorder();
		const agg = new Aggregator(rec.sink);
		agg.push(0, BASE + 1_500, 4);
		agg.closeUpTo(BASE + 1_999);
		expect(rec.reports).toBe(0);
		agg.closeUpTo(BASE + 2_000);
		expect(rec.rows(0, S1)).toEqual([[BASE + 1_000, 4, 4, 4, 4, 1, 4, NaN]]);
		expect(rec.reports).toBe(1);
		agg.closeUpTo(BASE + 5_000);
		expect(rec.reports).toBe(1);

		// Its window is already reported: a late tick must not report it a second time.
		agg.push(0, BASE + 1_800, 5);
		expect(agg.late).toBe(1);
		agg.push(0, BASE + 2_100, 6);
		agg.closeUpTo(BASE + 10_000);
		expect(rec.rows(0, S1)).toEqual([
			[BASE + 1_000, 4, 4, 4, 4, 1, 4, NaN],
			[BASE + 2_000, 6, 6, 6, 6, 1, 6, NaN]
		]);
		expect(rec.rows(0, S10)).toEqual([[BASE, 4, 6, 4, 6, 3, 15, NaN]]);
	});

	it('pairs a quantity series as volume, whichever of price and quantity comes first', () => {
		const rec = recorder();
		const agg = new Aggregator(rec.sink);
		agg.push(0, BASE + 100, 10);
		agg.addVolume(0, BASE + 100, 2);
		// The quantity of the next trade comes first and opens its window.
		agg.addVolume(0, BASE + 1_200, 3);
		agg.push(0, BASE + 1_200, 11);
		agg.addVolume(0, BASE + 1_300, 0.5);
		agg.push(0, BASE + 1_300, 12);
		// Volume with no price in its window: never a candle.
		agg.addVolume(0, BASE + 2_400, 7);
		agg.push(0, BASE + 3_000, 13);
		agg.closeUpTo(Infinity);
		expect(rec.rows(0, S1)).toEqual([
			[BASE, 10, 10, 10, 10, 1, 10, 2],
			[BASE + 1_000, 11, 12, 11, 12, 2, 23, 3.5],
			[BASE + 3_000, 13, 13, 13, 13, 1, 13, NaN]
		]);
		expect(rec.rows(0, S10)).toEqual([[BASE, 10, 13, 10, 13, 4, 46, 12.5]]);
	});

	it('ignores non-finite values and times, and non-finite volumes', () => {
		const rec = recorder();
		const agg = new Aggregator(rec.sink);
		agg.push(0, BASE, NaN);
		agg.push(0, NaN, 1);
		agg.push(0, BASE, Infinity);
		agg.push(0, BASE, 1, NaN);
		agg.addVolume(0, BASE, NaN);
		agg.closeUpTo(Infinity);
		expect(rec.rows(0, S1)).toEqual([[BASE, 1, 1, 1, 1, 1, 1, NaN]]);
	});

	it('peek shows the open window; restore continues it in a new aggregator', () => {
		const whole = recorder();
		const split = recorder();
		const a = new Aggregator(whole.sink);
		const before = new Aggregator(split.sink);
		const ticks = [
			[BASE + 100, 5],
			[BASE + 200, 7],
			[BASE + 300, 3],
			[BASE + 1_100, 4]
		];
		const out = new Float64Array(WINDOW_FIELDS);
		expect(before.peek(0, S1, out)).toBe(false);
		for (const [t, v] of ticks.slice(0, 2)) {
			a.push(0, t, v, 1);
			before.push(0, t, v, 1);
		}
		expect(before.peek(0, S1, out)).toBe(true);
		expect(Array.from(out)).toEqual([BASE, 5, 7, 5, 7, 2, 12, 2]);
		expect(before.peek(1, S1, out)).toBe(false);
		expect(before.peek(0, R, out)).toBe(false);

		const after = new Aggregator(split.sink);
		for (let r = 0; r < R; r++) {
			before.peek(0, r, out);
			after.restore(0, r, out);
		}
		for (const [t, v] of ticks.slice(2)) {
			a.push(0, t, v, 1);
			after.push(0, t, v, 1);
		}
		a.closeUpTo(Infinity);
		after.closeUpTo(Infinity);
		for (let r = 0; r < R; r++) expect(split.rows(0, r)).toEqual(whole.rows(0, r));
		expect(() => after.restore(0, M1, [BASE, 1, 1, 1, 1, 1, 1, NaN])).toThrow(RangeError);
	});

	it('grows past its initial slots without losing open windows', () => {
		const rec = recorder();
		const agg = new Aggregator(rec.sink, 2);
		agg.push(0, BASE, 1);
		agg.push(1, BASE, 2);
		// Slot 2 with 2 slots: exactly one past the end.
		agg.push(2, BASE, 2.5);
		agg.push(5, BASE, 3);
		agg.push(40, BASE, 4);
		agg.push(0, BASE + 1, 10);
		agg.closeUpTo(Infinity);
		expect(rec.reports).toBe(5 * R);
		expect(rec.rows(2, M5)[0].slice(1, 7)).toEqual([2.5, 2.5, 2.5, 2.5, 1, 2.5]);
		expect(rec.rows(0, S1)).toEqual([[BASE, 1, 10, 1, 10, 2, 11, NaN]]);
		expect(rec.rows(1, H1)[0].slice(1, 7)).toEqual([2, 2, 2, 2, 1, 2]);
		expect(rec.rows(40, S1)[0].slice(1, 7)).toEqual([4, 4, 4, 4, 1, 4]);
		expect(() => agg.push(-1, BASE, 1)).toThrow(RangeError);
		expect(() => agg.push(1.5, BASE, 1)).toThrow(RangeError);
	});

	it('remove forgets a slot without reporting it', () => {
		const rec = recorder();
		const agg = new Aggregator(rec.sink);
		agg.push(0, BASE, 1);
		agg.push(1, BASE, 2);
		agg.remove(0);
		agg.closeUpTo(Infinity);
		expect(rec.rows(0, S1)).toEqual([]);
		expect(rec.rows(1, S1).length).toBe(1);
		// A reused slot starts afresh, even earlier than what it held.
		agg.push(0, BASE - 5_000, 3);
		agg.closeUpTo(Infinity);
		expect(rec.rows(0, S1)).toEqual([[BASE - 5_000, 3, 3, 3, 3, 1, 3, NaN]]);
	});

	it('matches a naive group-by over 1e6 random ticks exactly, column by column', () => {
		const SLOTS = 3;
		const N = 1_000_000;
		const rng = new Random(20240517);
		const slots = new Int32Array(N);
		const ts = new Float64Array(N);
		const vs = new Float64Array(N);
		const vols = new Float64Array(N);
		let t = BASE + 123.5;
		let price = 100;
		for (let k = 0; k < N; k++) {
			const roll = rng.next();
			// Mostly small steps and ties, now and then a pause of up to 3 h (no windows for it).
			if (roll < 0.2) t += 0;
			else if (roll < 0.9999) t += rng.int(400) + (rng.next() < 0.1 ? 0.5 : 0);
			else t += rng.int(3 * 3_600_000);
			price += rng.normal();
			slots[k] = rng.int(SLOTS);
			ts[k] = t;
			vs[k] = price;
			vols[k] = rng.next() < 0.3 ? NaN : rng.int(1000) / 8;
		}

		const rec = recorder();
		const agg = new Aggregator(rec.sink, 1);
		for (let k = 0; k < N; k++) {
			agg.push(slots[k], ts[k], vs[k], vols[k]);
			// Closing on the shared clock now and then must change nothing.
			if ((k & 4095) === 0) agg.closeUpTo(ts[k]);
		}
		agg.closeUpTo(Infinity);
		expect(agg.late).toBe(0);

		for (let slot = 0; slot < SLOTS; slot++) {
			for (let r = 0; r < R; r++) {
				const expected = naive(slot, RESOLUTIONS[r].ms, slots, ts, vs, vols);
				const got = rec.candles(slot, r);
				for (const name of CANDLE_COLUMNS) {
					expect(got[name].length, `${slot}/${r}/${name}`).toBe(expected[name].length);
					expect(firstDifference(got[name], expected[name]), `${slot}/${r}/${name}`).toBe(-1);
				}
			}
		}
		expect(rec.candles(0, H1).t.length).toBeGreaterThan(10);
	});
});

/** Group-by floor(t / ms) of one slot's ticks, written as plainly as possible. */
function naive(slot: number, ms: number, slots: Int32Array, ts: Float64Array, vs: Float64Array, vols: Float64Array): Candles {
	const out = new CandleBuffer();
	let key = NaN;
	let row: number[] = [];
	for (let k = 0; k < ts.length; k++) {
		if (slots[k] !== slot) continue;
		const start = Math.floor(ts[k] / ms) * ms;
		const v = vs[k];
		if (start !== key) {
			if (row.length > 0) out.push(row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7]);
			key = start;
			row = [start, v, v, v, v, 0, 0, NaN];
		}
		row[2] = Math.max(row[2], v);
		row[3] = Math.min(row[3], v);
		row[4] = v;
		row[5] += 1;
		row[6] += v;
		if (!Number.isNaN(vols[k])) row[7] = Number.isNaN(row[7]) ? vols[k] : row[7] + vols[k];
	}
	if (row.length > 0) out.push(row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7]);
	return out.drain();
}

/** Index of the first element that differs (NaN equals NaN), or -1. */
function firstDifference(a: Float64Array, b: Float64Array): number {
	for (let k = 0; k < a.length; k++) if (!Object.is(a[k], b[k])) return k;
	return -1;
}
