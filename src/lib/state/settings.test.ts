import { describe, expect, it } from 'vitest';
import { clampWindow, simulatorFromQuery } from './settings';

describe('settings', () => {
	it('clamps the chart window to 50..100000', () => {
		expect(clampWindow(10)).toBe(50);
		expect(clampWindow(1e9)).toBe(100_000);
		expect(clampWindow(1234.4)).toBe(1234);
		expect(clampWindow(Number.NaN)).toBe(400);
	});

	it('reads simulator settings from the query and ignores junk', () => {
		const q = new URLSearchParams('seed=7&series=20&rate=50&anomalies=abc&extra=1');
		expect(simulatorFromQuery(q)).toEqual({ seed: 7, seriesCount: 20, ticksPerSecond: 50 });
		expect(simulatorFromQuery(new URLSearchParams('series=0&rate=-1'))).toEqual({});
	});
});
