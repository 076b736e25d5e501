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

/** One measured quantity of every station: its sensor's range and resolution. */
export interface WeatherChannel {
	id: 'temperature' | 'humidity' | 'pressure';
	label: string;
	unit: string;
	/** Sensor range: outputs are clipped to it and a failed sensor reads one end. */
	min: number;
	max: number;
	/** Resolution of the readings. */
	quantum: number;
}

/** Series order within a station: temperature, humidity, pressure. */
export const WEATHER_CHANNELS: readonly WeatherChannel[] = [
	// A common station thermometer range.
	{ id: 'temperature', label: 'temp', unit: '°C', min: -40, max: 60, quantum: 0.1 },
	{ id: 'humidity', label: 'humidity', unit: '%', min: 0, max: 100, quantum: 0.1 },
	// Sea-level pressure (QNH), so high stations read like the rest.
	{ id: 'pressure', label: 'pressure', unit: 'hPa', min: 950, max: 1050, quantum: 0.1 }
];

export interface WeatherStation {
	name: string;
	slug: string;
	/** Degrees east; sets the station's local solar time. */
	longitude: number;
	latitude: number;
}

/** Scenario contract: 1..10,000 units. */
const MAX_STATIONS = 10000;
const CHANNELS = WEATHER_CHANNELS.length;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** Solar time runs 4 minutes per degree of longitude. */
const MS_PER_DEGREE = 240_000;
/** Time-of-day tables at one entry per minute, linearly interpolated. */
const MINUTES_PER_DAY = 1440;
/** Local solar hours of the daily temperature minimum (near sunrise) and maximum. */
const T_MIN_HOUR = 6;
const T_MAX_HOUR = 15;
/** The semi-diurnal pressure tide peaks near 10:00 and 22:00 local. */
const TIDE_PEAK_HOUR = 10;
/** Fronts: an Ornstein–Uhlenbeck state (sd 1) per station; weather systems pass in 1–2 days. */
const FRONT_TIME_SCALE_MS = 1.5 * DAY_MS;
/** Air mass temperature anomaly: a second OU state, a little slower than fronts. */
const AIR_MASS_TIME_SCALE_MS = 2 * DAY_MS;
/**
 * Both states are seen through a 6 h low-pass: a bare OU process would move pressure by ~1.6 hPa
 * at random every hour, where real tendencies are ~1–2 hPa per 3 h.
 */
const SMOOTHING_TIME_SCALE_MS = 6 * HOUR_MS;
/** Sd of (OU state − its low-pass) for a 6 h low-pass of a 36 h OU: √(6 / 42). */
const SMOOTHING_LAG_SD = 0.38;
/** States are kept within ±3.5 sd so pressure stays well inside 950–1050 hPa. */
const STATE_LIMIT = 3.5;
/** Per unit of front state: pressure falls 7 hPa, humidity rises 8 %. */
const FRONT_PRESSURE_HPA = 7;
const FRONT_HUMIDITY_PCT = 8;
/** Air mass anomaly sd: day-to-day temperature swings of ~2–3 °C. */
const AIR_MASS_TEMP_C = 2.5;
/** Cloud under a strong front (state ≥ 2) flattens the daily temperature cycle by 35 %. */
const CLOUD_DAMPING = 0.35;
/** At a constant dew point, relative humidity falls ~3.5 % per °C of warming. */
const HUMIDITY_PER_C = 3.5;
/** Humidity saturates softly towards 3 % and 99 %, linear between 15 % and 85 %. */
const HUMIDITY_LOW_PCT = 15;
const HUMIDITY_HIGH_PCT = 85;
const HUMIDITY_FLOOR_PCT = 3;
const HUMIDITY_CEILING_PCT = 99;
/** Sea-level pressure means spread ±4 hPa around the standard 1013.25. */
const PRESSURE_MEAN_HPA = 1013.25;
const PRESSURE_SPREAD_HPA = 4;
/**
 * Noise per reading (turbulence, gusts), sd in each channel's unit: 2–4 resolution steps. At one
 * step, 3 of ~9,000 stuck injections (5+ ticks) matched the clean readings exactly; at two, none.
 */
const NOISE = [0.2, 0.4, 0.2] as const;
const INJECTOR_SALTS = [0x3c6ef372, 0x1b873593, 0x7f4a7c15] as const;
const NAME_SALT = 0x68e31da4;

