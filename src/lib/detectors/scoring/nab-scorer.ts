import { probationRows } from './nab-data';
import type { RowWindow } from './row-window';

/**
 * NAB scoring as NAB v1.1 does it (nab/sweeper.py, nab/scorer.py, nab/optimizer.py, and the
 * normalisation in nab/runner.py), on row indices.
 */

/** Weights of one NAB application profile (config/profiles.json; tnWeight is unused by NAB). */
export interface CostMatrix {
	tpWeight: number;
	fpWeight: number;
	fnWeight: number;
}

export type NabProfileName = 'standard' | 'reward_low_FP_rate' | 'reward_low_FN_rate';

/** The three profiles of NAB's config/profiles.json. */
export const NAB_PROFILES: Readonly<Record<NabProfileName, Readonly<CostMatrix>>> = Object.freeze({
	standard: Object.freeze({ tpWeight: 1, fpWeight: 0.11, fnWeight: 1 }),
	reward_low_FP_rate: Object.freeze({ tpWeight: 1, fpWeight: 0.22, fnWeight: 1 }),
	reward_low_FN_rate: Object.freeze({ tpWeight: 1, fpWeight: 0.11, fnWeight: 2 })
});

/** What the scorer needs of a file: its length and its truth windows (sorted, disjoint). */
export interface ScoringFile {
	rows: number;
	windows: readonly RowWindow[];
}

/** NAB's counts are of ROWS after probation, not of windows: tp = detected rows inside windows, etc. */
export interface FileScore {
	raw: number;
	tp: number;
	fp: number;
	fn: number;
	tn: number;
	/** Windows with at least one row after probation (the ones NAB scores). */
	windows: number;
	/** Of those, windows with a detection after probation. */
	detectedWindows: number;
}

export interface CorpusScore extends FileScore {
	/** 0 = the null detector (every window missed, no FP), 100 = one detection at each window's start. */
	normalized: number;
}

export interface ThresholdChoice {
	/** Detections are scores ≥ threshold; Infinity when detecting nothing scores best (NAB reports 1.1). */
	threshold: number;
	raw: number;
	normalized: number;
}

/**
 * NAB's scaled sigmoid of a position relative to a window's right edge (−1 = left edge → 0.98661,
 * 0 = right edge → 0, 1 = one window width after → −0.98661); beyond 3 widths a flat −1.
 */
export function scaledSigmoid(position: number): number {
	if (position > 3) return -1;
	// Same operations as NAB's 2*sigmoid(-5x) - 1 with sigmoid(x) = 1/(1+exp(-x)), for equal bits.
	return 2 * (1 / (1 + Math.exp(5 * position))) - 1;
}

/** scaledSigmoid(-1): NAB divides TP weights by it so a detection on a window's first row earns tpWeight. */
const MAX_TP = scaledSigmoid(-1);

/** 100 · (raw − null) / (perfect − null), null = −fnWeight per window, perfect = tpWeight per window. */
function normalize(raw: number, windows: number, profile: CostMatrix): number {
	const nullScore = -profile.fnWeight * windows;
	const perfect = profile.tpWeight * windows;
	return (100 * (raw - nullScore)) / (perfect - nullScore);
}

function checkLength(file: ScoringFile, scores: Float64Array): void {
	if (scores.length !== file.rows) throw new Error(`NAB scorer: ${scores.length} scores for ${file.rows} rows`);
}

/**
 * Per-row NAB weight ("S(t)" in NAB's results files), probation rows included as NAB writes them:
 * inside a window tpWeight · scaledSigmoid(−(end − i + 1)/width) / MAX_TP, after a window
 * fpWeight · scaledSigmoid((i − end)/(width − 1)), before any window −fpWeight.
 */
