import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { untrack } from 'svelte';
import type { Attachment } from 'svelte/attachments';
import { emptyCandles, resolutionMs, type Resolution } from '../domain/candles';
import type { CandleData } from '../engine/types';
import { CANDLE_FALLING, CANDLE_RISING, candlesPlugin, candleTimeRange, candleValueRange, type CandlesView } from './candles';
import { watchTheme } from './colour-scale-theme';

/** What a candle chart draws from: the newest candles of the selected series. */
export interface CandleChartSource {
	readonly candles: CandleData | null;
	readonly aggregation: Resolution | null;
	onCandles(listener: () => void): () => void;
}

const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });

/**
 * `{@attach candleChart(source)}`: candlesticks (open, high, low, close per window, volume bars
 * where the series has a paired volume) of the selected series, redrawn when new candles come in.
 */
export function candleChart(source: CandleChartSource, height = 320): Attachment<HTMLElement> {
	return (node) => {
		const css = getComputedStyle(node);
		const color = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
		// Read at mount and again when the theme changes.
		let axisColor = color('--chart-axis', '#9ba8b5');
		let gridColor = color('--chart-grid', 'rgba(139,152,165,0.15)');
		// Blue up, orange down (Okabe–Ito): told apart with any colour vision, unlike green and red.
		let rising = color('--candle-rising', CANDLE_RISING);
		let falling = color('--candle-falling', CANDLE_FALLING);
		const axis: uPlot.Axis = { stroke: () => axisColor, grid: { stroke: () => gridColor, width: 1 }, ticks: { stroke: () => gridColor, width: 1 } };
		let view: CandlesView = { candles: emptyCandles(), live: null, windowMs: 1000 };

		const u = new uPlot(
			{
				width: Math.max(200, node.clientWidth),
				height,
				ms: 1,
				legend: { show: false },
				cursor: { drag: { x: false, y: false } },
				scales: {
					x: { time: true, range: () => candleTimeRange(view) ?? [Date.now() - 60_000, Date.now()] },
					y: { range: () => candleValueRange(view) }
				},
				axes: [{ ...axis, space: 90, values: (_u, splits) => splits.map((t) => clock.format(t)) }, { ...axis, size: 70 }],
				// The close is a series only so uPlot has x values; the candles are drawn by the plugin.
				series: [{}, { show: false }],
				plugins: [candlesPlugin({ view: () => view, rising: () => rising, falling: () => falling })]
			},
			[new Float64Array(0), new Float64Array(0)],
			node
		);

		const draw = () => {
			const data = source.candles;
			const resolution = source.aggregation;
			if (!resolution) return;
			view = { candles: data?.candles ?? emptyCandles(), live: data?.live ?? null, windowMs: resolutionMs(resolution) };
			u.setData([view.candles.t, view.candles.close]);
			// Test and inspection hooks.
			node.dataset.candles = String(view.candles.t.length + (view.live ? 1 : 0));
			node.dataset.resolution = resolution;
			node.dataset.lastT = view.live ? String(view.live[0]) : view.candles.t.length > 0 ? String(view.candles.t[view.candles.t.length - 1]) : '';
		};
		// Untracked: the chart is built once per mount, not again whenever the state it reads changes.
		untrack(draw);
		const unsubscribe = source.onCandles(draw);
		const resize = new ResizeObserver(() => u.setSize({ width: Math.max(200, node.clientWidth), height }));
		resize.observe(node);
		const unwatchTheme = watchTheme(() => {
			axisColor = color('--chart-axis', '#9ba8b5');
			gridColor = color('--chart-grid', 'rgba(139,152,165,0.15)');
			rising = color('--candle-rising', CANDLE_RISING);
			falling = color('--candle-falling', CANDLE_FALLING);
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