/** A station's place and climate: yearly means of temperature, its daily range, and humidity. */
type Site = readonly [
	name: string,
	longitude: number,
	latitude: number,
	meanC: number,
	dailyRangeC: number,
	meanHumidityPct: number
];

/** Real cities with rounded climate normals; the first 12 (the default count) span the globe. */
const CITIES: readonly Site[] = [
	['Oslo', 10.75, 59.91, 6.3, 7, 73],
	['Tokyo', 139.69, 35.69, 15.4, 7, 68],
	['New York', -74.01, 40.71, 13, 8, 63],
	['Cairo', 31.24, 30.04, 22, 12, 56],
	['Sydney', 151.21, -33.87, 18, 8, 68],
	['Denver', -104.99, 39.74, 10.5, 15, 52],
	['Mumbai', 72.88, 19.08, 27.2, 6, 73],
	['London', -0.13, 51.51, 11.3, 8, 77],
	['Sao Paulo', -46.63, -23.55, 19.5, 8, 78],
	['Singapore', 103.82, 1.35, 27.5, 7, 84],
	['Honolulu', -157.86, 21.31, 25, 6, 68],
	['Moscow', 37.62, 55.76, 6, 7, 76],
	['Reykjavik', -21.94, 64.15, 4.7, 5, 78],
	['Dublin', -6.26, 53.35, 9.8, 7, 81],
	['Lisbon', -9.14, 38.72, 17.4, 8, 70],
	['Madrid', -3.7, 40.42, 15, 13, 57],
	['Paris', 2.35, 48.86, 12.3, 8, 74],
	['Berlin', 13.4, 52.52, 10, 8, 75],
	['Vienna', 16.37, 48.21, 11, 8, 70],
	['Rome', 12.5, 41.9, 15.7, 10, 72],
	['Athens', 23.73, 37.98, 18.5, 8, 62],
	['Helsinki', 24.94, 60.17, 6, 6, 79],
	['Istanbul', 28.98, 41.01, 15, 7, 72],
	['Nairobi', 36.82, -1.29, 19, 11, 70],
	['Dubai', 55.27, 25.2, 28, 10, 60],
	['Delhi', 77.21, 28.61, 25, 12, 58],
	['Bangkok', 100.5, 13.76, 28.6, 8, 74],
	['Beijing', 116.41, 39.9, 12.9, 11, 56],
	['Perth', 115.86, -31.95, 18.5, 11, 58],
	['Seoul', 126.98, 37.57, 12.5, 8, 64],
	['Auckland', 174.76, -36.85, 15, 7, 78],
	['Anchorage', -149.9, 61.22, 3, 7, 70],
	['Vancouver', -123.12, 49.28, 10.5, 6, 78],
	['San Francisco', -122.42, 37.77, 14.5, 7, 73],
	['Mexico City', -99.13, 19.43, 17, 13, 58],
	['Chicago', -87.63, 41.88, 10.5, 9, 70],
	['Bogota', -74.07, 4.71, 14, 11, 78],
	['Lima', -77.04, -12.05, 19.5, 6, 82],
	['Santiago', -70.67, -33.45, 14.5, 15, 65],
	['Buenos Aires', -58.38, -34.6, 18, 9, 72],
	['Lagos', 3.38, 6.52, 27, 7, 82],
	['Cape Town', 18.42, -33.92, 17, 10, 72]
];
/** Beyond the list, stations get made-up names such as Ashford or Upper Kelmoor. */
const NAME_HEADS = 'Ash Bel Brad Cal Dun Els Fair Glen Hal Kel Kirk Lin Mar Nor Ros Wes'.split(' ');
const NAME_TAILS = 'by dale field ford ham haven mere moor port stead ton wick worth'.split(' ');
const NAME_PREFIXES = 'Upper Lower North South East West New Old Port Mount'.split(' ');

/** Daily temperature shape in [-1, 1] (−1 at T_MIN_HOUR, +1 at T_MAX_HOUR) and the tide shape. */
const DIURNAL = new Float64Array(MINUTES_PER_DAY + 1);
const TIDE = new Float64Array(MINUTES_PER_DAY + 1);
for (let m = 0; m <= MINUTES_PER_DAY; m++) {
	const h = m / 60;
	const sinceMin = (h - T_MIN_HOUR + 24) % 24;
	const warming = T_MAX_HOUR - T_MIN_HOUR;
	// Warming over 9 h, cooling over the other 15: both half-cosines, so the curve is smooth.
	DIURNAL[m] =
		sinceMin < warming
			? -Math.cos((Math.PI * sinceMin) / warming)
			: Math.cos((Math.PI * (sinceMin - warming)) / (24 - warming));
	TIDE[m] = Math.cos((2 * Math.PI * (h - TIDE_PEAK_HOUR)) / 12);
}

