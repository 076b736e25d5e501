import type { SeriesKind } from '../domain/series';
import type { Detector, DetectorFactory, DetectorOptions } from './detector';
import { adaptToKind } from './kind-adapter';
import { RollingOrderStatistics } from './order-statistics';
import { RangeDetector } from './range-extremes';
import { RelativeEntropyDetector } from './relative-entropy';
import { EwmaDetector } from './ewma';
import { CusumDetector } from './cusum';
import { ScoreCalibration } from './score-calibration';
import { clampScore, clampSensitivity, scoreToZ, zToScore } from './score-map';

/**
 * Where each component alarms, in its own units; the ensemble's statistic u is the largest
 * component statistic divided by its alarm level, so u = 1 means "some component is at its alarm".
 * Infinity leaves a component out.
 */
export interface EnsembleParams {
	/** EWMA span (ticks) and the |z| of one tick against it that alarms. */
	ewmaSpan: number;
	zAlarm: number;
	/** New-extreme excess score (range-extremes.ts scale) that alarms. */
	rangeAlarm: number;
	/** Rolling window of the local range, and its calibrated excess (σ above its usual) that alarms. */
	localWindow: number;
	localAlarm: number;
	/** Calibrated relative-entropy surprise (σ above its usual) that alarms. */
	entropyAlarm: number;
	/** CUSUM sum (σ-ticks) that alarms. */
	cusumAlarm: number;
	/** Span (ticks) of the running score distributions the calibrated components are measured against. */
	calibrationSpan: number;
	/** After an alarm (u ≥ 1), ticks during which only a larger u than the alarm's counts in full. */
	quietTicks: number;
	/** Factor on u during the quiet ticks. */
	quietFactor: number;
}

/** Excess of a value beyond the local range that scores 0.5, as in range-extremes.ts. */
const EXCESS_HALF = 0.05;
/** Local range needs this many values before it means anything. */
const LOCAL_WARMUP = 30;
/** u at sensitivity 0 and 1: flag at 2.5× (little) down to 0.4× (a lot) of the tuned alarm levels. */
const U_AT_SENSITIVITY_0 = 2.5;
const U_AT_SENSITIVITY_1 = 0.4;
/** Band half-width in EW σ at the default threshold where no z component is tuned (6σ as elsewhere). */
const BAND_Z = 6;

/**
 * Tuned per kind (same for every series of a kind). Prices are judged on their steps, where
 * injected spikes and shifts are ≥ 8σ and natural jumps ≤ 5σ: a step z of 6.5 carries it; a
 * CUSUM at 40 σ-ticks watches for runs of same-signed steps (the simulator's drifts, 0.03–0.2σ a
 * step under GARCH noise, stay below it: drift recall is 0). Log volumes: z 4.7 (volume spikes are 3.5–7σ; 4.5 gave 44
 * false alarms in 17 instrument-hours, 5 missed a quarter). Sensors (10 ticks/s here): z 6.5, new
 * extremes beyond 12% of the range and a CUSUM: ~1 flag per 10,000 ticks of clean noise. Plain
 * values were tuned on NAB's development split (65.9 standard): new extremes beyond 1.3% of the
 * range, local-range breaks and unseen distributions (the last two calibrated against their own
 * history), with a 200-tick quiet spell after an alarm. That is ~1.3 flags per 1,000 ticks of
 * white noise: NAB's series are 5-minute samples whose records are mostly real events.
 */
export const ENSEMBLE_PARAMS: Readonly<Record<SeriesKind, Readonly<EnsembleParams>>> = {
	price: { ewmaSpan: 100, zAlarm: 6.5, rangeAlarm: Infinity, localWindow: 300, localAlarm: Infinity, entropyAlarm: Infinity, cusumAlarm: 40, calibrationSpan: 500, quietTicks: 0, quietFactor: 1 },
	volume: { ewmaSpan: 100, zAlarm: 4.7, rangeAlarm: Infinity, localWindow: 300, localAlarm: Infinity, entropyAlarm: Infinity, cusumAlarm: Infinity, calibrationSpan: 500, quietTicks: 0, quietFactor: 1 },
	sensor: { ewmaSpan: 200, zAlarm: 6.5, rangeAlarm: 0.7, localWindow: 300, localAlarm: Infinity, entropyAlarm: Infinity, cusumAlarm: 40, calibrationSpan: 1000, quietTicks: 0, quietFactor: 1 },
	value: { ewmaSpan: 500, zAlarm: Infinity, rangeAlarm: 0.21, localWindow: 500, localAlarm: 73, entropyAlarm: 10, cusumAlarm: Infinity, calibrationSpan: 1000, quietTicks: 200, quietFactor: 0.4 }
};

/**
 * The default detector: several views of the same ticks, each scaled to its alarm level and the
 * largest taken. A tick is unusual if it is far from the EW mean (spikes), beyond the range seen
 * so far or the recent range (new extremes), part of a window unlike any seen (changed
 * distribution), or the end of a run of small same-signed deviations (CUSUM: shifts, drifts).
 * Surprise components are calibrated against their own history in this stream. Score =
 * u / (1 + u): 0.5 at an alarm level. Band: the EWMA's mean ± the z a threshold stands for.
 */
