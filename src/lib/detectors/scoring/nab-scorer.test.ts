import { describe, expect, it } from 'vitest';
import { Random } from '../../sources/simulator/random';
import { NAB_PROFILES, optimizeThreshold, scaledSigmoid, scoreCorpus, scoreFile, sweepScores, type ScoringFile } from './nab-scorer';

/*
 * Hand arithmetic used below. NAB's scaledSigmoid(x) = 2·σ(−5x) − 1 = −tanh(2.5x) for x ≤ 3, −1 beyond.
 * MAX_TP = scaledSigmoid(−1) = tanh 2.5 = 0.98661430. A window [s, e] has width w = e − s + 1.
 *   TP at row i: tpWeight · scaledSigmoid(−(e − i + 1)/w) / MAX_TP
 *   FP at row i after a window: fpWeight · scaledSigmoid((i − e)/(w − 1)); before any window: −fpWeight
 * Most cases use 100 rows (probation = floor(15) = 15 rows: 0…14) and one window [40, 49] (w = 10).
 */
const STD = NAB_PROFILES.standard;
const LOW_FP = NAB_PROFILES.reward_low_FP_rate;
const LOW_FN = NAB_PROFILES.reward_low_FN_rate;
const ONE: ScoringFile = { rows: 100, windows: [[40, 49]] };

/** Scores of 0 except `value` at the given rows. */
function scoresAt(rows: number, at: readonly number[], value = 1): Float64Array {
	const s = new Float64Array(rows);
	for (const i of at) s[i] = value;
	return s;
}

describe('scaledSigmoid', () => {
	it('matches NAB’s documented points, with the flat −1 only strictly beyond 3', () => {
		expect(scaledSigmoid(-1)).toBeCloseTo(0.98661, 5);
		expect(scaledSigmoid(-0.5)).toBeCloseTo(0.84828, 5);
		expect(scaledSigmoid(0)).toBe(0);
		expect(scaledSigmoid(1)).toBeCloseTo(-0.98661, 5);
		// At exactly 3 NAB still uses the sigmoid: −tanh 7.5 = −0.99999939, not −1.
		expect(scaledSigmoid(3)).toBeCloseTo(-0.9999993882, 10);
		expect(scaledSigmoid(3.0001)).toBe(-1);
	});
});

