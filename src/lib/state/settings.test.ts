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
		const q = new URLSearchParams('scenario=gait&seed=7&series=20&rate=50&anomalies=abc&speed=60&extra=1');
		expect(simulatorFromQuery(q)).toEqual({ scenario: 'gait', seed: 7, count: 20, ticksPerSecond: 50, speed: 60 });
		expect(simulatorFromQuery(new URLSearchParams('scenario=moon&count=0&rate=-1'))).toEqual({});
		const rates = simulatorFromQuery(new URLSearchParams('anomalies=30')).anomalyRates;
		expect(rates?.spike).toBe(30);
		expect(rates?.['sensor-failure']).toBe(30);
		expect(simulatorFromQuery(new URLSearchParams('sim=off'))).toEqual({ enabled: false });
	});
});
