import type { Truth } from '../../domain/anomaly';
import type { TickBatch } from '../../domain/tick-batch';
import { Injector } from './injector';
import { SCENARIOS } from './scenario-info';
import { NormalBlock, Random } from './random';
import {
	checkScenarioOptions,
	type ScenarioInfo,
	type ScenarioName,
	type ScenarioOptions,
	type SimScenario,
	type SimSeriesSpec
} from './scenario';

/** Scenario contract: 1..10,000 units (60,000 series here). */
const MAX_PATIENTS = 10000;
/** Heel, midfoot and toe under each foot, left foot first. */
const SENSORS_PER_FOOT = 3;
const SENSORS_PER_PATIENT = 2 * SENSORS_PER_FOOT;
const SIDES = ['left', 'right'] as const;
const REGIONS = ['heel', 'midfoot', 'toe'] as const;
/** A 10-bit ADC: unloaded reads 0, saturated reads 1023. */
const ADC_MAX_COUNTS = 1023;
/** Mean stride (two steps) per patient: comfortable walking is ~90–120 steps a minute. */
const STRIDE_MIN_MS = 1000;
const STRIDE_MAX_MS = 1300;
/** Every step (half a stride) has its own duration: sd 3 % of the mean, capped at ±8 %. */
const STEP_JITTER = 0.03;
const STEP_JITTER_MAX = 0.08;
/** Every foot contact loads with its own strength: sd 4 %, capped at ±10 %. */
const LOAD_JITTER = 0.04;
const LOAD_JITTER_MAX = 0.1;
/** Share of the stride a foot is on the ground; in the swing (the other ~40 %) it reads 0. */
const STANCE_SHARE = 0.6;
/**
 * Where each region's raised-cosine bump sits within the stance, as [start, end] shares: heel at
 * heel strike (peak at 22 %), midfoot in mid-stance (45 %), toe at push-off (75 %).
 */
const BUMPS: readonly (readonly [number, number])[] = [
	[0, 0.45],
	[0.1, 0.8],
	[0.5, 1]
];
/** Peak counts per region before weight and jitter: 820 × 1.1 × 1.1 ≈ 990 stays under 1023. */
const GAIN_RANGES_COUNTS: readonly (readonly [number, number])[] = [
	[620, 820],
	[250, 450],
	[520, 760]
];
const WEIGHT_MIN = 0.85;
const WEIGHT_MAX = 1.1;
/** Loaded sensors are noisy (1 count plus 1.5 % of the load); an unloaded FSR reads exactly 0. */
const NOISE_FLOOR_COUNTS = 1;
const NOISE_SHARE = 0.015;
/** Injection unit = peak / 40: a spike of 8–15 units is 20–40 % of the sensor's peak. */
const PEAK_PER_SCALE = 40;
/** Waveform table entries over the stance; linear interpolation keeps the error < 0.1 count. */
const TABLE_SIZE = 1024;
/** The injector's stream is salted apart from the model's. */
const INJECTOR_SALT = 0x2545f491;

/** Bump shapes per region over the stance, TABLE_SIZE + 1 entries each (the last closes it). */
const WAVE = (() => {
	const table = new Float64Array(REGIONS.length * (TABLE_SIZE + 1));
	BUMPS.forEach(([a, b], r) => {
		for (let k = 0; k <= TABLE_SIZE; k++) {
			const s = k / TABLE_SIZE;
			const bump = 0.5 - 0.5 * Math.cos((2 * Math.PI * (s - a)) / (b - a));
			table[r * (TABLE_SIZE + 1) + k] = s > a && s < b ? bump : 0;
		}
	});
	return table;
})();

/**
 * Foot-pressure insoles: per patient, heel, midfoot and toe sensors under each foot (0–1023
 * counts). Each patient walks at their own cadence with per-step jitter; the feet are half a
 * stride apart; within a stance the heel loads first, then the midfoot, then the toe. Ticks are
 * scheduled in rounds of 1000 / ticksPerSecond ms, every series once per round at a fixed phase,
 * visited in phase order: time-ordered output, one model stream however `advance` chunks time.
 * `options.resume` is ignored: a walk has no level to carry on.
 */
