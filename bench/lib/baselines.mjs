// Baselines: each figure sets the app's way of doing something next to the obvious naive way,
// measured side by side in one run in Debian's Chromium without a DevTools connection (see
// headless.mjs), each variant in a fresh browser. Ratios are ours over the baseline's
// throughput: above 1 means the app's way is faster. Figures, never pass/fail.
//
// 1. ratio_frames_vs_per_tick_post: moving ticks from a worker to the page.
//    Ours: the worker appends ticks to Float64Array columns (t, v); once per animation frame the
//    page asks for them and gets them as two exact-length copies, transferred (engine-api.ts
//    pullFrame / WatchBuffer.take, and the dashboard's rAF → pullFrame → apply → rAF loop).
//    Unlike WatchBuffer, nothing is dropped: every tick produced reaches the page.
//    Naive: one postMessage({ seriesId, t, v }) per tick.
//    Both workers run the same generator (an LCG random walk, the clock read once per 4,096
//    ticks and used as those ticks' t) as fast as they can: the figure is each path's capacity,
//    not a rate we chose (a fixed offered rate would cap ours at that rate). The page does the
//    same work per tick in both (t and v into a 2,048-tick ring, as a chart window would) and
//    counts only the ticks it has handled inside the measuring window; it also reports its
//    requestAnimationFrame rate and, at the end, how old the newest handled tick was (lag: a
//    queue building up shows there).
//    Bounds, so that neither figure comes from an unbounded queue: the naive worker stops
//    posting while PER_TICK_IN_FLIGHT ticks are posted and not yet handled (the page
//    acknowledges every PER_TICK_ACK messages). That favours the baseline: measured here with
//    no bound it handled about 89k ticks/s with a 20 s backlog, with a 1M-tick bound about
//    130k/s, with bounds of 4k–100k about 180k–290k/s. Our worker stops producing while it holds
//    FRAMES_HOLD ticks not yet pulled (a memory bound; frames report whether it ever bound).
//
// 2. ratio_uplot_vs_full_redraw: drawing a live series; see bench/baseline-charts.ts. The same
//    ticks at CHART_RATE/s to the app's live chart (uPlot over a ChartWindow of the newest
//    CHART_WINDOW) and to a chart that redraws every tick received so far each frame, on the
//    same 1200×320 area; rendered frames/s (requestAnimationFrame callbacks) over the whole
//    run, and the draw time per frame including rasterising (one pixel read back after each
//    draw, in both). The naive chart's cost grows with the ticks received, so its figures
//    depend on the run's length (10 s: 200,000 ticks at the end; quick: 1 s, 20,000 ticks).
//
// `node bench/lib/baselines.mjs [--quick]` prints the figures.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { harnessServer } from './headless.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BUILD_DIR = resolve(ROOT, 'bench/.build/baselines');

/** Naive transport: at most this many ticks posted and not yet handled by the page. */
const PER_TICK_IN_FLIGHT = 32_768;
/** The page acknowledges every this many ticks (a power of two). */
const PER_TICK_ACK = 8192;
/** Our transport: at most this many ticks held in the worker between pulls (64 MB). */
const FRAMES_HOLD = 4_000_000;
/** Ticks the page's consumer keeps (a power of two). */
const RING = 2048;

const CHART_RATE = 20_000;
const CHART_WINDOW = 2000;

