import { expect, it } from 'vitest';
import { firstFlag, flagged, noise, scoresOf, shiftFrom } from './detector-testing';
import { ZScoreDetector, zscoreFactory } from './zscore';

it('flags a 9σ spike on its tick and nothing on the clean noise around it', () => {
	const detector = zscoreFactory.create({ kind: 'value' });
	const values = noise(3000, 1);
	values[1500] += 9;
	expect(flagged(detector, scoresOf(detector, values))).toEqual([1500]);
});

it('flags a 10σ level shift on its first tick, then adapts', () => {
	const detector = zscoreFactory.create({ kind: 'value' });
	const scores = scoresOf(detector, shiftFrom(noise(3000, 2), 1200, 10));
	expect(firstFlag(detector, scores, 1000)).toBe(1200);
	expect(flagged(detector, scores, 1400).length).toBe(0);
});

it('band is the mean ± the |z| of the threshold times σ', () => {
	const detector = new ZScoreDetector();
	scoresOf(detector, noise(1000, 3, 10, 2));
	expect(detector.expected).toBeCloseTo(10, 0);
	// 6σ at the default threshold, σ ≈ 2.
	expect(detector.upper - detector.expected).toBeGreaterThan(10);
	expect(detector.upper - detector.expected).toBeLessThan(14);
});
