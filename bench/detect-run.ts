// The detector benchmark, bundled and run by bench/detect.mjs (see there for the options).
// Runs every detector over a corpus in NAB's layout, scores it the NAB way under two protocols,
// and checks the simulator's markets scenario; or scores published outputs (--score-results).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { AnomalyKind, Truth } from '../src/lib/domain/anomaly';
import { TickBatch } from '../src/lib/domain/tick-batch';
import { DEFAULT_SENSITIVITY, type DetectorFactory } from '../src/lib/detectors/detector';
import { DETECTORS } from '../src/lib/detectors/registry';
import { countEvents, eventMetrics, rowsAtOrAbove, type EventCounts } from '../src/lib/detectors/scoring/metrics';
import type { NabFile } from '../src/lib/detectors/scoring/nab-data';
import { loadNabCorpus, loadNabResults } from '../src/lib/detectors/scoring/nab-fs';
import {
	NAB_PROFILES,
	optimizeThreshold,
	scoreCorpus,
	type NabProfileName
} from '../src/lib/detectors/scoring/nab-scorer';
import type { RowWindow } from '../src/lib/detectors/scoring/row-window';
import { MarketsScenario } from '../src/lib/sources/simulator/markets';

export interface DetectOptions {
	data: string;
	labels: string;
	scoreResults?: string;
	thresholds?: Record<string, number>;
	json: boolean;
}

const PROFILES: NabProfileName[] = ['standard', 'reward_low_FP_rate', 'reward_low_FN_rate'];

export interface DetectorRow {
	name: string;
	standard: number;
	reward_low_FP_rate: number;
	reward_low_FN_rate: number;
	/** Standard profile with the threshold fixed beforehand (the app's default sensitivity). */
	strict_standard: number;
	/** Event F1 on the corpus at that fixed threshold. */
	f1: number;
	points_per_s: number;
	/** Markets scenario, price series: spikes and level shifts. */
	sim_f1: number;
	sim_median_delay_ticks: number;
}

/** Runs one detector over every file, a fresh instance per file, as a live stream would. */
function runOver(factory: DetectorFactory, files: readonly NabFile[]) {
	const scores: Float64Array[] = [];
	let points = 0;
	const started = performance.now();
	for (const file of files) {
		const detector = factory.create({ kind: 'value', sensitivity: DEFAULT_SENSITIVITY });
		const out = new Float64Array(file.rows);
		const { times, values } = file.series;
		for (let i = 0; i < file.rows; i++) out[i] = detector.update(times[i], values[i]);
		scores.push(out);
		points += file.rows;
	}
	return { scores, pointsPerS: (points * 1000) / (performance.now() - started) };
}

/** F1 and delay on the markets scenario's price series, spikes and level shifts, 50 instruments × 20 min. */
function onSimulator(factory: DetectorFactory) {
	const start = 1_700_000_000_000;
	const rates: Partial<Record<AnomalyKind, number>> = { spike: 6, 'level-shift': 6 };
	const sim = new MarketsScenario({ seed: 7, count: 50, ticksPerSecond: 10, startTime: start, anomalyRates: rates });
	const out = new TickBatch(1 << 16);
	const truths: Truth[] = [];
	sim.advance(start + 20 * 60_000, out, truths);
	const counts: EventCounts[] = [];
	for (let s = 0; s < sim.series.length; s += 2) {
		// Rows of this price series, and the injection windows on it as row ranges.
		const rowsT: number[] = [];
		const rowsV: number[] = [];
		for (let k = 0; k < out.n; k++) {
			if (out.ids[k] !== s) continue;
			rowsT.push(out.t[k]);
			rowsV.push(out.v[k]);
		}
		const windows: RowWindow[] = truths
			.filter((tr) => tr.seriesId === s)
			.map((tr) => {
				const first = rowsT.findIndex((t) => t >= tr.t0);
				let last = first;
				while (last + 1 < rowsT.length && rowsT[last + 1] <= tr.t1) last++;
				return [first, last] as const;
			})
			.filter(([first]) => first >= 0);
		const detector = factory.create({ kind: 'price', sensitivity: DEFAULT_SENSITIVITY });
		const scores = new Float64Array(rowsT.length);
		for (let i = 0; i < rowsT.length; i++) scores[i] = detector.update(rowsT[i], rowsV[i]);
		// A flag on the injected tick or the next two still catches it (the app allows 2 s).
		const widened = windows.map(([a, b]) => [a, Math.min(b + 2, rowsT.length - 1)] as const);
		counts.push(countEvents(rowsAtOrAbove(scores, detector.threshold), mergeWindows(widened)));
	}
	const metrics = eventMetrics(counts);
	return { f1: metrics.f1, medianDelayTicks: metrics.medianDelayRows };
}

