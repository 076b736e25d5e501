import { describe, expect, it } from 'vitest';
import { ANOMALY_KINDS } from '../../domain/anomaly';
import type { TickBatch } from '../../domain/tick-batch';
import type { AnomalyRates, ScenarioOptions } from './scenario';
import { checkAlterations, hashTicks, runScenario } from './scenario-testing';
import { WEATHER_CHANNELS, WeatherScenario } from './weather';

const START_MS = Date.UTC(2024, 0, 1);
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** 40 injections of every kind per series-hour: every kind shows up many times in 2 hours. */
const EVERY_KIND: AnomalyRates = Object.fromEntries(ANOMALY_KINDS.map((kind) => [kind, 40]));

function options(over: Partial<ScenarioOptions> = {}): ScenarioOptions {
	return { seed: 11, count: 12, ticksPerSecond: 1, startTime: START_MS, anomalyRates: {}, ...over };
}

type Column = { t: number[]; v: number[] };

/** Each series' ticks in time order. */
function columns(out: TickBatch, seriesCount: number): Column[] {
	const cols = Array.from({ length: seriesCount }, (): Column => ({ t: [], v: [] }));
	for (let k = 0; k < out.n; k++) {
		cols[out.ids[k]].t.push(out.t[k]);
		cols[out.ids[k]].v.push(out.v[k]);
	}
	return cols;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

function correlation(xs: number[], ys: number[]): number {
	const [mx, my] = [mean(xs), mean(ys)];
	let [sxy, sxx, syy] = [0, 0, 0];
	for (let k = 0; k < xs.length; k++) {
		sxy += (xs[k] - mx) * (ys[k] - my);
		sxx += (xs[k] - mx) ** 2;
		syy += (ys[k] - my) ** 2;
	}
	return sxy / Math.sqrt(sxx * syy);
}

/** Mean value per local solar hour (0..23) at a station `longitude` degrees east. */
function hourlyProfile({ t, v }: Column, longitude: number): number[] {
	const sums = new Array<number>(24).fill(0);
	const counts = new Array<number>(24).fill(0);
	for (let k = 0; k < t.length; k++) {
		const local = (((t[k] + longitude * 240_000) % DAY_MS) + DAY_MS) % DAY_MS;
		const hour = Math.floor(local / HOUR_MS);
		sums[hour] += v[k];
		counts[hour]++;
	}
	return sums.map((s, h) => s / counts[h]);
}

describe('WeatherScenario', () => {
	it('gives the same bytes however time is chunked, and other bytes for another seed', () => {
		const opts = options({ anomalyRates: EVERY_KIND });
		// 12 stations × 3 channels × 1/s = 36 ticks/s: 100,000 ticks take 46 min, more with dropouts.
		const spanMs = 55 * 60_000;
		const whole = runScenario(new WeatherScenario(opts), START_MS, spanMs);
		const hash = hashTicks(whole.out, 100_000);
		expect(hash.startsWith('100000:')).toBe(true);
		expect(whole.truths.length).toBeGreaterThan(100);
		for (const chunks of [7, 31]) {
			const chunked = runScenario(new WeatherScenario(opts), START_MS, spanMs, chunks);
			expect(hashTicks(chunked.out, 100_000)).toBe(hash);
			expect(chunked.truths).toEqual(whole.truths);
		}
		const other = runScenario(new WeatherScenario({ ...opts, seed: 12 }), START_MS, spanMs);
		expect(hashTicks(other.out, 100_000)).not.toBe(hash);
	});

	it('emits time-ordered readings on a 0.1 grid within each sensor range, under unique keys', () => {
		const scenario = new WeatherScenario(options());
		const { out } = runScenario(scenario, START_MS, 10 * 60_000);
		expect(out.n / 600).toBeCloseTo(12 * 3, 0);
		let backwards = 0;
		for (let k = 1; k < out.n; k++) if (out.t[k] < out.t[k - 1]) backwards++;
		for (const { t } of columns(out, 36)) {
			for (let k = 1; k < t.length; k++) if (t[k] <= t[k - 1]) backwards++;
		}
		expect(backwards).toBe(0);
		const bad: number[] = [];
		for (let k = 0; k < out.n; k++) {
			const { min, max } = WEATHER_CHANNELS[out.ids[k] % 3];
			const v = out.v[k];
			if (v !== Math.round(v * 10) / 10 || v < min || v > max) bad.push(v);
		}
		expect(bad).toEqual([]);
		expect(scenario.series.slice(0, 3)).toEqual([
			{ key: 'sim/weather/oslo/temperature', label: 'Oslo temp', unit: '°C', kind: 'sensor' },
			{ key: 'sim/weather/oslo/humidity', label: 'Oslo humidity', unit: '%', kind: 'sensor' },
			{ key: 'sim/weather/oslo/pressure', label: 'Oslo pressure', unit: 'hPa', kind: 'sensor' }
		]);
		expect(scenario.series[8].key).toBe('sim/weather/new-york/pressure');
		const many = new WeatherScenario(options({ count: 2000 }));
		expect(new Set(many.series.map((s) => s.key)).size).toBe(6000);
		const keyShape = /^sim\/weather\/[a-z0-9-]+\/(temperature|humidity|pressure)$/;
		expect(many.series.filter((s) => !keyShape.test(s.key))).toEqual([]);
		expect(() => new WeatherScenario(options({ count: 10_001 }))).toThrow(RangeError);
	});

	it('resumes from the last pressure and temperature it was given', () => {
		// Both within the 3.5 sd the weather states may reach at Oslo.
		const resume = new Map([
			['sim/weather/oslo/pressure', 998.5],
			['sim/weather/oslo/temperature', -1.5]
		]);
		const { out } = runScenario(new WeatherScenario(options({ resume })), START_MS, 1000);
		expect(Math.abs(out.v[0] - -1.5)).toBeLessThan(0.6);
		expect(Math.abs(out.v[2] - 998.5)).toBeLessThan(0.6);
	});

	describe('over eight days at one reading a minute', () => {
		const scenario = new WeatherScenario(options({ ticksPerSecond: 1 / 60 }));
		const cols = columns(runScenario(scenario, START_MS, 8 * DAY_MS).out, 36);

		it('is warmest in the afternoon and coldest near sunrise, local time', () => {
			scenario.stations.forEach(({ longitude }, k) => {
				const temp = hourlyProfile(cols[3 * k], longitude);
				expect(mean(temp.slice(13, 16)) - mean(temp.slice(3, 6))).toBeGreaterThan(2);
				const coldest = temp.indexOf(Math.min(...temp));
				const warmest = temp.indexOf(Math.max(...temp));
				expect(coldest).toBeGreaterThanOrEqual(3);
				expect(coldest).toBeLessThanOrEqual(8);
				expect(warmest).toBeGreaterThanOrEqual(12);
				expect(warmest).toBeLessThanOrEqual(17);
			});
		});

		it('turns humid as it cools, over the day', () => {
			scenario.stations.forEach(({ longitude }, k) => {
				const temp = hourlyProfile(cols[3 * k], longitude);
				const humidity = hourlyProfile(cols[3 * k + 1], longitude);
				expect(correlation(temp, humidity)).toBeLessThan(-0.8);
			});
		});

		it('keeps pressure and humidity in range, pressure falling as fronts bring moist air', () => {
			const channel = (c: number) => cols.filter((_, i) => i % 3 === c).flatMap((col) => col.v);
			const [humidity, pressure] = [channel(1), channel(2)];
			// Well inside the sensor ranges: the model itself never leans on clipping.
			expect(pressure.reduce((a, b) => Math.min(a, b))).toBeGreaterThan(960);
			expect(pressure.reduce((a, b) => Math.max(a, b))).toBeLessThan(1045);
			expect(humidity.reduce((a, b) => Math.min(a, b))).toBeGreaterThan(2);
			expect(humidity.reduce((a, b) => Math.max(a, b))).toBeLessThan(99.5);
		});

		it('lowers pressure and raises humidity together as fronts pass', () => {
			// Daily means with each station's own mean removed, pooled over stations.
			const pressure: number[] = [];
			const humidity: number[] = [];
			const daily = (v: number[]) =>
				Array.from({ length: 8 }, (_, d) => mean(v.slice(d * 1440, (d + 1) * 1440)));
			for (let k = 0; k < 12; k++) {
				const [p, h] = [daily(cols[3 * k + 2].v), daily(cols[3 * k + 1].v)];
				pressure.push(...p.map((x) => x - mean(p)));
				humidity.push(...h.map((x) => x - mean(h)));
			}
			expect(correlation(pressure, humidity)).toBeLessThan(-0.5);
		});
	});

	it('labels every injection it makes, of every kind, and alters nothing else', () => {
		const opts = options({ count: 3 });
		const spanMs = 2 * HOUR_MS;
		const clean = runScenario(new WeatherScenario(opts), START_MS, spanMs);
		const injected = runScenario(
			new WeatherScenario({ ...opts, anomalyRates: EVERY_KIND }),
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

		const cols = columns(injected.out, 9);
		const failures = injected.truths.filter(
			(truth) => truth.kind === 'sensor-failure' && truth.t1 <= START_MS + spanMs
		);
		expect(failures.length).toBeGreaterThan(10);
		for (const truth of failures) {
			const { min, max } = WEATHER_CHANNELS[truth.seriesId % 3];
			const { t, v } = cols[truth.seriesId];
			const shown = v.filter((_, k) => t[k] >= truth.t0 && t[k] <= truth.t1);
			expect(shown.length).toBe(Math.round((truth.t1 - truth.t0) / 1000) + 1);
			expect(shown.every((x) => x === shown[0] && (x === min || x === max))).toBe(true);
		}
	});
});
