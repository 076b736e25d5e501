import { describe, expect, it } from 'vitest';
import { Random } from '../sources/simulator/random';
import { LogScaled, signedLog1p } from './log-scaled';
import { RollingZScore } from './rolling-zscore';

describe('LogScaled', () => {
	it('is symmetric and invertible through `expected`', () => {
		expect(signedLog1p(0)).toBe(0);
		expect(signedLog1p(-9)).toBeCloseTo(-Math.log(10));
		const detector = new LogScaled(new RollingZScore({ mode: 'level', window: 50, warmup: 20 }));
		for (let k = 0; k < 60; k++) detector.update(k, 99);
		expect(detector.expected).toBeCloseTo(99, 6);
	});

	it('flags far-out trade sizes but not the ordinary heavy tail of log-normal volumes', () => {
		const rng = new Random(4);
		const raw = new RollingZScore({ mode: 'level' });
		const logged = new LogScaled(new RollingZScore({ mode: 'level' }));
		let rawFlags = 0;
		let logFlags = 0;
		for (let k = 0; k < 50_000; k++) {
			const volume = Math.round(200 * Math.exp(0.8 * rng.normal())) + 1;
			if (raw.update(k, volume) >= raw.threshold) rawFlags++;
			if (logged.update(k, volume) >= logged.threshold) logFlags++;
		}
		expect(rawFlags).toBeGreaterThan(20);
		expect(logFlags).toBeLessThan(3);
		// A size 1,000× the usual is still caught.
		expect(logged.update(50_000, 200_000)).toBeGreaterThanOrEqual(logged.threshold);
	});
});
