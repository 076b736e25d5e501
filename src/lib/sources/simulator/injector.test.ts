import { describe, expect, it } from 'vitest';
import type { AnomalyKind, Truth } from '../../domain/anomaly';
import { Injector, type InjectorOptions } from './injector';

const TPS = 10;
const ALL: AnomalyKind[] = ['spike', 'level-shift', 'variance-burst', 'drift', 'stuck', 'dropout', 'sensor-failure'];

/** Feeds a flat clean signal (value 500, scale 2) through an injector; returns shown values and truths. */
function run(options: Partial<InjectorOptions>, ticks = 20_000) {
	const injector = new Injector({
		seed: 3,
		seriesCount: 1,
		ticksPerSecond: TPS,
		rates: {},
		kinds: ALL,
		warmupTicks: 60,
		persistent: false,
		quantum: 0.01,
		min: 0,
		max: 1023,
		...options
	});
	injector.scale[0] = 2;
	const truths: Truth[] = [];
	const shown = new Float64Array(ticks);
	for (let k = 0; k < ticks; k++) shown[k] = injector.apply(0, k * 100, 500, truths);
	return { shown, truths };
}

const only = (kind: AnomalyKind) => ({ rates: { [kind]: 200 } });

describe('Injector', () => {
	it('leaves a clean signal untouched when no rate is set', () => {
		const { shown, truths } = run({});
		expect(truths).toEqual([]);
		expect(shown.every((v) => v === 500)).toBe(true);
	});

	it('injects roughly at the configured rate, never during warm-up, and one at a time', () => {
		// 200 per hour at 10 ticks/s over 20,000 ticks (2,000 s): ~111 expected, fewer while one is active.
		const { truths } = run({ rates: { spike: 200 } });
		expect(truths.length).toBeGreaterThan(70);
		expect(truths.length).toBeLessThan(160);
		expect(truths.every((truth) => truth.t0 >= 60 * 100)).toBe(true);
	});

	it.each(ALL)('%s: the truth window covers exactly the ticks it altered', (kind) => {
		const { shown, truths } = run(only(kind));
		expect(truths.length).toBeGreaterThan(5);
		expect(truths.every((truth) => truth.kind === kind)).toBe(true);
		const inWindow = (k: number) => truths.some((truth) => k * 100 >= truth.t0 && k * 100 <= truth.t1);
		for (let k = 0; k < shown.length; k++) {
			if (!inWindow(k)) expect(shown[k]).toBe(500);
		}
		// The last stretch may run past the end of the run: check only whole ones.
		for (const truth of truths.filter((truth) => truth.t1 / 100 < shown.length - 1)) {
			const first = truth.t0 / 100;
			const last = truth.t1 / 100;
			const window = Array.from(shown.subarray(first, last + 1));
			switch (kind) {
				case 'spike':
					expect(window).toHaveLength(1);
					expect(Math.abs(window[0] - 500)).toBeGreaterThanOrEqual(8 * 2 - 0.01);
					break;
				case 'level-shift':
					// Temporary here (persistent: false): a constant offset for the whole stretch.
					expect(new Set(window).size).toBe(1);
					expect(Math.abs(window[0] - 500)).toBeGreaterThanOrEqual(15.99);
					expect(shown[last + 1]).toBe(500);
					break;
				case 'drift':
					expect(Math.abs(window.at(-1)! - 500)).toBeGreaterThan(Math.abs(window[0] - 500));
					break;
				case 'variance-burst':
					expect(new Set(window).size).toBeGreaterThan(window.length / 2);
					break;
				case 'stuck':
					// The clean value is constant here, so stuck shows that same value: nothing to see.
					expect(new Set(window)).toEqual(new Set([500]));
					break;
				case 'dropout':
					expect(window.every((v) => Number.isNaN(v))).toBe(true);
					break;
				case 'sensor-failure':
					expect([0, 1023]).toContain(window[0]);
					expect(new Set(window).size).toBe(1);
					break;
			}
			expect(truth.t1 - truth.t0).toBe((window.length - 1) * 100);
		}
	});

	it('keeps persistent level shifts and drifts in place afterwards', () => {
		const { shown, truths } = run({ ...only('level-shift'), persistent: true }, 4000);
		expect(truths.length).toBeGreaterThan(2);
		expect(truths.every((truth) => truth.t1 === truth.t0)).toBe(true);
		// The offsets add up: the last value is the start plus every jump.
		const first = truths[0].t0 / 100;
		expect(shown[first - 1]).toBe(500);
		expect(shown[first]).not.toBe(500);
		expect(shown[first + 1]).toBe(shown[first]);
	});

	it('freezes the last shown value while stuck, and clips to the range', () => {
		const injector = new Injector({
			seed: 5,
			seriesCount: 1,
			ticksPerSecond: TPS,
			rates: { stuck: 300 },
			kinds: ALL,
			warmupTicks: 0,
			persistent: false,
			quantum: 1,
			min: 0,
			max: 100
		});
		injector.scale[0] = 1;
		const truths: Truth[] = [];
		let stuckSeen = 0;
		for (let k = 0; k < 20_000; k++) {
			const v = injector.apply(0, k * 100, k % 250, truths);
			expect(v).toBeGreaterThanOrEqual(0);
			expect(v).toBeLessThanOrEqual(100);
			const open = truths.find((truth) => k * 100 >= truth.t0 && k * 100 <= truth.t1);
			if (open && k * 100 > open.t0) {
				stuckSeen++;
				expect(v).toBe(Math.min(100, (open.t0 / 100 - 1) % 250));
			}
		}
		expect(stuckSeen).toBeGreaterThan(100);
	});
});
