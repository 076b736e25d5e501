import type { FootSide, SensorDevice } from './sensor-layout';

/**
 * Where a sensor heatmap's devices, feet and cells go in a box of `width` × `height` CSS pixels
 * (pure geometry for an SVG; recomputed on resize, never per frame).
 */

export interface CellShape {
	/** Position of the series in the panel's keys. */
	index: number;
	label: string;
	side?: FootSide;
	/** Feet's regions are ellipses inside the outline; a grid's cells rounded rectangles. */
	kind: 'ellipse' | 'rect';
	cx: number;
	cy: number;
	w: number;
	h: number;
	/** Font size of the value, px; labels take about 0.7 of it. */
	font: number;
}

export interface DeviceShape {
	name: string;
	kind: 'feet' | 'grid';
	/** Where the device's name goes (centre of its baseline). */
	nameX: number;
	nameY: number;
	feet: { side: FootSide; path: string; labelX: number; labelY: number }[];
	cells: CellShape[];
}

/** Space for the device's name above it and the feet's side labels below, px. */
const NAME_PX = 18;
const SIDE_PX = 16;
const GAP_PX = 8;
/** Width of a foot over its length (an adult foot is ~0.38; the regions need a little more). */
const FOOT_ASPECT = 0.42;
/** Cells of a grid are wider than tall: a value like `1,023.5` must fit on one line. */
const GRID_CELL_ASPECT = 1.6;

/**
 * Outline of a left foot seen from above, toes up, big toe on the right (inner) side, in a unit
 * box: a closed curve through these points (Catmull–Rom). The right foot is its mirror image.
 */
const FOOT_OUTLINE: readonly (readonly [number, number])[] = [
	[0.5, 1],
	[0.26, 0.95],
	[0.17, 0.8],
	[0.16, 0.6],
	[0.12, 0.4],
	[0.1, 0.22],
	[0.18, 0.08],
	[0.4, 0.015],
	[0.66, 0],
	[0.86, 0.05],
	[0.92, 0.2],
	[0.86, 0.38],
	[0.72, 0.56],
	[0.75, 0.78],
	[0.72, 0.93]
];

/** Regions of a left foot: centre and full size in the unit box; mirrored for the right. */
const REGION_BOXES = {
	toe: { cx: 0.52, cy: 0.19, w: 0.7, h: 0.25 },
	midfoot: { cx: 0.43, cy: 0.5, w: 0.46, h: 0.26 },
	heel: { cx: 0.45, cy: 0.82, w: 0.5, h: 0.23 }
} as const;

/** Columns and rows for `n` tiles of aspect `aspect` (w / h) in a box, each as large as can be. */
export function packTiles(n: number, width: number, height: number, aspect: number): { cols: number; rows: number; w: number; h: number } {
	let best = { cols: 1, rows: Math.max(1, n), w: 0, h: 0 };
	for (let cols = 1; cols <= Math.max(1, n); cols++) {
		const rows = Math.ceil(n / cols);
		const h = Math.min(height / rows, width / cols / aspect);
		if (h > best.h) best = { cols, rows, w: h * aspect, h };
	}
	return best;
}

/** The closed Catmull–Rom curve through `points` as an SVG path of cubic Béziers. */
export function closedCurvePath(points: readonly (readonly [number, number])[]): string {
	const n = points.length;
	const at = (i: number): readonly [number, number] => points[(i + n) % n];
	const r = (v: number): string => String(Math.round(v * 10) / 10);
	let d = `M${r(points[0][0])} ${r(points[0][1])}`;
	for (let i = 0; i < n; i++) {
		const [p0, p1, p2, p3] = [at(i - 1), at(i), at(i + 1), at(i + 2)];
		const c1x = p1[0] + (p2[0] - p0[0]) / 6;
		const c1y = p1[1] + (p2[1] - p0[1]) / 6;
		const c2x = p2[0] - (p3[0] - p1[0]) / 6;
		const c2y = p2[1] - (p3[1] - p1[1]) / 6;
		d += `C${r(c1x)} ${r(c1y)} ${r(c2x)} ${r(c2y)} ${r(p2[0])} ${r(p2[1])}`;
	}
	return d + 'Z';
}

