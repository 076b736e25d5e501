import { describe, expect, it } from 'vitest';
import { sparklinePoints } from './sparkline';

const f = (...v: number[]) => Float64Array.from(v);
const pairs = (points: Float32Array, count: number) => Array.from({ length: count }, (_, k) => [points[2 * k], points[2 * k + 1]]);

describe('sparklinePoints', () => {
	it('spreads time over the width and values over the height, highest at the top, 3 px inside the edges', () => {
		const { points, count } = sparklinePoints(f(0, 50, 100), f(10, 30, 20), 106, 46);
		expect(count).toBe(3);
		expect(pairs(points, count)).toEqual([
			[3, 43],
			[53, 3],
			[103, 23]
		]);
	});
	it('places by time, not by index (uneven ticks)', () => {
		const { points } = sparklinePoints(f(0, 90, 100), f(1, 2, 3), 106, 46);
		expect(points[2]).toBeCloseTo(93);
	});
	it('draws a flat window across the middle and a single tick at the right', () => {
		const flat = sparklinePoints(f(0, 10), f(5, 5), 106, 46);
		expect(pairs(flat.points, flat.count)).toEqual([
			[3, 23],
			[103, 23]
		]);
		const one = sparklinePoints(f(7), f(5), 106, 46);
		expect(pairs(one.points, one.count)).toEqual([[103, 23]]);
	});
	it('skips values that are not finite and has nothing to draw without values', () => {
		const { points, count } = sparklinePoints(f(0, 10, 20), f(1, NaN, 3), 106, 46);
		expect(count).toBe(2);
		expect(points[2]).toBe(103);
		expect(sparklinePoints(f(), f(), 100, 40).count).toBe(0);
		expect(sparklinePoints(f(0, 1), f(NaN, NaN), 100, 40).count).toBe(0);
	});
	it('reuses a buffer that is big enough, and grows one that is not', () => {
		const buffer = new Float32Array(10);
		expect(sparklinePoints(f(0, 1, 2), f(1, 2, 3), 100, 40, buffer).points).toBe(buffer);
		const grown = sparklinePoints(f(0, 1, 2, 3, 4, 5), f(1, 2, 3, 4, 5, 6), 100, 40, buffer).points;
		expect(grown).not.toBe(buffer);
		expect(grown.length).toBeGreaterThanOrEqual(12);
	});
});