export class GaitScenario implements SimScenario {
	static readonly info: ScenarioInfo = SCENARIOS.gait;

	readonly name: ScenarioName = 'gait';
	readonly series: readonly SimSeriesSpec[];
	/** Mean stride period of each patient, ms. */
	readonly strideMs: Float64Array;
	private readonly rng: Random;
	private readonly injector: Injector;
	private readonly startTime: number;
	private readonly roundMs: number;
	/** Offset of each series (= slot) from its round start, ms; increasing. */
	private readonly phaseMs: Float64Array;
	/** Peak counts of each sensor. */
	private readonly gain: Float64Array;
	/** Per patient: position in the stride (cycles, [0, 1), 0 = left heel strike) and when it was. */
	private readonly gaitPhase: Float64Array;
	private readonly clockMs: Float64Array;
	/** Per patient: the current step's pace, as the stride period it would make. */
	private readonly paceMs: Float64Array;
	/** Per patient: 1 once the right heel has struck in this stride. */
	private readonly secondHalf: Uint8Array;
	/** Per patient and foot (2p + side): the current contact's load factor. */
	private readonly footLoad: Float64Array;
	/** Model normals (see NormalBlock for why not Random.normal per tick). */
	private readonly normals: NormalBlock;
	private round = 0;
	private slot = 0;
	private lastT = -Infinity;

	constructor(options: ScenarioOptions) {
		const { count, ticksPerSecond } = options;
		checkScenarioOptions(options, MAX_PATIENTS);
		const n = count * SENSORS_PER_PATIENT;
		this.rng = new Random(options.seed);
		this.normals = new NormalBlock(this.rng);
		this.startTime = options.startTime;
		this.roundMs = 1000 / ticksPerSecond;
		this.injector = new Injector({
			seed: options.seed ^ INJECTOR_SALT,
			seriesCount: n,
			ticksPerSecond,
			rates: options.anomalyRates,
			kinds: GaitScenario.info.kinds,
			warmupTicks: options.warmupTicks ?? 60,
			persistent: false,
			quantum: 1,
			min: 0,
			max: ADC_MAX_COUNTS
		});
		this.strideMs = new Float64Array(count);
		this.gaitPhase = new Float64Array(count);
		this.clockMs = new Float64Array(count).fill(options.startTime);
		this.paceMs = new Float64Array(count);
		this.secondHalf = new Uint8Array(count);
		this.footLoad = new Float64Array(2 * count);
		this.gain = new Float64Array(n);
		this.phaseMs = new Float64Array(n);

		const rng = this.rng;
		const width = Math.max(2, String(count).length);
		const series: SimSeriesSpec[] = [];
		for (let p = 0; p < count; p++) {
			const patient = `P${String(p + 1).padStart(width, '0')}`;
			const weight = WEIGHT_MIN + (WEIGHT_MAX - WEIGHT_MIN) * rng.next();
			for (let side = 0; side < 2; side++) {
				for (let r = 0; r < SENSORS_PER_FOOT; r++) {
					const i = p * SENSORS_PER_PATIENT + side * SENSORS_PER_FOOT + r;
					const [lo, hi] = GAIN_RANGES_COUNTS[r];
					this.gain[i] = weight * (lo + (hi - lo) * rng.next());
					this.injector.scale[i] = this.gain[i] / PEAK_PER_SCALE;
					series.push({
						key: `sim/gait/${patient}/${SIDES[side]}-${REGIONS[r]}`,
						label: `${patient} ${side === 0 ? 'L' : 'R'} ${REGIONS[r]}`,
						unit: 'counts',
						kind: 'sensor'
					});
				}
			}
			this.strideMs[p] = STRIDE_MIN_MS + (STRIDE_MAX_MS - STRIDE_MIN_MS) * rng.next();
			this.gaitPhase[p] = rng.next();
			this.secondHalf[p] = this.gaitPhase[p] >= 0.5 ? 1 : 0;
			this.paceMs[p] = this.strideMs[p] * jitter(this.normals.next(), STEP_JITTER, STEP_JITTER_MAX);
			this.footLoad[2 * p] = jitter(this.normals.next(), LOAD_JITTER, LOAD_JITTER_MAX);
			this.footLoad[2 * p + 1] = jitter(this.normals.next(), LOAD_JITTER, LOAD_JITTER_MAX);
		}
		this.series = series;
		for (let s = 0; s < n; s++) this.phaseMs[s] = (s * this.roundMs) / n;
	}

