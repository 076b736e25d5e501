// What a person sees of the app under load, measured in Debian's Chromium through Playwright:
// frame rate, long tasks and blocked time with the simulator at 100,000 ticks/s and 8 live
// charts; tick-to-pixel latency; JS heap of the page and of the engine worker before and after
// minutes of that load; time to the first drawn tick (cold, and warm from the service worker);
// JavaScript transferred, gzipped. These figures do not count socket messages, so a DevTools
// connection does not skew them (bench/lib/headless.mjs says why feed figures avoid one).
import { chromium } from '@playwright/test';
import { gzipSync } from 'node:zlib';
import { CHROMIUM, CHROMIUM_FLAGS } from './headless.mjs';

/** 100 instruments × 2 series × 500 ticks/s = 100,000 ticks/s; the main chart + 7 panels = 8. */
export const LOAD_QUERY = '?count=100&rate=500&charts=7&anomalies=60';

const percentile = (sorted, p) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]);
const median = (xs) => percentile([...xs].sort((a, b) => a - b), 0.5);

/** Installed before the app's scripts: frame times, long tasks, and the drawn tick's age per frame. */
function instrument() {
	const w = /** @type {any} */ (window);
	w.__bench = { frames: [], longTasks: [], lags: [], recording: false };
	const b = w.__bench;
	new PerformanceObserver((list) => {
		if (!b.recording) return;
		for (const entry of list.getEntries()) b.longTasks.push(entry.duration);
	}).observe({ type: 'longtask', buffered: false });
	let lastT = 0;
	const frame = (now) => {
		if (b.recording) {
			b.frames.push(now);
			// The main chart's newest drawn tick: its timestamp is its creation time (simulator at 1×).
			const chart = document.querySelector('[data-testid="chart"]');
			const t = Number(chart?.getAttribute('data-last-t'));
			if (t > lastT) {
				b.lags.push(Date.now() - t);
				lastT = t;
			}
		}
		requestAnimationFrame(frame);
	};
	requestAnimationFrame(frame);
}

/** JS heap used by a worker, through the browser-level DevTools target of that worker. */
async function workerHeaps(browser) {
	const cdp = await browser.newBrowserCDPSession();
	const { targetInfos } = await cdp.send('Target.getTargets');
	const workers = targetInfos.filter((t) => t.type === 'worker');
	const heaps = [];
	for (const target of workers) {
		const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: target.targetId, flatten: false });
		let next = 1;
		const call = (method, params = {}) =>
			new Promise((resolve) => {
				const id = next++;
				const listener = (event) => {
					if (event.sessionId !== sessionId) return;
					const message = JSON.parse(event.message);
					if (message.id !== id) return;
					cdp.off('Target.receivedMessageFromTarget', listener);
					resolve(message.result);
				};
				cdp.on('Target.receivedMessageFromTarget', listener);
				cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) });
			});
		await call('HeapProfiler.collectGarbage');
		const usage = await call('Runtime.getHeapUsage');
		heaps.push({ url: target.url, usedBytes: usage?.usedSize ?? NaN });
		await cdp.send('Target.detachFromTarget', { sessionId });
	}
	await cdp.detach();
	return heaps;
}

async function pageHeap(page) {
	const cdp = await page.context().newCDPSession(page);
	await cdp.send('HeapProfiler.collectGarbage');
	const { usedSize } = await cdp.send('Runtime.getHeapUsage');
	await cdp.detach();
	return usedSize;
}

/**
 * Frame rate, long tasks, tick-to-pixel latency and memory under load. `origin` serves the built
 * site. quick: seconds instead of minutes (a smoke run).
 */