export function sweepScores(file: ScoringFile, profile: CostMatrix): Float64Array {
	const { tpWeight, fpWeight } = profile;
	const out = new Float64Array(file.rows);
	const windows = file.windows;
	const firstStart = windows.length > 0 ? windows[0][0] : file.rows;
	for (let i = 0; i < firstStart; i++) out[i] = -1 * fpWeight;
	for (let k = 0; k < windows.length; k++) {
		const [start, end] = windows[k];
		const width = end - start + 1;
		for (let i = start; i <= end; i++) out[i] = (scaledSigmoid(-(end - i + 1) / width) * tpWeight) / MAX_TP;
		const gapEnd = k + 1 < windows.length ? windows[k + 1][0] : file.rows;
		// A 1-row window gives width − 1 = 0: NAB would divide by zero; here x/0 = ∞ → the flat −1.
		for (let i = end + 1; i < gapEnd; i++) out[i] = scaledSigmoid(Math.abs(end - i) / (width - 1)) * fpWeight;
	}
	return out;
}

/**
 * Score one file at one threshold: detections are rows with score ≥ threshold outside probation.
 * Each window earns its earliest detection's weight, or −fnWeight if none; later detections in the
 * same window count nothing; every detection outside windows adds its (negative) FP weight.
 */
export function scoreFile(file: ScoringFile, scores: Float64Array, threshold: number, profile: CostMatrix): FileScore {
	checkLength(file, scores);
	const { tpWeight, fpWeight, fnWeight } = profile;
	const n = scores.length;
	const first = probationRows(n);
	const windows = file.windows;
	let fpSum = 0;
	let windowSum = 0;
	let tp = 0;
	let fp = 0;
	let fn = 0;
	let tn = 0;
	let scoredWindows = 0;
	let detectedWindows = 0;

	// Before the first window there is no window to be near: each FP costs the full fpWeight.
	const firstStart = windows.length > 0 ? windows[0][0] : n;
	for (let i = first; i < firstStart; i++) {
		if (scores[i] >= threshold) {
			fp++;
			fpSum += -1 * fpWeight;
		} else tn++;
	}

	for (let k = 0; k < windows.length; k++) {
		const [start, end] = windows[k];
		const width = end - start + 1;
		// A window wholly inside probation has no scorable row: NAB's sweeper never names it, so it
		// adds nothing, not even its FN (NAB's labeller deletes such windows anyway).
		if (end >= first) {
			scoredWindows++;
			let earliest = -1;
			for (let i = Math.max(start, first); i <= end; i++) {
				if (scores[i] >= threshold) {
					tp++;
					if (earliest < 0) earliest = i;
				} else fn++;
			}
			if (earliest < 0) windowSum += -fnWeight;
			else {
				detectedWindows++;
				// max() as NAB's sweeper keeps it; TP weights are positive so the earliest detection wins.
				windowSum += Math.max(-fnWeight, (scaledSigmoid(-(end - earliest + 1) / width) * tpWeight) / MAX_TP);
			}
		}
		const gapEnd = k + 1 < windows.length ? windows[k + 1][0] : n;
		for (let i = Math.max(end + 1, first); i < gapEnd; i++) {
			if (scores[i] >= threshold) {
				fp++;
				// Distance past THIS window (the closest preceding one) in units of its width − 1.
				fpSum += scaledSigmoid((i - end) / (width - 1)) * fpWeight;
			} else tn++;
		}
	}

	return { raw: fpSum + windowSum, tp, fp, fn, tn, windows: scoredWindows, detectedWindows };
}

function checkCorpus(files: readonly ScoringFile[], scoresPerFile: readonly Float64Array[]): void {
	if (files.length !== scoresPerFile.length) {
		throw new Error(`NAB scorer: ${scoresPerFile.length} score arrays for ${files.length} files`);
	}
}