/**
 * Weather stations: temperature, relative humidity and sea-level pressure per station, driven by
 * the local solar time (daily cycle, pressure tide), slow fronts and air masses, and sensor noise.
 * Rounds of 1000 / ticksPerSecond ms, every series once per round at a fixed phase: time-ordered
 * output, one model stream however `advance` chunks time.
 */
export class WeatherScenario implements SimScenario {
	static readonly info: ScenarioInfo = SCENARIOS.weather;

	readonly name: ScenarioName = 'weather';
	readonly series: readonly SimSeriesSpec[];
	readonly stations: readonly WeatherStation[];
	private readonly rng: Random;
	/** One per channel, each with its own range; indexed by series like everything else. */
	private readonly injectors: readonly Injector[];
	private readonly startTime: number;
	private readonly roundMs: number;
	private readonly phaseMs: Float64Array;
	/** Per station: solar time offset (ms), climate, and the two OU states. */
	private readonly offsetMs: Float64Array;
	private readonly meanC: Float64Array;
	private readonly halfRangeC: Float64Array;
	private readonly meanHumidity: Float64Array;
	private readonly meanHpa: Float64Array;
	private readonly tideHpa: Float64Array;
	private readonly frontDrive: Float64Array;
	private readonly front: Float64Array;
	private readonly airMassDrive: Float64Array;
	private readonly airMass: Float64Array;
	/** Per series: the clean reading of the current round. */
	private readonly cleanNow: Float64Array;
	/** OU step per round: decay factor and innovation sd; then the low-pass's share per round. */
	private readonly frontDecay: number;
	private readonly frontKick: number;
	private readonly massDecay: number;
	private readonly massKick: number;
	private readonly smoothing: number;
	/** Model normals (see NormalBlock for why not Random.normal per tick). */
	private readonly normals: NormalBlock;
	private round = 0;
	private slot = 0;
	private lastT = -Infinity;

	constructor(options: ScenarioOptions) {
		const { count, ticksPerSecond } = options;
		checkScenarioOptions(options, MAX_STATIONS);
		const n = count * CHANNELS;
		this.rng = new Random(options.seed);
		this.normals = new NormalBlock(this.rng);
		this.startTime = options.startTime;
		this.roundMs = 1000 / ticksPerSecond;
		this.frontDecay = Math.exp(-this.roundMs / FRONT_TIME_SCALE_MS);
		this.frontKick = Math.sqrt(1 - this.frontDecay * this.frontDecay);
		this.massDecay = Math.exp(-this.roundMs / AIR_MASS_TIME_SCALE_MS);
		this.massKick = Math.sqrt(1 - this.massDecay * this.massDecay);
		this.smoothing = 1 - Math.exp(-this.roundMs / SMOOTHING_TIME_SCALE_MS);
		this.injectors = WEATHER_CHANNELS.map(
			(channel, c) =>
				new Injector({
					seed: options.seed ^ INJECTOR_SALTS[c],
					seriesCount: n,
					ticksPerSecond,
					rates: options.anomalyRates,
					kinds: WeatherScenario.info.kinds,
					warmupTicks: options.warmupTicks ?? 60,
					persistent: false,
					quantum: channel.quantum,
					min: channel.min,
					max: channel.max
				})
		);
		this.phaseMs = new Float64Array(n);
		this.cleanNow = new Float64Array(n);
		for (let s = 0; s < n; s++) this.phaseMs[s] = (s * this.roundMs) / n;
		const perStation = () => new Float64Array(count);
		this.offsetMs = perStation();
		this.meanC = perStation();
		this.halfRangeC = perStation();
		this.meanHumidity = perStation();
		this.meanHpa = perStation();
		this.tideHpa = perStation();
		this.frontDrive = perStation();
		this.front = perStation();
		this.airMassDrive = perStation();
		this.airMass = perStation();

		const rng = this.rng;
		const nameRng = new Random(options.seed ^ NAME_SALT);
		const taken = new Set<string>();
		const stations: WeatherStation[] = [];
		const series: SimSeriesSpec[] = [];
		for (let k = 0; k < count; k++) {
			const city = k < CITIES.length ? CITIES[k] : madeUpStation(nameRng, taken);
			const [name, longitude, latitude, meanC, rangeC, humidity] = city;
			const slug = slugOf(name);
			taken.add(slug);
			stations.push({ name, slug, longitude, latitude });
			for (const channel of WEATHER_CHANNELS) {
				series.push({
					key: `sim/weather/${slug}/${channel.id}`,
					label: `${name} ${channel.label}`,
					unit: channel.unit,
					kind: 'sensor'
				});
			}
			this.offsetMs[k] = longitude * MS_PER_DEGREE;
			this.meanC[k] = meanC;
			this.halfRangeC[k] = rangeC / 2;
			this.meanHumidity[k] = humidity;
			this.meanHpa[k] = PRESSURE_MEAN_HPA + PRESSURE_SPREAD_HPA * (2 * rng.next() - 1);
			// The tide is ~1.3 hPa in the tropics and fades towards the poles (∝ cos³ latitude).
			this.tideHpa[k] = 0.2 + 1.1 * Math.cos((latitude * Math.PI) / 180) ** 3;
			this.front[k] = this.frontDrive[k] = clampState(this.normals.next());
			this.airMass[k] = this.airMassDrive[k] = clampState(this.normals.next());
			this.resume(k, series, options.resume);
			this.setScales(k);
		}
		this.stations = stations;
		this.series = series;
	}

