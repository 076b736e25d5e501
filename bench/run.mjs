// `npm run bench`: the whole app measured in Debian's Chromium, next to naive baselines, in one
// run. Builds the site, serves it, and measures engine throughput (writes off and on), the page
// under 100,000 ticks/s with 8 live charts (frame rate, long tasks, blocked time, tick-to-pixel
// latency, heap growth over 3 minutes), history reads, feed decoding next to the raw socket, what
// one tab takes from an MQTT broker, start-up time and JavaScript size, and the baselines. Prints a table against the product's
// targets and writes bench/results/latest.json (one flat object of numbers) and
// bench/results/latest-details.json. Figures, never assertions: machines here are noisy, so
// compare ratios measured in one run.
//
// `npm run bench -- --quick` is a smoke run of every part (about a minute and a half): the figures
// mean little, but it keeps the command from rotting.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { ensureChromium, ensureDependencies, ensureMosquitto } from '../scripts/setup.mjs';

// From a clean clone: what the bench needs is installed first, as `npm test` does.
ensureDependencies();
ensureChromium();
ensureMosquitto();
// Loaded after the install: they need node_modules.
const { serveSite } = await import('../scripts/serve.mjs');
const { measureBaselines } = await import('./lib/baselines.mjs');
const { measureEngine } = await import('./lib/engine-throughput.mjs');
const { measurePage, measureStartup } = await import('./lib/page-metrics.mjs');
const quick = process.argv.includes('--quick');
const started = Date.now();
const step = (name) => console.log(`… ${name} (${Math.round((Date.now() - started) / 1000)} s)`);

step('building the site');
const built = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);
const site = await serveSite({ dir: 'build', port: 0 });
const origin = `http://127.0.0.1:${site.address().port}`;

/** Runs one of the standalone bench scripts and reads the JSON it writes. */
function script(file, output, env = {}) {
	const run = spawnSync('node', [file, '--no-build'], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, ...env } });
	if (run.status !== 0) throw new Error(`${file} failed (${run.status})`);
	return JSON.parse(readFileSync(output, 'utf8'));
}

const details = {};
const errors = [];
/** A part that fails is reported and left out; the others still run. */
async function part(name, run) {
	step(name);
	try {
		const result = await run();
		details[name] = result;
		return result;
	} catch (error) {
		errors.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
		console.error(`   ${name} failed: ${error instanceof Error ? error.stack : error}`);
		return null;
	}
}

const engine = await part('engine throughput (worker, writes off and on)', () => measureEngine({ quick }));
const startup = await part('start-up and size', () => measureStartup({ origin }));
const page = await part(`page under 100,000 ticks/s with 8 charts${quick ? '' : ' (30 s, then a 3-minute soak)'}`, () => measurePage({ origin, quick }));
const history = await part('history writes and reads', () =>
	script('bench/history.mjs', 'bench/results/history.json', quick ? { BENCH_TICKS: '300000', BENCH_READ_TICKS: '1000000' } : {})
);
const feed = await part('feed decoding next to the raw socket', () =>
	script('bench/feed.mjs', 'bench/results/feed.json', quick ? { BENCH_MS: '1500', BENCH_RUNS: '1' } : {})
);
const mqtt = await part('MQTT: what one tab takes from mosquitto', () => script('bench/mqtt.mjs', 'bench/results/mqtt.json', quick ? { BENCH_MS: '1500' } : {}));
const baselines = await part('naive baselines', () => measureBaselines({ quick }));
site.close();

