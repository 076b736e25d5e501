// `npm run bench:sim`: simulator throughput per scenario, each in its own worker thread
// (scenario + injected anomalies + one detector per series; no storage, no drawing).
// Prints a table and writes bench/results/sim.json. Figures, not assertions.
// BENCH_MS=… sets the measuring time per scenario; BENCH_NO_INJECT=1 and BENCH_NO_DETECT=1 take
// injection or detection out, to see what each costs. Minor GCs count young-generation
// collections while measuring: numbers boxed across calls V8 did not inline show up there.
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { Worker } from 'node:worker_threads';
import { build } from 'vite';

const OUT_DIR = 'bench/.build';
const MEASURE_MS = Number(process.env.BENCH_MS ?? 3000);
/** Sizes well past the defaults, so per-series state does not fit in a tiny cache. */
const JOBS = [
	{ scenario: 'markets', count: 1000, ticksPerSecond: 10 },
	{ scenario: 'liquidations', count: 1000, ticksPerSecond: 0.5 },
	{ scenario: 'gait', count: 100, ticksPerSecond: 50 },
	{ scenario: 'weather', count: 1000, ticksPerSecond: 1 }
];

await build({
	configFile: false,
	logLevel: 'warn',
	build: { ssr: 'bench/sim-worker.ts', outDir: OUT_DIR, emptyOutDir: false, minify: false }
});

const results = {};
console.log(`scenario       series   ticks/s (${MEASURE_MS / 1000} s each, one worker thread)`);
for (const job of JOBS) {
	const result = await new Promise((resolve, reject) => {
		const worker = new Worker(resolvePath(OUT_DIR, 'sim-worker.js'), {
			workerData: { ...job, warmupMs: 500, measureMs: MEASURE_MS }
		});
		worker.once('message', resolve);
		worker.once('error', reject);
	});
	results[`${job.scenario}_ticks_per_s`] = Math.round(result.ticksPerSecond);
	results[`${job.scenario}_minor_gcs_per_million_ticks`] = Number(((result.minorGcs * 1e6) / result.ticks).toFixed(3));
	console.log(
		`${job.scenario.padEnd(14)} ${String(result.series).padStart(6)}   ${Math.round(result.ticksPerSecond).toLocaleString('en').padStart(12)}` +
			`   (${result.injected} injections, ${result.flags} flags, ${result.minorGcs} minor GCs in ${(result.ticks / 1e6).toFixed(0)} M ticks)`
	);
}
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/sim.json', `${JSON.stringify(results, null, 2)}\n`);
console.log('\nwritten: bench/results/sim.json');
