import { expect, it } from 'vitest';
import { Random } from '../sources/simulator/random';
import { RollingOrderStatistics } from './order-statistics';

it('selects exactly like sorting the last w values, ties included', () => {
	const rng = new Random(1);
	for (const w of [1, 2, 7, 64]) {
		const stats = new RollingOrderStatistics(w);
		const seen: number[] = [];
		for (let i = 0; i < 2000; i++) {
			const x = rng.next() < 0.4 ? rng.int(4) : rng.normal();
			stats.push(x);
			seen.push(x);
			const window = seen.slice(-w).sort((a, b) => a - b);
			expect(stats.length).toBe(window.length);
			for (let k = 0; k < window.length; k++) expect(stats.select(k)).toBe(window[k]);
		}
	}
});

it('interpolates quantiles and forgets everything on clear', () => {
	const stats = new RollingOrderStatistics(5);
	for (const x of [5, 1, 4, 2, 3]) stats.push(x);
	expect(stats.quantile(0.5)).toBe(3);
	expect(stats.quantile(0.125)).toBe(1.5);
	expect(stats.newest).toBe(3);
	stats.clear();
	expect(stats.length).toBe(0);
	expect(stats.select(0)).toBeNaN();
});
