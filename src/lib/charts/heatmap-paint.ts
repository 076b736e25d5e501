import { SCALE_RGB, scaleIndex } from './colour-scale';
import type { HeatmapGrid } from './heatmap';

/**
 * Writes the grid as pixels, one per cell, into `data` (an ImageData's bytes, `grid.capacity`
 * pixels wide and `grid.rows` high): each cell takes its row's min–max position on the colour
 * scale; an empty cell stays transparent so the background drawn under it shows. Only the first
 * `grid.cols` columns are written.
 */
export function paintGrid(grid: HeatmapGrid, data: Uint8ClampedArray): void {
	const { rows, cols, capacity, values, lo, hi } = grid;
	for (let r = 0; r < rows; r++) {
		const min = lo[r];
		const max = hi[r];
		for (let k = r * capacity, end = k + cols; k < end; k++) {
			const p = 4 * k;
			const index = scaleIndex(values[k], min, max);
			if (index < 0) {
				data[p + 3] = 0;
				continue;
			}
			data[p] = SCALE_RGB[3 * index];
			data[p + 1] = SCALE_RGB[3 * index + 1];
			data[p + 2] = SCALE_RGB[3 * index + 2];
			data[p + 3] = 255;
		}
	}
}
