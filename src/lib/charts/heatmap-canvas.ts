import { readThemeColours, type ThemeColours } from './colour-scale-theme';
import { densestGapMs, ensureGrid, fillGrid, liveBuckets, liveSpan, type HeatmapGrid, type HeatmapRow } from './heatmap';
import { paintGrid } from './heatmap-paint';

/** Narrowest bucket drawn, CSS px: finer than this is noise to the eye and costs columns. */
const MIN_COL_PX = 3;
/** Most columns however wide the panel (a 4K screen at 3 px is ~1,300). */
const MAX_COLS = 1024;
/** A live range is at least this wide, so one fresh series does not squeeze it to nothing. */
const MIN_LIVE_SPAN_MS = 1000;
/** Space for the time axis under the cells, CSS px. */
const AXIS_PX = 18;
/** Row labels take at most this share of the width. */
const LABEL_SHARE = 0.3;
const LABEL_MAX_PX = 160;
/** A row label needs this much height; thinner rows label every n-th row. */
const LABEL_ROW_PX = 12;
const FONT = '11px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
/** Time axis labels at least this far apart, CSS px. */
const TICK_SPACING_PX = 90;
/** Round steps for the time axis, ms. */
const TIME_STEPS_MS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 15e3, 3e4, 6e4, 12e4, 3e5, 6e5, 9e5, 18e5, 36e5, 72e5, 216e5, 432e5, 864e5];

const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
const fineClock = new Intl.DateTimeFormat(undefined, { minute: '2-digit', second: '2-digit', fractionalSecondDigits: 3, hour12: false });
const dayClock = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false });

/** The cell under the pointer, for the readout. */
export interface HeatmapCell {
	row: number;
	from: number;
	to: number;
	/** Bucket mean; NaN: no ticks there. */
	value: number;
	count: number;
	flagged: boolean;
	rowLo: number;
	rowHi: number;
}

/**
 * Draws the time heatmap on a canvas: one pass of cells as an ImageData of one pixel per cell,
 * scaled up without smoothing; flags, labels and the axis on top. Buffers (the grid, the
 * ImageData, the canvas it goes through) are made again only when the size or the rows change.
 */
export class HeatmapCanvas {
	private readonly ctx: CanvasRenderingContext2D;
	private readonly cells: HTMLCanvasElement;
	private readonly cellsCtx: CanvasRenderingContext2D;
	private image: ImageData | null = null;
	/** The image's bytes as one word per pixel (see paintGrid). */
	private pixels = new Uint32Array(0);
	private grid: HeatmapGrid | null = null;
	private colours: ThemeColours;
	private width = 0;
	private height = 0;
	private labels: readonly string[] = [];
	/** Labels cut to fit the label column; measured on resize or relabel, not per frame. */
	private fitted: string[] = [];
	private labelPx = 0;

	constructor(private readonly canvas: HTMLCanvasElement) {
		this.ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
		this.cells = document.createElement('canvas');
		this.cellsCtx = this.cells.getContext('2d') as CanvasRenderingContext2D;
		this.colours = readThemeColours(canvas);
	}

	/** Re-reads the theme's colours (the page switched theme). */
	retheme(): void {
		this.colours = readThemeColours(this.canvas);
	}

	/** The canvas's CSS size; its backing store follows at the device's pixel ratio. */
	resize(width: number, height: number): void {
		const ratio = globalThis.devicePixelRatio || 1;
		this.width = Math.max(0, Math.floor(width));
		this.height = Math.max(0, Math.floor(height));
		this.canvas.width = Math.round(this.width * ratio);
		this.canvas.height = Math.round(this.height * ratio);
		this.canvas.style.width = `${this.width}px`;
		this.canvas.style.height = `${this.height}px`;
		this.fitLabels();
	}

	setLabels(labels: readonly string[]): void {
		this.labels = labels;
		this.fitLabels();
	}

	private fitLabels(): void {
		const ctx = this.ctx;
		ctx.font = FONT;
		const room = Math.min(LABEL_MAX_PX, this.width * LABEL_SHARE) - 6;
		let widest = 0;
		this.fitted = this.labels.map((label) => {
			let text = label;
			while (text.length > 1 && ctx.measureText(text).width > room) text = text.slice(0, -2) + '…';
			widest = Math.max(widest, ctx.measureText(text).width);
			return text;
		});
		this.labelPx = Math.ceil(widest) + 8;
	}

	/** Plot area (the cells), CSS px. */
	private plot(): { x: number; y: number; w: number; h: number } {
		return { x: this.labelPx, y: 0, w: Math.max(0, this.width - this.labelPx - 4), h: Math.max(0, this.height - AXIS_PX) };
	}