	advance(until: number, out: TickBatch, truths: Truth[]): number {
		const { phaseMs, gain, gaitPhase, clockMs, paceMs, secondHalf, footLoad, strideMs } = this;
		const injector = this.injector;
		const n = phaseMs.length;
		let round = this.round;
		let slot = this.slot;
		let lastT = this.lastT;
		let roundStart = this.startTime + round * this.roundMs;
		let emitted = 0;
		for (;;) {
			let t = roundStart + phaseMs[slot];
			if (t > until) break;
			// Float rounding at extreme rates could put a slot a hair before the previous one.
			if (t < lastT) t = lastT;
			const p = (slot / SENSORS_PER_PATIENT) | 0;
			const sensor = slot - p * SENSORS_PER_PATIENT;

			// Move the patient's stride clock to t; each heel strike (0 left, ½ right) starts a new
			// step with its own pace and that foot's new load.
			let phase = gaitPhase[p] + (t - clockMs[p]) / paceMs[p];
			clockMs[p] = t;
			while (phase >= (secondHalf[p] === 1 ? 1 : 0.5)) {
				const side = secondHalf[p] === 1 ? 0 : 1;
				if (side === 0) phase -= 1;
				secondHalf[p] = side;
				footLoad[2 * p + side] = jitter(this.normals.next(), LOAD_JITTER, LOAD_JITTER_MAX);
				paceMs[p] = strideMs[p] * jitter(this.normals.next(), STEP_JITTER, STEP_JITTER_MAX);
			}
			gaitPhase[p] = phase;

			const side = sensor < SENSORS_PER_FOOT ? 0 : 1;
			let footPhase = phase + 0.5 * side;
			if (footPhase >= 1) footPhase -= 1;
			let clean = 0;
			if (footPhase < STANCE_SHARE) {
				const x = (footPhase / STANCE_SHARE) * TABLE_SIZE;
				const k = x | 0;
				const at = (sensor - side * SENSORS_PER_FOOT) * (TABLE_SIZE + 1) + k;
				const shape = WAVE[at] + (x - k) * (WAVE[at + 1] - WAVE[at]);
				const load = shape * gain[slot] * footLoad[2 * p + side];
				if (load > 0) {
					const noise = (NOISE_FLOOR_COUNTS + NOISE_SHARE * load) * this.normals.next();
					const v = Math.round(load + noise);
					clean = v < 0 ? 0 : v > ADC_MAX_COUNTS ? ADC_MAX_COUNTS : v;
				}
			}

			const pushed = truths.length;
			const shown = injector.apply(slot, t, clean, truths);
			// A one-tick injection clipped to nothing (a downward spike on a foot in the air still
			// reads 0) altered no tick: a truth for it would be an anomaly nobody could see.
			if (truths.length > pushed && shown === clean && truths[pushed].t1 === t) truths.pop();
			if (!Number.isNaN(shown)) {
				out.push(slot, t, shown);
				emitted++;
			}
			lastT = t;
			if (++slot === n) {
				slot = 0;
				round++;
				roundStart = this.startTime + round * this.roundMs;
			}
		}
		this.round = round;
		this.slot = slot;
		this.lastT = lastT;
		return emitted;
	}


}

/** 1 plus `share` times the standard normal `z`, capped at ±`max` so no step is absurd. */
function jitter(z: number, share: number, max: number): number {
	const d = share * z;
	return 1 + (d < -max ? -max : d > max ? max : d);
}
