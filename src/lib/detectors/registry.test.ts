import { describe, expect, it } from 'vitest';
import { Random } from '../sources/simulator/random';
import type { DetectorFactory } from './detector';
import { noise, scoresOf, shiftFrom, walk, widenFrom } from './detector-testing';
import { DETECTORS, detectorFactory } from './registry';

const SENSITIVITIES = [0, 0.25, 0.5, 0.75, 1];

/** Noise with a bit of everything: spikes, a shift, a wider stretch. */
function eventful(seed: number): Float64Array {
	const values = noise(3000, seed);
	values[800] += 9;
	values[1500] -= 12;
	shiftFrom(values, 2000, 5);
	widenFrom(values, 2500, 4, 105);
	return values;
}

it('lists the ensemble first and falls back to it for unknown names', () => {
	expect(DETECTORS[0].name).toBe('ensemble');
	expect(new Set(DETECTORS.map((f) => f.name)).size).toBe(DETECTORS.length);
	for (const f of DETECTORS) expect(detectorFactory(f.name)).toBe(f);
	expect(detectorFactory('no-such-detector').name).toBe('ensemble');
});

describe.each(DETECTORS.map((f) => [f.name, f] as [string, DetectorFactory]))('%s', (_name, factory) => {
	it('scores in [0, 1] and 0 during warm-up, even on a wild first stretch', () => {
		for (const kind of ['value', 'price', 'volume'] as const) {
			const detector = factory.create({ kind });
			const values = kind === 'price' ? walk(2000, 1) : eventful(1);
			values[10] *= 50;
			const scores = scoresOf(detector, values);
			for (let i = 0; i < 25; i++) expect(scores[i]).toBe(0);
			for (const s of scores) expect(s >= 0 && s <= 1).toBe(true);
		}
	});

	it('never scores NaN: constant, huge, tiny, a 1e12 jump, and non-finite ticks', () => {
		const cases: Float64Array[] = [
			new Float64Array(500).fill(42),
			new Float64Array(500).fill(0),
			noise(500, 2, 1e15, 1e12),
			noise(500, 3, 1e-15, 1e-18),
			shiftFrom(noise(500, 4), 300, 1e12),
			Float64Array.from(noise(500, 5), (v, i) => (i === 200 ? NaN : i === 250 ? Infinity : v))
		];
		for (const kind of ['value', 'price', 'volume'] as const) {
			for (const values of cases) {
				const detector = factory.create({ kind });
				for (const s of scoresOf(detector, values)) expect(s >= 0 && s <= 1).toBe(true);
				expect(Number.isNaN(detector.expected)).toBe(false);
			}
		}
	});

	it('flags a 1e12 jump within a few ticks, whatever the kind', () => {
		// On prices a jump is one big step, not a run of them: the CUSUM of steps rightly ignores it.
		const kinds = factory.name === 'cusum' ? (['value', 'sensor'] as const) : (['value', 'sensor', 'price'] as const);
		for (const kind of kinds) {
			const detector = factory.create({ kind });
			const values = kind === 'price' ? walk(600, 12) : noise(600, 12);
			const scores = scoresOf(detector, shiftFrom(values, 400, 1e12));
			const first = scores.findIndex((s, i) => i >= 400 && s >= detector.threshold);
			expect(first, kind).toBeGreaterThanOrEqual(400);
			expect(first, kind).toBeLessThan(410);
		}
	});

	it('reset forgets everything: scores after reset equal a fresh detector’s', () => {
		for (const kind of ['value', 'price'] as const) {
			const used = factory.create({ kind });
			scoresOf(used, eventful(6));
			used.reset();
			const after = scoresOf(used, eventful(7));
			const fresh = scoresOf(factory.create({ kind }), eventful(7));
			expect(Array.from(after)).toEqual(Array.from(fresh));
		}
	});

	it('higher sensitivity never flags fewer ticks', () => {
		for (let t = 1; t < SENSITIVITIES.length; t++) {
			expect(factory.thresholdFor(SENSITIVITIES[t])).toBeLessThanOrEqual(factory.thresholdFor(SENSITIVITIES[t - 1]));
		}
		for (const seed of [8, 9]) {
			let before = -1;
			for (const sensitivity of SENSITIVITIES) {
				const detector = factory.create({ kind: 'value', sensitivity });
				const scores = scoresOf(detector, eventful(seed));
				const count = scores.filter((s) => s >= detector.threshold).length;
				expect(count).toBeGreaterThanOrEqual(before);
				before = count;
			}
		}
	});

	it('keeps most ordinary values inside its band', () => {
		const detector = factory.create({ kind: 'value' });
		const values = noise(4000, 10);
		let inside = 0;
		let judged = 0;
		for (let i = 0; i < values.length; i++) {
			detector.update(i * 1000, values[i]);
			if (i < 1000) continue;
			judged++;
			if (values[i] >= detector.lower && values[i] <= detector.upper) inside++;
			expect(detector.lower).toBeLessThanOrEqual(detector.upper);
		}
		expect(inside / judged).toBeGreaterThan(0.95);
	});
});

it('every detector stays finite and in [0, 1] over 1e6 updates', () => {
	const rng = new Random(11);
	const values = new Float64Array(1_000_000);
	let level = 50;
	for (let i = 0; i < values.length; i++) {
		if (i % 50_000 === 0) level += 20 * rng.normal();
		values[i] = level + rng.normal() + (rng.next() < 1e-4 ? 30 : 0);
	}
	for (const factory of DETECTORS) {
		const detector = factory.create({ kind: 'sensor' });
		let bad = 0;
		for (let i = 0; i < values.length; i++) {
			const s = detector.update(i * 100, values[i]);
			if (!(s >= 0 && s <= 1)) bad++;
		}
		expect(bad, factory.name).toBe(0);
		expect(Number.isFinite(detector.expected), factory.name).toBe(true);
	}
});
