import type uPlot from 'uplot';
import type { Candles } from '../domain/candles';

/**
 * Rising and falling candles when the theme names none (`--candle-rising`, `--candle-falling`):
 * Okabe–Ito blue and orange, which people with any colour vision tell apart (green and red are
 * the pair red–green colour blindness merges).
 */
export const CANDLE_RISING = '#3d9bd9';
export const CANDLE_FALLING = '#e07b28';

/** What the candle layer draws, read once per redraw. */
export interface CandlesView {
	/** Closed windows, oldest first (`t` is each window's start, epoch ms). */
	readonly candles: Candles;
	/** The open window, laid out as `Aggregator.peek` writes it (t, open, high, low, close, count, sum, volume), or null. */
	readonly live: Float64Array | null;
	/** Window length in ms: a candle spans [t, t + windowMs). */
	readonly windowMs: number;
}

export interface CandlesPluginOptions {
	/** Called at each redraw; return the current view (cheap: no copies needed). */
	view: () => CandlesView;
	/** A colour, or a function read at each draw (a theme switch recolours without rebuilding). */
	rising?: string | (() => string);
	falling?: string | (() => string);
	/** Height of the volume strip along the bottom, as a share of the plot; 0 draws none. */
	volumeShare?: number;
	/** Canvas pixels per CSS pixel; defaults to `devicePixelRatio`. */
	pxRatio?: number;
	xScale?: string;
	yScale?: string;
}

/** Share of each window's width left empty between neighbouring candles. */
const GAP_SHARE = 0.25;
/** Volume strip height by default: a fifth of the plot, low enough to leave the candles readable. */
const VOLUME_SHARE = 0.2;
/** Volume bars are faint so candles drawn over them stay legible. */
const VOLUME_ALPHA = 0.35;
/** Padding above and below the candles' range, as a share of their span. */
const Y_PAD = 0.08;

/**
 * A uPlot plugin that draws OHLC candles over the plot: a wick from low to high, a body from
 * open to close, in the rising colour when close >= open and the falling one otherwise, plus faint volume bars along the
 * bottom where the volume is finite. The chart's data need not hold the candles; set the x and
 * y scales with `candleTimeRange` and `candleValueRange`.
 */
export function candlesPlugin(options: CandlesPluginOptions): uPlot.Plugin {
	const pick = (c: string | (() => string) | undefined, fallback: string) => (typeof c === 'function' ? c() : (c ?? fallback));
	const volumeShare = options.volumeShare ?? VOLUME_SHARE;
	const xKey = options.xScale ?? 'x';
	const yKey = options.yScale ?? 'y';
	return {
		hooks: {
			draw: (u) => {
				const view = options.view();
				const scale = u.scales[xKey];
				const min = scale?.min;
				const max = scale?.max;
				if (min == null || max == null || !(view.windowMs > 0)) return;
				const pxRatio = options.pxRatio ?? globalThis.devicePixelRatio ?? 1;
				const ctx = u.ctx;
				ctx.save();
				ctx.beginPath();
				ctx.rect(u.bbox.left, u.bbox.top, u.bbox.width, u.bbox.height);
				ctx.clip();
				const layer: Layer = { u, ctx, view, xKey, yKey, min, max, pxRatio };
				const rising = pick(options.rising, CANDLE_RISING);
				const falling = pick(options.falling, CANDLE_FALLING);
				if (volumeShare > 0) {
					ctx.globalAlpha = VOLUME_ALPHA;
					paint(layer, true, rising, volumeShare);
					paint(layer, false, falling, volumeShare);
					ctx.globalAlpha = 1;
				}
				paint(layer, true, rising, 0);
				paint(layer, false, falling, 0);
				ctx.restore();
			}
		}
	};
}

interface Layer {
	u: uPlot;
	ctx: CanvasRenderingContext2D;
	view: CandlesView;
	xKey: string;
	yKey: string;
	/** The x scale's range: candles outside [min, max] are skipped. */
	min: number;
	max: number;
	pxRatio: number;
}

/** Stands in for a missing live window, so the loop reads one typed array either way. */
const NO_LIVE = new Float64Array(8).fill(NaN);

/**
 * Adds the rising (or falling) candles in view, then the live one, to one path and fills it
 * once: two fills a frame instead of one per candle. With `volumeShare` > 0 it paints volume
 * bars in a strip of that share of the plot's height instead.
 */
