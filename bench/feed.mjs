// `npm run bench:feed`: how many feed messages/s the app decodes and stores, next to the raw
// limit of the same loopback socket into a worker that discards every message, in one run, in
// Debian's Chromium; plus the page's frame rate meanwhile. Writes bench/results/feed.json.
// Figures, never assertions. BENCH_MS sets the measuring time (default 5000).
import { chromium } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { WebSocketServer } from 'ws';
import { serveSite } from '../scripts/serve.mjs';

const MEASURE_MS = Number(process.env.BENCH_MS ?? 5000);
const WARMUP_MS = 1500;
const SITE_PORT = 4191;
/** The server keeps at most this much unsent per client: pushing as fast as the client reads. */
const MAX_BUFFERED_BYTES = 1 << 20;

spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
const site = await serveSite({ dir: 'build', port: SITE_PORT });

// Binance-style trades, times rising (ten per millisecond), as fast as the socket takes them.
const start = Date.now();
const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
await new Promise((resolve) => wss.once('listening', resolve));
const feedUrl = `ws://127.0.0.1:${wss.address().port}`;
wss.on('connection', (socket) => {
	let k = 0;
	const pump = () => {
		if (socket.readyState !== socket.OPEN) return;
		while (socket.bufferedAmount < MAX_BUFFERED_BYTES) {
			const t = start + Math.floor(k / 10);
			socket.send(`{"e":"trade","E":${t},"s":"BTCUSDT","t":${k},"p":"${(43000 + (k % 997) / 100).toFixed(2)}","q":"0.0${1 + (k % 9)}","T":${t},"m":false,"M":true}`);
			k++;
		}
		setImmediate(pump);
	};
	pump();
});

const browser = await chromium.launch({
	executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
	args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
});

/** Raw limit: a worker that only counts the messages. */
async function rawSocket() {
	const page = await browser.newPage();
	await page.goto(`http://127.0.0.1:${SITE_PORT}/robots.txt`);
	return page.evaluate(
		async ({ url, warmup, measure }) => {
			const code = `let n = 0; const ws = new WebSocket(${JSON.stringify(url)}); ws.onmessage = () => { n++; }; onmessage = () => postMessage(n);`;
			const worker = new Worker(URL.createObjectURL(new Blob([code], { type: 'text/javascript' })));
			const count = () => new Promise((resolve) => { worker.onmessage = (e) => resolve(e.data); worker.postMessage(0); });
			await new Promise((r) => setTimeout(r, warmup));
			const a = await count();
			await new Promise((r) => setTimeout(r, measure));
			const b = await count();
			worker.terminate();
			return ((b - a) * 1000) / measure;
		},
		{ url: feedUrl, warmup: WARMUP_MS, measure: MEASURE_MS }
	);
}

/** The app: the same socket as a feed (simulator off), decoded, detected and stored in its worker. */
async function app() {
	// BENCH_VIEWPORT=WxH: a smaller page paints less (software raster here: no GPU).
	const [width, height] = (process.env.BENCH_VIEWPORT ?? '1400x900').split('x').map(Number);
	const context = await browser.newContext({ viewport: { width, height } });
	const page = await context.newPage();
	await page.addInitScript(() => {
		window.__frames = 0;
		const tick = () => { window.__frames++; requestAnimationFrame(tick); };
		requestAnimationFrame(tick);
	});
	await page.goto(`http://127.0.0.1:${SITE_PORT}/?sim=off&feed=${encodeURIComponent(feedUrl)}`);
	const ticks = async () => Number(((await page.getByTestId('feed-ticks').first().textContent()) ?? '0').replace(/[^\d]/g, ''));
	await page.getByTestId('feed').first().waitFor();
	await page.waitForTimeout(WARMUP_MS);
	const [t0, f0] = [await ticks(), await page.evaluate(() => window.__frames)];
	await page.waitForTimeout(MEASURE_MS);
	const [t1, f1] = [await ticks(), await page.evaluate(() => window.__frames)];
	const stored = await page.getByTestId("tick-total").getAttribute("data-value");
	await context.close();
	// A trade message gives two ticks (price and quantity).
	return { messagesPerS: ((t1 - t0) / 2) * (1000 / MEASURE_MS), fps: ((f1 - f0) * 1000) / MEASURE_MS, stored: Number(stored) };
}

const raw = await rawSocket();
const decoded = await app();
await browser.close();
wss.close();
site.close();

const results = {
	raw_socket_messages_per_s: Math.round(raw),
	decoded_messages_per_s: Math.round(decoded.messagesPerS),
	ratio_decode_vs_raw_socket: Number((decoded.messagesPerS / raw).toFixed(3)),
	page_fps: Number(decoded.fps.toFixed(1))
};
console.log(`raw socket into a discarding worker  ${results.raw_socket_messages_per_s.toLocaleString('en')} messages/s`);
console.log(`decoded, detected and stored         ${results.decoded_messages_per_s.toLocaleString('en')} messages/s  (${(results.ratio_decode_vs_raw_socket * 100).toFixed(1)} % of raw)`);
console.log(`page frame rate meanwhile            ${results.page_fps} fps`);
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/feed.json', `${JSON.stringify(results, null, 2)}\n`);
console.log('\nwritten: bench/results/feed.json');
process.exit(0);