	/**
	 * Draws `rows` over `range` (null: live, the newest ticks every row covers). Returns the grid
	 * drawn (null: nothing to draw), which stays valid until the next call.
	 */
	draw(rows: readonly (HeatmapRow | undefined)[], range: { from: number; to: number } | null): HeatmapGrid | null {
		const { ctx, colours } = this;
		const ratio = this.canvas.width / Math.max(1, this.width);
		ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
		ctx.clearRect(0, 0, this.width, this.height);
		const plot = this.plot();
		if (rows.length === 0 || plot.w < 4 || plot.h < 4) return null;
		ctx.fillStyle = colours.surface2;
		ctx.fillRect(plot.x, plot.y, plot.w, plot.h);

		const maxCols = Math.max(1, Math.min(MAX_COLS, Math.floor(plot.w / MIN_COL_PX)));
		const span = range ?? liveSpan(rows, MIN_LIVE_SPAN_MS);
		if (!span) return null;
		const gap = densestGapMs(rows, span.from, span.to);
		let from = span.from;
		let bucketMs: number;
		let cols: number;
		if (range) {
			// A chosen range is drawn as it is: no rounding, which would shift it off its neighbours.
			cols = Math.max(1, Math.min(maxCols, Number.isFinite(gap) ? Math.ceil((range.to - range.from) / gap) : maxCols));
			bucketMs = (range.to - range.from) / cols;
		} else {
			({ from, bucketMs, cols } = liveBuckets(span, maxCols, Number.isFinite(gap) ? gap : 0));
		}
		const grid = (this.grid = fillGrid(ensureGrid(this.grid, rows.length, maxCols), rows, from, bucketMs, cols));
		if (!this.image || this.image.width !== maxCols || this.image.height !== rows.length) {
			this.image = new ImageData(maxCols, rows.length);
			this.pixels = new Uint32Array(this.image.data.buffer);
			this.cells.width = maxCols;
			this.cells.height = rows.length;
		}
		paintGrid(grid, this.pixels);
		this.cellsCtx.putImageData(this.image, 0, 0, 0, 0, cols, rows.length);
		ctx.imageSmoothingEnabled = false;
		ctx.drawImage(this.cells, 0, 0, cols, rows.length, plot.x, plot.y, plot.w, plot.h);

		const rowH = plot.h / rows.length;
		const colW = plot.w / cols;
		// Rows apart by a hairline of the panel's surface, once they are tall enough to spare it.
		if (rowH >= 6) {
			ctx.fillStyle = colours.surface;
			for (let r = 1; r < rows.length; r++) ctx.fillRect(plot.x, plot.y + r * rowH - 0.5, plot.w, 1);
		}
		this.drawFlags(grid, plot, rowH, colW);
		this.drawLabels(plot, rowH);
		this.drawAxis(plot, from, from + cols * bucketMs);
		return grid;
	}

	/** A flagged bucket: bars across its top and bottom in the flag colour; the value shows between. */
	private drawFlags(grid: HeatmapGrid, plot: { x: number; y: number }, rowH: number, colW: number): void {
		if (grid.flagged === 0) return;
		const ctx = this.ctx;
		ctx.fillStyle = this.colours.flag;
		const bar = Math.max(1.5, Math.min(4, rowH * 0.25));
		const w = Math.max(2, colW);
		for (let r = 0; r < grid.rows; r++) {
			for (let k = r * grid.capacity, end = k + grid.cols; k < end; k++) {
				if (grid.flags[k] === 0) continue;
				const x = plot.x + (k - r * grid.capacity) * colW - (w - colW) / 2;
				const y = plot.y + r * rowH;
				ctx.fillRect(x, y, w, bar);
				ctx.fillRect(x, y + rowH - bar, w, bar);
			}
		}
	}

	private drawLabels(plot: { x: number; y: number }, rowH: number): void {
		const ctx = this.ctx;
		ctx.font = FONT;
		ctx.fillStyle = this.colours.text;
		ctx.textAlign = 'right';
		ctx.textBaseline = 'middle';
		const every = Math.max(1, Math.ceil(LABEL_ROW_PX / rowH));
		for (let r = 0; r < this.fitted.length; r += every) ctx.fillText(this.fitted[r], plot.x - 6, plot.y + (r + 0.5) * rowH);
	}

	private drawAxis(plot: { x: number; y: number; w: number; h: number }, from: number, to: number): void {
		const ctx = this.ctx;
		const span = to - from;
		if (!(span > 0)) return;
		const step = TIME_STEPS_MS.find((s) => (s / span) * plot.w >= TICK_SPACING_PX) ?? TIME_STEPS_MS[TIME_STEPS_MS.length - 1];
		const format = span > 2 * 864e5 ? dayClock : step < 1000 ? fineClock : clock;
		const y = plot.y + plot.h;
		ctx.fillStyle = this.colours.muted;
		ctx.textAlign = 'center';
		ctx.textBaseline = 'top';
		// Local time: ticks fall on round local seconds and minutes (offsets are whole minutes).
		const offset = new Date(from).getTimezoneOffset() * 60_000;
		for (let t = Math.ceil((from - offset) / step) * step + offset; t <= to; t += step) {
			const x = plot.x + ((t - from) / span) * plot.w;
			ctx.fillRect(x - 0.5, y, 1, 4);
			const label = format.format(t);
			const half = ctx.measureText(label).width / 2;
			if (x - half >= plot.x - 4 && x + half <= this.width) ctx.fillText(label, x, y + 5);
		}
	}

	/** The cell at CSS pixel (x, y) of the canvas in the last grid drawn, or null. */
	cellAt(x: number, y: number): HeatmapCell | null {
		const grid = this.grid;
		const plot = this.plot();
		if (!grid || grid.cols === 0 || x < plot.x || x >= plot.x + plot.w || y < plot.y || y >= plot.y + plot.h) return null;
		const row = Math.min(grid.rows - 1, Math.floor(((y - plot.y) / plot.h) * grid.rows));
		const col = Math.min(grid.cols - 1, Math.floor(((x - plot.x) / plot.w) * grid.cols));
		const at = row * grid.capacity + col;
		const from = grid.from + col * grid.bucketMs;
		return { row, from, to: from + grid.bucketMs, value: grid.values[at], count: grid.counts[at], flagged: grid.flags[at] === 1, rowLo: grid.lo[row], rowHi: grid.hi[row] };
	}

	/** Lets go of the buffers (the canvas itself goes with the component). */
	dispose(): void {
		this.grid = null;
		this.image = null;
		this.pixels = new Uint32Array(0);
		this.cells.width = 0;
		this.cells.height = 0;
	}
}
