import { describe, expect, it } from 'vitest';
import { windowChange } from './window-change';

const f = (...v: number[]) => Float64Array.from(v);

describe('windowChange', () => {
	it('is the newest minus the oldest value, with the share of the oldest', () => {
		const c = windowChange(f(100, 90, 105), 2)!;
		expect(c.first).toBe(100);
		expect(c.last).toBe(105);
		expect(c.change).toBe(5);
		expect(c.fraction).toBeCloseTo(0.05);
		expect(c.direction).toBe('up');
		expect(windowChange(f(-50, -60), 0)).toMatchObject({ change: -10, fraction: -0.2, direction: 'down' });
	});
	it('skips values that are not finite at either end', () => {
		expect(windowChange(f(NaN, 10, 12, NaN), 0)).toMatchObject({ first: 10, last: 12, change: 2 });
	});
	it('calls a change that rounds to zero at the shown places flat', () => {
		expect(windowChange(f(1.001, 1.004), 2)!.direction).toBe('flat');
		expect(windowChange(f(1.001, 1.006), 2)!.direction).toBe('up');
		expect(windowChange(f(3, 3), 0)!.direction).toBe('flat');
	});
	it('gives no percentage of a window starting at 0, and nothing without values', () => {
		expect(windowChange(f(0, 4), 0)!.fraction).toBeNull();
		expect(windowChange(f(), 2)).toBeNull();
		expect(windowChange(f(NaN), 2)).toBeNull();
	});
});
