import { expect, it } from 'vitest';
import { firstFlag, flagged, noise, scoresOf, shiftFrom } from './detector-testing';
import { RollingMedianDetector, medianFactory } from './rolling-median';

it('flags every spike of a burst: earlier outliers do not widen its scale', () => {
	const detector = medianFactory.create({ kind: 'value' });
	const values = noise(3000, 1);
	const spikes = [1500, 1503, 1507, 1510, 1512, 1516, 1520, 1525];
	for (const at of spikes) values[at] += 10;
	expect(flagged(detector, scoresOf(detector, values))).toEqual(spikes);
});

it('flags a 10σ level shift on its first tick and is quiet once the window holds the new level', () => {
	const detector = medianFactory.create({ kind: 'value' });
	const scores = scoresOf(detector, shiftFrom(noise(3000, 2), 1000, 10));
	expect(firstFlag(detector, scores, 500)).toBe(1000);
	expect(flagged(detector, scores, 1200).length).toBe(0);
});

it('expects the median and keeps the band robust on integer data with many ties', () => {
	const detector = new RollingMedianDetector();
	const values = Float64Array.from(noise(1000, 3), (v) => Math.round((v - 100) * 0.3));
	const scores = scoresOf(detector, values);
	expect(detector.expected === 0).toBe(true);
	expect(detector.upper).toBeGreaterThan(detector.lower);
	expect(flagged(detector, scores).length).toBeLessThan(5);
});
