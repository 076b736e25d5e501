import { expect, it } from 'vitest';
import { flagged, noise, scoresOf } from './detector-testing';
import { RangeDetector, rangeFactory } from './range-extremes';

it('flags a value well beyond the highest seen, not one inside the range', () => {
	const detector = rangeFactory.create({ kind: 'value' });
	const values = noise(3000, 1);
	values[2000] = 110;
	values[2500] = 102;
	expect(flagged(detector, scoresOf(detector, values), 500)).toEqual([2000]);
});

it('scores 1 for any change of a series that was constant so far', () => {
	const detector = new RangeDetector();
	const values = new Float64Array(300).fill(7);
	values[250] = 7.001;
	expect(scoresOf(detector, values)[250]).toBe(1);
});

it('forgets slowly: after the series settles lower, a new high is unusual again', () => {
	const detector = new RangeDetector({ forgetTicks: 2000 });
	const values = noise(30_000, 2);
	values[1000] = 150;
	values[29_000] = 125;
	// Without forgetting, the range would still reach 150 and 125 would be inside it.
	expect(flagged(detector, scoresOf(detector, values), 20_000)).toContain(29_000);
});
