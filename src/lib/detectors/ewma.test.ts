import { expect, it } from 'vitest';
import { firstFlag, flagged, noise, scoresOf, shiftFrom, widenFrom } from './detector-testing';
import { ewmaFactory } from './ewma';

it('flags a 9σ spike on its tick and nothing on the clean noise around it', () => {
	const detector = ewmaFactory.create({ kind: 'value' });
	const values = noise(3000, 1);
	values[2000] -= 9;
	expect(flagged(detector, scoresOf(detector, values))).toEqual([2000]);
});

it('flags a 10σ level shift at once and adapts within a few spans', () => {
	const detector = ewmaFactory.create({ kind: 'value' });
	const scores = scoresOf(detector, shiftFrom(noise(3000, 2), 1500, 10));
	expect(firstFlag(detector, scores, 1000)).toBe(1500);
	expect(flagged(detector, scores, 1700).length).toBe(0);
});

it('flags a fivefold wider noise within a few ticks', () => {
	const detector = ewmaFactory.create({ kind: 'value' });
	const scores = scoresOf(detector, widenFrom(noise(3000, 3), 1500, 5));
	const first = firstFlag(detector, scores, 1000);
	expect(first).toBeGreaterThanOrEqual(1500);
	expect(first).toBeLessThan(1520);
});
