import { SCALE_RGBA32, scaleIndex } from './colour-scale';
import type { HeatmapGrid } from './heatmap';

/**
 * Writes the grid as pixels, one per cell, into `pixels` (a Uint32Array view of an ImageData's
 * bytes, `grid.capacity` pixels wide and `grid.rows` high): each cell takes its row's min–max
 * position on the colour scale; an empty cell is transparent so the background drawn under it
 * shows. Only the first `grid.cols` columns are written.
 */
export function paintGrid(grid: HeatmapGrid, pixels: Uint32Array): void {
	const { rows, cols, capacity, values, lo, hi } = grid;
	for (let r = 0; r < rows; r++) {
		const min = lo[r];
		const max = hi[r];
		for (let k = r * capacity, end = k + cols; k < end; k++) {
			const index = scaleIndex(values[k], min, max);
			// 0 is transparent black, whatever the byte order.
			pixels[k] = index < 0 ? 0 : SCALE_RGBA32[index];
		}
	}
}
