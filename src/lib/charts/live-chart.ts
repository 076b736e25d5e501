import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { untrack } from 'svelte';
import type { Attachment } from 'svelte/attachments';
import type { Anomaly } from '../domain/anomaly';
import type { SeriesInfo } from '../domain/series';
import { attachTouch } from './touch-gesture';
import { watchTheme } from './colour-scale-theme';

/** A frozen stretch of history the chart shows instead of the live window. */
export interface FrozenView {
	/** The series shown (a view can outlive a switch of the live window). */
	readonly seriesKey: string;
	readonly from: number;
	readonly to: number;
	readonly t: Float64Array;
	readonly v: Float64Array;
	readonly decimated: boolean;
	readonly anomalies: readonly Anomaly[];
}

/** What a live chart draws from: contiguous column views and the flags inside them. */
export interface LiveChartSource {
	/** Columns: 0 time, 1 value, 2 band low, 3 band high. */
	readonly window: { column(c: number): Float64Array };
	readonly chartAnomalies: readonly Anomaly[];
	readonly windowSeries: SeriesInfo | null;
	/** Set while the person looks at history (paused, zoomed or panned): drawn instead of `window`. */
	readonly view: FrozenView | null;
	onRedraw(listener: () => void): () => void;
	/** Asks for [from, to] of history at about `points` pixels (wheel zoom, drag-select). */
	showRange?(from: number, to: number, points: number): void;
}

export interface LiveChartOptions {
	height?: number;
	lineColor?: string;
	markerColor?: { hit: string; falseAlarm: string };
}

const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
const dayClock = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false });
const fineClock = new Intl.DateTimeFormat(undefined, {
	hour: '2-digit',
	minute: '2-digit',
	second: '2-digit',
	fractionalSecondDigits: 3,
	hour12: false
});
const DAY_MS = 86_400_000;

/** Axis labels: `14:03:07` within a day or two, `Nov 25, 14:03` for longer spans. */
function axisLabels(u: uPlot, splits: number[]): string[] {
	const span = (u.scales.x.max ?? 0) - (u.scales.x.min ?? 0);
	const format = span > 2 * DAY_MS ? dayClock : clock;
	return splits.map((t) => format.format(t));
}

const compact = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 2 });
const plain = new Intl.NumberFormat(undefined, { maximumFractionDigits: 6 });

/** Value axis labels that fit the axis: `3.2M` rather than `3,200,000`. */
function valueLabel(v: number): string {
	return Math.abs(v) >= 100_000 ? compact.format(v) : plain.format(v);
}

/** The cursor readout's time: milliseconds shown, the date too when the view spans days. */
function readoutTime(t: number, span: number): string {
	return span > 2 * DAY_MS ? `${dayClock.format(t)}:${new Date(t).getSeconds().toString().padStart(2, '0')}` : fineClock.format(t);
}

/** Fills and outlines one gap-free stretch [from, to) of the band. */
function paintRun(
	u: uPlot,
	ctx: CanvasRenderingContext2D,
	xs: Float64Array,
	lo: Float64Array,
	hi: Float64Array,
	from: number,
	to: number
): void {
	// A band far off the chart (a log-scale band after a huge trade) is held just past the edge:
	// canvas drops coordinates in the billions.
	const top = u.bbox.top - 2;
	const bottom = u.bbox.top + u.bbox.height + 2;
	const yOf = (value: number) => Math.min(bottom, Math.max(top, u.valToPos(value, 'y', true)));
	ctx.beginPath();
	for (let k = from; k < to; k++) {
		const x = u.valToPos(xs[k], 'x', true);
		if (k === from) ctx.moveTo(x, yOf(hi[k]));
		else ctx.lineTo(x, yOf(hi[k]));
	}
	for (let k = to - 1; k >= from; k--) ctx.lineTo(u.valToPos(xs[k], 'x', true), yOf(lo[k]));
	ctx.closePath();
	ctx.fill();
	ctx.stroke();
}

/** A pause longer than this many typical intervals between two ticks is drawn as a gap. */
const GAP_INTERVALS = 10;
/** Intervals sampled for the typical (median) one: enough for a stable median, cheap per frame. */
const GAP_SAMPLE = 63;

