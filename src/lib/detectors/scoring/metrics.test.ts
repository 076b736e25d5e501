import { describe, expect, it } from 'vitest';
import { countEvents, eventMetrics, rowsAtOrAbove } from './metrics';
import type { RowWindow } from './row-window';

const WINDOWS: RowWindow[] = [
	[10, 19],
	[40, 49],
	[70, 79]
];

describe('countEvents', () => {
	it('counts windows, not detections: later hits in a window are neither TP nor FP', () => {
		// Window 1 hit at 12 (delay 2) then 15, 19; window 2 hit on its first row 40 (delay 0); window 3 missed.
		// 5 and 20 are outside every window (20 is one past the inclusive end 19): 2 FPs.
		const c = countEvents([5, 12, 15, 19, 20, 40], WINDOWS);
		expect(c).toEqual({ tp: 2, fp: 2, fn: 1, delaysRows: [2, 0] });
	});

	it('takes both window edges as inside', () => {
		expect(countEvents([10, 49, 79], WINDOWS)).toEqual({ tp: 3, fp: 0, fn: 0, delaysRows: [0, 9, 9] });
		expect(countEvents([9, 50, 80], WINDOWS)).toEqual({ tp: 0, fp: 3, fn: 3, delaysRows: [] });
	});

	it('handles no detections and no windows', () => {
		expect(countEvents([], WINDOWS)).toEqual({ tp: 0, fp: 0, fn: 3, delaysRows: [] });
		expect(countEvents([1, 2], [])).toEqual({ tp: 0, fp: 2, fn: 0, delaysRows: [] });
	});

	it('rejects detections out of order', () => {
		expect(() => countEvents([40, 12], WINDOWS)).toThrow(/ascending/);
	});
});

describe('eventMetrics', () => {
	it('computes precision, recall, F1 and the median delay for one file', () => {
		// tp 2, fp 2, fn 1: precision 2/4 = 0.5, recall 2/3, F1 = 2·0.5·0.6667/(1.1667) = 4/7; delays [2, 0] → 1.
		const m = eventMetrics(countEvents([5, 12, 15, 19, 20, 40], WINDOWS));
		expect(m.precision).toBe(0.5);
		expect(m.recall).toBeCloseTo(2 / 3, 12);
		expect(m.f1).toBeCloseTo(4 / 7, 12);
		expect(m.medianDelayRows).toBe(1);
	});

	it('pools several files before dividing', () => {
		// File A: tp 1 (delay 4), fp 0, fn 2. File B: tp 1 (delay 9), fp 3, fn 0; windows [0, 9].
		// Pooled tp 2, fp 3, fn 2 → precision 0.4, recall 0.5, F1 = 2·0.4·0.5/0.9 = 4/9; delays [4, 9] → 6.5.
		const a = countEvents([14], WINDOWS);
		const b = countEvents([9, 20, 30, 40], [[0, 9]]);
		const m = eventMetrics([a, b]);
		expect(m).toMatchObject({ tp: 2, fp: 3, fn: 2, precision: 0.4, recall: 0.5, medianDelayRows: 6.5 });
		expect(m.f1).toBeCloseTo(4 / 9, 12);
	});

	it('gives 0 for undefined ratios and NaN delay when nothing was detected', () => {
		const m = eventMetrics(countEvents([], WINDOWS));
		expect(m).toMatchObject({ precision: 0, recall: 0, f1: 0 });
		expect(m.medianDelayRows).toBeNaN();
		expect(eventMetrics([]).recall).toBe(0);
	});

	it('takes the middle delay of an odd count', () => {
		expect(eventMetrics(countEvents([17, 40, 75], WINDOWS)).medianDelayRows).toBe(5); // delays 7, 0, 5
	});
});

describe('rowsAtOrAbove', () => {
	it('lists rows with score ≥ threshold from a starting row, skipping NaN', () => {
		const scores = Float64Array.from([0.9, 0.5, 0.49, Number.NaN, 0.7]);
		expect(Array.from(rowsAtOrAbove(scores, 0.5))).toEqual([0, 1, 4]);
		expect(Array.from(rowsAtOrAbove(scores, 0.5, 1))).toEqual([1, 4]);
	});
});
