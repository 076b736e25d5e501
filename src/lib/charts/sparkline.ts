/**
 * A sparkline: a window of values as a small line on a canvas, without axes. Sized once per
 * resize (not per frame: reading a canvas's layout size every frame would force layout).
 */

export interface SparklineStyle {
	line: string;
	/** Opacity of the line's colour under it, down to the bottom (0 or none: no fill). */
	fillAlpha?: number;
	/** The newest value's dot. */
	dot?: string;
}

/** Space kept free around the line, CSS px: the dot and the line's width must not be clipped. */
const PAD_PX = 3;

/**
 * Scales ticks (times `xs`, values `ys`) into a `width` × `height` box, writing x0, y0, x1, y1, …
 * into `out` (grown when too short) and returning it with the number of points written. Values
 * that are not finite are skipped; time runs left to right over the window's span, the values
 * fill the height between their lowest and highest (a flat window sits in the middle).
 */
export function sparklinePoints(
	xs: ArrayLike<number>,
	ys: ArrayLike<number>,
	width: number,
	height: number,
	out: Float32Array = new Float32Array(0)
): { points: Float32Array; count: number } {
	const n = Math.min(xs.length, ys.length);
	let min = Infinity;
	let max = -Infinity;
	for (let i = 0; i < n; i++) {
		const y = ys[i];
		if (y < min) min = y;
		if (y > max) max = y;
	}
	if (out.length < 2 * n) out = new Float32Array(2 * n);
	if (min === Infinity) return { points: out, count: 0 };
	const t0 = xs[0];
	const span = xs[n - 1] - t0;
	const innerW = Math.max(0, width - 2 * PAD_PX);
	const innerH = Math.max(0, height - 2 * PAD_PX);
	let count = 0;
	for (let i = 0; i < n; i++) {
		const y = ys[i];
		if (!Number.isFinite(y)) continue;
		out[2 * count] = PAD_PX + (span > 0 ? ((xs[i] - t0) / span) * innerW : innerW);
		// Canvas y grows downwards: the highest value is at the top.
		out[2 * count + 1] = PAD_PX + (max > min ? ((max - y) / (max - min)) * innerH : innerH / 2);
		count++;
	}
	return { points: out, count };
}

/** Sets the canvas's backing store to its CSS size times the device pixel ratio (sharp on any screen). */
export function sizeCanvas(canvas: HTMLCanvasElement, width: number, height: number): void {
	const ratio = globalThis.devicePixelRatio || 1;
	canvas.width = Math.max(1, Math.round(width * ratio));
	canvas.height = Math.max(1, Math.round(height * ratio));
}

/**
 * Draws the sparkline on a canvas sized with `sizeCanvas` to `width` × `height` CSS px. Returns
 * the points buffer for the next call to reuse (no allocation per frame once it is big enough).
 */
export function drawSparkline(
	ctx: CanvasRenderingContext2D,
	xs: ArrayLike<number>,
	ys: ArrayLike<number>,
	width: number,
	height: number,
	style: SparklineStyle,
	buffer?: Float32Array
): Float32Array {
	const ratio = ctx.canvas.width / Math.max(1, width);
	ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
	ctx.clearRect(0, 0, width, height);
	const { points, count } = sparklinePoints(xs, ys, width, height, buffer);
	if (count < 2) return points;
	ctx.beginPath();
	ctx.moveTo(points[0], points[1]);
	for (let k = 1; k < count; k++) ctx.lineTo(points[2 * k], points[2 * k + 1]);
	if (style.fillAlpha) {
		ctx.save();
		ctx.lineTo(points[2 * (count - 1)], height);
		ctx.lineTo(points[0], height);
		ctx.closePath();
		ctx.globalAlpha = style.fillAlpha;
		ctx.fillStyle = style.line;
		ctx.fill();
		ctx.restore();
		// The fill closed the path: draw the line again on its own.
		ctx.beginPath();
		ctx.moveTo(points[0], points[1]);
		for (let k = 1; k < count; k++) ctx.lineTo(points[2 * k], points[2 * k + 1]);
	}
	ctx.strokeStyle = style.line;
	ctx.lineWidth = 1.5;
	ctx.lineJoin = 'round';
	ctx.stroke();
	if (style.dot) {
		ctx.beginPath();
		ctx.arc(points[2 * (count - 1)], points[2 * count - 1], 2.5, 0, 2 * Math.PI);
		ctx.fillStyle = style.dot;
		ctx.fill();
	}
	return points;
}
