import type { Truth } from '../../domain/anomaly';
import type { TickBatch } from '../../domain/tick-batch';
import type { SimScenario } from './scenario';
import { createScenario } from './scenarios';
import type { SimulatorSettings } from './settings';
import { SimClock } from './sim-clock';

/**
 * Most ticks one `advance` may emit; the engine advances every 10 ms, so ~200,000 ticks/s.
 * A simulator that falls behind its clock (the worker was busy for a moment) catches up at up to
 * this many ticks per advance, so a tick's time stays its creation time. Only a backlog of more
 * than MAX_BACKLOG_ADVANCES advances — a rate the tab cannot keep up with (600× on 100
 * instruments asks for 1.2 M ticks/s) — pulls the clock back: simulated time then slows down
 * instead of a backlog growing without bound.
 */
export const MAX_TICKS_PER_ADVANCE = 2000;
export const MAX_BACKLOG_ADVANCES = 50;

/** The simulator as a live source: a scenario driven by a simulated clock (speed, pause). */
export class SimulatorSource {
	readonly settings: SimulatorSettings;
	readonly scenario: SimScenario;
	readonly clock: SimClock;
	/** Simulated time the scenario has been advanced to. */
	private reached: number;
	/** How far one advance may go, simulated ms, from the scenario's tick rate. */
	private readonly maxStepMs: number;

	/**
	 * `startAfter` gets the scenario's series keys and says how early it may start: after the
	 * newest stored tick of those series, so each series' time only moves forward.
	 */
	constructor(
		settings: SimulatorSettings,
		options: {
			wallNow: number;
			startAfter: (keys: readonly string[]) => number;
			resume?: ReadonlyMap<string, number>;
			warmupTicks?: number;
		}
	) {
		this.settings = settings;
		const create = (startTime: number) =>
			createScenario(settings.scenario, {
				seed: settings.seed,
				count: settings.count,
				ticksPerSecond: settings.ticksPerSecond,
				startTime,
				anomalyRates: settings.anomalyRates,
				warmupTicks: options.warmupTicks,
				resume: options.resume
			});
		// Keys depend on scenario, seed and count only; build again if it must start later.
		let scenario = create(options.wallNow);
		const simStart = Math.max(options.wallNow, options.startAfter(scenario.series.map((s) => s.key)));
		if (simStart !== options.wallNow) scenario = create(simStart);
		this.scenario = scenario;
		this.clock = new SimClock({
			simStart,
			wallNow: options.wallNow,
			speed: settings.speed,
			paused: settings.paused
		});
		this.reached = simStart;
		const ticksPerMs = (this.scenario.series.length * settings.ticksPerSecond) / 1000;
		this.maxStepMs = MAX_TICKS_PER_ADVANCE / Math.max(ticksPerMs, 1e-9);
	}

	/** Simulated time now. */
	now(wall: number): number {
		return Math.min(this.clock.now(wall), this.reached + this.maxStepMs);
	}

	advance(wall: number, out: TickBatch, truths: Truth[]): number {
		const target = this.clock.now(wall);
		const until = Math.min(target, this.reached + this.maxStepMs);
		if (target - until > this.maxStepMs * MAX_BACKLOG_ADVANCES) this.clock.holdAt(until, wall);
		if (until <= this.reached) return 0;
		this.reached = until;
		return this.scenario.advance(until, out, truths);
	}
}
