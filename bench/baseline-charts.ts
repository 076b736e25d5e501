// Browser side of the chart baseline in bench/lib/baselines.mjs: bundled by Vite (with the app's
// live chart and chart window) into bench/.build/baselines/ and run on a harness page in
// Debian's Chromium, one variant per fresh browser. Figures, never pass/fail.
//
// Both variants get the same ticks at the same fixed rate (a deterministic random walk, one tick
// every 1000/rate ms of the page's clock, handed over at the start of each animation frame, as
// the dashboard hands over each pulled frame), draw on the same 1200×320 CSS-pixel area, and
// redraw once per animation frame.
// - uplot: the app's own chart (src/lib/charts/live-chart.ts, uPlot) over the app's ChartWindow
//   of the newest `window` ticks; each frame appends the new ticks and redraws with setData on
//   views of the window's columns, as Dashboard.apply + liveChart do. No detector band (its
//   columns are NaN, so the band pass finds nothing to paint) and no flags.
// - fullRedraw: what a simple dashboard does: keep every tick received in two arrays and each
//   frame clear the canvas, recompute both axes' ranges over all the ticks, draw a grid and
//   labels, and stroke one path through every tick.
// Draw time: from handing a frame's ticks over to the chart having drawn them, including any
// redraw the chart queued as a microtask (uPlot's setData does) and, with `readback`, the
// rasterising: one pixel is read back from the chart's canvas, which makes Chromium paint the
// canvas's pending drawing then rather than later in the frame (without it the naive chart's
// 200,000-point path measured about 1 ms of JavaScript while the page fell to 6 fps). Read back
// in both variants alike; it did not change either frame rate here.
import { liveChart, type LiveChartSource } from '../src/lib/charts/live-chart';
import { ChartWindow } from '../src/lib/state/chart-window';

const T0 = 1_700_000_000_000;
const WIDTH = 1200;
const HEIGHT = 320;

export interface ChartRunOptions {
	/** Ticks per second, on the page's clock. */
	rate?: number;
	seconds?: number;
	/** Ticks the app's chart window holds. */
	window?: number;
	/** Read one pixel back after each draw, so the draw time includes rasterising it. */
	readback?: boolean;
}

export interface ChartRunResult {
	fps: number;
	fpsLastSecond: number;
	frames: number;
	seconds: number;
	ticks: number;
	pointsDrawnLastFrame: number;
	drawMsP50: number;
	drawMsP95: number;
	drawMsMax: number;
	frameIntervalMsP95: number;
}

/** What a variant does with each frame's new ticks: take them and draw; returns points drawn. */
type Drawer = { update(t: Float64Array, v: Float64Array): void; points(): number; destroy(): void };

function quantile(xs: number[], q: number): number {
	if (xs.length === 0) return Number.NaN;
	const sorted = [...xs].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function host(): HTMLElement {
	const el = document.createElement('div');
	el.style.width = `${WIDTH}px`;
	el.style.height = `${HEIGHT}px`;
	document.body.style.margin = '0';
	document.body.append(el);
	return el;
}

const nextFrame = () => new Promise<number>((resolve) => requestAnimationFrame(resolve));

/**
 * Drives one variant: each animation frame, the ticks due by now (at `rate`) are made and handed
 * to the drawer; the time from handing them over until the chart has drawn them (the drawer's
 * work plus any redraw it queued as a microtask, as uPlot does) is the frame's draw time.
 */
async function drive(make: (el: HTMLElement) => Drawer, { rate = 20_000, seconds = 10, readback = false }: ChartRunOptions): Promise<ChartRunResult> {
	const el = host();
	const drawer = make(el);
	const pixel = readback ? el.querySelector('canvas')!.getContext('2d')! : null;
	// Let the first layout and paint happen before the clock starts.
	await nextFrame();
	await nextFrame();
	let seed = 12345;
	let value = 100;
	let produced = 0;
	const drawMs: number[] = [];
	const frameAt: number[] = [];
	const start = performance.now();
	const total = Math.round(rate * seconds);
	for (;;) {
		await nextFrame();
		const now = performance.now();
		frameAt.push(now);
		const due = Math.min(total, Math.floor(((now - start) * rate) / 1000));
		const k = due - produced;
		const t = new Float64Array(k);
		const v = new Float64Array(k);
		for (let i = 0; i < k; i++) {
			seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
			const r = seed / 4294967296;
			value += r - 0.5;
			t[i] = T0 + ((produced + i) * 1000) / rate;
			v[i] = r > 0.9999 ? value + 50 : value;
		}
		produced = due;
		const before = performance.now();
		drawer.update(t, v);
		// uPlot redraws in a microtask queued by setData: this one runs after it.
		await new Promise<void>((resolve) => queueMicrotask(resolve));
		pixel?.getImageData(0, 0, 1, 1);
		drawMs.push(performance.now() - before);
		if (now - start >= seconds * 1000) break;
	}
	const end = frameAt[frameAt.length - 1];
	const elapsed = (end - start) / 1000;
	const lastSecond = frameAt.filter((at) => at > end - 1000).length - 1;
	const intervals = frameAt.slice(1).map((at, i) => at - frameAt[i]);
	const points = drawer.points();
	drawer.destroy();
	return {
		fps: ((frameAt.length - 1) * 1000) / (end - frameAt[0]),
		fpsLastSecond: lastSecond,
		frames: frameAt.length,
		seconds: elapsed,
		ticks: produced,
		pointsDrawnLastFrame: points,
		drawMsP50: quantile(drawMs, 0.5),
		drawMsP95: quantile(drawMs, 0.95),
		drawMsMax: Math.max(...drawMs),
		frameIntervalMsP95: quantile(intervals, 0.95)
	};
}

/** Ours: the app's live chart (uPlot) over the app's chart window of the newest `window` ticks. */
export function uplot(options: ChartRunOptions = {}): Promise<ChartRunResult> {
	const size = options.window ?? 2000;
	return drive((el) => {
		const win = new ChartWindow(size);
		const listeners = new Set<() => void>();
		const source: LiveChartSource = {
			window: win,
			chartAnomalies: [],
			windowSeries: null,
			view: null,
			onRedraw(listener) {
				listeners.add(listener);
				return () => listeners.delete(listener);
			}
		};
		const detach = liveChart(source, { height: HEIGHT })(el);
		return {
			update(t, v) {
				if (t.length > 0) win.append(t, v);
				for (const listener of listeners) listener();
			},
			points: () => win.length,
			destroy: () => {
				if (typeof detach === 'function') detach();
			}
		};
	}, options);
}

const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });

