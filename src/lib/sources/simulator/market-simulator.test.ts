import { describe, expect, it } from 'vitest';
import type { Truth } from '../../domain/anomaly';
import { TickBatch } from '../../domain/tick-batch';
import { MarketSimulator, type MarketSimulatorOptions } from './market-simulator';
import { Random } from './random';

const START_MS = 1_700_000_000_000;

interface Run {
	ids: number[];
	t: number[];
	v: number[];
	truths: Truth[];
}

/** Advance through each `until` in turn and collect everything emitted. */
function collect(options: MarketSimulatorOptions, untils: number[]): Run {
	const sim = new MarketSimulator(options);
	const out = new TickBatch(16);
	const run: Run = { ids: [], t: [], v: [], truths: [] };
	for (const until of untils) {
		out.clear();
		const n = sim.advance(until, out, run.truths);
		expect(n).toBe(out.n);
		for (let k = 0; k < out.n; k++) {
			run.ids.push(out.ids[k]);
			run.t.push(out.t[k]);
			run.v.push(out.v[k]);
		}
	}
	return run;
}

/** Per-series value columns, in time order. */
function bySeries(run: Run, seriesCount: number): { t: number[]; v: number[] }[] {
	const cols = Array.from({ length: seriesCount }, () => ({ t: [] as number[], v: [] as number[] }));
	for (let k = 0; k < run.ids.length; k++) {
		cols[run.ids[k]].t.push(run.t[k]);
		cols[run.ids[k]].v.push(run.v[k]);
	}
	return cols;
}

function std(xs: number[]): number {
	const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
	return Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1));
}

/** A busy setup: 20 series, frequent injections, short warm-up, 5 simulated minutes. */
const BUSY: MarketSimulatorOptions = {
	seed: 12345,
	seriesCount: 20,
	ticksPerSecond: 10,
	anomaliesPerSeriesHour: 300,
	warmupTicks: 50,
	startTime: START_MS
};
const BUSY_END_MS = START_MS + 5 * 60_000;

