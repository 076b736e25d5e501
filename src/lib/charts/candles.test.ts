import type uPlot from 'uplot';
import { describe, expect, it } from 'vitest';
import { emptyCandles, type Candles } from '../domain/candles';
import {
	CANDLE_FALLING,
	CANDLE_RISING,
	candlesPlugin,
	candleTimeRange,
	candleValueRange,
	type CandlesPluginOptions,
	type CandlesView
} from './candles';

type Rect = [x: number, y: number, w: number, h: number];
interface Fill {
	color: string;
	alpha: number;
	rects: Rect[];
}

/** Plot area in canvas pixels, and the scales it shows. */
const BBOX = { left: 50, top: 10, width: 1000, height: 400 };

/**
 * A uPlot stand-in: linear x and y scales over `BBOX`, and a context that records each filled
 * path as its rects, its colour and its alpha.
 */
function fakePlot(x: [number, number], y: [number, number]) {
	const fills: Fill[] = [];
	let path: Rect[] = [];
	const ctx = {
		fillStyle: '',
		globalAlpha: 1,
		save() {},
		restore() {},
		clip() {},
		beginPath() {
			path = [];
		},
		rect(...r: Rect) {
			path.push(r);
		},
		fill() {
			if (path.length > 0) fills.push({ color: this.fillStyle, alpha: this.globalAlpha, rects: path });
		}
	};
	const scales = { x: { min: x[0], max: x[1] }, y: { min: y[0], max: y[1] } };
	const u = {
		ctx,
		bbox: BBOX,
		scales,
		valToPos(val: number, key: string, canvas?: boolean) {
			expect(canvas).toBe(true);
			const s = key === 'x' ? scales.x : scales.y;
			const share = (val - s.min) / (s.max - s.min);
			return key === 'x' ? BBOX.left + share * BBOX.width : BBOX.top + (1 - share) * BBOX.height;
		}
	};
	return { u: u as unknown as uPlot, fills };
}

/** Candles of one-second windows from `t0`, each [open, high, low, close, volume]. */
function candles(t0: number, rows: number[][]): Candles {
	const c = emptyCandles(rows.length);
	rows.forEach(([o, h, l, cl, vol], k) => {
		c.t[k] = t0 + k * 1000;
		c.open[k] = o;
		c.high[k] = h;
		c.low[k] = l;
		c.close[k] = cl;
		c.count[k] = 1;
		c.sum[k] = cl;
		c.volume[k] = vol ?? NaN;
	});
	return c;
}

function draw(view: CandlesView, x: [number, number], y: [number, number], options: Partial<CandlesPluginOptions> = {}) {
	const plot = fakePlot(x, y);
	const plugin = candlesPlugin({ view: () => view, pxRatio: 1, volumeShare: 0, ...options });
	(plugin.hooks.draw as (u: uPlot) => void)(plot.u);
	return plot.fills;
}

/** Each candle adds a wick and a body; bodies are the wider rects. */
function bodies(fill: Fill | undefined): Rect[] {
	return (fill?.rects ?? []).filter((r) => r[2] > 1);
}

