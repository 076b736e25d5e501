// Engine throughput in Debian's Chromium (no DevTools connection; see ./headless.mjs): the app's
// Engine (src/lib/engine/engine.ts: markets simulator, default detectors, windowed aggregation,
// truth matching) in a dedicated Worker, on a fake clock stepped flat out (STEP_MS = 10 ms of
// simulated time per step), yielding to the event loop every ~4 ms and flushing once per wall
// second as the app does. Two runs, each in a fresh browser profile (fresh IndexedDB):
//
//   engine_ticks_per_s     history writes OFF: HistoryStore.append, putCandles and flush are
//                          stubbed to discard. Ticks the engine accepted while measuring ÷ wall
//                          seconds of stepping.
//   persisted_ticks_per_s  history writes ON through the real HistoryStore (IndexedDB via Dexie).
//                          Ticks committed while measuring, counted back from IndexedDB on a
//                          connection of its own (sum of the summary rows' n; the counters row
//                          agrees) ÷ wall seconds from the start of measuring to the end of the
//                          final flush. Warm-up ticks are flushed (untimed) before measuring.
//
// Serving: a harness server serves one directory, so this module builds its bundle into
// bench/.build/engine and starts (and closes) a harness server of its own on a free port.
// `harness` is accepted so `measureEngine({ harness, quick })` works, but not used.
//
// `node bench/lib/engine-throughput.mjs [--quick] [--buffered]` runs it alone and prints the
// figures (--buffered adds the diagnostic run described at measureEngine).
// Figures, never assertions.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { harnessServer } from './headless.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const OUT_DIR = resolve(ROOT, 'bench/.build/engine');
/**
 * 500 instruments = 1000 series (price + volume) at 200 ticks/s each: 200,000 ticks per simulated
 * second, so one 10 ms step asks for exactly the simulator's per-advance cap (2000 ticks).
 */
export const ENGINE_SIMULATOR = { scenario: 'markets', count: 500, ticksPerSecond: 200, seed: 1 };

async function buildBundle() {
	await build({
		configFile: false,
		root: ROOT,
		logLevel: 'warn',
		resolve: { alias: { $lib: resolve(ROOT, 'src/lib') } },
		build: {
			lib: {
				entry: { 'engine-page': resolve(ROOT, 'bench/engine-page.ts'), 'engine-worker': resolve(ROOT, 'bench/engine-worker.ts') },
				formats: ['es'],
				fileName: (_format, name) => `${name}.js`
			},
			outDir: OUT_DIR,
			emptyOutDir: true,
			minify: false
		}
	});
}

/**
 * Measures the engine's throughput with history writes off and on (see the top of this file).
 * Takes about 2 × (warm-up + measuring + a few s of browser start) plus the build: ~30 s, quick ~12 s.
 * @param {{ harness?: unknown, quick?: boolean, buffered?: boolean }} [options] quick: 0.5 s warm-up + 2 s
 *   measuring per run (else 2 s + 8 s); buffered: a third run, a diagnostic (details.buffered_no_indexeddb):
 *   the real HistoryStore with its IndexedDB transaction replaced by a no-op.
 * Resolves with { engine_ticks_per_s, persisted_ticks_per_s, details } (details: see below).
 */