/** Sum of scoreFile over files, normalised against the null and perfect detectors on these files. */
export function scoreCorpus(
	files: readonly ScoringFile[],
	scoresPerFile: readonly Float64Array[],
	threshold: number,
	profile: CostMatrix
): CorpusScore {
	checkCorpus(files, scoresPerFile);
	const total: FileScore = { raw: 0, tp: 0, fp: 0, fn: 0, tn: 0, windows: 0, detectedWindows: 0 };
	let allWindows = 0;
	for (let f = 0; f < files.length; f++) {
		const s = scoreFile(files[f], scoresPerFile[f], threshold, profile);
		total.raw += s.raw;
		total.tp += s.tp;
		total.fp += s.fp;
		total.fn += s.fn;
		total.tn += s.tn;
		total.windows += s.windows;
		total.detectedWindows += s.detectedWindows;
		allWindows += files[f].windows.length;
	}
	// NAB's runner counts every labelled window (combined_windows.json), scored or not.
	return { ...total, normalized: normalize(total.raw, allWindows, profile) };
}

/**
 * The threshold with the best corpus score, as NAB v1.1's optimizer finds it: one sweep over every
 * distinct score, highest first, adding the rows at that score as detections (so each candidate is
 * "score ≥ that value"). Ties keep the higher threshold, as NAB's stable sort does. NaN scores are
 * never detections. O(N log N) for N scored rows.
 */
export function optimizeThreshold(
	files: readonly ScoringFile[],
	scoresPerFile: readonly Float64Array[],
	profile: CostMatrix
): ThresholdChoice {
	checkCorpus(files, scoresPerFile);
	let rowCount = 0;
	let windowCount = 0;
	for (const file of files) {
		rowCount += file.rows - probationRows(file.rows);
		windowCount += file.windows.length;
	}
	// Scorable rows of all files flattened: score, NAB weight, and window id (−1 outside windows).
	const score = new Float64Array(rowCount);
	const weight = new Float64Array(rowCount);
	const windowOf = new Int32Array(rowCount).fill(-1);
	const parts = new Float64Array(windowCount);
	let r = 0;
	let w = 0;
	for (let f = 0; f < files.length; f++) {
		const file = files[f];
		const scores = scoresPerFile[f];
		checkLength(file, scores);
		const weights = sweepScores(file, profile);
		const first = probationRows(file.rows);
		let k = 0;
		for (let i = first; i < file.rows; i++, r++) {
			score[r] = scores[i];
			weight[r] = weights[i];
			while (k < file.windows.length && file.windows[k][1] < i) k++;
			if (k < file.windows.length && file.windows[k][0] <= i) windowOf[r] = w + k;
		}
		for (let j = 0; j < file.windows.length; j++) {
			// Only windows with a row after probation exist for NAB's sweeper (see scoreFile).
			parts[w + j] = file.windows[j][1] >= first ? -profile.fnWeight : 0;
		}
		w += file.windows.length;
	}

	let live = 0;
	const order = new Uint32Array(rowCount);
	for (let i = 0; i < rowCount; i++) if (!Number.isNaN(score[i])) order[live++] = i;
	const sorted = order.subarray(0, live).sort((a, b) => score[b] - score[a]);

	let fpSum = 0;
	let best = Number.POSITIVE_INFINITY;
	let bestRaw = sumParts(0, parts);
	for (let g = 0; g < live; ) {
		const level = score[sorted[g]];
		for (; g < live && score[sorted[g]] === level; g++) {
			const row = sorted[g];
			const win = windowOf[row];
			if (win < 0) fpSum += weight[row];
			else if (weight[row] > parts[win]) parts[win] = weight[row];
		}
		// Re-summed per level, not updated by differences, so equal states give bit-equal totals
		// and ties resolve as in NAB (which re-sums its parts the same way).
		const raw = sumParts(fpSum, parts);
		if (raw > bestRaw) {
			bestRaw = raw;
			best = level;
		}
	}
	return { threshold: best, raw: bestRaw, normalized: normalize(bestRaw, windowCount, profile) };
}

function sumParts(fpSum: number, parts: Float64Array): number {
	let sum = fpSum;
	for (let k = 0; k < parts.length; k++) sum += parts[k];
	return sum;
}