	advance(until: number, out: TickBatch, truths: Truth[]): number {
		const { phaseMs, cleanNow, injectors } = this;
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
			if (slot === 0) this.stepWeather(roundStart);
			const shown = injectors[slot % CHANNELS].apply(slot, t, cleanNow[slot], truths);
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

	/**
	 * Moves every station's weather on by one round and sets the round's clean readings, with the
	 * time of day at the round start (later slots are < 1 round early: < 1 minute at 1/60 Hz).
	 * Batched per round to keep the per-tick loop small, so that V8 inlines injector.apply into
	 * it: as a real call, its double arguments and result are boxed on every tick.
	 */
	private stepWeather(roundStart: number): void {
		const { frontDrive, front, airMassDrive, airMass, smoothing, cleanNow } = this;
		for (let k = 0; k < front.length; k++) {
			const frontStep = this.frontKick * this.normals.next();
			const massStep = this.massKick * this.normals.next();
			frontDrive[k] = clampState(frontDrive[k] * this.frontDecay + frontStep);
			airMassDrive[k] = clampState(airMassDrive[k] * this.massDecay + massStep);
			front[k] += (frontDrive[k] - front[k]) * smoothing;
			airMass[k] += (airMassDrive[k] - airMass[k]) * smoothing;
			const local = (roundStart + this.offsetMs[k]) % DAY_MS;
			const x = ((local < 0 ? local + DAY_MS : local) / DAY_MS) * MINUTES_PER_DAY;
			const m = x | 0;
			const f = x - m;
			const shape = DIURNAL[m] + f * (DIURNAL[m + 1] - DIURNAL[m]);
			const dailyC = cloudFactor(front[k]) * this.halfRangeC[k] * shape;
			const tideHpa = this.tideHpa[k] * (TIDE[m] + f * (TIDE[m + 1] - TIDE[m]));
			const rh = this.meanHumidity[k] + FRONT_HUMIDITY_PCT * front[k] - HUMIDITY_PER_C * dailyC;
			const celsius = this.meanC[k] + AIR_MASS_TEMP_C * airMass[k] + dailyC;
			const hpa = this.meanHpa[k] + tideHpa - FRONT_PRESSURE_HPA * front[k];
			const i = k * CHANNELS;
			cleanNow[i] = celsius + NOISE[0] * this.normals.next();
			cleanNow[i + 1] = saturateHumidity(rh + NOISE[1] * this.normals.next());
			cleanNow[i + 2] = hpa + NOISE[2] * this.normals.next();
		}
	}



	/** Carry on from resumed readings: pressure sets the front, temperature the air mass. */
	private resume(k: number, series: readonly SimSeriesSpec[], last?: ReadonlyMap<string, number>) {
		const hpa = last?.get(series[k * CHANNELS + 2].key);
		const celsius = last?.get(series[k * CHANNELS].key);
		if (hpa === undefined && celsius === undefined) return;
		const local = (((this.startTime + this.offsetMs[k]) % DAY_MS) + DAY_MS) % DAY_MS;
		const m = Math.floor((local / DAY_MS) * MINUTES_PER_DAY);
		if (hpa !== undefined) {
			const calm = this.meanHpa[k] + this.tideHpa[k] * TIDE[m];
			this.front[k] = this.frontDrive[k] = clampState((calm - hpa) / FRONT_PRESSURE_HPA);
		}
		if (celsius !== undefined) {
			const daily = cloudFactor(this.front[k]) * this.halfRangeC[k] * DIURNAL[m];
			const anomaly = (celsius - this.meanC[k] - daily) / AIR_MASS_TEMP_C;
			this.airMass[k] = this.airMassDrive[k] = clampState(anomaly);
		}
	}

	/**
	 * Injection unit per series: the tick-to-tick change of noise (√2 σ) combined with the largest
	 * model change in one round (steepest daily slope, low-passed weather state), which matters at
	 * low tick rates.
	 */
	private setScales(k: number): void {
		const roundH = this.roundMs / HOUR_MS;
		const dailyStepC = ((this.halfRangeC[k] * Math.PI) / (T_MAX_HOUR - T_MIN_HOUR)) * roundH;
		const tideStepHpa = ((this.tideHpa[k] * 2 * Math.PI) / 12) * roundH;
		const ouStep = SMOOTHING_LAG_SD * this.smoothing;
		const steps = [
			Math.hypot(dailyStepC, AIR_MASS_TEMP_C * ouStep),
			Math.hypot(HUMIDITY_PER_C * dailyStepC, FRONT_HUMIDITY_PCT * ouStep),
			Math.hypot(tideStepHpa, FRONT_PRESSURE_HPA * ouStep)
		];
		for (let c = 0; c < CHANNELS; c++) {
			this.injectors[c].scale[k * CHANNELS + c] = Math.hypot(Math.SQRT2 * NOISE[c], steps[c]);
		}
	}
}

function clampState(x: number): number {
	return x < -STATE_LIMIT ? -STATE_LIMIT : x > STATE_LIMIT ? STATE_LIMIT : x;
}

/** Share of the daily temperature swing left under the front's cloud. */
function cloudFactor(front: number): number {
	return 1 - CLOUD_DAMPING * (front <= 0 ? 0 : front >= 2 ? 1 : front / 2);
}

/** Linear in the middle, approaching floor and ceiling exponentially: no flat clipped stretch. */
function saturateHumidity(rh: number): number {
	if (rh > HUMIDITY_HIGH_PCT) {
		const room = HUMIDITY_CEILING_PCT - HUMIDITY_HIGH_PCT;
		return HUMIDITY_HIGH_PCT + room * (1 - Math.exp(-(rh - HUMIDITY_HIGH_PCT) / room));
	}
	if (rh < HUMIDITY_LOW_PCT) {
		const room = HUMIDITY_LOW_PCT - HUMIDITY_FLOOR_PCT;
		return HUMIDITY_LOW_PCT - room * (1 - Math.exp(-(HUMIDITY_LOW_PCT - rh) / room));
	}
	return rh;
}

function slugOf(name: string): string {
	return name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}

/** A station with an unused made-up name, a random place and a climate to match its latitude. */
function madeUpStation(rng: Random, taken: ReadonlySet<string>): Site {
	let name = '';
	for (let attempt = 0; name === '' || taken.has(slugOf(name)); attempt++) {
		name = NAME_HEADS[rng.int(NAME_HEADS.length)] + NAME_TAILS[rng.int(NAME_TAILS.length)];
		if (attempt >= 8) name = `${NAME_PREFIXES[rng.int(NAME_PREFIXES.length)]} ${name}`;
		if (attempt >= 32) name = `${name} ${attempt}`;
	}
	const latitude = -55 + 120 * rng.next();
	// Roughly: 28 °C at the equator, 0.45 °C cooler per degree of latitude.
	const meanC = 28 - 0.45 * Math.abs(latitude) + 3 * (2 * rng.next() - 1);
	const longitude = -180 + 360 * rng.next();
	return [name, longitude, latitude, meanC, 5 + 9 * rng.next(), 45 + 40 * rng.next()];
}
