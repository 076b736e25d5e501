import { describe, expect, it } from 'vitest';
import { Random } from '../sources/simulator/random';
import { RollingZScore } from './rolling-zscore';

/** Indices whose score reaches the detector's threshold. */
function flagged(detector: RollingZScore, values: ArrayLike<number>): number[] {
	const hits: number[] = [];
	for (let k = 0; k < values.length; k++) {
		const score = detector.update(k * 100, values[k]);
		expect(Number.isFinite(score)).toBe(true);
		if (score >= detector.threshold) hits.push(k);
	}
	return hits;
}

/** Seeded random walk from 100 with N(0, 0.05²) steps. */
function randomWalk(seed: number, n: number): Float64Array {
	const rng = new Random(seed);
	const v = new Float64Array(n);
	v[0] = 100;
	for (let k = 1; k < n; k++) v[k] = v[k - 1] + 0.05 * rng.normal();
	return v;
}

/** Seeded white noise around 50 with sd 1. */
function noise(seed: number, n: number): Float64Array {
	const rng = new Random(seed);
	return Float64Array.from({ length: n }, () => 50 + rng.normal());
}

describe('RollingZScore, delta mode', () => {
	it('flags a spike and a level shift exactly where they are, not the spike’s return', () => {
		const v = randomWalk(11, 3000);
		v[800] += 0.6; // 12 σ of the step, this tick only
		for (let k = 1800; k < v.length; k++) v[k] -= 0.5; // 10 σ, stays
		expect(flagged(new RollingZScore(), v)).toEqual([800, 1800]);
	});

	it('still flags a second spike soon after the first (winsorised stats are not blinded)', () => {
		const v = randomWalk(12, 1500);
		v[600] += 1.5; // 30 σ: fed raw, it would lift the window std to ~2.3 σ
		v[640] -= 0.5; // 10 σ, 40 ticks later: inside the window that saw the first
		expect(flagged(new RollingZScore(), v)).toEqual([600, 640]);
	});

	it('scores 0 during warm-up, even for a huge step', () => {
		const v = randomWalk(13, 400);
		v[50] += 100;
		const detector = new RollingZScore({ window: 200 });
		for (let k = 0; k <= 200; k++) expect(detector.update(k, v[k])).toBe(0);
		expect(detector.update(201, v[201])).toBeGreaterThan(0);
	});

	it('expects the previous value plus the mean step', () => {
		const detector = new RollingZScore({ window: 10, warmup: 5 });
		for (let k = 0; k < 30; k++) detector.update(k, 2 * k); // steps of exactly 2
		detector.update(30, 60);
		expect(detector.expected).toBeCloseTo(60, 9);
		detector.update(31, 70);
		expect(detector.expected).toBeCloseTo(62, 9);
	});

	it('stays calibrated after 1e6 updates (sums recomputed from the ring)', () => {
		const rng = new Random(14);
		const detector = new RollingZScore();
		let v = 1e6;
		for (let k = 0; k < 1_000_000; k++) {
			v += 0.01 * rng.normal();
			detector.update(k, v);
		}
		expect(detector.update(1e6, v)).toBeLessThan(0.5); // a zero step, about 0 σ
		expect(detector.update(1e6 + 1, v + 0.03)).toBeGreaterThan(2); // a 3 σ step
		expect(detector.update(1e6 + 2, v + 0.06)).toBeLessThan(4);
	});

	it('starts over after reset()', () => {
		const detector = new RollingZScore({ window: 20 });
		flagged(detector, randomWalk(15, 100));
		detector.reset();
		expect(Number.isNaN(detector.expected)).toBe(true);
		for (let k = 0; k <= 20; k++) expect(detector.update(k, 1000 * k)).toBe(0);
	});
});

describe('RollingZScore, level mode', () => {
	it('flags a spike only at its tick and a level shift from its first tick', () => {
		const v = noise(21, 2000);
		v[700] += 12;
		for (let k = 1200; k < v.length; k++) v[k] += 15;
		const hits = flagged(new RollingZScore({ mode: 'level' }), v);
		expect(hits.filter((k) => k < 1200)).toEqual([700]);
		expect(hits[1]).toBe(1200);
	});

	it('expects the rolling mean', () => {
		const detector = new RollingZScore({ mode: 'level', window: 4, warmup: 4 });
		for (const x of [1, 2, 3, 4]) detector.update(0, x);
		detector.update(0, 10);
		expect(detector.expected).toBeCloseTo(2.5, 12);
	});

	it.each([0.1, 0.3, 1 / 3, 0, -7e6])('gives 0 (not NaN) on a constant %f and a large finite score when it moves', (c) => {
		// Early scoring (warmup 5) also covers the stretch before the first recompute.
		const detector = new RollingZScore({ mode: 'level', warmup: 5 });
		for (let k = 0; k < 1000; k++) expect(detector.update(k, c)).toBe(0);
		const score = detector.update(1000, c + 0.01);
		expect(Number.isFinite(score)).toBe(true);
		expect(score).toBeGreaterThan(1e3);
		expect(detector.expected).toBeCloseTo(c, 12);
	});

	it('gives 0 on a constant series in delta mode too', () => {
		const detector = new RollingZScore();
		for (let k = 0; k < 1000; k++) expect(detector.update(k, 42)).toBe(0);
		expect(detector.update(1000, 42.01)).toBeGreaterThan(1e3);
	});

	it('keeps precision on large values over 1e6 updates', () => {
		// Around 1e9 a naive Σx² loses every digit of a unit variance (ulp of 2e20 ≈ 3e4).
		const rng = new Random(22);
		const detector = new RollingZScore({ mode: 'level' });
		for (let k = 0; k < 1_000_000; k++) detector.update(k, 1e9 + rng.normal());
		const score = detector.update(1e6, 1e9 + 3);
		expect(score).toBeGreaterThan(2.5);
		expect(score).toBeLessThan(3.5);
	});
});

describe('RollingZScore after a sustained level change', () => {
	it('adapts to the new level and does not flag the return to normal for a whole window', () => {
		const detector = new RollingZScore({ mode: 'level', window: 200, warmup: 50 });
		const rng = new Random(8);
		let flagsAfter = 0;
		let flagsDuring = 0;
		for (let k = 0; k < 3000; k++) {
			// 300 ticks raised by 20σ, then back to normal.
			const shifted = k >= 1000 && k < 1300;
			const score = detector.update(k, 100 + rng.normal() + (shifted ? 20 : 0));
			if (score < detector.threshold) continue;
			if (shifted) flagsDuring++;
			else if (k >= 1300) flagsAfter++;
		}
		expect(flagsDuring).toBeGreaterThan(0);
		// The change and the return are each flagged for a few ticks, not for hundreds.
		expect(flagsDuring).toBeLessThan(50);
		expect(flagsAfter).toBeLessThan(50);
	});
});