function paint(layer: Layer, up: boolean, color: string, volumeShare: number): void {
	const { u, ctx, view, xKey, yKey, min, max, pxRatio } = layer;
	const { t, open, high, low, close, volume } = view.candles;
	const ms = view.windowMs;
	const live = view.live ?? NO_LIVE;
	const n = t.length;
	const first = firstAfter(t, min - ms);
	let last = first;
	while (last < n && t[last] < max) last++;
	const liveShown = view.live !== null && live[0] < max && live[0] + ms > min;

	const slotPx = u.valToPos(min + ms, xKey, true) - u.valToPos(min, xKey, true);
	const bodyPx = Math.max(1, Math.floor(slotPx - Math.max(1, slotPx * GAP_SHARE)));
	const wickPx = Math.min(bodyPx, Math.max(1, Math.round(pxRatio)));
	// Far-off values (a log scale, a wild tick) are held just past the plot: canvas drops
	// coordinates in the billions, and the clip hides the overhang.
	const top = u.bbox.top - 2;
	const bottom = u.bbox.top + u.bbox.height + 2;
	const yOf = (value: number) => Math.round(Math.min(bottom, Math.max(top, u.valToPos(value, yKey, true))));

	let volumeMax = 0;
	if (volumeShare > 0) {
		for (let k = first; k < last; k++) if (volume[k] > volumeMax) volumeMax = volume[k];
		if (liveShown && live[7] > volumeMax) volumeMax = live[7];
		if (!(volumeMax > 0 && volumeMax < Infinity)) return;
	}
	const floor = u.bbox.top + u.bbox.height;
	const stripPx = u.bbox.height * volumeShare;

	ctx.beginPath();
	for (let k = first; k <= last; k++) {
		const isLive = k === last;
		if (isLive && !liveShown) break;
		const o = isLive ? live[1] : open[k];
		const c = isLive ? live[4] : close[k];
		// Level candles (a doji) count as rising.
		if (c >= o !== up) continue;
		const start = isLive ? live[0] : t[k];
		const x = Math.round(u.valToPos(start + ms / 2, xKey, true) - bodyPx / 2);
		if (volumeShare > 0) {
			const vol = isLive ? live[7] : volume[k];
			if (!(vol > 0 && vol < Infinity)) continue;
			const h = Math.max(1, Math.round((vol / volumeMax) * stripPx));
			ctx.rect(x, floor - h, bodyPx, h);
			continue;
		}
		const h = isLive ? live[2] : high[k];
		const l = isLive ? live[3] : low[k];
		if (!(o - o === 0 && c - c === 0 && h - h === 0 && l - l === 0)) continue;
		const wickTop = yOf(h);
		ctx.rect(x + ((bodyPx - wickPx) >> 1), wickTop, wickPx, Math.max(1, yOf(l) - wickTop));
		const yo = yOf(o);
		const yc = yOf(c);
		const bodyTop = Math.min(yo, yc);
		ctx.rect(x, bodyTop, bodyPx, Math.max(1, Math.max(yo, yc) - bodyTop));
	}
	ctx.fillStyle = color;
	ctx.fill();
}

/** Index of the first window whose start is after `after` (the columns are sorted by start). */
function firstAfter(t: Float64Array, after: number): number {
	let lo = 0;
	let hi = t.length;
	while (lo < hi) {
		const mid = (lo + hi) >>> 1;
		if (t[mid] > after) hi = mid;
		else lo = mid + 1;
	}
	return lo;
}

/** [first start, last end] of the windows (live one included), for the x scale; null when empty. */
export function candleTimeRange(view: CandlesView): [number, number] | null {
	const t = view.candles.t;
	const from = t.length > 0 ? t[0] : view.live ? view.live[0] : NaN;
	const to = view.live ? view.live[0] : t.length > 0 ? t[t.length - 1] : NaN;
	return from === from && to === to ? [from, to + view.windowMs] : null;
}

/** [lowest low, highest high] of all windows (live one included), padded, for the y scale. */
export function candleValueRange(view: CandlesView): [number, number] {
	const { low, high } = view.candles;
	let lo = Infinity;
	let hi = -Infinity;
	for (let k = 0; k < low.length; k++) {
		if (low[k] < lo) lo = low[k];
		if (high[k] > hi) hi = high[k];
	}
	if (view.live) {
		if (view.live[3] < lo) lo = view.live[3];
		if (view.live[2] > hi) hi = view.live[2];
	}
	if (!(lo <= hi)) return [0, 1];
	const span = hi - lo || Math.abs(hi) * 0.01 || 1;
	return [lo - span * Y_PAD, hi + span * Y_PAD];
}
