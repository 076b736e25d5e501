// Helpers for detector tests (imported only by *.test.ts files).
import { Random } from '../sources/simulator/random';
import type { Detector } from './detector';

/** Gaussian noise around `level` with σ = `sigma`, seeded. */
export function noise(n: number, seed: number, level = 100, sigma = 1): Float64Array {
	const rng = new Random(seed);
	const out = new Float64Array(n);
	for (let i = 0; i < n; i++) out[i] = level + sigma * rng.normal();
	return out;
}

/** A random walk (a price) with steps of σ = `sigma`, seeded. */
export function walk(n: number, seed: number, start = 100, sigma = 0.05): Float64Array {
	const rng = new Random(seed);
	const out = new Float64Array(n);
	let v = start;
	for (let i = 0; i < n; i++) out[i] = v += sigma * rng.normal();
	return out;
}

/** Adds `delta` to every value from index `at` on (a level shift), in place. */
export function shiftFrom(values: Float64Array, at: number, delta: number): Float64Array {
	for (let i = at; i < values.length; i++) values[i] += delta;
	return values;
}

/** Adds a ramp rising by `perTick` per tick from `at` on (a drift), in place. */
export function driftFrom(values: Float64Array, at: number, perTick: number): Float64Array {
	for (let i = at; i < values.length; i++) values[i] += (i - at + 1) * perTick;
	return values;
}

/** Multiplies deviations from `level` by `factor` from `at` on (a variance change), in place. */
export function widenFrom(values: Float64Array, at: number, factor: number, level = 100): Float64Array {
	for (let i = at; i < values.length; i++) values[i] = level + (values[i] - level) * factor;
	return values;
}

/** Feeds every value (one tick per second) and returns the scores. */
export function scoresOf(detector: Detector, values: Float64Array): Float64Array {
	const out = new Float64Array(values.length);
	for (let i = 0; i < values.length; i++) out[i] = detector.update(i * 1000, values[i]);
	return out;
}

/** Indices whose score is at or above the detector's threshold. */
export function flagged(detector: Detector, scores: Float64Array, from = 0, to = scores.length): number[] {
	const out: number[] = [];
	for (let i = from; i < to; i++) if (scores[i] >= detector.threshold) out.push(i);
	return out;
}

/** The first flagged index at or after `from`, or −1. */
export function firstFlag(detector: Detector, scores: Float64Array, from: number): number {
	for (let i = from; i < scores.length; i++) if (scores[i] >= detector.threshold) return i;
	return -1;
}
