import type uPlot from 'uplot';
import type { TimeRange } from './multi-line-chart-data';
import { attachTouch } from './touch-gesture';

/** Ctrl-wheel (a trackpad pinch) zooms by this factor per notch: out by it, in by its inverse. */
const WHEEL_ZOOM = 1.25;
/** Narrowest span a gesture zooms to, ms. */
const MIN_SPAN_MS = 50;

/**
 * Time navigation of a panel chart, as one uPlot plugin: dragging selects a range, Ctrl + wheel
 * (a trackpad pinch) zooms around the pointer, on a touch screen one finger drags and two pinch,
 * arrows pan and + / − zoom when the chart has focus, and a double-click or Escape goes back to
 * live. It never moves the chart itself: it
 * reports the wanted range to `onRange` (null: live), and the owner decides what the chart shows
 * (this panel alone, or every panel linked to it). A plain wheel is left to the page: on a board
 * of panels it scrolls the page, not the chart under the pointer.
 */
export function rangeNavigation(node: HTMLElement, onRange: (range: TimeRange | null) => void): uPlot.Plugin {
	let chart: uPlot | null = null;

	const shown = (u: uPlot) => ({ min: u.scales.x.min ?? 0, max: u.scales.x.max ?? 0 });
	const ask = (from: number, to: number) => {
		if (!(to - from >= MIN_SPAN_MS)) {
			const mid = (from + to) / 2;
			from = mid - MIN_SPAN_MS / 2;
			to = mid + MIN_SPAN_MS / 2;
		}
		if (Number.isFinite(from) && Number.isFinite(to)) onRange({ from, to });
	};

	const onKey = (event: KeyboardEvent) => {
		if (!chart) return;
		const { min, max } = shown(chart);
		const span = max - min;
		const mid = (min + max) / 2;
		if (event.key === 'Escape') onRange(null);
		else if (!(span > 0)) return;
		else if (event.key === 'ArrowLeft') ask(min - span / 4, max - span / 4);
		else if (event.key === 'ArrowRight') ask(min + span / 4, max + span / 4);
		else if (event.key === '+' || event.key === '=') ask(mid - span / 4, mid + span / 4);
		else if (event.key === '-') ask(mid - span, mid + span);
		else return;
		event.preventDefault();
	};

	const onWheel = (event: WheelEvent) => {
		if (!chart || !(event.ctrlKey || event.metaKey)) return;
		event.preventDefault();
		const { min, max } = shown(chart);
		if (!(max > min)) return;
		const at = chart.posToVal(event.offsetX, 'x');
		const factor = event.deltaY > 0 ? WHEEL_ZOOM : 1 / WHEEL_ZOOM;
		ask(at - (at - min) * factor, at + (max - at) * factor);
	};

	const onDoubleClick = () => onRange(null);
	let detachTouch = () => {};

	return {
		opts: (_u, opts) => {
			// uPlot's own double-click resets the scale behind the owner's back: the owner decides.
			opts.cursor = { ...opts.cursor, drag: { x: true, y: false, setScale: false }, bind: { ...opts.cursor?.bind, dblclick: () => null } };
		},
		hooks: {
			init: (u) => {
				chart = u;
				node.tabIndex = 0;
				node.addEventListener('keydown', onKey);
				u.over.addEventListener('wheel', onWheel, { passive: false });
				u.over.addEventListener('dblclick', onDoubleClick);
				// Touch: one finger drags the range, two fingers pinch it.
				detachTouch = attachTouch(u.over, () => (chart ? shown(chart) : null), ask);
			},
			destroy: (u) => {
				node.removeEventListener('keydown', onKey);
				u.over.removeEventListener('wheel', onWheel);
				u.over.removeEventListener('dblclick', onDoubleClick);
				detachTouch();
				chart = null;
			},
			setSelect: (u) => {
				const { left, width } = u.select;
				if (width > 3) ask(u.posToVal(left, 'x'), u.posToVal(left + width, 'x'));
				if (width > 0) u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
			}
		}
	};
}
