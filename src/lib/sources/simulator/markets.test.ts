import { describe, expect, it } from 'vitest';
import type { Truth } from '../../domain/anomaly';
import type { TickBatch } from '../../domain/tick-batch';
import { MarketsScenario, SECTOR_COUNT } from './markets';
import type { AnomalyRates, ScenarioOptions } from './scenario';
import { checkAlterations, hashTicks, runScenario, silentDespiteOffsets } from './scenario-testing';

const START_MS = 1_700_000_000_000;
const KINDS = MarketsScenario.info.kinds;

function options(over: Partial<ScenarioOptions> = {}): ScenarioOptions {
	return { seed: 12345, count: 100, ticksPerSecond: 10, startTime: START_MS, anomalyRates: {}, ...over };
}

function everyKind(perHour: number): AnomalyRates {
	return Object.fromEntries(KINDS.map((kind) => [kind, perHour]));
}

function run(over: Partial<ScenarioOptions>, spanMs: number, chunks = 1) {
	return runScenario(new MarketsScenario(options(over)), START_MS, spanMs, chunks);
}

/** Per-series columns, in emitted order. */
function bySeries(batch: TickBatch, seriesCount: number): { t: number[]; v: number[] }[] {
	const cols = Array.from({ length: seriesCount }, () => ({ t: [] as number[], v: [] as number[] }));
	for (let k = 0; k < batch.n; k++) {
		cols[batch.ids[k]].t.push(batch.t[k]);
		cols[batch.ids[k]].v.push(batch.v[k]);
	}
	return cols;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

function correlation(a: number[], b: number[]): number {
	const n = Math.min(a.length, b.length);
	const ma = mean(a.slice(0, n));
	const mb = mean(b.slice(0, n));
	let ab = 0;
	let aa = 0;
	let bb = 0;
	for (let k = 0; k < n; k++) {
		ab += (a[k] - ma) * (b[k] - mb);
		aa += (a[k] - ma) ** 2;
		bb += (b[k] - mb) ** 2;
	}
	return ab / Math.sqrt(aa * bb);
}

/** Mean autocorrelation over lags 1..10. */
function autocorrelation1to10(xs: number[]): number {
	let sum = 0;
	for (let lag = 1; lag <= 10; lag++) sum += correlation(xs.slice(lag), xs.slice(0, xs.length - lag));
	return sum / 10;
}

function excessKurtosis(xs: number[]): number {
	const m = mean(xs);
	const m2 = mean(xs.map((x) => (x - m) ** 2));
	const m4 = mean(xs.map((x) => (x - m) ** 4));
	return m4 / (m2 * m2) - 3;
}


describe('MarketsScenario', () => {
	it('declares its defaults and every kind but sensor failure', () => {
		expect(MarketsScenario.info).toMatchObject({
			name: 'markets',
			title: 'Markets',
			unitNoun: 'instruments',
			defaultCount: 100,
			defaultTicksPerSecond: 10
		});
		expect([...KINDS].sort()).toEqual(['drift', 'dropout', 'level-shift', 'spike', 'stuck', 'variance-burst']);
	});

	it('gives the same bytes however time is chunked, and other bytes for another seed', () => {
		// 100 instruments × 2 series × 10/s = 2,000 ticks/s: 60 s is past 100,000 ticks.
		const over = { anomalyRates: everyKind(30), warmupTicks: 20 };
		const whole = run(over, 60_000);
		expect(whole.out.n).toBeGreaterThan(100_000);
		expect(whole.truths.length).toBeGreaterThan(10);
		const hash = hashTicks(whole.out, 100_000);
		for (const chunks of [7, 31]) {
			const chunked = run(over, 60_000, chunks);
			expect(hashTicks(chunked.out, 100_000)).toBe(hash);
			expect(chunked.truths).toEqual(whole.truths);
		}
		expect(hashTicks(run({ ...over, seed: 54321 }, 60_000).out, 100_000)).not.toBe(hash);
		expect(new MarketsScenario(options({ seed: 54321 })).series).not.toEqual(new MarketsScenario(options()).series);
	});

	it('ticks each instrument once per round, price then volume, in time order', () => {
		const count = 137;
		const spanMs = 30_000 + 42.5;
		const { out } = runScenario(new MarketsScenario(options({ count, ticksPerSecond: 7 })), START_MS, spanMs, 5);
		for (let k = 1; k < out.n; k++) if (out.t[k] < out.t[k - 1]) expect.fail(`tick ${k} goes back in time`);
		expect(out.t[0]).toBeGreaterThanOrEqual(START_MS);
		expect(out.t[out.n - 1]).toBeLessThanOrEqual(START_MS + spanMs);
		// Each price tick (even id) is followed by its instrument's volume tick at the same t.
		for (let k = 0; k < out.n; k += 2) {
			if (out.ids[k] % 2 !== 0 || out.ids[k + 1] !== out.ids[k] + 1 || out.t[k + 1] !== out.t[k]) {
				expect.fail(`tick ${k} is not a price and volume pair`);
			}
		}
		const cols = bySeries(out, 2 * count);
		for (const col of cols) expect(col.t.filter((t, k) => k > 0 && t <= col.t[k - 1])).toEqual([]);
		// 30 s × 7/s per series, ± the round cut at until.
		const perSeries = cols.map((col) => col.t.length);
		expect(Math.min(...perSeries)).toBeGreaterThanOrEqual(210);
		expect(Math.max(...perSeries)).toBeLessThanOrEqual(211);
	});

	it('keeps prices on the cent grid and plausible, volumes whole shares ≥ 1', () => {
		const count = 200;
		const cols = bySeries(run({ count }, 120_000).out, 2 * count);
		const prices = cols.filter((_, i) => i % 2 === 0);
		const volumes = cols.filter((_, i) => i % 2 === 1);
		// Count offenders rather than expect() per tick: 240k expects take seconds.
		const offGrid = prices.flatMap((c) => c.v).filter((v) => !(v > 0) || v !== Math.round(v * 100) / 100);
		expect(offGrid).toEqual([]);
		const badVolume = volumes.flatMap((c) => c.v).filter((v) => !Number.isInteger(v) || v < 1);
		expect(badVolume).toEqual([]);
		const firsts = prices.map((c) => c.v[0]);
		expect(Math.min(...firsts)).toBeGreaterThan(4);
		expect(Math.max(...firsts)).toBeLessThan(600);
		// Log-uniform over 5..500: about half start below 50.
		const below50 = firsts.filter((v) => v < 50).length;
		expect(below50).toBeGreaterThan(60);
		expect(below50).toBeLessThan(140);
	});

	it('names two series per instrument, unique, in the documented order, independent of the count', () => {
		const big = new MarketsScenario(options({ seed: 9, count: 10_000 }));
		expect(big.series).toHaveLength(20_000);
		expect(new Set(big.series.map((s) => s.key)).size).toBe(20_000);
		expect(new Set(big.series.map((s) => s.label)).size).toBe(20_000);
		for (let k = 0; k < 10_000; k++) {
			const price = big.series[2 * k];
			const volume = big.series[2 * k + 1];
			if (
				!/^[A-Z]{3,4}$/.test(price.label) ||
				price.key !== `sim/markets/${price.label}/price` ||
				price.unit !== 'USD' ||
				price.kind !== 'price' ||
				volume.key !== `sim/markets/${price.label}/volume` ||
				volume.label !== `${price.label} vol` ||
				volume.unit !== 'shares' ||
				volume.kind !== 'volume'
			) {
				expect.fail(`instrument ${k}: ${JSON.stringify([price, volume])}`);
			}
		}
		const small = new MarketsScenario(options({ seed: 9, count: 20 }));
		expect(small.series).toEqual(big.series.slice(0, 40));
		expect(new Set(big.sectors).size).toBe(SECTOR_COUNT);
	});

	it('rejects a count outside 1..10,000 and a rate that is not positive', () => {
		expect(() => new MarketsScenario(options({ count: 0 }))).toThrow(RangeError);
		expect(() => new MarketsScenario(options({ count: 10_001 }))).toThrow(RangeError);
		expect(() => new MarketsScenario(options({ count: 2.5 }))).toThrow(RangeError);
		expect(() => new MarketsScenario(options({ ticksPerSecond: 0 }))).toThrow(RangeError);
	});

	it('has fat tails, volatility clustering, volume with volatility, and sector co-movement', () => {
		// The clean model, 24 instruments for an hour: 36,000 returns each.
		const count = 24;
		const sim = new MarketsScenario(options({ seed: 7, count }));
		const cols = bySeries(runScenario(sim, START_MS, 3_600_000).out, 2 * count);
		const returns = cols
			.filter((_, i) => i % 2 === 0)
			.map((c) => c.v.slice(1).map((v, k) => Math.log(v / c.v[k])));
		const volumes = cols.filter((_, i) => i % 2 === 1).map((c) => c.v.slice(1));

		const standardised = returns.flatMap((r) => {
			const rms = Math.sqrt(mean(r.map((x) => x * x)));
			return r.map((x) => x / rms);
		});
		const kurtosis = excessKurtosis(standardised);
		expect(kurtosis).toBeGreaterThan(0.5);
		expect(standardised.some((z) => Math.abs(z) > 5)).toBe(true);

		const acfReturns = mean(returns.map(autocorrelation1to10));
		const acfAbs = mean(returns.map((r) => autocorrelation1to10(r.map(Math.abs))));
		expect(Math.abs(acfReturns)).toBeLessThan(0.02);
		expect(acfAbs).toBeGreaterThan(0.05);
		expect(acfAbs).toBeGreaterThan(acfReturns + 0.05);

		const volumeAbs = mean(returns.map((r, i) => correlation(volumes[i], r.map(Math.abs))));
		expect(volumeAbs).toBeGreaterThan(0.3);
		// Over 100-tick blocks (10 s): log volume against log realised volatility.
		const BLOCK = 100;
		const blockCorr = returns.map((r, i) => {
			const vol: number[] = [];
			const shares: number[] = [];
			for (let b = 0; b + BLOCK <= r.length; b += BLOCK) {
				vol.push(0.5 * Math.log(mean(r.slice(b, b + BLOCK).map((x) => x * x))));
				shares.push(Math.log(mean(volumes[i].slice(b, b + BLOCK))));
			}
			return correlation(shares, vol);
		});
		expect(mean(blockCorr)).toBeGreaterThan(0.5);

		const same: number[] = [];
		const cross: number[] = [];
		for (let i = 0; i < count; i++) {
			for (let j = i + 1; j < count; j++) {
				(sim.sectors[i] === sim.sectors[j] ? same : cross).push(correlation(returns[i], returns[j]));
			}
		}
		expect(same.length).toBeGreaterThan(10);
		expect(mean(same)).toBeGreaterThan(0.2);
		expect(Math.abs(mean(cross))).toBeLessThan(0.03);
	});

	it('alters only ticks inside a truth window (persisting after it only for price shifts and drifts)', () => {
		// 7 ticks/s: 1000/7 ms is not a double, so truth windows must land on the exact tick times.
		const over = { count: 10, ticksPerSecond: 7, warmupTicks: 60 };
		const spanMs = 20 * 60_000;
		const clean = run(over, spanMs);
		const injected = run({ ...over, anomalyRates: everyKind(30) }, spanMs);
		expect(clean.truths).toEqual([]);
		const persists = (truth: Truth) =>
			truth.seriesId % 2 === 0 && (truth.kind === 'level-shift' || truth.kind === 'drift');
		const check = checkAlterations(clean.out, injected.out, injected.truths, persists);
		expect(check.altered).toBeGreaterThan(1000);
		expect(check.unexplained).toEqual([]);
		expect(silentDespiteOffsets(clean.out, injected.out, check.silent)).toEqual([]);
		// Cancelling happens only on prices, and rarely.
		expect(check.silent.every((truth) => truth.seriesId % 2 === 0)).toBe(true);
		expect(check.silent.length).toBeLessThan(injected.truths.length / 50);
		for (const parity of [0, 1]) {
			const onParity = injected.truths.filter((truth) => truth.seriesId % 2 === parity);
			const kinds = new Set(onParity.map((truth) => truth.kind));
			expect([...kinds].sort()).toEqual([...KINDS].sort());
		}
		// A series' tick j falls in round j, at START_MS + j × 1000/7 ms + its phase; ticks 0..59 are warm-up.
		expect(injected.truths.every((truth) => truth.t0 >= START_MS + (60 * 1000) / 7 - 1e-3)).toBe(true);
		const shifts = injected.truths.filter((truth) => truth.kind === 'level-shift');
		expect(shifts.filter((truth) => truth.seriesId % 2 === 0).every((truth) => truth.t1 === truth.t0)).toBe(true);
		expect(shifts.filter((truth) => truth.seriesId % 2 === 1).every((truth) => truth.t1 > truth.t0)).toBe(true);
	});

	it('starts a resumed price at its last value and leaves the other series alone', () => {
		const count = 20;
		const key = new MarketsScenario(options({ count })).series[6].key;
		const base = bySeries(run({ count }, 1_000).out, 2 * count);
		const resumed = bySeries(run({ count, resume: new Map([[key, 1234.56]]) }, 1_000).out, 2 * count);
		// One tick's move is a fraction of a percent.
		expect(Math.abs(resumed[6].v[0] / 1234.56 - 1)).toBeLessThan(0.01);
		expect(Math.abs(base[6].v[0] / 1234.56 - 1)).toBeGreaterThan(0.01);
		// Series 7, its volume, is left out: its mean follows the variance ratio, equal up to rounding.
		for (let i = 0; i < 2 * count; i++) if (i !== 6 && i !== 7) expect(resumed[i].v).toEqual(base[i].v);
	});
});