describe('MarketSimulator', () => {
	it('gives identical ticks and truths however time is chunked', () => {
		const whole = collect(BUSY, [BUSY_END_MS]);
		// Uneven chunks: sub-millisecond, exactly on a round, before the start, repeated, long.
		const untils: number[] = [START_MS - 5, START_MS, START_MS + 0.3, START_MS + 100];
		const chunkRng = new Random(99);
		for (let until = START_MS + 137; until < BUSY_END_MS; until += chunkRng.next() * 3000) {
			untils.push(until, until);
		}
		untils.push(BUSY_END_MS);
		const chunked = collect(BUSY, untils);
		expect(whole.truths.length).toBeGreaterThan(10);
		expect(chunked.ids).toEqual(whole.ids);
		expect(chunked.t).toEqual(whole.t);
		expect(chunked.v).toEqual(whole.v);
		expect(chunked.truths).toEqual(whole.truths);
		expect(collect(BUSY, [BUSY_END_MS])).toEqual(whole);
	});

	it('gives a different stream for a different seed', () => {
		const a = collect(BUSY, [START_MS + 60_000]);
		const b = collect({ ...BUSY, seed: 54321 }, [START_MS + 60_000]);
		expect(b.v).not.toEqual(a.v);
		expect(new MarketSimulator({ ...BUSY, seed: 54321 }).series).not.toEqual(new MarketSimulator(BUSY).series);
	});

	it('emits time-ordered ticks, strictly increasing per series, none after until', () => {
		const until = START_MS + 30_000 + 42.5;
		const run = collect({ ...BUSY, seriesCount: 137, ticksPerSecond: 7 }, [until]);
		expect(run.t.filter((t, k) => k > 0 && t < run.t[k - 1])).toEqual([]);
		expect(run.t[0]).toBeGreaterThanOrEqual(START_MS);
		expect(run.t[run.t.length - 1]).toBeLessThanOrEqual(until);
		for (const col of bySeries(run, 137)) {
			expect(col.t.filter((t, k) => k > 0 && t <= col.t[k - 1])).toEqual([]);
		}
	});

	it('emits ticksPerSecond × seriesCount ticks per simulated second', () => {
		const run = collect({ seed: 1, seriesCount: 100, ticksPerSecond: 10, startTime: START_MS }, [START_MS + 10_000]);
		// 10 s × 10/s × 100 series, ± one round for the edge at until.
		expect(Math.abs(run.t.length - 10_000)).toBeLessThanOrEqual(100);
		const perSeries = bySeries(run, 100).map((c) => c.t.length);
		expect(Math.max(...perSeries) - Math.min(...perSeries)).toBeLessThanOrEqual(1);
	});

	it('keeps prices positive, on the 0.01 grid, and plausible', () => {
		const run = collect({ ...BUSY, seriesCount: 200 }, [START_MS + 120_000]);
		// Count offenders rather than expect() per tick: 240k expects take seconds.
		const offGrid = run.v.filter((v) => !(v > 0) || v !== Math.round(v * 100) / 100);
		expect(offGrid).toEqual([]);
		const firsts = bySeries(run, 200).map((c) => c.v[0]);
		expect(Math.min(...firsts)).toBeGreaterThan(4);
		expect(Math.max(...firsts)).toBeLessThan(600);
		// Log-uniform over 5..500: about half start below 50.
		const below50 = firsts.filter((v) => v < 50).length;
		expect(below50).toBeGreaterThan(60);
		expect(below50).toBeLessThan(140);
	});

	it('names instruments with unique ticker-like labels that do not depend on the count', () => {
		const big = new MarketSimulator({ seed: 9, seriesCount: 10_000, startTime: START_MS });
		const labels = big.series.map((s) => s.label);
		expect(new Set(labels).size).toBe(10_000);
		for (const s of big.series) {
			expect(s.label).toMatch(/^[A-Z]{3,4}$/);
			expect(s.key).toBe(`sim/${s.label}`);
			expect(s.unit).toBe('USD');
			expect(s.kind).toBe('price');
		}
		const small = new MarketSimulator({ seed: 9, seriesCount: 20, startTime: START_MS });
		expect(small.series.map((s) => s.label)).toEqual(labels.slice(0, 20));
	});

	it('rejects a series count outside 1..10000', () => {
		expect(() => new MarketSimulator({ seed: 1, seriesCount: 0, startTime: 0 })).toThrow(RangeError);
		expect(() => new MarketSimulator({ seed: 1, seriesCount: 10_001, startTime: 0 })).toThrow(RangeError);
	});

	it('injects at the configured rate, never during warm-up, ~60/40 spikes to level shifts', () => {
		const warmupTicks = 250;
		const run = collect(
			{ seed: 77, seriesCount: 20, ticksPerSecond: 10, anomaliesPerSeriesHour: 10, warmupTicks, startTime: START_MS },
			[START_MS + 2 * 3_600_000]
		);
		// 20 series × (2 h − 25 s warm-up) × 10/h ≈ 399; Poisson sd ≈ 20, band ± 4 sd.
		expect(run.truths.length).toBeGreaterThan(320);
		expect(run.truths.length).toBeLessThan(480);
		const spikes = run.truths.filter((tr) => tr.kind === 'spike').length;
		expect(spikes / run.truths.length).toBeGreaterThan(0.5);
		expect(spikes / run.truths.length).toBeLessThan(0.7);
		// A series' tick k falls in round k, which starts at START_MS + k × 100 ms.
		for (const tr of run.truths) {
			expect(tr.t0).toBeGreaterThanOrEqual(START_MS + warmupTicks * 100);
			expect(tr.t1).toBe(tr.t0);
			expect(tr.id).toBe(0);
			expect(tr.magnitude).toBeGreaterThanOrEqual(8);
			expect(tr.magnitude).toBeLessThanOrEqual(15);
			expect(tr.detected).toBeUndefined();
		}
	});

	it('puts each truth on a real tick: spikes displace one tick, level shifts stay', () => {
		const run = collect(BUSY, [BUSY_END_MS]);
		const cols = bySeries(run, 20);
		let spikes = 0;
		let shifts = 0;
		for (const tr of run.truths) {
			const col = cols[tr.seriesId];
			const k = col.t.indexOf(tr.t0);
			expect(k).toBeGreaterThan(0);
			if (k < 101 || k + 1 >= col.v.length) continue;
			// Injections are frequent here: skip one whose reference window holds another.
			const crowded = run.truths.some(
				(o) => o !== tr && o.seriesId === tr.seriesId && o.t0 > col.t[k - 102] && o.t0 <= col.t[k + 1]
			);
			if (crowded) continue;
			const steps: number[] = [];
			for (let j = k - 100; j < k; j++) steps.push(col.v[j] - col.v[j - 1]);
			// Local std of the preceding 100 steps; injections are ≥ 8 σ of the same volatility.
			const sd = std(steps);
			const jump = Math.abs(col.v[k] - col.v[k - 1]);
			const after = Math.abs(col.v[k + 1] - col.v[k - 1]);
			expect(jump).toBeGreaterThan(4 * sd);
			if (tr.kind === 'spike') {
				spikes++;
				expect(after).toBeLessThan(6 * sd);
			} else {
				shifts++;
				expect(after).toBeGreaterThan(3 * sd);
			}
		}
		expect(spikes).toBeGreaterThan(5);
		expect(shifts).toBeGreaterThan(5);
	});

	it('starts a series at its initialPrices entry and leaves the others alone', () => {
		const plain = new MarketSimulator(BUSY);
		const key = plain.series[3].key;
		const until = START_MS + 1_000;
		const base = bySeries(collect(BUSY, [until]), 20);
		const resumed = bySeries(collect({ ...BUSY, initialPrices: new Map([[key, 1234.56]]) }, [until]), 20);
		// One tick's move is a fraction of a percent.
		expect(Math.abs(resumed[3].v[0] / 1234.56 - 1)).toBeLessThan(0.01);
		expect(Math.abs(base[3].v[0] / 1234.56 - 1)).toBeGreaterThan(0.01);
		for (let i = 0; i < 20; i++) if (i !== 3) expect(resumed[i].v).toEqual(base[i].v);
	});
});
