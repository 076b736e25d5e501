import { describe, expect, it } from 'vitest';
import { ChartWindow } from './chart-window';

const run = (from: number, n: number) => Float64Array.from({ length: n }, (_, i) => from + i);

describe('ChartWindow', () => {
	it('keeps exactly the newest `size` points across many wraps', () => {
		const w = new ChartWindow(10);
		let next = 0;
		for (const k of [3, 4, 7, 1, 9, 2, 5, 8, 6]) {
			w.append(run(next, k), run(next, k).map((x) => x * 10));
			next += k;
			const want = Math.min(next, 10);
			expect(Array.from(w.xs)).toEqual(Array.from(run(next - want, want)));
			expect(Array.from(w.ys)).toEqual(Array.from(run(next - want, want).map((x) => x * 10)));
		}
		expect(w.length).toBe(10);
	});

	it('replaces with the newest points when given more than fit', () => {
		const w = new ChartWindow(5);
		w.append(run(0, 3), run(0, 3));
		w.replace(run(100, 8), run(200, 8));
		expect(Array.from(w.xs)).toEqual([103, 104, 105, 106, 107]);
		expect(Array.from(w.ys)).toEqual([203, 204, 205, 206, 207]);
	});

	it('resizes keeping the newest points', () => {
		const w = new ChartWindow(6);
		w.append(run(0, 6), run(0, 6));
		w.resize(3);
		expect(Array.from(w.xs)).toEqual([3, 4, 5]);
		w.resize(50);
		w.append(run(6, 2), run(6, 2));
		expect(Array.from(w.xs)).toEqual([3, 4, 5, 6, 7]);
	});
});

describe('ChartWindow band columns', () => {
	it('keeps every column aligned with time, and fills columns not given with NaN', () => {
		const w = new ChartWindow(4);
		w.append(run(0, 3), run(10, 3), run(20, 3), run(30, 3));
		w.append(run(3, 2), run(13, 2));
		expect(Array.from(w.xs)).toEqual([1, 2, 3, 4]);
		expect(Array.from(w.column(2)).slice(0, 2)).toEqual([21, 22]);
		expect(w.column(3).slice(2).every(Number.isNaN)).toBe(true);
	});
});
