import { expect, it } from 'vitest';
import { firstFlag, flagged, noise, scoresOf, widenFrom } from './detector-testing';
import { entropyFactory } from './relative-entropy';

it('flags noise turning four times wider (slowly: the range, hence the bins, widens with it)', () => {
	const detector = entropyFactory.create({ kind: 'value' });
	const scores = scoresOf(detector, widenFrom(noise(4000, 1), 3000, 4));
	const first = firstFlag(detector, scores, 2500);
	expect(first).toBeGreaterThanOrEqual(3000);
	expect(first).toBeLessThan(3200);
});

it('flags a series going flat (the art_daily_flatmiddle kind of anomaly)', () => {
	const detector = entropyFactory.create({ kind: 'value' });
	const values = noise(4000, 2);
	values.fill(100.5, 3000, 3300);
	const first = firstFlag(detector, scoresOf(detector, values), 2500);
	expect(first).toBeGreaterThanOrEqual(3000);
	expect(first).toBeLessThan(3052);
});

it('learns the patterns of clean noise and flags few of its windows', () => {
	const detector = entropyFactory.create({ kind: 'value' });
	expect(flagged(detector, scoresOf(detector, noise(20_000, 3)), 2000).length).toBeLessThan(20);
});
