import { expect, test, type Page } from '@playwright/test';
import { startFeedServer } from '../fixtures/feed-server';
import { chartState, expectTicksFlowing } from './helpers';

/** The feed's tick count as its panel shows it. */
async function feedTicks(page: Page): Promise<number> {
	const text = (await page.getByTestId('feed').first().getByTestId('feed-ticks').textContent()) ?? '0';
	return Number(text.replace(/[^\d]/g, ''));
}

test('paste a WebSocket URL: the mapping is proposed, the series appear, and they persist', async ({ page }) => {
	const server = await startFeedServer({ file: 'binance-trade.jsonl', intervalMs: 20 });
	try {
		await page.goto('./?count=2');
		await expectTicksFlowing(page);
		await page.getByTestId('feed-url').fill(server.url);
		await page.getByTestId('feed-connect').click();
		const feed = page.getByTestId('feed').first();
		await expect(feed).toHaveAttribute('data-state', 'live');
		// Binance trades are recognised: price and quantity per symbol.
		await expect(feed.getByTestId('feed-mapping')).toContainText(/binance/i);
		const picker = page.getByTestId('series-picker');
		const btc = picker.locator('button[data-series-key^="feed/"][data-series-key*="BTCUSDT"]').first();
		await expect(btc).toBeVisible();
		await btc.click();
		await expect.poll(async () => (await chartState(page)).points).toBeGreaterThan(10);
		const key = (await chartState(page)).seriesKey;
		expect(key).toMatch(/^feed\//);

		// After a reload the feed comes back by itself and its history is drawn at once.
		await page.reload();
		await expect(page.getByTestId('feed').first()).toHaveAttribute('data-state', 'live');
		await picker.locator(`button[data-series-key="${key}"]`).click();
		await expect.poll(async () => (await chartState(page)).points).toBeGreaterThan(10);
	} finally {
		await server.stop();
	}
});

test('a feed that drops is reconnected each time, with no tick lost or doubled', async ({ page }) => {
	const server = await startFeedServer({ file: 'binance-trade.jsonl', intervalMs: 15 });
	try {
		await page.goto(`./?count=1&feed=${encodeURIComponent(server.url)}`);
		const feed = page.getByTestId('feed').first();
		await expect(feed).toHaveAttribute('data-state', 'live');
		await page.getByTestId('series-picker').locator('button[data-series-key$="BTCUSDT/p"]').click();
		for (let round = 0; round < 3; round++) {
			await page.waitForTimeout(400);
			await server.kill();
			await expect(feed).toHaveAttribute('data-state', 'reconnecting');
			await server.restart();
			await expect(feed).toHaveAttribute('data-state', 'live', { timeout: 20_000 });
		}
		// Let the replay finish, then compare: every delivered trade gave a price and a quantity tick.
		await expect.poll(() => server.cursor(), { timeout: 20_000 }).toBe(300);
		await page.waitForTimeout(500);
		await expect.poll(() => feedTicks(page)).toBe(server.delivered() * 2);
		await expect(page.getByTestId('rejected')).toHaveCount(0);
		// Each outage is recorded (the feed says how many) and drawn as a gap in the line, with the
		// ticks on both sides kept.
		await expect(feed.getByTestId('feed-gaps')).toContainText('3 outages');
		await expect.poll(async () => Number(await page.getByTestId('chart').getAttribute('data-gaps'))).toBeGreaterThanOrEqual(1);
	} finally {
		await server.stop();
	}
});

test('a stream of malformed frames among valid ones: every valid tick is kept, every bad frame counted', async ({ page }) => {
	const start = Date.now();
	const valid = (k: number) =>
		JSON.stringify({ e: 'trade', E: start + k, s: 'BTCUSDT', t: k, p: (43000 + (k % 50) / 10).toFixed(2), q: '0.5', T: start + k, m: false, M: true });
	// Seeded junk of every kind the decoder must survive: broken JSON, no number, non-finite,
	// prototype tricks, a 2 MB frame, text that is not JSON at all.
	const junk = [
		'{"e":"trade","p":',
		'not json at all',
		'{"e":"trade","s":"BTCUSDT","p":"abc","q":"x","T":1}',
		'{"e":"trade","s":"BTCUSDT","p":"Infinity","q":"NaN","T":1}',
		'{"__proto__":{"polluted":1},"e":"trade","s":"BTCUSDT","p":"oops"}',
		`{"e":"trade","s":"BTCUSDT","p":"1","q":"1","T":1,"pad":"${'x'.repeat(2 * 1024 * 1024)}"}`,
		'[1,2,',
		'\u0000\u0001\u0002'
	];
	const frames: string[] = [];
	let validCount = 0;
	let junkCount = 0;
	let seed = 7;
	for (let k = 0; k < 3000; k++) {
		seed = (seed * 1103515245 + 12345) % 2147483648;
		// The first frames are valid, so the mapping is proposed from good data.
		if (k < 10 || seed % 3 !== 0) frames.push(valid(validCount++));
		else {
			frames.push(junk[seed % junk.length]);
			junkCount++;
		}
	}
	const server = await startFeedServer({ frames, intervalMs: 1, holdWithoutClients: true });
	try {
		await page.goto(`./?count=1&feed=${encodeURIComponent(server.url)}`);
		await expect(page.getByTestId('feed').first()).toHaveAttribute('data-state', 'live');
		await expect.poll(() => server.cursor(), { timeout: 30_000 }).toBe(frames.length);
		const delivered = server.delivered();
		expect(delivered).toBe(frames.length);
		// Every valid trade gave a price and a quantity tick.
		await expect.poll(() => feedTicks(page)).toBe(validCount * 2);
		const refused = page.getByTestId('feed').first().getByTestId('feed-rejects');
		await expect(refused).toBeVisible();
		const total = Number(((await refused.locator('summary').textContent()) ?? '').replace(/[^\d]/g, ''));
		// The junk repeats itself: an exact copy of a recent frame is counted as a duplicate
		// (dropped before decoding), the first of each kind as refused. None is lost from the count.
		const copies = page.getByTestId('feed').first().getByTestId('feed-duplicates');
		const duplicates = (await copies.count()) > 0 ? Number(((await copies.textContent()) ?? '').replace(/[^\d]/g, '')) : 0;
		expect(total + duplicates).toBeGreaterThanOrEqual(junkCount);
		expect(total).toBeGreaterThanOrEqual(new Set(frames.filter((f) => !f.startsWith('{"e":"trade","E"'))).size - 1);
		expect(await page.evaluate(() => ({}) as Record<string, unknown>)).not.toHaveProperty('polluted');
	} finally {
		await server.stop();
	}
});

test('the simulator can be switched off: only the feed’s series remain', async ({ page }) => {
	const server = await startFeedServer({ file: 'iot-flat.jsonl', intervalMs: 20 });
	try {
		await page.goto(`./?count=2&feed=${encodeURIComponent(server.url)}`);
		const picker = page.getByTestId('series-picker');
		await expect(picker.locator('button[data-series-key^="feed/"]').first()).toBeVisible();
		await page.getByTestId('sim-enabled').uncheck();
		await expect(picker.locator('button[data-series-key^="sim/"]')).toHaveCount(0);
		// Three devices, temperature and humidity each.
		await expect(picker.locator('button[data-series-key^="feed/"]')).toHaveCount(6);
		await expect.poll(async () => (await chartState(page)).seriesKey).toMatch(/^feed\//);
		await page.getByTestId('sim-enabled').check();
		await expect(picker.locator('button[data-series-key^="sim/"]').first()).toBeVisible();
	} finally {
		await server.stop();
	}
});

test('trades that share a timestamp are all kept and the page keeps drawing', async ({ page }) => {
	const errors: string[] = [];
	page.on('pageerror', (error) => errors.push(error.message));
	const start = Date.now();
	// Ten trades in each millisecond, as busy exchange feeds send them.
	const frames = Array.from({ length: 400 }, (_, k) =>
		JSON.stringify({ e: 'trade', E: start, s: 'ETHUSDT', t: k, p: (2290 + (k % 7) / 100).toFixed(2), q: '0.1', T: start + Math.floor(k / 10), m: false, M: true })
	);
	const server = await startFeedServer({ frames, intervalMs: 2, holdWithoutClients: true });
	try {
		await page.goto(`./?sim=off&feed=${encodeURIComponent(server.url)}`);
		await expect.poll(() => feedTicks(page), { timeout: 20_000 }).toBe(800);
		await expect.poll(async () => (await chartState(page)).seriesKey).toMatch(/ETHUSDT/);
		await expect(page.getByTestId('latest-ticks').locator('tbody tr')).toHaveCount(10);
		await expect(page.getByTestId('rejected')).toHaveCount(0);
		expect(errors).toEqual([]);
	} finally {
		await server.stop();
	}
});
