import type { AnomalyKind } from '../../domain/anomaly';
import type { AnomalyRates, ScenarioName } from './scenario';
import { SCENARIO_NAMES } from './scenario';
import { SCENARIOS } from './scenario-info';

/** Everything a person can set about the simulator; persisted, and applied without a reload. */
export interface SimulatorSettings {
	scenario: ScenarioName;
	seed: number;
	/** Units: instruments, symbols, patients or stations. */
	count: number;
	/** Per series (event scenarios: mean events per second per symbol). */
	ticksPerSecond: number;
	/** Expected injections per series per hour of simulated time, by kind. */
	anomalyRates: AnomalyRates;
	/** Simulated time runs this many times faster than the wall clock. */
	speed: number;
	paused: boolean;
	/** Off: no simulated series at all (feeds only). */
	enabled: boolean;
}

export const COUNT_MAX = 10_000;
export const SPEEDS = [1, 10, 60, 600] as const;
/** Per series per hour for each kind by default: a few per series per hour in all. */
export const DEFAULT_RATE_PER_KIND = 1;
const RATE_MAX = 36_000;
const TICKS_PER_SECOND_MIN = 0.01;
const TICKS_PER_SECOND_MAX = 1000;

export function defaultRates(scenario: ScenarioName, perKind = DEFAULT_RATE_PER_KIND): AnomalyRates {
	const rates: AnomalyRates = {};
	for (const kind of SCENARIOS[scenario].kinds) rates[kind] = perKind;
	return rates;
}

export function defaultSimulatorSettings(scenario: ScenarioName = 'markets'): SimulatorSettings {
	const info = SCENARIOS[scenario];
	return {
		scenario,
		seed: 1,
		count: info.defaultCount,
		ticksPerSecond: info.defaultTicksPerSecond,
		anomalyRates: defaultRates(scenario),
		speed: 1,
		paused: false,
		enabled: true
	};
}

/** Settings with every field present and in range; unusable values fall back to defaults. */
export function normalizeSimulatorSettings(input: Partial<SimulatorSettings>): SimulatorSettings {
	const scenario = SCENARIO_NAMES.includes(input.scenario as ScenarioName) ? (input.scenario as ScenarioName) : 'markets';
	const base = defaultSimulatorSettings(scenario);
	const num = (v: unknown, min: number, max: number, fallback: number) =>
		typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max ? v : fallback;
	const rates: AnomalyRates = {};
	for (const kind of SCENARIOS[scenario].kinds) {
		rates[kind] = num(input.anomalyRates?.[kind as AnomalyKind], 0, RATE_MAX, DEFAULT_RATE_PER_KIND);
	}
	return {
		scenario,
		seed: Math.floor(num(input.seed, 0, 2 ** 32 - 1, base.seed)),
		count: Math.floor(num(input.count, 1, COUNT_MAX, base.count)),
		ticksPerSecond: num(input.ticksPerSecond, TICKS_PER_SECOND_MIN, TICKS_PER_SECOND_MAX, base.ticksPerSecond),
		anomalyRates: rates,
		speed: num(input.speed, 0.1, 10_000, 1),
		paused: input.paused === true,
		enabled: input.enabled !== false
	};
}
