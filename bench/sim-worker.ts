// Runs one scenario flat out in a worker thread: scenario + injection + one detector per series,
// no storage and no drawing. Bundled and started by bench/sim.mjs.
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import type { Truth } from '../src/lib/domain/anomaly';
import { TickBatch } from '../src/lib/domain/tick-batch';
import { detectorFactory } from '../src/lib/detectors/registry';
import type { ScenarioName } from '../src/lib/sources/simulator/scenario';
import { createScenario } from '../src/lib/sources/simulator/scenarios';
import { defaultRates } from '../src/lib/sources/simulator/settings';

interface Job {
	scenario: ScenarioName;
	count: number;
	ticksPerSecond: number;
	warmupMs: number;
	measureMs: number;
}

/** Ticks asked of one advance: big enough to amortise the call, small enough to stay in cache. */
const TICKS_PER_ADVANCE = 20_000;

const job = workerData as Job;
const scenario = createScenario(job.scenario, {
	seed: 1,
	count: job.count,
	ticksPerSecond: job.ticksPerSecond,
	startTime: 0,
	anomalyRates: process.env.BENCH_NO_INJECT ? {} : defaultRates(job.scenario)
});
// The app's default detector, as every series gets it.
const detectors = scenario.series.map((s) => detectorFactory('ensemble').create({ kind: s.kind }));
const out = new TickBatch(TICKS_PER_ADVANCE * 2);
const truths: Truth[] = [];
const stepMs = (TICKS_PER_ADVANCE / (scenario.series.length * job.ticksPerSecond)) * 1000;

let simTime = 0;
let flags = 0;
let injected = 0;
function run(forMs: number): { ticks: number; ms: number } {
	const start = performance.now();
	let ticks = 0;
	while (performance.now() - start < forMs) {
		simTime += stepMs;
		out.clear();
		truths.length = 0;
		scenario.advance(simTime, out, truths);
		injected += truths.length;
		if (process.env.BENCH_NO_DETECT) {
			ticks += out.n;
			continue;
		}
		for (let i = 0; i < out.n; i++) {
			const detector = detectors[out.ids[i]];
			if (detector.update(out.t[i], out.v[i]) >= detector.threshold) flags++;
		}
		ticks += out.n;
	}
	return { ticks, ms: performance.now() - start };
}

run(job.warmupMs);
// Young-generation collections while measuring: the trace of per-tick allocation (zero if none).
let minorGcs = 0;
const gcs = new PerformanceObserver((list) => {
	for (const entry of list.getEntries()) {
		if ((entry.detail as { kind?: number } | undefined)?.kind === constants.NODE_PERFORMANCE_GC_MINOR) minorGcs++;
	}
});
gcs.observe({ entryTypes: ['gc'] });
const { ticks, ms } = run(job.measureMs);
// GC entries are delivered asynchronously.
await new Promise((resolve) => setTimeout(resolve, 50));
gcs.disconnect();
parentPort?.postMessage({
	scenario: job.scenario,
	series: scenario.series.length,
	ticksPerSecond: (ticks * 1000) / ms,
	ticks,
	flags,
	injected,
	minorGcs
});