describe('candlesPlugin', () => {
	// 10 s of x over 1000 px: a 1 s window is 100 px wide.
	const X: [number, number] = [0, 10_000];
	const Y: [number, number] = [0, 100];

	it('draws one body and one wick per candle in view, green for rising and red for falling', () => {
		const rows = [
			[10, 30, 5, 20],
			[20, 25, 10, 15],
			[15, 40, 15, 40],
			[40, 40, 40, 40]
		];
		const fills = draw({ candles: candles(0, rows), live: null, windowMs: 1000 }, X, Y);
		expect(fills.map((f) => f.color)).toEqual([CANDLE_RISING, CANDLE_FALLING]);
		const [up, down] = fills;
		// Three rising (a level one counts as rising), one falling; a wick and a body each.
		expect(up.rects.length).toBe(6);
		expect(down.rects.length).toBe(2);
		expect(bodies(up).length).toBe(3);
		expect(bodies(down).length).toBe(1);
	});

	it('sizes a body from open to close and a wick from high to low, within its window less a gap', () => {
		const fills = draw({ candles: candles(2000, [[10, 30, 5, 20]]), live: null, windowMs: 1000 }, X, Y);
		const [wick, body] = fills[0].rects;
		// Window [2000, 3000) is x 250..350 px: a 75 px body centred in it, the wick in the body's middle.
		expect(body).toEqual([263, BBOX.top + 320, 75, 40]);
		expect(wick).toEqual([300, BBOX.top + 280, 1, 100]);
		expect(body[0]).toBeGreaterThanOrEqual(250);
		expect(body[0] + body[2]).toBeLessThanOrEqual(350);
	});

	it('keeps a body at least 1 px wide and 1 px tall', () => {
		// 1 s windows over 1e6 s: 0.001 px each.
		const fills = draw({ candles: candles(0, [[50, 50, 50, 50]]), live: null, windowMs: 1000 }, [0, 1e9], Y);
		const [wick, body] = fills[0].rects;
		expect(body[2]).toBe(1);
		expect(body[3]).toBe(1);
		expect(wick[2]).toBe(1);
	});

	it('skips candles outside the x scale', () => {
		// 30 candles from t = -10 s; the scale shows [0, 10 s): candles 10..19.
		const rows = Array.from({ length: 30 }, (_, k) => (k % 2 ? [20, 30, 10, 25] : [25, 30, 10, 20]));
		const fills = draw({ candles: candles(-10_000, rows), live: null, windowMs: 1000 }, X, Y);
		const all = fills.flatMap(bodies);
		expect(all.length).toBe(10);
		for (const [x, , w] of all) {
			expect(x).toBeGreaterThanOrEqual(BBOX.left);
			expect(x + w).toBeLessThanOrEqual(BBOX.left + BBOX.width);
		}
		// A candle straddling the edge is drawn (the clip trims it).
		expect(draw({ candles: candles(-500, [[1, 2, 0, 2]]), live: null, windowMs: 1000 }, X, Y).length).toBe(1);
		expect(draw({ candles: candles(-1000, [[1, 2, 0, 2]]), live: null, windowMs: 1000 }, X, Y).length).toBe(0);
		expect(draw({ candles: candles(10_000, [[1, 2, 0, 2]]), live: null, windowMs: 1000 }, X, Y).length).toBe(0);
	});

	it('draws the live candle after the closed ones, and skips a candle with a NaN in it', () => {
		const live = Float64Array.from([5000, 30, 35, 20, 22, 3, 80, NaN]);
		const fills = draw({ candles: candles(0, [[10, 20, 5, NaN]]), live, windowMs: 1000 }, X, Y);
		expect(fills.map((f) => f.color)).toEqual([CANDLE_FALLING]);
		expect(bodies(fills[0])).toEqual([[563, BBOX.top + 280, 75, 32]]);
	});

	it('draws faint volume bars under the candles where the volume is finite', () => {
		const rows = [
			[10, 30, 5, 20, 50],
			[20, 25, 10, 15, 100],
			[15, 40, 15, 40, NaN]
		];
		const fills = draw({ candles: candles(0, rows), live: null, windowMs: 1000 }, X, Y, { volumeShare: 0.25 });
		const volume = fills.filter((f) => f.alpha < 1);
		expect(volume.map((f) => f.color)).toEqual([CANDLE_RISING, CANDLE_FALLING]);
		const floor = BBOX.top + BBOX.height;
		// The largest volume fills the strip (100 px of 400); half of it, half the strip.
		expect(volume[0].rects).toEqual([[63, floor - 50, 75, 50]]);
		expect(volume[1].rects).toEqual([[163, floor - 100, 75, 100]]);
		expect(fills.filter((f) => f.alpha === 1).flatMap(bodies).length).toBe(3);
		const noVolume = candles(0, [[1, 2, 0, 2]]);
		expect(draw({ candles: noVolume, live: null, windowMs: 1000 }, X, Y, { volumeShare: 0.25 }).length).toBe(1);
	});
});

describe('candle ranges', () => {
	const view: CandlesView = {
		candles: candles(1000, [
			[10, 30, 5, 20],
			[20, 25, 10, 15]
		]),
		live: Float64Array.from([5000, 15, 50, 12, 40, 2, 55, NaN]),
		windowMs: 1000
	};

	it('spans every window, the live one included', () => {
		expect(candleTimeRange(view)).toEqual([1000, 6000]);
		expect(candleTimeRange({ ...view, live: null })).toEqual([1000, 3000]);
		expect(candleTimeRange({ ...view, candles: emptyCandles() })).toEqual([5000, 6000]);
		expect(candleTimeRange({ ...view, candles: emptyCandles(), live: null })).toBe(null);
	});

	it('pads the lowest low and highest high', () => {
		const [lo, hi] = candleValueRange(view);
		expect(lo).toBeCloseTo(5 - 45 * 0.08);
		expect(hi).toBeCloseTo(50 + 45 * 0.08);
		expect(candleValueRange({ ...view, candles: emptyCandles(), live: null })).toEqual([0, 1]);
	});
});