const num = (x) => (typeof x === 'number' && Number.isFinite(x) ? x : null);
const latest = {
	engine_ticks_per_s: num(engine?.engine_ticks_per_s),
	persisted_ticks_per_s: num(engine?.persisted_ticks_per_s),
	fps_median: num(page?.fps_median),
	fps_p5: num(page?.fps_p5),
	long_tasks: num(page?.long_tasks),
	blocked_ms: num(page?.blocked_ms),
	tick_to_pixel_p50_ms: num(page?.tick_to_pixel_p50_ms),
	tick_to_pixel_p95_ms: num(page?.tick_to_pixel_p95_ms),
	heap_growth_pct: num(page?.heap_growth_pct),
	read_last10k_ms: num(history?.read_last10k_ms),
	read_decimated_10m_ms: num(history?.read_decimated_10m_ms),
	draw_decimated_10m_ms: num(history?.draw_decimated_10m_ms),
	decode_msgs_per_s: num(feed?.decode_msgs_per_s),
	raw_socket_msgs_per_s: num(feed?.raw_socket_msgs_per_s),
	ratio_decode_vs_raw_socket: num(feed?.ratio_decode_vs_raw_socket),
	decode_trades_per_s_batched_100: num(feed?.decode_trades_per_s_batched_100),
	mqtt_msgs_per_s: num(mqtt?.mqtt_msgs_per_s),
	mqtt_offered_msgs_per_s: num(mqtt?.mqtt_offered_msgs_per_s),
	first_tick_cold_ms: num(startup?.first_tick_cold_ms),
	first_tick_warm_ms: num(startup?.first_tick_warm_ms),
	js_gzip_kb: num(startup?.js_gzip_kb),
	ratio_frames_vs_per_tick_post: num(baselines?.ratio_frames_vs_per_tick_post),
	ratio_chunks_vs_row_per_tick: num(history?.ratio_chunks_vs_row_per_tick),
	ratio_uplot_vs_full_redraw: num(baselines?.ratio_uplot_vs_full_redraw),
	achieved_ticks_per_s_under_load: num(page?.details?.achieved_ticks_per_s),
	quick: quick ? 1 : 0
};

/** The product's goals: [key, text, met?]. Reported, never asserted. */
const targets = [
	['engine_ticks_per_s', '≥ 2,000,000', (v) => v >= 2e6],
	['persisted_ticks_per_s', '≥ 1,000,000', (v) => v >= 1e6],
	['fps_median', '60', (v) => v >= 59],
	['fps_p5', '', null],
	['long_tasks', '0', (v) => v === 0],
	['blocked_ms', '', null],
	['tick_to_pixel_p50_ms', '', null],
	['tick_to_pixel_p95_ms', '≤ 50', (v) => v <= 50],
	['heap_growth_pct', '≤ 10', (v) => v <= 10],
	['read_last10k_ms', 'tens of ms', (v) => v < 100],
	['read_decimated_10m_ms', '< 200 (drawn)', (v) => v < 200],
	['draw_decimated_10m_ms', '< 200', (v) => v < 200],
	['decode_msgs_per_s', '', null],
	['raw_socket_msgs_per_s', '', null],
	['ratio_decode_vs_raw_socket', '≥ 0.9', (v) => v >= 0.9],
	['decode_trades_per_s_batched_100', '', null],
	['mqtt_msgs_per_s', '', null],
	['mqtt_offered_msgs_per_s', '', null],
	['first_tick_cold_ms', '', null],
	['first_tick_warm_ms', '≤ 1,000', (v) => v <= 1000],
	['js_gzip_kb', '≤ 150', (v) => v <= 150],
	['ratio_frames_vs_per_tick_post', '> 1', (v) => v > 1],
	['ratio_chunks_vs_row_per_tick', '≥ 50', (v) => v >= 50],
	['ratio_uplot_vs_full_redraw', '> 1', (v) => v > 1],
	['achieved_ticks_per_s_under_load', '100,000 offered', null]
];

const format = (v) => (v === null ? 'n/a' : Number.isInteger(v) ? v.toLocaleString('en') : v.toLocaleString('en', { maximumFractionDigits: 3 }));
console.log(`\nTickscope bench${quick ? ' (QUICK: smoke run, figures not meaningful)' : ''} — ${new Date().toISOString()}, ${Math.round((Date.now() - started) / 1000)} s\n`);
console.log(`${'figure'.padEnd(34)}${'value'.padStart(14)}   ${'target'.padEnd(16)}`);
for (const [key, text, met] of targets) {
	const value = latest[key];
	const verdict = met === null || value === null ? '' : met(value) ? 'met' : 'not met';
	console.log(`${key.padEnd(34)}${format(value).padStart(14)}   ${text.padEnd(16)}${verdict}`);
}
if (errors.length > 0) console.log(`\nparts that failed:\n  ${errors.join('\n  ')}`);

mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/latest.json', `${JSON.stringify(latest, null, 2)}\n`);
writeFileSync('bench/results/latest-details.json', `${JSON.stringify(details, null, 2)}\n`);
console.log('\nwritten: bench/results/latest.json, bench/results/latest-details.json');
process.exit(errors.length > 0 ? 1 : 0);
