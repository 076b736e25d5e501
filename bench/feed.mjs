// `npm run bench:feed`: how many feed messages/s the app decodes and stores, next to the raw
// limit of the same loopback socket into a worker that discards every message, in one run, in
// Debian's Chromium; plus the page's frame rate meanwhile. Twice: one trade per message, and
// 100 trades per message (a JSON array). Writes bench/results/feed.json. Figures, never
// assertions. BENCH_MS sets the measuring time (default 6000), BENCH_RUNS the alternating
// raw/app runs of the one-trade case (default 3; medians are reported).
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { harnessServer } from './lib/headless.mjs';
import { startTradeFeed } from './lib/trade-feed.mjs';
import { appFeedPage } from './lib/app-page.mjs';

const MEASURE_MS = Number(process.env.BENCH_MS ?? 6000);
const WARMUP_MS = 2000;

if (!process.argv.includes('--no-build')) spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
const [width, height] = (process.env.BENCH_VIEWPORT ?? '1400x900').split('x').map(Number);
const harness = await harnessServer({ dir: 'build', width, height });

/** Raw limit: a worker that only counts the messages (on a blank page). */
export function rawPage(url) {
	const worker = `let n = 0; const ws = new WebSocket(${JSON.stringify(url)}); ws.onmessage = () => { n++; }; onmessage = () => postMessage(n);`;
	return `<script>
const worker = new Worker(URL.createObjectURL(new Blob([${JSON.stringify(worker)}], { type: 'text/javascript' })));
const count = () => new Promise((resolve) => { worker.onmessage = (e) => resolve(e.data); worker.postMessage(0); });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
(async () => {
	await sleep(${WARMUP_MS});
	const a = await count(), t0 = performance.now();
	await sleep(${MEASURE_MS});
	const b = await count(), t1 = performance.now();
	report({ messagesPerS: ((b - a) * 1000) / (t1 - t0) });
})();
</script>`;
}

/** Raw and app alternately, `runs` times each (this machine is noisy); medians of each. */
async function measure(perMessage, runs) {
	const raws = [];
	const apps = [];
	for (let i = 0; i < runs; i++) {
		let feed = await startTradeFeed({ perMessage });
		raws.push((await harness.run(rawPage(feed.url))).messagesPerS);
		await feed.close();
		feed = await startTradeFeed({ perMessage });
		apps.push(await harness.run(appFeedPage(`/?sim=off&feed=${encodeURIComponent(feed.url)}`, { warmupMs: WARMUP_MS, measureMs: MEASURE_MS })));
		await feed.close();
	}
	const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
	// A trade gives two ticks (price and quantity).
	const perS = (ticks) => ticks / 2 / perMessage;
	return {
		raw: median(raws),
		decoded: perS(median(apps.map((a) => a.ticksPerS))),
		stored: perS(median(apps.map((a) => a.storedPerS))),
		fps: median(apps.map((a) => a.fps)),
		runs: raws.map((raw, i) => ({ raw: Math.round(raw), decoded: Math.round(perS(apps[i].ticksPerS)), fps: Number(apps[i].fps.toFixed(1)) }))
	};
}

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const one = await measure(1, RUNS);
const hundred = await measure(100, 1);
harness.close();

const round = (x) => Math.round(x);
const results = {
	raw_socket_msgs_per_s: round(one.raw),
	decode_msgs_per_s: round(one.decoded),
	stored_msgs_per_s: round(one.stored),
	ratio_decode_vs_raw_socket: Number((one.decoded / one.raw).toFixed(3)),
	page_fps: Number(one.fps.toFixed(1)),
	raw_socket_trades_per_s_batched_100: round(hundred.raw * 100),
	decode_trades_per_s_batched_100: round(hundred.decoded * 100),
	ratio_decode_vs_raw_socket_batched_100: Number((hundred.decoded / hundred.raw).toFixed(3)),
	page_fps_batched_100: Number(hundred.fps.toFixed(1)),
	runs: one.runs
};
const n = (x) => x.toLocaleString('en');
console.log(`one trade per message (medians of ${RUNS} alternating runs: ${one.runs.map((r) => `${n(r.decoded)}/${n(r.raw)}`).join(', ')})`);
console.log(`  raw socket into a discarding worker  ${n(results.raw_socket_msgs_per_s)} messages/s`);
console.log(`  decoded, detected and stored         ${n(results.decode_msgs_per_s)} messages/s  (${(results.ratio_decode_vs_raw_socket * 100).toFixed(1)} % of raw; ${n(results.stored_msgs_per_s)}/s reached the store)`);
console.log(`  page frame rate meanwhile            ${results.page_fps} fps`);
console.log('100 trades per message');
console.log(`  raw socket into a discarding worker  ${n(results.raw_socket_trades_per_s_batched_100)} trades/s`);
console.log(`  decoded, detected and stored         ${n(results.decode_trades_per_s_batched_100)} trades/s  (${(results.ratio_decode_vs_raw_socket_batched_100 * 100).toFixed(1)} % of raw)`);
console.log(`  page frame rate meanwhile            ${results.page_fps_batched_100} fps`);
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/feed.json', `${JSON.stringify(results, null, 2)}\n`);
console.log('\nwritten: bench/results/feed.json');
process.exit(0);
