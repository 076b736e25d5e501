import { expect, it } from 'vitest';
import { driftFrom, firstFlag, flagged, noise, scoresOf, shiftFrom } from './detector-testing';
import { cusumFactory } from './cusum';

it('finds a 1.5σ shift that no single tick shows, within about h / (δ − k) ticks, once', () => {
	const detector = cusumFactory.create({ kind: 'value' });
	const scores = scoresOf(detector, shiftFrom(noise(4000, 1), 2000, 1.5));
	expect(flagged(detector, scores, 0, 2000)).toEqual([]);
	const first = firstFlag(detector, scores, 2000);
	// h = 12 at the default sensitivity, δ − k = 1: about 12 ticks.
	expect(first).toBeGreaterThan(2000);
	expect(first).toBeLessThan(2040);
	// The reference moves to the new level: one alarm, not one per tick.
	expect(flagged(detector, scores, 2000).length).toBeLessThanOrEqual(2);
});

it('finds a slow drift of 0.02σ per tick', () => {
	const detector = cusumFactory.create({ kind: 'value' });
	const scores = scoresOf(detector, driftFrom(noise(4000, 2), 2000, 0.02));
	const first = firstFlag(detector, scores, 0);
	expect(first).toBeGreaterThan(2000);
	expect(first).toBeLessThan(2200);
});

it('stays quiet on 20,000 ticks of clean noise', () => {
	const detector = cusumFactory.create({ kind: 'value' });
	expect(flagged(detector, scoresOf(detector, noise(20_000, 3))).length).toBe(0);
});
