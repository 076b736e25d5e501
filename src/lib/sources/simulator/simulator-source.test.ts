import { describe, expect, it } from 'vitest';
import type { Truth } from '../../domain/anomaly';
import { TickBatch } from '../../domain/tick-batch';
import { defaultSimulatorSettings } from './settings';
import { MAX_BACKLOG_ADVANCES, MAX_TICKS_PER_ADVANCE, SimulatorSource } from './simulator-source';

const WALL = Date.UTC(2026, 10, 25, 12);

function source(count: number, ticksPerSecond: number, speed = 1) {
	const settings = { ...defaultSimulatorSettings(), scenario: 'markets' as const, count, ticksPerSecond, speed, anomalyRates: {} };
	return new SimulatorSource(settings, { wallNow: WALL, startAfter: () => 0 });
}

/** Advances every 10 ms of wall time from `from` to `to`; returns the newest tick time. */
function run(sim: SimulatorSource, from: number, to: number, step = 10): number {
	const batch = new TickBatch(4096);
	const truths: Truth[] = [];
	let newest = -Infinity;
	for (let wall = from + step; wall <= to; wall += step) {
		batch.clear();
		sim.advance(wall, batch, truths);
		for (let i = 0; i < batch.n; i++) newest = Math.max(newest, batch.t[i]);
	}
	return newest;
}

describe('SimulatorSource', () => {
	it('catches up after a stall instead of carrying the delay: tick times stay creation times', () => {
		// 100 instruments × 2 series × 500/s = 100,000 ticks/s: 1,000 per 10 ms advance.
		const sim = source(100, 500);
		run(sim, WALL, WALL + 1000);
		// The worker was busy for 300 ms: one advance may not cover it (2,000 ticks at most)...
		const batch = new TickBatch(4096);
		batch.clear();
		sim.advance(WALL + 1300, batch, []);
		expect(batch.n).toBeLessThanOrEqual(MAX_TICKS_PER_ADVANCE + 200);
		// ...but within a few hundred ms the simulator is back on the clock.
		const newest = run(sim, WALL + 1300, WALL + 1700);
		expect(WALL + 1700 - newest).toBeLessThan(30);
		expect(sim.now(WALL + 1700)).toBeGreaterThan(WALL + 1670);
	});

	it('under a rate it cannot make, slows simulated time with a bounded backlog', () => {
		// 100 instruments at 600× speed and 10/s: 1.2 M ticks/s asked, 200,000/s possible.
		const sim = source(100, 10, 600);
		run(sim, WALL, WALL + 10_000);
		const simulated = sim.now(WALL + 10_000) - WALL;
		// Far slower than 600 × 10 s, and no more than what the per-advance cap allows.
		expect(simulated).toBeLessThan(600 * 10_000 * 0.25);
		const maxStepMs = MAX_TICKS_PER_ADVANCE / ((200 * 10) / 1000);
		expect(simulated).toBeLessThanOrEqual(1000 * maxStepMs + MAX_BACKLOG_ADVANCES * maxStepMs);
		expect(simulated).toBeGreaterThan(500 * maxStepMs);
	});
});