/** The transport worker, as source text; `mode` 'frames' or 'per-tick'. */
function transportWorker(mode) {
	return `
const MODE = ${JSON.stringify(mode)};
const SLICE = 4096;
let seed = 12345;
let v = 100;
let produced = 0;
let acked = 0;
let running = false;
let waiting = false;
let holdHits = 0;
let cap = 1 << 16;
let ts = new Float64Array(cap);
let vs = new Float64Array(cap);
let n = 0;
// Slices of SLICE ticks, yielding between them (a MessageChannel task: timers are clamped) so
// that pulls and acknowledgements are handled.
const channel = new MessageChannel();
const kick = () => channel.port2.postMessage(0);
channel.port1.onmessage = () => {
	if (!running) return;
	const now = performance.timeOrigin + performance.now();
	if (MODE === 'frames') {
		if (n >= ${FRAMES_HOLD}) { holdHits++; waiting = true; return; }
		const end = Math.min(n + SLICE, ${FRAMES_HOLD});
		if (end > cap) {
			while (cap < end) cap *= 2;
			const t2 = new Float64Array(cap); t2.set(ts.subarray(0, n)); ts = t2;
			const v2 = new Float64Array(cap); v2.set(vs.subarray(0, n)); vs = v2;
		}
		for (let i = n; i < end; i++) {
			seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
			v += seed / 4294967296 - 0.5;
			ts[i] = now;
			vs[i] = v;
		}
		produced += end - n;
		n = end;
	} else {
		const room = ${PER_TICK_IN_FLIGHT} - (produced - acked);
		if (room <= 0) { waiting = true; return; }
		const end = Math.min(SLICE, room);
		for (let i = 0; i < end; i++) {
			seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
			v += seed / 4294967296 - 0.5;
			postMessage({ seriesId: 1, t: now, v });
		}
		produced += end;
	}
	kick();
};
const resume = () => { if (waiting) { waiting = false; kick(); } };
onmessage = (e) => {
	const m = e.data;
	if (m.start) { running = true; kick(); }
	else if (m.stop) { running = false; }
	else if (m.ack !== undefined) { acked = m.ack; resume(); }
	else if (m.pull) {
		// As WatchBuffer.take: exact-length copies, their buffers transferred.
		const t = ts.slice(0, n);
		const vv = vs.slice(0, n);
		n = 0;
		postMessage({ seriesId: 1, t, v: vv, holdHits }, [t.buffer, vv.buffer]);
		resume();
	}
};`;
}

/** Harness page for one transport variant: warm up, then count the ticks handled over `measureMs`. */
function transportPage(mode, { warmupMs, measureMs }) {
	return `<script>
const worker = new Worker(URL.createObjectURL(new Blob([${JSON.stringify(transportWorker(mode))}], { type: 'text/javascript' })));
const MASK = ${RING - 1};
const ringT = new Float64Array(${RING});
const ringV = new Float64Array(${RING});
let received = 0;
let lastT = 0;
let frames = 0;
let holdHits = 0;
const consume = (t, v) => { ringT[received & MASK] = t; ringV[received & MASK] = v; lastT = t; received++; };
if (${JSON.stringify(mode)} === 'frames') {
	// The dashboard's loop: a frame asks for the ticks, handles them, then asks for the next frame.
	const frame = () => { frames++; worker.postMessage({ pull: true }); };
	worker.onmessage = (e) => {
		const { t, v } = e.data;
		holdHits = e.data.holdHits;
		for (let i = 0; i < t.length; i++) consume(t[i], v[i]);
		requestAnimationFrame(frame);
	};
	requestAnimationFrame(frame);
} else {
	worker.onmessage = (e) => {
		const m = e.data;
		consume(m.t, m.v);
		if ((received & ${PER_TICK_ACK - 1}) === 0) worker.postMessage({ ack: received });
	};
	const loop = () => { frames++; requestAnimationFrame(loop); };
	requestAnimationFrame(loop);
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const mark = () => ({ received, frames, holdHits, at: performance.now() });
(async () => {
	worker.postMessage({ start: true });
	await sleep(${warmupMs});
	const a = mark();
	await sleep(${measureMs});
	const b = mark();
	const lagMs = performance.timeOrigin + performance.now() - lastT;
	worker.postMessage({ stop: true });
	const seconds = (b.at - a.at) / 1000;
	report({ ticksPerS: (b.received - a.received) / seconds, fps: (b.frames - a.frames) / seconds, seconds, lagMs, holdHits: b.holdHits - a.holdHits, holdHitsBefore: a.holdHits, last: ringV[(received - 1) & MASK] });
})();
</script>`;
}

