import type { RowWindow } from './row-window';

/** Event-level counts for one file: windows are the events, not rows. */
export interface EventCounts {
	/** Windows with at least one detection. */
	tp: number;
	/** Detections outside every window (later detections inside a window are not FPs). */
	fp: number;
	/** Windows without any detection. */
	fn: number;
	/** Per detected window: rows from its first row to its first detection (0 = on the first row). */
	delaysRows: number[];
}

export interface EventMetrics {
	tp: number;
	fp: number;
	fn: number;
	/** tp / (tp + fp); 0 when nothing was detected. */
	precision: number;
	/** tp / (tp + fn); 0 when there is no window. */
	recall: number;
	/** Harmonic mean of the two; 0 when both are 0. */
	f1: number;
	/** Median of the delays of all detected windows; NaN when no window was detected. */
	medianDelayRows: number;
}

/** Rows at or after fromRow whose score is ≥ threshold (NaN never is), ascending. */
export function rowsAtOrAbove(scores: Float64Array, threshold: number, fromRow = 0): Int32Array {
	let count = 0;
	for (let i = fromRow; i < scores.length; i++) if (scores[i] >= threshold) count++;
	const rows = new Int32Array(count);
	let k = 0;
	for (let i = fromRow; i < scores.length; i++) if (scores[i] >= threshold) rows[k++] = i;
	return rows;
}

/** Match ascending detection rows against sorted, disjoint windows (inclusive both ends). */
export function countEvents(detectedRows: ArrayLike<number>, windows: readonly RowWindow[]): EventCounts {
	const delaysRows: number[] = [];
	let fp = 0;
	let k = 0;
	let detectedK = -1;
	for (let d = 0; d < detectedRows.length; d++) {
		const row = detectedRows[d];
		if (d > 0 && row < detectedRows[d - 1]) throw new Error('countEvents: detections must be in ascending row order');
		while (k < windows.length && windows[k][1] < row) k++;
		if (k < windows.length && windows[k][0] <= row) {
			// Only the first detection in a window sets its delay; the rest are neither TP nor FP.
			if (detectedK !== k) {
				detectedK = k;
				delaysRows.push(row - windows[k][0]);
			}
		} else fp++;
	}
	const tp = delaysRows.length;
	return { tp, fp, fn: windows.length - tp, delaysRows };
}

/** Precision, recall, F1 and median delay over one file's counts or several pooled. */
export function eventMetrics(counts: EventCounts | readonly EventCounts[]): EventMetrics {
	const list: readonly EventCounts[] = Array.isArray(counts) ? counts : [counts as EventCounts];
	let tp = 0;
	let fp = 0;
	let fn = 0;
	const delays: number[] = [];
	for (const c of list) {
		tp += c.tp;
		fp += c.fp;
		fn += c.fn;
		for (const delay of c.delaysRows) delays.push(delay);
	}
	const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
	const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
	const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
	return { tp, fp, fn, precision, recall, f1, medianDelayRows: median(delays) };
}

function median(values: number[]): number {
	if (values.length === 0) return Number.NaN;
	const sorted = values.slice().sort((a, b) => a - b);
	const mid = sorted.length >> 1;
	return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
