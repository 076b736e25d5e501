import { describe, expect, it } from 'vitest';
import { nearestIndex, paddedRange, pauses, timeExtent, widenByValues } from './multi-line-chart-data';
import { lowerBound } from './sorted-search';

const f = (...v: number[]) => Float64Array.from(v);

describe('lowerBound and nearestIndex', () => {
	const xs = f(10, 20, 20, 30);
	it('finds the first time at or after t, the end when none is', () => {
		expect(lowerBound(xs, 5)).toBe(0);
		expect(lowerBound(xs, 10)).toBe(0);
		expect(lowerBound(xs, 20)).toBe(1);
		expect(lowerBound(xs, 21)).toBe(3);
		expect(lowerBound(xs, 31)).toBe(4);
		expect(lowerBound(f(), 1)).toBe(0);
	});
	it('picks the nearest tick, the earlier one on a tie, -1 when empty', () => {
		expect(nearestIndex(xs, 0)).toBe(0);
		expect(nearestIndex(xs, 14)).toBe(0);
		expect(nearestIndex(xs, 15)).toBe(0);
		expect(nearestIndex(xs, 16)).toBe(1);
		expect(nearestIndex(xs, 99)).toBe(3);
		expect(nearestIndex(f(), 5)).toBe(-1);
	});
});

describe('widenByValues', () => {
	const xs = f(10, 20, 30, 40);
	const ys = f(5, NaN, -3, 8);
	it('takes the finite values whose time lies in [from, to], both edges included', () => {
		const acc: [number, number] = [Infinity, -Infinity];
		widenByValues(acc, xs, ys, 20, 30);
		expect(acc).toEqual([-3, -3]);
		widenByValues(acc, xs, ys, 40, 40);
		expect(acc).toEqual([-3, 8]);
	});
	it('leaves the accumulator alone when nothing is in range', () => {
		const acc: [number, number] = [Infinity, -Infinity];
		widenByValues(acc, xs, ys, 41, 50);
		widenByValues(acc, xs, ys, 21, 29);
		expect(acc).toEqual([Infinity, -Infinity]);
	});
	it('widens across series (a shared axis)', () => {
		const acc: [number, number] = [Infinity, -Infinity];
		widenByValues(acc, xs, ys, 0, 100);
		widenByValues(acc, f(15), f(100), 0, 100);
		expect(acc).toEqual([-3, 100]);
	});
});

describe('paddedRange', () => {
	it('pads by 8 % of the span', () => {
		const [lo, hi] = paddedRange(0, 100);
		expect(lo).toBeCloseTo(-8);
		expect(hi).toBeCloseTo(108);
	});
	it('gives a flat line a small span around it, and nothing [0, 1]', () => {
		const [lo, hi] = paddedRange(50, 50);
		expect(lo).toBeLessThan(50);
		expect(hi).toBeGreaterThan(50);
		expect(paddedRange(0, 0)[1]).toBeGreaterThan(0);
		expect(paddedRange(Infinity, -Infinity)).toEqual([0, 1]);
		expect(paddedRange(NaN, 1)).toEqual([0, 1]);
	});
});

describe('timeExtent', () => {
	it('spans the oldest and newest tick of all series, skipping empty ones', () => {
		expect(timeExtent([f(20, 30), f(), f(10, 25)])).toEqual({ from: 10, to: 30 });
	});
	it('is null with no ticks and a second wide around a single instant', () => {
		expect(timeExtent([f(), f()])).toBeNull();
		expect(timeExtent([f(1000)])).toEqual({ from: 500, to: 1500 });
	});
});

describe('pauses', () => {
	it('finds a pause longer than 10 typical intervals, and only that', () => {
		const xs = f(0, 10, 20, 30, 40, 50, 500, 510, 520, 530);
		expect(pauses(xs, 0, xs.length - 1)).toEqual([[5, 6]]);
	});
	it('keeps irregular but steady ticks whole', () => {
		const xs = f(0, 7, 20, 26, 40, 49, 60, 75, 80, 95);
		expect(pauses(xs, 0, xs.length - 1)).toEqual([]);
	});
	it('looks only within [idx0, idx1] and needs a few ticks to judge', () => {
		const xs = f(0, 1000, 1010, 1020, 1030, 1040);
		expect(pauses(xs, 1, 5)).toEqual([]);
		expect(pauses(f(0, 1, 100), 0, 2)).toEqual([]);
	});
});