/** Canvas-pixel x ranges of pauses far longer than the series' median tick interval. */
function timeGaps(u: uPlot, xs: Float64Array, idx0: number, idx1: number): uPlot.Series.Gaps {
	const gaps: uPlot.Series.Gaps = [];
	const n = idx1 - idx0;
	if (n < 3) return gaps;
	const sample = new Float64Array(Math.min(GAP_SAMPLE, n));
	const step = n / sample.length;
	for (let k = 0; k < sample.length; k++) {
		const i = idx0 + Math.floor(k * step);
		sample[k] = xs[i + 1] - xs[i];
	}
	sample.sort();
	const limit = GAP_INTERVALS * sample[sample.length >> 1];
	if (!(limit > 0)) return gaps;
	for (let i = idx0; i < idx1; i++) {
		if (xs[i + 1] - xs[i] <= limit) continue;
		const from = Math.round(u.valToPos(xs[i], 'x', true)) + 1;
		const to = Math.round(u.valToPos(xs[i + 1], 'x', true)) - 1;
		if (to > from) gaps.push([from, to]);
	}
	return gaps;
}

/** Padding above and below the values, as a share of their span. */
const Y_PAD = 0.08;

/** [min, max] of the finite values, padded; a flat line gets a small span around it. */
function valueRange(ys: Float64Array): uPlot.Range.MinMax {
	let min = Infinity;
	let max = -Infinity;
	for (let i = 0; i < ys.length; i++) {
		const y = ys[i];
		if (y < min) min = y;
		if (y > max) max = y;
	}
	if (min === Infinity) return [0, 1];
	const span = max - min || Math.abs(max) * 0.01 || 1;
	return [min - span * Y_PAD, max + span * Y_PAD];
}

/** Wheel zoom per notch: out by this factor, in by its inverse. */
const WHEEL_ZOOM = 1.25;

/**
 * Time navigation and the cursor readout: the wheel zooms around the pointer (with Shift, or a
 * sideways wheel, it pans), dragging selects a range to zoom into, and a readout shows the time
 * and value of the tick under the pointer (as text, never HTML).
 */
function navigation(source: LiveChartSource, node: HTMLElement): uPlot.Plugin {
	const readout = document.createElement('div');
	readout.className = 'chart-readout';
	readout.dataset.testid = 'chart-readout';
	readout.hidden = true;
	let chart: uPlot | null = null;
	const pixels = (u: uPlot) => u.bbox.width / devicePixelRatio;
	const range = (u: uPlot) => ({ min: u.scales.x.min ?? 0, max: u.scales.x.max ?? 0 });

	// Keyboard (the chart takes focus): arrows pan by a quarter, + and − zoom by 2.
	const onKey = (event: KeyboardEvent) => {
		if (!chart || !source.showRange) return;
		const { min, max } = range(chart);
		const span = max - min;
		if (!(span > 0)) return;
		const mid = (min + max) / 2;
		if (event.key === 'ArrowLeft') source.showRange(min - span / 4, max - span / 4, pixels(chart));
		else if (event.key === 'ArrowRight') source.showRange(min + span / 4, max + span / 4, pixels(chart));
		else if (event.key === '+' || event.key === '=') source.showRange(mid - span / 4, mid + span / 4, pixels(chart));
		else if (event.key === '-') source.showRange(mid - span, mid + span, pixels(chart));
		else return;
		event.preventDefault();
	};

	// The wheel zooms around the pointer; with Shift, or sideways, it pans.
	const onWheel = (event: WheelEvent) => {
		if (!chart || !source.showRange) return;
		event.preventDefault();
		const { min, max } = range(chart);
		const span = max - min;
		if (!(span > 0)) return;
		if (event.shiftKey || Math.abs(event.deltaX) > Math.abs(event.deltaY)) {
			const delta = event.shiftKey ? event.deltaY : event.deltaX;
			const shift = Math.sign(delta) * span * 0.1;
			source.showRange(min + shift, max + shift, pixels(chart));
			return;
		}
		const at = chart.posToVal(event.offsetX, 'x');
		const factor = event.deltaY > 0 ? WHEEL_ZOOM : 1 / WHEEL_ZOOM;
		source.showRange(at - (at - min) * factor, at + (max - at) * factor, pixels(chart));
	};

	let detachTouch = () => {};

	return {
		hooks: {
			init: (u) => {
				chart = u;
				node.append(readout);
				node.tabIndex = 0;
				node.addEventListener('keydown', onKey);
				u.over.addEventListener('wheel', onWheel, { passive: false });
				// Touch: one finger drags the time range, two fingers pinch it.
				detachTouch = attachTouch(
					u.over,
					() => (chart ? range(chart) : null),
					(min, max) => {
						if (chart && source.showRange) source.showRange(min, max, pixels(chart));
					}
				);
			},
			destroy: (u) => {
				readout.remove();
				node.removeEventListener('keydown', onKey);
				u.over.removeEventListener('wheel', onWheel);
				detachTouch();
				chart = null;
			},
			// Dragging across the chart selects a range to zoom into.
			setSelect: (u) => {
				const { left, width } = u.select;
				if (width > 3 && source.showRange) {
					source.showRange(u.posToVal(left, 'x'), u.posToVal(left + width, 'x'), pixels(u));
				}
				if (width > 0) u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
			},
			setCursor: (u) => {
				const idx = u.cursor.idx;
				const xs = u.data[0];
				if (idx === null || idx === undefined || idx >= xs.length) {
					readout.hidden = true;
					delete node.dataset.cursor;
					return;
				}
				const t = xs[idx];
				const v = u.data[1][idx] as number;
				const { min, max } = range(u);
				readout.textContent = `${readoutTime(t, max - min)}  ${v.toLocaleString(undefined, { maximumFractionDigits: 6 })}`;
				readout.hidden = false;
				node.dataset.cursor = `${t},${v}`;
			}
		}
	};
}