/** Injection windows widened by the slack may touch: merge them so they stay disjoint. */
function mergeWindows(windows: readonly RowWindow[]): RowWindow[] {
	const sorted = [...windows].sort((a, b) => a[0] - b[0]);
	const merged: [number, number][] = [];
	for (const [a, b] of sorted) {
		const last = merged.at(-1);
		if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
		else merged.push([a, b]);
	}
	return merged;
}

function scoreDetectors(files: NabFile[]): DetectorRow[] {
	const rows: DetectorRow[] = [];
	for (const factory of DETECTORS) {
		const { scores, pointsPerS } = runOver(factory, files);
		const fixed = factory.thresholdFor(DEFAULT_SENSITIVITY);
		const events = files.map((file, i) => countEvents(rowsAtOrAbove(scores[i], fixed), file.windows));
		const sim = onSimulator(factory);
		const row: DetectorRow = {
			name: factory.name,
			standard: 0,
			reward_low_FP_rate: 0,
			reward_low_FN_rate: 0,
			strict_standard: scoreCorpus(files, scores, fixed, NAB_PROFILES.standard).normalized,
			f1: eventMetrics(events).f1,
			points_per_s: Math.round(pointsPerS),
			sim_f1: sim.f1,
			sim_median_delay_ticks: sim.medianDelayTicks
		};
		for (const profile of PROFILES) row[profile] = optimizeThreshold(files, scores, NAB_PROFILES[profile]).normalized;
		rows.push(row);
	}
	return rows;
}

/** Published outputs: NAB-optimised thresholds, and given ones (`name` or `name:profile` keys). */
function scorePublished(files: NabFile[], dir: string, thresholds: Record<string, number> = {}) {
	const names = ['numenta', 'windowedGaussian'].filter((name) => existsSync(join(dir, name)));
	return names.map((name) => {
		const scores = loadNabResults({ resultsDir: dir, detector: name, files });
		const row: Record<string, number | string> = { name };
		for (const profile of PROFILES) {
			const best = optimizeThreshold(files, scores, NAB_PROFILES[profile]);
			row[profile] = best.normalized;
			const at = thresholds[`${name}:${profile}`] ?? thresholds[name];
			if (at !== undefined) {
				const fixed = scoreCorpus(files, scores, at, NAB_PROFILES[profile]);
				row[`${profile}@given`] = fixed.normalized;
				row[`${profile}@given_raw`] = fixed.raw;
				row[`${profile}@threshold`] = at;
			}
		}
		return row;
	});
}

const fmt = (x: number, digits = 2) => (Number.isFinite(x) ? x.toFixed(digits) : '–');

export function runDetectBench(options: DetectOptions): void {
	const files = loadNabCorpus({ dataDir: options.data, windowsPath: options.labels });
	const rows = files.reduce((sum, f) => sum + f.rows, 0);
	const windows = files.reduce((sum, f) => sum + f.windows.length, 0);
	if (options.scoreResults) {
		const published = scorePublished(files, options.scoreResults, options.thresholds);
		if (options.json) console.log(JSON.stringify({ published }, null, 2));
		else {
			console.log(`Published outputs in ${options.scoreResults}, scored over ${files.length} files (${rows} rows, ${windows} windows):\n`);
			for (const row of published) {
				for (const profile of PROFILES) {
					const given =
						row[`${profile}@given`] === undefined
							? ''
							: `   at ${row[`${profile}@threshold`]}: ${fmt(row[`${profile}@given`] as number)} (raw ${(row[`${profile}@given_raw`] as number).toFixed(6)})`;
					console.log(`${String(row.name).padEnd(17)} ${profile.padEnd(19)} optimised ${fmt(row[profile] as number).padStart(6)}${given}`);
				}
			}
		}
		return;
	}
	const table = scoreDetectors(files);
	if (options.json) {
		console.log(JSON.stringify({ default: DETECTORS[0].name, detectors: table }, null, 2));
		return;
	}
	console.log(`NAB corpus: ${files.length} files, ${rows} rows, ${windows} windows (${options.data})`);
	console.log('NAB protocol: threshold optimised per detector and profile on these files. Strict: the app\'s fixed');
	console.log('threshold (default sensitivity), chosen beforehand. Simulator: markets, price series, spikes and shifts.\n');
	const header = ['detector', 'standard', 'low FP', 'low FN', 'strict std', 'F1 (strict)', 'points/s', 'sim F1', 'sim delay'];
	const lines = table.map((r) => [
		r.name === DETECTORS[0].name ? `${r.name} (default)` : r.name,
		fmt(r.standard),
		fmt(r.reward_low_FP_rate),
		fmt(r.reward_low_FN_rate),
		fmt(r.strict_standard),
		fmt(r.f1, 3),
		r.points_per_s.toLocaleString('en'),
		fmt(r.sim_f1, 3),
		fmt(r.sim_median_delay_ticks, 1)
	]);
	const widths = header.map((h, c) => Math.max(h.length, ...lines.map((l) => l[c].length)));
	const line = (cells: string[]) => cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
	console.log(line(header));
	for (const l of lines) console.log(line(l));
}
