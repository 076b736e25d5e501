import { describe, expect, it } from 'vitest';
import { Random } from './random';

function draws(seed: number, n: number): number[] {
	const rng = new Random(seed);
	return Array.from({ length: n }, () => rng.next());
}

describe('Random', () => {
	it('repeats its stream for the same seed and differs for another', () => {
		expect(draws(7, 100)).toEqual(draws(7, 100));
		expect(draws(7, 100)).not.toEqual(draws(8, 100));
	});

	it('next() stays in [0, 1) with mean about ½', () => {
		const xs = draws(1, 100_000);
		expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
		expect(Math.max(...xs)).toBeLessThan(1);
		const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
		// sd of the mean of 1e5 uniforms ≈ 0.0009; 0.005 is > 5 sd.
		expect(Math.abs(mean - 0.5)).toBeLessThan(0.005);
	});

	it('normal() has mean 0 and sd 1', () => {
		const rng = new Random(3);
		const n = 100_000;
		let sum = 0;
		let sumSq = 0;
		for (let i = 0; i < n; i++) {
			const z = rng.normal();
			sum += z;
			sumSq += z * z;
		}
		const mean = sum / n;
		const sd = Math.sqrt(sumSq / n - mean * mean);
		expect(Math.abs(mean)).toBeLessThan(0.02);
		expect(Math.abs(sd - 1)).toBeLessThan(0.02);
	});
});