/** Radius of an anomaly marker, CSS px. */
const MARKER_RADIUS_PX = 5;

/**
 * `{@attach liveChart(source)}`: a uPlot line chart that redraws once per engine frame with
 * `setData` on views of the source's columns (no copies), marks flagged ticks, follows the
 * element's width, and destroys uPlot when the element goes away.
 */
export function liveChart(source: LiveChartSource, options: LiveChartOptions = {}): Attachment<HTMLElement> {
	return (node) => {
		const css = getComputedStyle(node);
		const color = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
		// Read at mount and again when the theme changes (not per frame: that would force a style pass).
		const palette = () => ({
			line: options.lineColor ?? color('--chart-line', '#39c5cf'),
			hit: options.markerColor?.hit ?? color('--hit', '#5fb0f0'),
			falseAlarm: options.markerColor?.falseAlarm ?? color('--false-alarm', '#f28c4b'),
			unknown: color('--flag-unknown', '#e8d44d'),
			axis: color('--chart-axis', '#9ba8b5'),
			grid: color('--chart-grid', 'rgba(139,152,165,0.15)'),
			band: color('--chart-band', 'rgba(139,152,165,0.35)'),
			bandFill: color('--chart-band-fill', 'rgba(139,152,165,0.10)')
		});
		let colours = palette();
		const axis: uPlot.Axis = {
			stroke: () => colours.axis,
			grid: { stroke: () => colours.grid, width: 1 },
			ticks: { stroke: () => colours.grid, width: 1 }
		};

		// The detector's band of ordinary values, painted under the line. Drawn here rather than
		// as uPlot series: it has gaps (NaN where history has no band) that uPlot's band fill
		// would bridge with stray triangles.
		const band: uPlot.Plugin = {
			hooks: {
				drawAxes: (u) => {
					// History stores ticks, not bands: a frozen view has none.
					if (source.view) return;
					const w = source.window;
					const xs = w.column(0);
					const lo = w.column(2);
					const hi = w.column(3);
					const ctx = u.ctx;
					ctx.save();
					ctx.beginPath();
					ctx.rect(u.bbox.left, u.bbox.top, u.bbox.width, u.bbox.height);
					ctx.clip();
					ctx.fillStyle = colours.bandFill;
					ctx.strokeStyle = colours.band;
					ctx.lineWidth = devicePixelRatio;
					let i = 0;
					while (i < xs.length) {
						while (i < xs.length && !(Number.isFinite(lo[i]) && Number.isFinite(hi[i]))) i++;
						const from = i;
						while (i < xs.length && Number.isFinite(lo[i]) && Number.isFinite(hi[i])) i++;
						if (i - from >= 2) paintRun(u, ctx, xs, lo, hi, from, i);
					}
					ctx.restore();
				}
			}
		};

		const markers: uPlot.Plugin = {
			hooks: {
				draw: (u) => {
					const flags = source.view ? source.view.anomalies : source.chartAnomalies;
					if (flags.length === 0) return;
					const ctx = u.ctx;
					const [xMin, xMax] = [u.scales.x.min ?? -Infinity, u.scales.x.max ?? Infinity];
					ctx.save();
					ctx.lineWidth = 2 * devicePixelRatio;
					for (const a of flags) {
						if (a.t < xMin || a.t > xMax) continue;
						const x = u.valToPos(a.t, 'x', true);
						const y = u.valToPos(a.v, 'y', true);
						const r = MARKER_RADIUS_PX * devicePixelRatio;
						// Shape and colour both tell the verdict (colour alone fails the colour-blind):
						// ring, blue: caught an injected anomaly; cross, orange: a false alarm; diamond, yellow: truth unknown.
						ctx.beginPath();
						if (a.truth === true) ctx.arc(x, y, r, 0, 2 * Math.PI);
						else if (a.truth === false) {
							ctx.moveTo(x - r, y - r);
							ctx.lineTo(x + r, y + r);
							ctx.moveTo(x + r, y - r);
							ctx.lineTo(x - r, y + r);
						} else {
							ctx.moveTo(x, y - 1.3 * r);
							ctx.lineTo(x + 1.3 * r, y);
							ctx.lineTo(x, y + 1.3 * r);
							ctx.lineTo(x - 1.3 * r, y);
							ctx.closePath();
						}
						ctx.strokeStyle = a.truth === undefined ? colours.unknown : a.truth ? colours.hit : colours.falseAlarm;
						ctx.stroke();
					}
					ctx.restore();
				}
			}
		};

		const opts: uPlot.Options = {
			width: Math.max(200, node.clientWidth),
			height: options.height ?? 320,
			// Timestamps are epoch milliseconds.
			ms: 1,
			legend: { show: false },
			// Dragging across the chart selects a time range to zoom into (see setSelect).
			cursor: { drag: { x: true, y: false, setScale: false } },
			scales: {
				x: { time: true },
				// The values set the range; the band may run past the edge (a wide band must not
				// squash the line it is drawn around).
				y: { range: (self) => valueRange(self.data[1] as Float64Array) }
			},
			axes: [{ ...axis, space: 90, values: axisLabels }, { ...axis, size: 70, values: (_u, splits) => splits.map(valueLabel) }],
			series: [
				{},
				{
					stroke: () => colours.line,
					width: 1.5,
					points: { show: false },
					// A feed that dropped, or a page that was closed, is a gap: never a straight line across.
					gaps: (self, _s, idx0, idx1) => {
						const gaps = timeGaps(self, self.data[0] as Float64Array, idx0, idx1);
						node.dataset.gaps = String(gaps.length);
						return gaps;
					}
				}
			],
			plugins: [band, markers, navigation(source, node)]
		};
		const empty = new Float64Array(0);
		const u = new uPlot(opts, [empty, empty], node);

		let drawnView: FrozenView | null = null;
		const draw = () => {
			const view = source.view;
			// A frozen view only redraws when it changes (live frames keep coming meanwhile).
			if (view && view === drawnView) return;
			drawnView = view;
			let xs: Float64Array;
			if (view) {
				xs = view.t;
				u.batch(() => {
					u.setData([view.t, view.v], false);
					u.setScale('x', { min: view.from, max: view.to });
				});
			} else {
				const w = source.window;
				xs = w.column(0);
				u.setData([xs, w.column(1)]);
				const lo = w.column(2);
				const hi = w.column(3);
				node.dataset.band = lo.length > 0 ? `${lo[lo.length - 1]},${hi[hi.length - 1]}` : '';
			}
			// Test and inspection hooks: what is drawn right now.
			node.dataset.mode = view ? 'history' : 'live';
			node.dataset.seriesKey = view ? view.seriesKey : (source.windowSeries?.key ?? '');
			node.dataset.points = String(xs.length);
			node.dataset.firstT = xs.length > 0 ? String(xs[0]) : '';
			node.dataset.lastT = xs.length > 0 ? String(xs[xs.length - 1]) : '';
			node.dataset.markers = String(view ? view.anomalies.length : source.chartAnomalies.length);
			node.dataset.decimated = String(view?.decimated ?? false);
			if (view) {
				node.dataset.from = String(view.from);
				node.dataset.to = String(view.to);
			}
		};
		// Untracked: the attachment must not re-run (and rebuild uPlot) when the view state changes.
		untrack(draw);
		const unsubscribe = source.onRedraw(draw);

		const resize = new ResizeObserver(() => {
			u.setSize({ width: Math.max(200, node.clientWidth), height: options.height ?? 320 });
		});
		resize.observe(node);
		const unwatchTheme = watchTheme(() => {
			colours = palette();
			u.redraw(false);
		});

		return () => {
			unwatchTheme();
			resize.disconnect();
			unsubscribe();
			u.destroy();
		};
	};
}