/** A round step near span/count: 1, 2 or 5 times a power of ten. */
function niceStep(span: number, count: number): number {
	const raw = span / count;
	const power = 10 ** Math.floor(Math.log10(raw));
	const m = raw / power;
	return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * power;
}

/** The naive chart: every tick kept and drawn, every frame, on a plain 2D canvas. */
export function fullRedraw(options: ChartRunOptions = {}): Promise<ChartRunResult> {
	return drive((el) => {
		const dpr = devicePixelRatio;
		const canvas = document.createElement('canvas');
		canvas.width = WIDTH * dpr;
		canvas.height = HEIGHT * dpr;
		canvas.style.width = `${WIDTH}px`;
		canvas.style.height = `${HEIGHT}px`;
		el.append(canvas);
		const ctx = canvas.getContext('2d')!;
		const ts: number[] = [];
		const vs: number[] = [];
		const plot = { left: 70 * dpr, top: 10 * dpr, right: (WIDTH - 10) * dpr, bottom: (HEIGHT - 30) * dpr };
		return {
			update(t, v) {
				for (let i = 0; i < t.length; i++) {
					ts.push(t[i]);
					vs.push(v[i]);
				}
				const n = ts.length;
				ctx.clearRect(0, 0, canvas.width, canvas.height);
				if (n < 2) return;
				// Axes recomputed over everything received.
				let min = Infinity;
				let max = -Infinity;
				for (let i = 0; i < n; i++) {
					if (vs[i] < min) min = vs[i];
					if (vs[i] > max) max = vs[i];
				}
				const pad = (max - min) * 0.08 || 1;
				min -= pad;
				max += pad;
				const t0 = ts[0];
				const t1 = ts[n - 1];
				const xOf = (x: number) => plot.left + ((x - t0) / (t1 - t0 || 1)) * (plot.right - plot.left);
				const yOf = (y: number) => plot.bottom - ((y - min) / (max - min)) * (plot.bottom - plot.top);
				ctx.font = `${12 * dpr}px sans-serif`;
				ctx.fillStyle = '#8b98a5';
				ctx.strokeStyle = 'rgba(139,152,165,0.15)';
				ctx.lineWidth = dpr;
				ctx.beginPath();
				ctx.textAlign = 'right';
				ctx.textBaseline = 'middle';
				const yStep = niceStep(max - min, 5);
				for (let y = Math.ceil(min / yStep) * yStep; y <= max; y += yStep) {
					ctx.moveTo(plot.left, yOf(y));
					ctx.lineTo(plot.right, yOf(y));
					ctx.fillText(y.toFixed(2), plot.left - 6 * dpr, yOf(y));
				}
				ctx.textAlign = 'center';
				ctx.textBaseline = 'top';
				const xStep = Math.max(1000, niceStep(t1 - t0, 8));
				for (let x = Math.ceil(t0 / xStep) * xStep; x <= t1; x += xStep) {
					ctx.moveTo(xOf(x), plot.top);
					ctx.lineTo(xOf(x), plot.bottom);
					ctx.fillText(clock.format(x), xOf(x), plot.bottom + 6 * dpr);
				}
				ctx.stroke();
				// One path through every tick.
				ctx.strokeStyle = '#39c5cf';
				ctx.lineWidth = 1.5 * dpr;
				ctx.beginPath();
				ctx.moveTo(xOf(ts[0]), yOf(vs[0]));
				for (let i = 1; i < n; i++) ctx.lineTo(xOf(ts[i]), yOf(vs[i]));
				ctx.stroke();
			},
			points: () => ts.length,
			destroy: () => canvas.remove()
		};
	}, options);
}
