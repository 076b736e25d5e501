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
	} finally {
		await server.stop();
	}
});
