import { describe, expect, it } from 'vitest';
import { ANOMALY_KINDS } from '../../domain/anomaly';
import type { TickBatch } from '../../domain/tick-batch';
import { GaitScenario } from './gait';
import type { AnomalyRates, ScenarioOptions } from './scenario';
import { checkAlterations, hashTicks, runScenario } from './scenario-testing';

const START_MS = Date.UTC(2024, 0, 1);
/** 50 ticks per second per sensor. */
const TICK_MS = 20;
/** 40 injections of every kind per series-hour: every kind shows up many times in 10 minutes. */
const EVERY_KIND: AnomalyRates = Object.fromEntries(ANOMALY_KINDS.map((kind) => [kind, 40]));

function options(over: Partial<ScenarioOptions> = {}): ScenarioOptions {
	const ticksPerSecond = 1000 / TICK_MS;
	return { seed: 7, count: 4, ticksPerSecond, startTime: START_MS, anomalyRates: {}, ...over };
}

type Column = { t: number[]; v: number[] };

/**
 * Each series' ticks in time order. Without dropouts every series ticks once per round, so
 * index = round; `trim` cuts the last, partly emitted round.
 */
function columns(out: TickBatch, seriesCount: number, trim = false): Column[] {
	const cols = Array.from({ length: seriesCount }, (): Column => ({ t: [], v: [] }));
	for (let k = 0; k < out.n; k++) {
		cols[out.ids[k]].t.push(out.t[k]);
		cols[out.ids[k]].v.push(out.v[k]);
	}
	if (!trim) return cols;
	const rounds = Math.min(...cols.map((col) => col.t.length));
	return cols.map(({ t, v }) => ({ t: t.slice(0, rounds), v: v.slice(0, rounds) }));
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Lag in ticks of the highest autocorrelation in [lo, hi], refined by a parabola. */
function autocorrelationPeak(xs: number[], lo: number, hi: number): number {
	const m = mean(xs);
	const d = xs.map((x) => x - m);
	const r = (lag: number) => {
		let s = 0;
		for (let k = 0; k + lag < d.length; k++) s += d[k] * d[k + lag];
		return s;
	};
	let best = lo;
	for (let lag = lo; lag <= hi; lag++) if (r(lag) > r(best)) best = lag;
	const [a, b, c] = [r(best - 1), r(best), r(best + 1)];
	return best + (0.5 * (a - c)) / (a - 2 * b + c);
}

/** [start, end) index ranges where `isOn` holds, leaving out runs cut by either end. */
function runs(length: number, isOn: (k: number) => boolean): [number, number][] {
	const found: [number, number][] = [];
	let start = -1;
	for (let k = 0; k < length; k++) {
		if (isOn(k) && start < 0) start = k;
		if (!isOn(k) && start >= 0) {
			if (start > 0) found.push([start, k]);
			start = -1;
		}
	}
	return found;
}

function argmax(xs: number[], [a, b]: [number, number]): number {
	let best = a;
	for (let k = a; k < b; k++) if (xs[k] > xs[best]) best = k;
	return best;
}

describe('GaitScenario', () => {
	it('gives the same bytes however time is chunked, and other bytes for another seed', () => {
		const opts = options({ anomalyRates: EVERY_KIND, warmupTicks: 20 });
		// 4 patients × 6 sensors × 50/s = 1200 ticks/s: 100,000 ticks take ~84 s.
		const spanMs = 90_000;
		const whole = runScenario(new GaitScenario(opts), START_MS, spanMs);
		const hash = hashTicks(whole.out, 100_000);
		expect(hash.startsWith('100000:')).toBe(true);
		expect(whole.truths.length).toBeGreaterThan(5);
		for (const chunks of [7, 31]) {
			const chunked = runScenario(new GaitScenario(opts), START_MS, spanMs, chunks);
			expect(hashTicks(chunked.out, 100_000)).toBe(hash);
			expect(chunked.truths).toEqual(whole.truths);
		}
		const other = runScenario(new GaitScenario({ ...opts, seed: 8 }), START_MS, spanMs);
		expect(hashTicks(other.out, 100_000)).not.toBe(hash);
	});

	it('emits time-ordered integer counts at count × 6 × ticksPerSecond, under unique keys', () => {
		const scenario = new GaitScenario(options({ count: 3 }));
		const { out } = runScenario(scenario, START_MS, 60_000);
		expect(out.n / 60).toBeCloseTo(3 * 6 * 50, -1);
		let backwards = 0;
		for (let k = 1; k < out.n; k++) if (out.t[k] < out.t[k - 1]) backwards++;
		for (const { t } of columns(out, 18)) {
			for (let k = 1; k < t.length; k++) if (t[k] <= t[k - 1]) backwards++;
		}
		expect(backwards).toBe(0);
		const values = Array.from(out.v.subarray(0, out.n));
		expect(values.filter((v) => !Number.isInteger(v) || v < 0 || v > 1023)).toEqual([]);

		expect(scenario.series[0]).toEqual({
			key: 'sim/gait/P01/left-heel',
			label: 'P01 L heel',
			unit: 'counts',
			kind: 'sensor'
		});
		expect(scenario.series[17].key).toBe('sim/gait/P03/right-toe');
		const many = new GaitScenario(options({ count: 150 }));
		expect(new Set(many.series.map((s) => s.key)).size).toBe(900);
		expect(many.series[6].label).toBe('P002 L heel');
		expect(() => new GaitScenario(options({ count: 0 }))).toThrow(RangeError);
	});

	describe('walks like people do', () => {
		const count = 4;
		const scenario = new GaitScenario(options({ count }));
		const cols = columns(runScenario(scenario, START_MS, 120_000).out, count * 6, true);
		/** Heel, midfoot and toe values of one foot (side 0 = left). */
		const foot = (p: number, side: number) => [0, 1, 2].map((r) => cols[p * 6 + side * 3 + r].v);

		it('shows each patient’s stride period in every sensor', () => {
			for (let i = 0; i < count * 6; i++) {
				const stride = scenario.strideMs[Math.floor(i / 6)];
				expect(stride).toBeGreaterThanOrEqual(1000);
				expect(stride).toBeLessThanOrEqual(1300);
				// Lags of 0.74–1.9 s hold one stride of every patient and never two.
				const lag = autocorrelationPeak(cols[i].v, 37, 95) * TICK_MS;
				expect(Math.abs(lag / stride - 1)).toBeLessThan(0.03);
			}
		});

		it('lifts each foot off the ground (all three at 0) for ~40 % of every stride', () => {
			for (let p = 0; p < count; p++) {
				for (const side of [0, 1]) {
					const [heel, mid, toe] = foot(p, side);
					const swings = runs(heel.length, (k) => heel[k] + mid[k] + toe[k] === 0);
					const shares = swings.map(([a, b]) => ((b - a) * TICK_MS) / scenario.strideMs[p]);
					expect(swings.length).toBeGreaterThan(80);
					expect(Math.min(...shares)).toBeGreaterThan(0.3);
					expect(Math.max(...shares)).toBeLessThan(0.5);
					expect(mean(shares)).toBeGreaterThan(0.38);
					expect(mean(shares)).toBeLessThan(0.43);
				}
			}
		});

		it('loads heel, then midfoot, then toe within every stance', () => {
			for (let p = 0; p < count; p++) {
				for (const side of [0, 1]) {
					const [heel, mid, toe] = foot(p, side);
					const stances = runs(heel.length, (k) => heel[k] + mid[k] + toe[k] > 0);
					expect(stances.length).toBeGreaterThan(80);
					for (const stance of stances) {
						expect(argmax(heel, stance)).toBeLessThan(argmax(mid, stance));
						expect(argmax(mid, stance)).toBeLessThan(argmax(toe, stance));
					}
				}
			}
		});

		it('varies from step to step by a few %, the feet half a stride apart', () => {
			for (let p = 0; p < count; p++) {
				const stride = scenario.strideMs[p];
				const strikes = (heel: number[]) =>
					runs(heel.length, (k) => heel[k] > 0).map(([a]) => a * TICK_MS);
				const [left, right] = [strikes(foot(p, 0)[0]), strikes(foot(p, 1)[0])];
				const intervals = left.slice(1).map((t, k) => t - left[k]);
				const m = mean(intervals);
				const sd = Math.sqrt(mean(intervals.map((x) => (x - m) ** 2)));
				expect(Math.abs(m / stride - 1)).toBeLessThan(0.02);
				expect(sd / m).toBeGreaterThan(0.01);
				expect(sd / m).toBeLessThan(0.05);
				const offsets = left.flatMap((t) => {
					const next = right.find((r) => r > t);
					return next === undefined ? [] : [(next - t) / stride];
				});
				expect(Math.abs(mean(offsets) - 0.5)).toBeLessThan(0.03);
			}
		});
	});

	it('labels every injection it makes, of every kind, and alters nothing else', () => {
		const opts = options({ count: 2, warmupTicks: 60 });
		const spanMs = 10 * 60_000;
		const clean = runScenario(new GaitScenario(opts), START_MS, spanMs);
		const injected = runScenario(
			new GaitScenario({ ...opts, anomalyRates: EVERY_KIND }),
			START_MS,
			spanMs
		);
		expect(clean.truths).toEqual([]);
		const check = checkAlterations(clean.out, injected.out, injected.truths, () => false);
		expect(check.unexplained).toEqual([]);
		expect(check.silent).toEqual([]);
		expect(check.altered).toBeGreaterThan(1000);
		for (const kind of ANOMALY_KINDS) {
			expect(injected.truths.some((truth) => truth.kind === kind)).toBe(true);
		}

		const cols = columns(injected.out, 12);
		const failures = injected.truths.filter(
			(truth) => truth.kind === 'sensor-failure' && truth.t1 <= START_MS + spanMs
		);
		const readings = new Set<number>();
		for (const truth of failures) {
			const { t, v } = cols[truth.seriesId];
			const shown = v.filter((_, k) => t[k] >= truth.t0 && t[k] <= truth.t1);
			expect(shown.length).toBe(Math.round((truth.t1 - truth.t0) / TICK_MS) + 1);
			expect(shown.every((x) => x === shown[0] && (x === 0 || x === 1023))).toBe(true);
			readings.add(shown[0]);
		}
		// Failed sensors read both ends of the range: a broken wire (0) and saturation (1023).
		expect([...readings].sort((a, b) => a - b)).toEqual([0, 1023]);
	});
});
