import { describe, expect, it } from 'vitest';
import type { Truth } from '../../domain/anomaly';
import type { TickBatch } from '../../domain/tick-batch';
import { LiquidationsScenario } from './liquidations';
import type { AnomalyRates, ScenarioOptions } from './scenario';
import { checkAlterations, hashTicks, runScenario, silentDespiteOffsets } from './scenario-testing';

const START_MS = 1_700_000_000_000;
const KINDS = LiquidationsScenario.info.kinds;

function options(over: Partial<ScenarioOptions> = {}): ScenarioOptions {
	return { seed: 4242, count: 20, ticksPerSecond: 0.5, startTime: START_MS, anomalyRates: {}, ...over };
}

function everyKind(perHour: number): AnomalyRates {
	return Object.fromEntries(KINDS.map((kind) => [kind, perHour]));
}

function run(over: Partial<ScenarioOptions>, spanMs: number, chunks = 1) {
	return runScenario(new LiquidationsScenario(options(over)), START_MS, spanMs, chunks);
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
const sd = (xs: number[]) => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));


describe('LiquidationsScenario', () => {
	it('declares its defaults and every kind but sensor failure', () => {
		expect(LiquidationsScenario.info).toMatchObject({
			name: 'liquidations',
			title: 'Liquidations',
			unitNoun: 'symbols',
			defaultCount: 20,
			defaultTicksPerSecond: 0.5
		});
		expect([...KINDS].sort()).toEqual(['drift', 'dropout', 'level-shift', 'spike', 'stuck', 'variance-burst']);
	});

	it('gives the same bytes however time is chunked, and other bytes for another seed', () => {
		// 250 symbols × 2 ticks × 0.5 events/s = 250 ticks/s: 600 s is past 100,000 ticks.
		const over = { count: 250, anomalyRates: everyKind(30), warmupTicks: 10 };
		const whole = run(over, 600_000);
		expect(whole.out.n).toBeGreaterThan(100_000);
		expect(whole.truths.length).toBeGreaterThan(10);
		const hash = hashTicks(whole.out, 100_000);
		for (const chunks of [7, 60]) {
			const chunked = run(over, 600_000, chunks);
			expect(hashTicks(chunked.out, 100_000)).toBe(hash);
			expect(chunked.truths).toEqual(whole.truths);
		}
		expect(hashTicks(run({ ...over, seed: 4243 }, 600_000).out, 100_000)).not.toBe(hash);
	});

	it('emits price and quantity pairs in time order, strictly increasing per series, none after until', () => {
		const count = 300;
		const spanMs = 300_000 + 0.5;
		const { out } = run({ count }, spanMs, 13);
		for (let k = 1; k < out.n; k++) if (out.t[k] < out.t[k - 1]) expect.fail(`tick ${k} goes back in time`);
		expect(out.t[0]).toBeGreaterThan(START_MS);
		expect(out.t[out.n - 1]).toBeLessThanOrEqual(START_MS + spanMs);
		for (let k = 0; k < out.n; k += 2) {
			if (out.ids[k] % 2 !== 0 || out.ids[k + 1] !== out.ids[k] + 1 || out.t[k + 1] !== out.t[k]) {
				expect.fail(`tick ${k} is not a price and quantity pair`);
			}
		}
		for (const col of bySeries(out, 2 * count)) {
			expect(col.t.filter((t, k) => k > 0 && t <= col.t[k - 1])).toEqual([]);
		}
		// 300 symbols × 300 s × 0.5/s = 45,000 events; bursts widen the spread well past Poisson's ±0.5 %.
		expect(out.n / 2).toBeGreaterThan(45_000 * 0.9);
		expect(out.n / 2).toBeLessThan(45_000 * 1.1);
	});

	it('puts prices on each symbol’s tick grid and quantities in whole, signed contracts', () => {
		const count = 200;
		const sim = new LiquidationsScenario(options({ count }));
		const cols = bySeries(runScenario(sim, START_MS, 600_000).out, 2 * count);
		const offGrid: number[] = [];
		for (let k = 0; k < count; k++) {
			const perTick = Math.round(1 / sim.tickSizes[k]);
			for (const v of cols[2 * k].v) {
				if (!(v > 0) || Math.abs(v * perTick - Math.round(v * perTick)) > 1e-6) offGrid.push(v);
			}
			// The grid stays well below the ~18 bp between orders; generated symbols get 4–5 digits.
			const relative = sim.tickSizes[k] / cols[2 * k].v[0];
			if (relative > 3e-4 || (k >= 20 && (relative < 0.9e-5 || relative > 1.1e-4))) offGrid.push(relative);
		}
		expect(offGrid).toEqual([]);
		const quantities = cols.filter((_, i) => i % 2 === 1).flatMap((c) => c.v);
		const badQty = quantities.filter((v) => !Number.isInteger(v) || v === 0);
		expect(badQty).toEqual([]);
		expect(cols[0].v[0]).toBeGreaterThan(50_000);
		expect(cols[0].v[0]).toBeLessThan(80_000);
	});

	it('names real perpetuals first, then unique generated USDT symbols, independent of the count', () => {
		const big = new LiquidationsScenario(options({ seed: 9, count: 10_000 }));
		expect(big.series).toHaveLength(20_000);
		expect(big.series.slice(0, 6).map((s) => s.label)).toEqual([
			'BTCUSDT',
			'BTCUSDT qty',
			'ETHUSDT',
			'ETHUSDT qty',
			'SOLUSDT',
			'SOLUSDT qty'
		]);
		expect(new Set(big.series.map((s) => s.key)).size).toBe(20_000);
		expect(new Set(big.series.map((s) => s.label)).size).toBe(20_000);
		for (let k = 0; k < 10_000; k++) {
			const price = big.series[2 * k];
			const qty = big.series[2 * k + 1];
			if (
				!/^[A-Z0-9]{2,12}USDT$/.test(price.label) ||
				price.key !== `sim/liquidations/${price.label}/price` ||
				price.unit !== 'USDT' ||
				price.kind !== 'price' ||
				qty.key !== `sim/liquidations/${price.label}/qty` ||
				qty.label !== `${price.label} qty` ||
				qty.unit !== 'contracts' ||
				qty.kind !== 'volume'
			) {
				expect.fail(`symbol ${k}: ${JSON.stringify([price, qty])}`);
			}
		}
		const small = new LiquidationsScenario(options({ seed: 9, count: 30 }));
		expect(small.series).toEqual(big.series.slice(0, 60));
	});

	it('rejects a count outside 1..10,000 and a rate that is not positive', () => {
		expect(() => new LiquidationsScenario(options({ count: 0 }))).toThrow(RangeError);
		expect(() => new LiquidationsScenario(options({ count: 10_001 }))).toThrow(RangeError);
		expect(() => new LiquidationsScenario(options({ ticksPerSecond: -1 }))).toThrow(RangeError);
	});

	it('comes in bursts at the configured long-run rate, both sides in runs, sizes heavy-tailed', () => {
		// The clean model, 20 symbols for two hours: ~3,600 events each.
		const count = 20;
		const spanMs = 2 * 3_600_000;
		const cols = bySeries(run({ count }, spanMs).out, 2 * count);
		const events = cols.filter((_, i) => i % 2 === 0).map((c) => c.t);
		const quantities = cols.filter((_, i) => i % 2 === 1).map((c) => c.v);

		const rate = mean(events.map((t) => t.length)) / (spanMs / 1000);
		expect(rate).toBeGreaterThan(0.45);
		expect(rate).toBeLessThan(0.55);
		// A Poisson stream has CV 1; a Hawkes stream with branching 0.6–0.8 clearly more.
		const cvs = events.map((t) => {
			const gaps = t.slice(1).map((x, k) => x - t[k]);
			return sd(gaps) / mean(gaps);
		});
		expect(Math.min(...cvs)).toBeGreaterThan(1.3);

		const all = quantities.flat();
		const sells = all.filter((q) => q > 0).length / all.length;
		expect(sells).toBeGreaterThan(0.4);
		expect(sells).toBeLessThan(0.6);
		// Independent sides would give runs of 2 on average.
		const runLengths = quantities.map((q) => {
			const switches = q.filter((x, k) => k > 0 && x > 0 !== q[k - 1] > 0).length;
			return q.length / (1 + switches);
		});
		expect(mean(runLengths)).toBeGreaterThan(3);
		const ratios = quantities.map((q) => {
			const sizes = q.map(Math.abs).sort((a, b) => a - b);
			return sizes[sizes.length - 1] / sizes[sizes.length >> 1];
		});
		expect(Math.min(...ratios)).toBeGreaterThan(50);
	});

	it('alters only ticks inside a truth window, whose end is the stretch’s last event', () => {
		const over = { count: 20, warmupTicks: 60 };
		const spanMs = 3_600_000;
		const clean = run(over, spanMs);
		const injected = run({ ...over, anomalyRates: everyKind(30) }, spanMs);
		expect(clean.truths).toEqual([]);
		const persists = (truth: Truth) =>
			truth.seriesId % 2 === 0 && (truth.kind === 'level-shift' || truth.kind === 'drift');
		const check = checkAlterations(clean.out, injected.out, injected.truths, persists);
		expect(check.altered).toBeGreaterThan(1000);
		expect(check.unexplained).toEqual([]);
		expect(silentDespiteOffsets(clean.out, injected.out, check.silent)).toEqual([]);
		expect(check.silent.every((truth) => truth.seriesId % 2 === 0)).toBe(true);
		expect(check.silent.length).toBeLessThan(injected.truths.length / 50);
		for (const parity of [0, 1]) {
			const onParity = injected.truths.filter((truth) => truth.seriesId % 2 === parity);
			const kinds = new Set(onParity.map((truth) => truth.kind));
			expect([...kinds].sort()).toEqual([...KINDS].sort());
		}
		// Windows end exactly on an event of their series (dropped ones included), not on an estimate.
		const cleanCols = bySeries(clean.out, 40);
		const finished = injected.truths.filter((truth) => truth.t1 < START_MS + spanMs - 600_000);
		const offEvent = finished.filter((truth) => !cleanCols[truth.seriesId].t.includes(truth.t1));
		expect(offEvent).toEqual([]);
	});

	it('starts a resumed symbol at its last price and leaves the others alone', () => {
		const key = 'sim/liquidations/BTCUSDT/price';
		const base = bySeries(run({}, 120_000).out, 40);
		const resumed = bySeries(run({ resume: new Map([[key, 50_000]]) }, 120_000).out, 40);
		// Slippage is ~10 bp: the first order price sits within 1 % of the resumed one.
		expect(Math.abs(resumed[0].v[0] / 50_000 - 1)).toBeLessThan(0.01);
		expect(Math.abs(base[0].v[0] / 50_000 - 1)).toBeGreaterThan(0.1);
		for (let i = 1; i < 40; i++) expect(resumed[i].v).toEqual(base[i].v);
	});
});