export async function measureEngine({ quick = false, buffered = false } = {}) {
	const warmupMs = quick ? 500 : 2000;
	const measureMs = quick ? 2000 : 8000;
	await buildBundle();
	const harness = await harnessServer({ dir: OUT_DIR });
	/**
	 * One run in a fresh Chromium (own profile).
	 * @param {import('../engine-worker').EngineMode} mode
	 * @returns {Promise<import('../engine-worker').EngineResult & { userAgent: string, cores: number }>}
	 */
	async function part(mode) {
		const job = { mode, warmupMs, measureMs, simulator: ENGINE_SIMULATOR };
		const html = `<script type="module">
import { runEngine } from '/engine-page.js';
runEngine(${JSON.stringify(job)}).then(report, (error) => report({ error: String(error && error.stack || error) }));
</script>`;
		const result = await harness.run(html, { timeoutMs: 180_000 });
		if (result.error) throw new Error(`engine (${mode}): ${result.error}`);
		return result;
	}
	try {
		const off = await part('off');
		const on = await part('persisted');
		const mem = buffered ? await part('buffered') : null;
		const round = (/** @type {number | null} */ x, digits = 2) => Number((x ?? NaN).toFixed(digits));
		return {
			engine_ticks_per_s: Math.round(off.accepted / off.stepSeconds),
			persisted_ticks_per_s: Math.round((on.committed ?? NaN) / on.totalSeconds),
			details: {
				simulator: ENGINE_SIMULATOR,
				series: off.series,
				warmup_s: warmupMs / 1000,
				measure_s: measureMs / 1000,
				max_ticks_per_advance: off.maxTicksPerAdvance,
				writes_off: {
					ticks_accepted: off.accepted,
					seconds: round(off.stepSeconds, 3),
					steps: off.steps,
					max_ticks_per_step: off.maxTicksPerStep,
					simulated_seconds: round(off.simSeconds),
					flushes: off.flushes,
					injected: off.injected,
					flags: off.flags,
					rejected: off.rejected
				},
				persisted: {
					ticks_accepted: on.accepted,
					accepted_ticks_per_s: Math.round(on.accepted / on.stepSeconds),
					committed: on.committed,
					committed_by_counters_row: on.committedCounter,
					seconds: round(on.totalSeconds, 3),
					step_seconds: round(on.stepSeconds, 3),
					final_flush_seconds: round(on.finalFlushSeconds, 3),
					committed_while_stepping: on.committedWhileStepping,
					// IndexedDB's own pace: ticks per second of transaction time (one transaction at a time).
					ticks_per_write_second: Math.round(on.writes.reduce((sum, w) => sum + w.ticks, 0) / (on.writes.reduce((sum, w) => sum + w.ms, 0) / 1000)),
					write_transactions: on.writes,
					flushes: on.flushes,
					chunk_rows: on.chunkRows,
					steps: on.steps,
					max_ticks_per_step: on.maxTicksPerStep,
					simulated_seconds: round(on.simSeconds),
					injected: on.injected,
					flags: on.flags,
					rejected: on.rejected,
					problems: on.problems,
					flush_errors: on.flushErrors
				},
				...(mem && {
					// Diagnostic: the real HistoryStore buffering, swapping and building batches, with its
					// IndexedDB transaction replaced by a no-op.
					buffered_no_indexeddb: {
						ticks_accepted: mem.accepted,
						accepted_ticks_per_s: Math.round(mem.accepted / mem.stepSeconds),
						step_seconds: round(mem.stepSeconds, 3),
						final_flush_seconds: round(mem.finalFlushSeconds, 3),
						flushes: mem.flushes,
						steps: mem.steps
					}
				}),
				browser: on.userAgent,
				cores: on.cores
			}
		};
	} finally {
		harness.close();
	}
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const quick = process.argv.includes('--quick');
	const r = await measureEngine({ quick, buffered: process.argv.includes('--buffered') });
	const n = (/** @type {number | null} */ x) => (x ?? NaN).toLocaleString('en');
	const d = r.details;
	console.log(`engine in a Worker, fake clock flat out: ${d.series} series (markets ${d.simulator.count} × 2 at ${d.simulator.ticksPerSecond}/s), ${d.warmup_s} s warm-up + ${d.measure_s} s per run`);
	console.log(`  history writes off     ${n(r.engine_ticks_per_s)} ticks/s accepted  (${n(d.writes_off.ticks_accepted)} in ${d.writes_off.seconds} s; ${n(d.writes_off.steps)} steps of ≤ ${d.writes_off.max_ticks_per_step})`);
	console.log(`  history writes on      ${n(r.persisted_ticks_per_s)} ticks/s committed  (${n(d.persisted.committed)} counted back from IndexedDB in ${d.persisted.seconds} s incl. final flush of ${d.persisted.final_flush_seconds} s)`);
	console.log(`    committed while stepping ${n(d.persisted.committed_while_stepping)}; IndexedDB transactions alone ${n(d.persisted.ticks_per_write_second)} ticks/s of transaction time`);
	console.log(`    accepted while writing ${n(d.persisted.accepted_ticks_per_s)} ticks/s  (${n(d.persisted.ticks_accepted)} in ${d.persisted.step_seconds} s; ${d.persisted.flushes} flushes; ${n(d.persisted.chunk_rows)} chunk rows)`);
	const b = d.buffered_no_indexeddb;
	if (b) console.log(`  diagnostic: store buffering without IndexedDB  ${n(b.accepted_ticks_per_s)} ticks/s accepted  (${n(b.ticks_accepted)} in ${b.step_seconds} s)`);
	console.log(JSON.stringify(r, null, 2));
	process.exit(0);
}