export class EnsembleDetector implements Detector {
	readonly name = 'ensemble';
	threshold: number;
	private readonly params: EnsembleParams;
	private readonly ewma: EwmaDetector;
	private readonly range: RangeDetector;
	/** Left out (null) where the kind does not use them: 12 kB a series adds up over 20,000 series. */
	private readonly local: RollingOrderStatistics | null;
	private readonly entropy: RelativeEntropyDetector | null;
	private readonly cusum: CusumDetector;
	private readonly localCalibration: ScoreCalibration;
	private readonly entropyCalibration: ScoreCalibration;
	private quietLeft = 0;
	private alarmU = 0;

	constructor(params: EnsembleParams, threshold = ensembleThreshold(0.5)) {
		this.params = params;
		this.threshold = threshold;
		this.ewma = new EwmaDetector({ span: params.ewmaSpan });
		this.range = new RangeDetector();
		this.local = params.localAlarm === Infinity ? null : new RollingOrderStatistics(params.localWindow);
		this.entropy = params.entropyAlarm === Infinity ? null : new RelativeEntropyDetector();
		// Threshold 1: the sums reset at the tuned alarm level whatever the person's sensitivity.
		this.cusum = new CusumDetector({ fullScale: params.cusumAlarm === Infinity ? 1 : params.cusumAlarm, threshold: 1 });
		this.localCalibration = new ScoreCalibration(params.calibrationSpan);
		this.entropyCalibration = new ScoreCalibration(params.calibrationSpan);
	}

	get expected(): number {
		return this.ewma.expected;
	}
	get lower(): number {
		return this.ewma.lower;
	}
	get upper(): number {
		return this.ewma.upper;
	}

	update(t: number, x: number): number {
		if (x - x !== 0) return 0;
		const p = this.params;
		// The band the person sees: the EWMA's at the |z| this threshold stands for on the z component.
		const thresholdU = this.threshold >= 1 ? Infinity : this.threshold / (1 - this.threshold);
		this.ewma.threshold = zToScore((p.zAlarm === Infinity ? BAND_Z : p.zAlarm) * thresholdU);
		const z = scoreToZ(this.ewma.update(t, x));
		// Skipped, not divided: ∞ / ∞ (a 1e12 jump against a left-out z) would make u NaN.
		let u = p.zAlarm === Infinity ? 0 : z / p.zAlarm;
		if (p.rangeAlarm !== Infinity) u = Math.max(u, this.range.update(t, x) / p.rangeAlarm);
		if (this.local !== null) u = Math.max(u, this.localCalibration.calibrate(this.localExcess(this.local, x)) / p.localAlarm);
		if (this.entropy !== null) u = Math.max(u, this.entropyCalibration.calibrate(this.entropy.update(t, x)) / p.entropyAlarm);
		// The CUSUM resets at its alarm level, so its score is already S / alarm.
		if (p.cusumAlarm !== Infinity) u = Math.max(u, this.cusum.update(t, x));
		if (this.quietLeft > 0) {
			this.quietLeft--;
			if (u <= this.alarmU) u *= p.quietFactor;
		}
		if (u >= 1 && this.quietLeft === 0 && p.quietTicks > 0) {
			this.quietLeft = p.quietTicks;
			this.alarmU = u;
		}
		// 1 − 1/(1 + u) = u / (1 + u), but also 1 (not ∞/∞) for an infinite u.
		return u > 0 ? clampScore(1 - 1 / (1 + u)) : 0;
	}

	reset(): void {
		this.ewma.reset();
		this.range.reset();
		this.local?.clear();
		this.entropy?.reset();
		this.cusum.reset();
		this.localCalibration.reset();
		this.entropyCalibration.reset();
		this.quietLeft = 0;
		this.alarmU = 0;
	}

	/** Excess of x beyond the recent window's range, as e / (e + 0.05); pushes x afterwards. */
	private localExcess(local: RollingOrderStatistics, x: number): number {
		let score = 0;
		if (local.length >= LOCAL_WARMUP) {
			const lo = local.select(0);
			const hi = local.select(local.length - 1);
			const range = hi - lo;
			const excess = range > 0 ? (x > hi ? x - hi : x < lo ? lo - x : 0) / range : 0;
			score = excess / (excess + EXCESS_HALF);
		}
		local.push(x);
		return score;
	}
}

function ensembleThreshold(sensitivity: number): number {
	const u = U_AT_SENSITIVITY_0 * Math.pow(U_AT_SENSITIVITY_1 / U_AT_SENSITIVITY_0, clampSensitivity(sensitivity));
	return u / (1 + u);
}

export const ensembleFactory: DetectorFactory = {
	name: 'ensemble',
	title: 'Ensemble (default)',
	description: 'Combines spikes, new extremes, changed distributions and level shifts, each calibrated to this series; the default.',
	create(options: DetectorOptions): Detector {
		const threshold = ensembleThreshold(options.sensitivity ?? 0.5);
		return adaptToKind(options.kind, new EnsembleDetector(ENSEMBLE_PARAMS[options.kind], threshold));
	},
	thresholdFor: ensembleThreshold
};
