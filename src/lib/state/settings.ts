import { ANOMALY_KINDS } from '../domain/anomaly';
import type { SimulatorSettings } from '../engine/types';
import { SCENARIO_NAMES, type ScenarioName } from '../sources/simulator/scenario';

export const WINDOW_MIN = 50;
export const WINDOW_MAX = 100_000;
export const WINDOW_DEFAULT = 400;

/** Clamps a requested chart window to the supported range; non-numbers give the default. */
export function clampWindow(value: number): number {
	if (!Number.isFinite(value)) return WINDOW_DEFAULT;
	return Math.min(WINDOW_MAX, Math.max(WINDOW_MIN, Math.round(value)));
}

/**
 * Simulator settings from the address bar, so a scenario can be shared as a link:
 * `?scenario=gait&count=4&rate=50&seed=7&anomalies=60&speed=10`. `anomalies` sets the rate
 * of every kind (per series per hour); `series` is accepted for `count`. Values out of range or
 * not numbers are ignored (the engine falls back to stored or default settings).
 */
export function simulatorFromQuery(query: URLSearchParams): Partial<SimulatorSettings> {
	const out: Partial<SimulatorSettings> = {};
	const read = (name: string, min: number, max: number): number | undefined => {
		const raw = query.get(name);
		if (raw === null || raw.trim() === '') return undefined;
		const value = Number(raw);
		return Number.isFinite(value) && value >= min && value <= max ? value : undefined;
	};
	const scenario = query.get('scenario');
	if (scenario && (SCENARIO_NAMES as readonly string[]).includes(scenario)) out.scenario = scenario as ScenarioName;
	const seed = read('seed', 0, 2 ** 32 - 1);
	const count = read('count', 1, 10_000) ?? read('series', 1, 10_000);
	const ticksPerSecond = read('rate', 0.01, 1000);
	const anomalies = read('anomalies', 0, 36_000);
	const speed = read('speed', 0.1, 10_000);
	if (seed !== undefined) out.seed = Math.floor(seed);
	if (count !== undefined) out.count = Math.floor(count);
	if (ticksPerSecond !== undefined) out.ticksPerSecond = ticksPerSecond;
	if (anomalies !== undefined) {
		out.anomalyRates = Object.fromEntries(ANOMALY_KINDS.map((kind) => [kind, anomalies]));
	}
	if (speed !== undefined) out.speed = speed;
	const sim = query.get('sim');
	if (sim === 'off') out.enabled = false;
	if (sim === 'on') out.enabled = true;
	return out;
}

/** `?charts=N`: extra live charts to open at start (0 to 16). */
export function chartsFromQuery(query: URLSearchParams): number {
	const n = Number(query.get('charts') ?? 0);
	return Number.isFinite(n) ? Math.max(0, Math.min(16, Math.floor(n))) : 0;
}
