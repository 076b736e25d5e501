import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { TimeRange } from '../../charts/multi-line-chart-data';
import { rangeNavigation } from '../../charts/multi-line-chart-navigation';
import { CANDLE_FALLING, CANDLE_RISING, candlesPlugin, candleTimeRange, candleValueRange, type CandlesView } from '../../charts/candles';
import { timeLabels } from '../../charts/multi-line-chart';

export interface CandlePanelChartOptions {
	height: number;
	/** The candles to draw, read at every draw. */
	view(): CandlesView;
	/** The time range to show (null: the candles' own span, newest last); read at every draw. */
	range(): TimeRange | null;
	/** The person asked for a range (null: back to live). */
	onRange(range: TimeRange | null): void;
}

const compact = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 2 });
const plain = new Intl.NumberFormat(undefined, { maximumFractionDigits: 6 });

/**
 * The candle chart of a panel: candle-chart.ts's drawing (candles.ts) with a time range that can
 * be set from outside (linked panels) and the panels' navigation. The main chart's candle view
 * keeps its own module: it has no linked time and follows the selected series instead.
 */
export function candlePanelChart(node: HTMLElement, options: CandlePanelChartOptions): { draw(): void; destroy(): void } {
	const css = getComputedStyle(node);
	const colour = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
	const axisColour = colour('--chart-axis', '#8b98a5');
	const gridColour = colour('--chart-grid', 'rgba(139,152,165,0.15)');
	const axis: uPlot.Axis = { stroke: axisColour, grid: { stroke: gridColour, width: 1 }, ticks: { stroke: gridColour, width: 1 } };
	// A theme may give candles its own pair (e.g. colour-blind safe blue and orange).
	const rising = colour('--candle-rising', CANDLE_RISING);
	const falling = colour('--candle-falling', CANDLE_FALLING);
	let view = options.view();
	let shown: [number, number] = [0, 1];

	const u = new uPlot(
		{
			width: Math.max(120, node.clientWidth),
			height: options.height,
			ms: 1,
			legend: { show: false },
			cursor: { points: { show: false } },
			scales: {
				x: { time: true, range: () => shown },
				y: { range: () => candleValueRange(view) }
			},
			axes: [
				{ ...axis, space: 90, size: 30, values: timeLabels },
				{
					...axis,
					size: (_u, values) => Math.ceil(Math.max(3, ...(values ?? []).map((v) => v.length)) * 7 + 14),
					values: (_u, splits) => splits.map((v) => (Math.abs(v) >= 100_000 ? compact.format(v) : plain.format(v)))
				}
			],
			// The close is a series only so uPlot has x values; the candles are drawn by the plugin.
			series: [{}, { show: false }],
			plugins: [candlesPlugin({ view: () => view, rising, falling }), rangeNavigation(node, (range) => options.onRange(range))]
		},
		[new Float64Array(0), new Float64Array(0)],
		node
	);

	const draw = () => {
		view = options.view();
		const wanted = options.range();
		const own = candleTimeRange(view);
		const now = Date.now();
		shown = wanted ? [wanted.from, wanted.to] : (own ?? [now - 60_000, now]);
		u.setData([view.candles.t, view.candles.close]);
		// Test and inspection hooks.
		const t = view.candles.t;
		node.dataset.candles = String(t.length + (view.live ? 1 : 0));
		node.dataset.lastT = view.live ? String(view.live[0]) : t.length > 0 ? String(t[t.length - 1]) : '';
		node.dataset.range = wanted ? `${wanted.from},${wanted.to}` : 'live';
	};

	const resize = new ResizeObserver(() => {
		const width = Math.max(120, node.clientWidth);
		if (width !== u.width) u.setSize({ width, height: options.height });
	});
	resize.observe(node);

	return {
		draw,
		destroy() {
			resize.disconnect();
			u.destroy();
		}
	};
}
