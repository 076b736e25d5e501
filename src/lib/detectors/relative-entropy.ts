import type { Detector, DetectorFactory, DetectorOptions } from './detector';
import { adaptToKind } from './kind-adapter';
import { clampScore, clampSensitivity } from './score-map';

export interface RelativeEntropyOptions {
	/** Values per compared window, default 52 (Wang et al.'s NAB setting). */
	window?: number;
	/** Known patterns kept; the least used is replaced by a new one. Default 16. */
	patterns?: number;
	/** The quantisation range relaxes by 1/forgetTicks per tick (see range-extremes.ts); default 20,000. */
	forgetTicks?: number;
	threshold?: number;
}

/** Bins of the quantised values (NAB's relative-entropy detector uses 5). */
const BINS = 5;
/** χ²(4) at p = 0.01: a window whose G statistic against a pattern is below this agrees with it. */
const AGREE_G = 13.277;
/** Pseudo-count per bin of a stored pattern, so a bin it never saw costs a finite, large surprise. */
const PSEUDO_COUNT = 0.1;
/**
 * Score = G / (G + AGREE_G): 0.5 where a window stops agreeing with every pattern. Windows slide
 * one value per tick, so a change shows as a G just past χ²₀.₉₉ (the new window then becomes a
 * pattern and its successors agree with it): the threshold sits at the agreement level.
 */
const G_HALF_PER_AGREE = 1;
/** Flag when the nearest known pattern is 1.6× (sensitivity 0) down to 1/1.6 (sensitivity 1) of the agreement level. */
const G_AT_SENSITIVITY_0 = 1.6;
const G_AT_SENSITIVITY_1 = 1 / 1.6;

/**
 * Relative entropy with multiple hypotheses (Wang et al. 2011, as in NAB): values are quantised
 * into 5 bins over the range seen so far; the last 52 form a histogram, compared by
 * G = 2·Σ cᵢ ln(cᵢ / (W·pᵢ)) with every stored pattern pᵢ. The nearest pattern within χ²₀.₉₉ is
 * "what usually happens"; a window that matches none is new behaviour and becomes a pattern
 * itself. Counts use a c·ln c table, so a tick costs patterns × bins multiply-adds, no logs.
 */
export class RelativeEntropyDetector implements Detector {
	readonly name = 'entropy';
	threshold: number;
	expected = NaN;
	lower = NaN;
	upper = NaN;
	private readonly window: number;
	private readonly maxPatterns: number;
	private readonly forget: number;
	private readonly bins: Uint8Array;
	private readonly counts: Int32Array;
	private readonly cLogC: Float64Array;
	/** Per pattern, per bin: ln of its smoothed probability. */
	private readonly logP: Float64Array;
	private readonly uses: Float64Array;
	private patterns = 0;
	private head = 0;
	private n = 0;
	private hi = -Infinity;
	private lo = Infinity;
	private centre = 0;

	constructor(options: RelativeEntropyOptions = {}) {
		this.window = options.window ?? 52;
		this.maxPatterns = options.patterns ?? 16;
		this.forget = 1 / (options.forgetTicks ?? 20_000);
		this.threshold = options.threshold ?? entropyThreshold(0.5);
		this.bins = new Uint8Array(this.window);
		this.counts = new Int32Array(BINS);
		this.cLogC = new Float64Array(this.window + 1);
		for (let c = 1; c <= this.window; c++) this.cLogC[c] = c * Math.log(c);
		this.logP = new Float64Array(this.maxPatterns * BINS);
		this.uses = new Float64Array(this.maxPatterns);
	}

	update(_t: number, x: number): number {
		if (x - x !== 0) return 0;
		if (this.n === 0) this.centre = x;
		const range = this.hi - this.lo;
		const bin = range > 0 ? Math.min(BINS - 1, Math.max(0, Math.floor(((x - this.lo) / range) * BINS))) : 0;
		this.expected = this.centre;
		this.lower = this.lo;
		this.upper = this.hi;
		this.hi = x > this.hi ? x : this.hi - this.forget * (this.hi - this.centre);
		this.lo = x < this.lo ? x : this.lo - this.forget * (this.lo - this.centre);
		this.centre += 0.01 * (x - this.centre);

		const w = this.window;
		if (this.n >= w) this.counts[this.bins[this.head]]--;
		this.bins[this.head] = bin;
		this.counts[bin]++;
		if (++this.head === w) this.head = 0;
		this.n++;
		if (this.n < w) return 0;

		// G against pattern i = 2·(Σ c ln c − W ln W − Σ c ln pᵢ).
		const counts = this.counts;
		let own = -this.cLogC[w];
		for (let b = 0; b < BINS; b++) own += this.cLogC[counts[b]];
		let best = Infinity;
		let bestAt = -1;
		for (let i = 0; i < this.patterns; i++) {
			let cross = 0;
			const base = i * BINS;
			for (let b = 0; b < BINS; b++) cross += counts[b] * this.logP[base + b];
			const g = 2 * (own - cross);
			if (g < best) {
				best = g;
				bestAt = i;
			}
		}
		if (bestAt >= 0 && best < AGREE_G) {
			this.uses[bestAt]++;
			return 0;
		}
		this.store();
		// The first window only starts the catalogue: nothing to be surprised against yet.
		if (bestAt < 0) return 0;
		return clampScore(best / (best + AGREE_G * G_HALF_PER_AGREE));
	}

	reset(): void {
		this.counts.fill(0);
		this.patterns = 0;
		this.uses.fill(0);
		this.head = 0;
		this.n = 0;
		this.hi = -Infinity;
		this.lo = Infinity;
		this.centre = 0;
		this.expected = NaN;
		this.lower = NaN;
		this.upper = NaN;
	}

	/** Stores the current window as a pattern, replacing the least used one when full. */
	private store(): void {
		let at = this.patterns;
		if (at === this.maxPatterns) {
			at = 0;
			for (let i = 1; i < this.maxPatterns; i++) if (this.uses[i] < this.uses[at]) at = i;
		} else {
			this.patterns++;
		}
		const total = this.window + BINS * PSEUDO_COUNT;
		for (let b = 0; b < BINS; b++) this.logP[at * BINS + b] = Math.log((this.counts[b] + PSEUDO_COUNT) / total);
		this.uses[at] = 1;
	}
}

function entropyThreshold(sensitivity: number): number {
	const g = AGREE_G * G_AT_SENSITIVITY_0 * Math.pow(G_AT_SENSITIVITY_1 / G_AT_SENSITIVITY_0, clampSensitivity(sensitivity));
	return g / (g + AGREE_G * G_HALF_PER_AGREE);
}

export const entropyFactory: DetectorFactory = {
	name: 'entropy',
	title: 'Relative entropy',
	description: 'Compares the last 52 values’ distribution with the patterns seen before; flags behaviour not seen yet.',
	create(options: DetectorOptions): Detector {
		return adaptToKind(options.kind, new RelativeEntropyDetector({ threshold: entropyThreshold(options.sensitivity ?? 0.5) }));
	},
	thresholdFor: entropyThreshold
};