describe('scoreFile, one window [40, 49] in 100 rows', () => {
	it('a detection on the window’s first row earns exactly tpWeight', () => {
		// −(49 − 40 + 1)/10 = −1 → MAX_TP / MAX_TP = 1.
		const s = scoreFile(ONE, scoresAt(100, [40]), 0.5, STD);
		expect(s.raw).toBe(1);
		expect(s).toMatchObject({ tp: 1, fn: 9, fp: 0, tn: 75, windows: 1, detectedWindows: 1 });
	});

	it('a detection on the last row earns little', () => {
		// −(49 − 49 + 1)/10 = −0.1 → tanh 0.25 / tanh 2.5 = 0.24491866 / 0.98661430 = 0.24824155.
		expect(scoreFile(ONE, scoresAt(100, [49]), 0.5, STD).raw).toBeCloseTo(0.24824155, 8);
	});

	it('a detection in the middle: −(49 − 45 + 1)/10 = −0.5 → 0.84828364 / 0.98661430 = 0.85979257', () => {
		expect(scoreFile(ONE, scoresAt(100, [45]), 0.5, STD).raw).toBeCloseTo(0.85979257, 8);
	});

	it('only the first of two detections in a window counts, and the second is no FP', () => {
		// Rows 45 and 47: credit of row 45 only (0.85979257; row 47 alone would be 0.64376622).
		const s = scoreFile(ONE, scoresAt(100, [45, 47]), 0.5, STD);
		expect(s.raw).toBeCloseTo(0.85979257, 8);
		expect(s).toMatchObject({ tp: 2, fp: 0, detectedWindows: 1 });
	});

	it('a missed window costs fnWeight (2 in the low-FN profile)', () => {
		expect(scoreFile(ONE, scoresAt(100, []), 0.5, STD).raw).toBe(-1);
		expect(scoreFile(ONE, scoresAt(100, []), 0.5, LOW_FN).raw).toBe(-2);
	});

	it('a FP right after the window is cheap, weighted by its distance in (w − 1) rows', () => {
		// Row 50: (50 − 49)/9 → −tanh(0.2778) = −0.27084712; × 0.11 = −0.02979318; window missed: −1.
		expect(scoreFile(ONE, scoresAt(100, [50]), 0.5, STD).raw).toBeCloseTo(-1.02979318, 8);
		// × 0.22 = −0.05958637 in the low-FP profile.
		expect(scoreFile(ONE, scoresAt(100, [50]), 0.5, LOW_FP).raw).toBeCloseTo(-1.05958637, 8);
		// Row 58: 9/9 = 1 → −0.98661430 × 0.11 = −0.10852757.
		expect(scoreFile(ONE, scoresAt(100, [58]), 0.5, STD).raw).toBeCloseTo(-1.10852757, 8);
	});

	it('a FP far from any window costs the full fpWeight', () => {
		// Row 90: 41/9 = 4.56 > 3 → −1 × 0.11. Row 20 precedes every window → −0.11 too.
		expect(scoreFile(ONE, scoresAt(100, [90]), 0.5, STD).raw).toBeCloseTo(-1.11, 12);
		expect(scoreFile(ONE, scoresAt(100, [20]), 0.5, STD).raw).toBeCloseTo(-1.11, 12);
		// Row 76: 27/9 = 3 exactly, still on the sigmoid: −0.99999939 × 0.11 = −0.10999993.
		expect(scoreFile(ONE, scoresAt(100, [76]), 0.5, STD).raw).toBeCloseTo(-1.10999993, 8);
		const s = scoreFile(ONE, scoresAt(100, [20, 90]), 0.5, STD);
		expect(s).toMatchObject({ tp: 0, fn: 10, fp: 2, tn: 73 });
	});

	it('ignores detections in probation (rows 0…14 of 100), not row 15', () => {
		expect(scoreFile(ONE, scoresAt(100, [0, 7, 14]), 0.5, STD)).toMatchObject({ raw: -1, fp: 0, tn: 75 });
		expect(scoreFile(ONE, scoresAt(100, [15]), 0.5, STD).raw).toBeCloseTo(-1.11, 12);
	});

	it('a detection is a score ≥ threshold (NaN never is)', () => {
		expect(scoreFile(ONE, scoresAt(100, [40], 0.5), 0.5, STD).raw).toBe(1);
		expect(scoreFile(ONE, scoresAt(100, [40], 0.4999), 0.5, STD).raw).toBe(-1);
		// Threshold 0 detects every 0 score; the NaN on row 40 stays undetected, so row 41 is the TP.
		expect(scoreFile(ONE, scoresAt(100, [40], Number.NaN), 0, STD)).toMatchObject({ tp: 9, fn: 1, fp: 75 });
	});

	it('rejects scores of the wrong length', () => {
		expect(() => scoreFile(ONE, new Float64Array(99), 0.5, STD)).toThrow(/99 scores for 100 rows/);
	});
});

