import type { AnomalyKind, Truth } from '../../domain/anomaly';
import type { SeriesKind } from '../../domain/series';
import type { TickBatch } from '../../domain/tick-batch';

export type ScenarioName = 'markets' | 'liquidations' | 'gait' | 'weather';

export const SCENARIO_NAMES: readonly ScenarioName[] = ['markets', 'liquidations', 'gait', 'weather'];

/** One simulated series as the scenario declares it; index in `series` = local series index. */
export interface SimSeriesSpec {
	key: string;
	label: string;
	unit: string;
	kind: SeriesKind;
}

/** Expected injections per series per hour of simulated time, by kind (missing = 0). */
export type AnomalyRates = Partial<Record<AnomalyKind, number>>;

export interface ScenarioOptions {
	/** Same seed and options → the same ticks and truths, byte for byte. */
	seed: number;
	/** Units the scenario simulates: instruments, symbols, patients or stations (1..10,000). */
	count: number;
	/** Ticks per second per series (for event scenarios: the mean event rate per symbol). */
	ticksPerSecond: number;
	/** Simulated epoch ms of the first tick. */
	startTime: number;
	anomalyRates: AnomalyRates;
	/** No injection in a series' first N ticks, so detectors have warmed up (default 60). */
	warmupTicks?: number;
	/** Resume: the last value of a series (by key), where the scenario has a state to carry on. */
	resume?: ReadonlyMap<string, number>;
}

/**
 * A seeded generator of ticks in simulated time. `advance` emits every tick with time <= until,
 * in nondecreasing time order, into `out` (ids = local series index) and pushes a Truth for
 * every injection it starts (seriesId = local index, id = 0: the caller assigns ids). Chunking
 * time differently must not change the stream. No allocation per tick.
 */
export interface SimScenario {
	readonly name: ScenarioName;
	readonly series: readonly SimSeriesSpec[];
	advance(until: number, out: TickBatch, truths: Truth[]): number;
}

/** Per-scenario defaults and the noun the UI uses for its units. */
export interface ScenarioInfo {
	name: ScenarioName;
	title: string;
	unitNoun: string;
	defaultCount: number;
	defaultTicksPerSecond: number;
	/** Kinds this scenario can inject (sensor failure only where there is a sensor range). */
	kinds: readonly AnomalyKind[];
}

/** Refuses a count outside 1..maxCount or a rate that is not a positive finite number. */
export function checkScenarioOptions(options: ScenarioOptions, maxCount: number): void {
	const { count, ticksPerSecond } = options;
	if (!Number.isInteger(count) || count < 1 || count > maxCount) {
		throw new RangeError(`count must be an integer in 1..${maxCount}, got ${count}`);
	}
	if (!(ticksPerSecond > 0 && Number.isFinite(ticksPerSecond))) {
		throw new RangeError(`ticksPerSecond must be > 0, got ${ticksPerSecond}`);
	}
}