export async function measurePage({ origin, quick = false }) {
	const measureMs = quick ? 4000 : 30_000;
	const warmupMs = quick ? 3000 : 10_000;
	const soakMs = quick ? 5000 : 180_000;
	const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
	try {
		const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
		const page = await context.newPage();
		await page.addInitScript(instrument);
		await page.goto(`${origin}/${LOAD_QUERY}`);
		await page.getByTestId('panel-chart').nth(6).waitFor();
		await page.waitForFunction(() => Number(document.querySelector('[data-testid="chart"]')?.getAttribute('data-points')) > 0);
		await page.waitForTimeout(warmupMs);

		const heapsBefore = { page: await pageHeap(page), workers: await workerHeaps(browser) };
		await page.evaluate(() => (window.__bench.recording = true));
		const ticks0 = Number(await page.getByTestId('tick-total').getAttribute('data-value'));
		await page.waitForTimeout(measureMs);
		const ticks1 = Number(await page.getByTestId('tick-total').getAttribute('data-value'));
		const recorded = await page.evaluate(() => {
			const b = window.__bench;
			b.recording = false;
			return { frames: b.frames, longTasks: b.longTasks, lags: b.lags };
		});

		// Frames per second in each whole second of the run, then their median and 5th percentile.
		const perSecond = new Map();
		const start = recorded.frames[0] ?? 0;
		for (const t of recorded.frames) {
			const second = Math.floor((t - start) / 1000);
			perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
		}
		const fullSeconds = [...perSecond.entries()].filter(([s]) => s < Math.floor(measureMs / 1000) - 1).map(([, n]) => n).sort((a, b) => a - b);
		const lags = [...recorded.lags].sort((a, b) => a - b);

		// The soak: the same load for minutes; the heap after a forced GC, before and after.
		await page.waitForTimeout(Math.max(0, soakMs - measureMs));
		const heapsAfter = { page: await pageHeap(page), workers: await workerHeaps(browser) };
		const worker = (heaps) => heaps.workers.reduce((sum, w) => sum + w.usedBytes, 0);
		const before = heapsBefore.page + worker(heapsBefore);
		const after = heapsAfter.page + worker(heapsAfter);
		await context.close();
		return {
			fps_median: median(fullSeconds),
			fps_p5: percentile(fullSeconds, 0.05),
			long_tasks: recorded.longTasks.length,
			blocked_ms: Math.round(recorded.longTasks.reduce((sum, d) => sum + Math.max(0, d - 50), 0)),
			tick_to_pixel_p50_ms: percentile(lags, 0.5),
			tick_to_pixel_p95_ms: percentile(lags, 0.95),
			heap_growth_pct: Number((((after - before) / before) * 100).toFixed(1)),
			details: {
				load: LOAD_QUERY,
				offered_ticks_per_s: 100_000,
				achieved_ticks_per_s: Math.round(((ticks1 - ticks0) * 1000) / measureMs),
				measure_s: measureMs / 1000,
				soak_s: soakMs / 1000,
				frames: recorded.frames.length,
				longest_task_ms: Math.round(Math.max(0, ...recorded.longTasks)),
				lag_samples: lags.length,
				heap_page_mb: [heapsBefore.page, heapsAfter.page].map((b) => Number((b / 1e6).toFixed(1))),
				heap_workers_mb: [worker(heapsBefore), worker(heapsAfter)].map((b) => Number((b / 1e6).toFixed(1))),
				workers: heapsAfter.workers.length
			}
		};
	} finally {
		await browser.close();
	}
}

/**
 * Time to the first drawn tick: cold (a fresh profile, nothing cached) and warm (a reload once the
 * service worker controls the page and has cached the app). JavaScript the cold load transferred
 * (pages and the worker), gzipped.
 */
export async function measureStartup({ origin }) {
	const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
	try {
		const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
		const page = await context.newPage();
		await page.addInitScript(() => {
			const w = /** @type {any} */ (window);
			w.__firstTick = null;
			const look = () => {
				const points = Number(document.querySelector('[data-testid="chart"]')?.getAttribute('data-points'));
				if (points > 0 && w.__firstTick === null) w.__firstTick = performance.now();
				if (w.__firstTick === null) requestAnimationFrame(look);
			};
			requestAnimationFrame(look);
		});
		const scripts = [];
		page.on('response', (response) => {
			const url = response.url();
			if (url.endsWith('.js') || response.headers()['content-type']?.includes('javascript')) scripts.push(response);
		});
		context.on('serviceworker', () => {});
		const firstTick = async () => {
			await page.waitForFunction(() => window.__firstTick !== null, undefined, { timeout: 30_000 });
			return page.evaluate(() => window.__firstTick);
		};
		await page.goto(`${origin}/`);
		const cold = await firstTick();
		let gzipBytes = 0;
		let rawBytes = 0;
		const seen = new Set();
		for (const response of scripts) {
			if (seen.has(response.url())) continue;
			seen.add(response.url());
			const body = await response.body().catch(() => null);
			if (!body) continue;
			rawBytes += body.length;
			gzipBytes += gzipSync(body, { level: 9 }).length;
		}
		// Warm: the service worker has installed and controls the page; reload from its cache.
		await page.waitForFunction(() => navigator.serviceWorker?.controller !== null || document.body.textContent?.includes('offline ready'), undefined, {
			timeout: 30_000
		});
		const warmRuns = [];
		for (let i = 0; i < 3; i++) {
			await page.reload();
			warmRuns.push(await firstTick());
		}
		await context.close();
		return {
			first_tick_cold_ms: Math.round(cold),
			first_tick_warm_ms: Math.round(median(warmRuns)),
			js_gzip_kb: Number((gzipBytes / 1024).toFixed(1)),
			details: { js_files: seen.size, js_raw_kb: Number((rawBytes / 1024).toFixed(1)), warm_runs_ms: warmRuns.map(Math.round) }
		};
	} finally {
		await browser.close();
	}
}