describe('scoreFile, several windows and probation edges', () => {
	it('weights a FP by the closest PRECEDING window', () => {
		// Windows [20, 29] and [60, 69], both w = 10, both detected on their first row: +1 +1.
		// FP at 35: (35 − 29)/9 = 0.667 → −0.93110961 × 0.11 = −0.10242206; FP at 75: (75 − 69)/9 → same.
		// 2 − 2 · 0.10242206 = 1.79515589.
		const file: ScoringFile = { rows: 100, windows: [[20, 29], [60, 69]] };
		const s = scoreFile(file, scoresAt(100, [20, 35, 60, 75]), 0.5, STD);
		expect(s.raw).toBeCloseTo(1.79515589, 7);
		expect(s).toMatchObject({ detectedWindows: 2, fp: 2 });
	});

	it('a window partly in probation keeps its full width; its probation rows cannot detect', () => {
		// Window [10, 20], w = 11. Row 12 is in probation (ignored); row 16: −(20 − 16 + 1)/11 = −0.4545
		// → tanh(1.1364)/tanh 2.5 = 0.82421874.
		const file: ScoringFile = { rows: 100, windows: [[10, 20]] };
		expect(scoreFile(file, scoresAt(100, [12]), 0.5, STD).raw).toBe(-1);
		expect(scoreFile(file, scoresAt(100, [12, 16]), 0.5, STD).raw).toBeCloseTo(0.82421874, 8);
	});

	it('a window wholly in probation adds nothing to the raw score, as in NAB’s sweeper', () => {
		const file: ScoringFile = { rows: 100, windows: [[5, 10]] };
		// FP at 12 is in probation; FP at 30: (30 − 10)/5 = 4 > 3 → −0.11.
		expect(scoreFile(file, scoresAt(100, [12]), 0.5, STD)).toMatchObject({ raw: 0, windows: 0 });
		expect(scoreFile(file, scoresAt(100, [30]), 0.5, STD).raw).toBeCloseTo(-0.11, 12);
	});

	it('caps probation at 750 rows', () => {
		// 10,000 rows: 0.15 · 10,000 = 1500, capped to 750, so row 800 is scored, row 749 is not.
		const file: ScoringFile = { rows: 10_000, windows: [] };
		expect(scoreFile(file, scoresAt(10_000, [749]), 0.5, STD).fp).toBe(0);
		expect(scoreFile(file, scoresAt(10_000, [800]), 0.5, STD).fp).toBe(1);
	});
});

describe('sweepScores', () => {
	it('gives NAB’s per-row S(t): −fpWeight before windows, TP weights inside, FP weights after', () => {
		const s = sweepScores(ONE, STD);
		expect(s[0]).toBeCloseTo(-0.11, 12);
		expect(s[39]).toBeCloseTo(-0.11, 12);
		expect(s[40]).toBe(1);
		expect(s[49]).toBeCloseTo(0.24824155, 8);
		expect(s[50]).toBeCloseTo(-0.02979318, 8);
		expect(s[99]).toBeCloseTo(-0.11, 12);
	});
});

describe('scoreCorpus normalisation', () => {
	const files: ScoringFile[] = [ONE, { rows: 100, windows: [] }, { rows: 200, windows: [[60, 79], [120, 139]] }];
	const none = files.map((f) => new Float64Array(f.rows));
	const perfect = files.map((f) => scoresAt(f.rows, f.windows.map(([start]) => start)));

	it('puts the null detector at 0 and the perfect detector at 100 in every profile', () => {
		for (const profile of [STD, LOW_FP, LOW_FN]) {
			const nul = scoreCorpus(files, none, 0.5, profile);
			expect(nul.raw).toBe(-3 * profile.fnWeight);
			expect(nul.normalized).toBe(0);
			const best = scoreCorpus(files, perfect, 0.5, profile);
			expect(best.raw).toBe(3);
			expect(best.normalized).toBe(100);
		}
	});

	it('normalises 100 · (raw + fnWeight · W) / ((tpWeight + fnWeight) · W), per profile', () => {
		// Early TP in ONE (+1), FP far in the empty file (row 50: −fpWeight), both windows of the third missed.
		const scores = [scoresAt(100, [40]), scoresAt(100, [50]), new Float64Array(200)];
		// standard: 1 − 0.11 − 2 = −1.11 → 100 · (−1.11 + 3)/6 = 31.5
		expect(scoreCorpus(files, scores, 0.5, STD)).toMatchObject({ tp: 1, fp: 1, detectedWindows: 1, windows: 3 });
		expect(scoreCorpus(files, scores, 0.5, STD).normalized).toBeCloseTo(31.5, 10);
		// low FP: 1 − 0.22 − 2 = −1.22 → 100 · 1.78/6 = 29.6667
		expect(scoreCorpus(files, scores, 0.5, LOW_FP).normalized).toBeCloseTo(29.666667, 5);
		// low FN: 1 − 0.11 − 4 = −3.11 → 100 · (−3.11 + 6)/9 = 32.1111
		expect(scoreCorpus(files, scores, 0.5, LOW_FN).normalized).toBeCloseTo(32.111111, 5);
	});

	it('rejects a score list that does not match the files', () => {
		expect(() => scoreCorpus(files, none.slice(1), 0.5, STD)).toThrow(/2 score arrays for 3 files/);
	});
});