/** Harness page running one export of baseline-charts.js. */
function chartPage(name, options) {
	return `<link rel="stylesheet" href="/baseline-charts.css">
<script type="module">
import * as bench from '/baseline-charts.js';
bench.${name}(${JSON.stringify(options)}).then(report, (error) => report({ error: String((error && error.stack) || error) }));
</script>`;
}

async function buildChartPage() {
	await build({
		root: ROOT,
		configFile: false,
		logLevel: 'warn',
		build: {
			lib: { entry: resolve(ROOT, 'bench/baseline-charts.ts'), formats: ['es'], fileName: () => 'baseline-charts.js', cssFileName: 'baseline-charts' },
			outDir: BUILD_DIR,
			emptyOutDir: true,
			minify: false
		}
	});
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x, digits = 0) => Number(x.toFixed(digits));

/**
 * Measures both baselines. `quick`: every variant runs about a second (a smoke run); otherwise
 * three alternating transport runs of 3 s each (medians) and 10 s per chart.
 * @param {{ quick?: boolean }} [options]
 * @returns {Promise<{ ratio_frames_vs_per_tick_post: number, ratio_uplot_vs_full_redraw: number, details: Record<string, unknown> }>}
 */
export async function measureBaselines({ quick = false } = {}) {
	await buildChartPage();
	const harness = await harnessServer({ dir: BUILD_DIR });
	try {
		const timing = quick ? { warmupMs: 300, measureMs: 1000 } : { warmupMs: 1000, measureMs: 3000 };
		const rounds = quick ? 1 : 3;
		const framesRuns = [];
		const perTickRuns = [];
		for (let i = 0; i < rounds; i++) {
			framesRuns.push(await harness.run(transportPage('frames', timing)));
			perTickRuns.push(await harness.run(transportPage('per-tick', timing)));
		}

		const chartOptions = { rate: CHART_RATE, seconds: quick ? 1 : 10, window: CHART_WINDOW, readback: true };
		const charts = {};
		for (const name of ['uplot', 'fullRedraw']) {
			const result = await harness.run(chartPage(name, chartOptions));
			if (result.error) throw new Error(`${name}: ${result.error}`);
			charts[name] = result;
		}

		const framesTicks = median(framesRuns.map((r) => r.ticksPerS));
		const perTickTicks = median(perTickRuns.map((r) => r.ticksPerS));
		const { uplot, fullRedraw } = charts;
		return {
			ratio_frames_vs_per_tick_post: round(framesTicks / perTickTicks, 1),
			ratio_uplot_vs_full_redraw: round(uplot.fps / fullRedraw.fps, 2),
			details: {
				frames_ticks_per_s: Math.round(framesTicks),
				per_tick_post_ticks_per_s: Math.round(perTickTicks),
				frames_page_fps: round(median(framesRuns.map((r) => r.fps)), 1),
				per_tick_page_fps: round(median(perTickRuns.map((r) => r.fps)), 1),
				frames_lag_ms: round(median(framesRuns.map((r) => r.lagMs))),
				per_tick_lag_ms: round(median(perTickRuns.map((r) => r.lagMs))),
				frames_hold_bound_hits: framesRuns.reduce((sum, r) => sum + r.holdHits, 0),
				frames_hold_bound_hits_warmup: framesRuns.reduce((sum, r) => sum + r.holdHitsBefore, 0),
				per_tick_in_flight_bound: PER_TICK_IN_FLIGHT,
				transport_runs: framesRuns.map((r, i) => ({
					frames_ticks_per_s: Math.round(r.ticksPerS),
					per_tick_ticks_per_s: Math.round(perTickRuns[i].ticksPerS),
					frames_fps: round(r.fps, 1),
					per_tick_fps: round(perTickRuns[i].fps, 1),
					seconds: [round(r.seconds, 2), round(perTickRuns[i].seconds, 2)]
				})),
				uplot_fps: round(uplot.fps, 1),
				full_redraw_fps: round(fullRedraw.fps, 1),
				uplot_fps_last_second: uplot.fpsLastSecond,
				full_redraw_fps_last_second: fullRedraw.fpsLastSecond,
				uplot_draw_ms_p50: round(uplot.drawMsP50, 2),
				full_redraw_draw_ms_p50: round(fullRedraw.drawMsP50, 2),
				uplot_draw_ms_p95: round(uplot.drawMsP95, 2),
				full_redraw_draw_ms_p95: round(fullRedraw.drawMsP95, 2),
				ratio_draw_ms_p50_full_redraw_vs_uplot: round(fullRedraw.drawMsP50 / uplot.drawMsP50, 1),
				uplot_frame_interval_ms_p95: round(uplot.frameIntervalMsP95, 1),
				full_redraw_frame_interval_ms_p95: round(fullRedraw.frameIntervalMsP95, 1),
				uplot_points_drawn: uplot.pointsDrawnLastFrame,
				full_redraw_points_drawn: fullRedraw.pointsDrawnLastFrame,
				chart_ticks: [uplot.ticks, fullRedraw.ticks],
				chart_rate_per_s: CHART_RATE,
				chart_seconds: [round(uplot.seconds, 2), round(fullRedraw.seconds, 2)],
				quick
			}
		};
	} finally {
		harness.close();
	}
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const quick = process.argv.includes('--quick');
	const started = Date.now();
	const r = await measureBaselines({ quick });
	const d = r.details;
	const n = (x) => x.toLocaleString('en');
	console.log(`worker → page, ticks handled by the page (${quick ? 'quick: 1 run of 1 s' : 'medians of 3 alternating runs of 3 s'})`);
	console.log(`  frames (columns transferred per rAF)  ${n(d.frames_ticks_per_s)} ticks/s  page ${d.frames_page_fps} fps  lag ${n(d.frames_lag_ms)} ms${d.frames_hold_bound_hits ? `  (hold bound hit ${d.frames_hold_bound_hits}×)` : ''}`);
	console.log(`  one postMessage per tick              ${n(d.per_tick_post_ticks_per_s)} ticks/s  page ${d.per_tick_page_fps} fps  lag ${n(d.per_tick_lag_ms)} ms  (≤ ${n(d.per_tick_in_flight_bound)} in flight)`);
	console.log(`  ratio_frames_vs_per_tick_post         ${r.ratio_frames_vs_per_tick_post}×`);
	if (d.transport_runs.length > 1) console.log(`  runs (frames/per tick, ticks/s)       ${d.transport_runs.map((x) => `${n(x.frames_ticks_per_s)}/${n(x.per_tick_ticks_per_s)}`).join(', ')}`);
	console.log(`live chart, ${n(d.chart_rate_per_s)} ticks/s for ${quick ? 1 : 10} s, 1200×320`);
	console.log(`  uPlot, window of ${n(CHART_WINDOW)}              ${d.uplot_fps} fps (last second ${d.uplot_fps_last_second})  draw p50 ${d.uplot_draw_ms_p50} ms  p95 ${d.uplot_draw_ms_p95} ms`);
	console.log(`  full redraw, all ${n(d.full_redraw_points_drawn)} points   ${d.full_redraw_fps} fps (last second ${d.full_redraw_fps_last_second})  draw p50 ${d.full_redraw_draw_ms_p50} ms  p95 ${d.full_redraw_draw_ms_p95} ms`);
	console.log(`  ratio_uplot_vs_full_redraw            ${r.ratio_uplot_vs_full_redraw}×  (draw time p50: ${d.ratio_draw_ms_p50_full_redraw_vs_uplot}×)`);
	console.log(`(${((Date.now() - started) / 1000).toFixed(0)} s)`);
	process.exit(0);
}