function fontFor(cellH: number, cellW: number): number {
	return Math.max(10, Math.min(22, cellH * 0.3, cellW * 0.28));
}

/** Shapes of every device in a `width` × `height` box; devices tile it left to right. */
export function deviceShapes(devices: readonly SensorDevice[], width: number, height: number): DeviceShape[] {
	if (devices.length === 0 || width <= 0 || height <= 0) return [];
	const feet = devices[0].kind === 'feet';
	const gridCells = Math.max(1, ...devices.map((d) => d.cells.length));
	const gridPack = packTiles(gridCells, 1, 1, GRID_CELL_ASPECT);
	// A tile's aspect without its fixed-size labels: two feet and the gap between; or its grid.
	const aspect = feet ? 2 * FOOT_ASPECT + 0.1 : (gridPack.cols * GRID_CELL_ASPECT) / gridPack.rows;
	const tiles = packTiles(devices.length, width, height, aspect);
	const tileW = width / tiles.cols;
	const tileH = height / tiles.rows;
	return devices.map((device, k) => {
		const x0 = (k % tiles.cols) * tileW;
		const y0 = Math.floor(k / tiles.cols) * tileH;
		const shape: DeviceShape = { name: device.name, kind: device.kind, nameX: x0 + tileW / 2, nameY: y0 + NAME_PX - 4, feet: [], cells: [] };
		const top = y0 + NAME_PX;
		if (device.kind === 'feet') {
			const footH = Math.max(0, Math.min(tileH - NAME_PX - SIDE_PX - GAP_PX, (tileW - 3 * GAP_PX) / (2 * FOOT_ASPECT + 0.1)));
			const footW = footH * FOOT_ASPECT;
			const gap = Math.max(GAP_PX, footH * 0.1);
			const left = x0 + (tileW - 2 * footW - gap) / 2;
			(['left', 'right'] as const).forEach((side, s) => {
				const fx = left + s * (footW + gap);
				const mirror = (u: number): number => (side === 'left' ? u : 1 - u);
				const place = (u: number, v: number): [number, number] => [fx + mirror(u) * footW, top + v * footH];
				shape.feet.push({
					side,
					path: closedCurvePath(FOOT_OUTLINE.map(([u, v]) => place(u, v))),
					labelX: fx + footW / 2,
					labelY: top + footH + SIDE_PX - 2
				});
			});
			for (const cell of device.cells) {
				if (!cell.side || !cell.region) continue;
				const box = REGION_BOXES[cell.region];
				const s = cell.side === 'left' ? 0 : 1;
				const cx = left + s * (footW + gap) + (cell.side === 'left' ? box.cx : 1 - box.cx) * footW;
				const w = box.w * footW;
				const h = box.h * footH;
				shape.cells.push({ index: cell.index, label: cell.label, side: cell.side, kind: 'ellipse', cx, cy: top + box.cy * footH, w, h, font: fontFor(h, w) });
			}
		} else {
			const inner = packTiles(device.cells.length, tileW - GAP_PX, tileH - NAME_PX - GAP_PX, GRID_CELL_ASPECT);
			const left = x0 + (tileW - inner.cols * inner.w) / 2;
			device.cells.forEach((cell, i) => {
				const w = inner.w - 4;
				const h = inner.h - 4;
				const cx = left + (i % inner.cols) * inner.w + inner.w / 2;
				const cy = top + Math.floor(i / inner.cols) * inner.h + inner.h / 2;
				shape.cells.push({ index: cell.index, label: cell.label, kind: 'rect', cx, cy, w, h, font: fontFor(h, w) });
			});
		}
		return shape;
	});
}