describe('optimizeThreshold', () => {
	it('finds the best threshold among the distinct scores (hand case)', () => {
		// Row 40 (window start) 0.6, row 90 (far FP) 0.9, the rest 0.
		// ≥ 0.9: −1 − 0.11 = −1.11; ≥ 0.6: 1 − 0.11 = 0.89; ≥ 0: every row detected, 74 more FPs.
		const scores = scoresAt(100, [40], 0.6);
		scores[90] = 0.9;
		const best = optimizeThreshold([ONE], [scores], STD);
		expect(best.threshold).toBe(0.6);
		expect(best.raw).toBeCloseTo(0.89, 12);
		expect(best.normalized).toBeCloseTo(94.5, 10);
	});

	it('keeps the higher threshold when two give the same score, as NAB’s stable sort does', () => {
		// Row 45 at 0.5 is later in an already detected window: ≥ 0.5 scores the same as ≥ 0.6.
		const scores = scoresAt(100, [40], 0.6);
		scores[45] = 0.5;
		expect(optimizeThreshold([ONE], [scores], STD)).toMatchObject({ threshold: 0.6, raw: 1 });
	});

	it('returns Infinity when detecting nothing is best, and ignores probation and NaN', () => {
		const scores = scoresAt(100, [90], 0.9);
		scores[40] = Number.NaN;
		scores[5] = 1; // probation
		expect(optimizeThreshold([ONE], [scores], STD)).toMatchObject({ threshold: Infinity, raw: -1, normalized: 0 });
	});

	it('matches brute force over every distinct score, and scoreCorpus at the threshold it returns', () => {
		const rng = new Random(7);
		const files: ScoringFile[] = [
			{ rows: 300, windows: [[100, 129], [200, 229]] },
			{ rows: 150, windows: [] },
			{ rows: 400, windows: [[60, 99], [300, 300]] }
		];
		for (let trial = 0; trial < 20; trial++) {
			// Coarse scores (20 levels) so ties and repeated levels occur; a bump inside windows.
			const scores = files.map((f) => {
				const s = new Float64Array(f.rows);
				for (let i = 0; i < f.rows; i++) {
					const inWindow = f.windows.some(([a, b]) => a <= i && i <= b);
					s[i] = Math.floor((rng.next() ** (inWindow ? 0.3 : 3)) * 20) / 20;
				}
				return s;
			});
			for (const profile of [STD, LOW_FP, LOW_FN]) {
				const found = optimizeThreshold(files, scores, profile);
				let brute = scoreCorpus(files, scores, Infinity, profile).raw;
				for (const t of new Set(scores.flatMap((s) => Array.from(s)))) {
					brute = Math.max(brute, scoreCorpus(files, scores, t, profile).raw);
				}
				expect(found.raw).toBeCloseTo(brute, 10);
				expect(scoreCorpus(files, scores, found.threshold, profile).raw).toBeCloseTo(found.raw, 10);
			}
		}
	});
});
