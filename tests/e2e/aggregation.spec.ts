import { expect, test } from '@playwright/test';
import { chartState } from './helpers';

test('1-second candles of a price series are drawn and keep coming; a window statistic becomes a watched series', async ({ page }, testInfo) => {
	await page.goto('./?count=2&rate=20');
	await expect.poll(async () => (await chartState(page)).points).toBeGreaterThan(20);
	const source = (await chartState(page)).seriesKey;

	await page.getByTestId('aggregation').selectOption('1s');
	const candles = page.getByTestId('candle-chart');
	await expect(candles).toHaveAttribute('data-resolution', '1s');
	// Closed windows come from the store (handed over every 0.5 s), the open one from the worker.
	await expect.poll(async () => Number(await candles.getAttribute('data-candles')), { timeout: 15_000 }).toBeGreaterThan(3);
	const last = Number(await candles.getAttribute('data-last-t'));
	expect(last % 1000).toBe(0);
	await expect.poll(async () => Number(await candles.getAttribute('data-last-t'))).toBeGreaterThan(last);
	await page.waitForTimeout(1500);
	await candles.screenshot({ path: testInfo.outputPath('candles.png') });
	await candles.screenshot({ path: 'test-results/screenshots/candles.png' });

	// Ticks per second of that series, as its own series: picked, charted, one tick per window.
	await page.getByTestId('derive-stat').selectOption('count');
	await page.getByTestId('derive').click();
	const key = `${source}@1s.count`;
	await expect.poll(async () => (await chartState(page)).seriesKey, { timeout: 10_000 }).toBe(key);
	await expect(page.getByTestId('series-picker').locator(`button[data-series-key="${key}"]`)).toHaveCount(1);
	await expect.poll(async () => (await chartState(page)).points, { timeout: 15_000 }).toBeGreaterThan(2);
	const state = await chartState(page);
	// One tick per 1-second window, stamped at the window's start; about 20 ticks in each.
	expect(state.firstT % 1000).toBe(0);
	const values = await page.getByTestId('latest-ticks').locator('tbody tr td.num').first().textContent();
	expect(Number(values?.replace(/[^\d.]/g, ''))).toBeGreaterThan(5);

	// It survives a reload, and is still fed.
	await page.reload();
	await expect(page.getByTestId('series-picker').locator(`button[data-series-key="${key}"]`)).toHaveCount(1);
	await page.getByTestId('series-picker').locator(`button[data-series-key="${key}"]`).click();
	const before = (await chartState(page)).lastT;
	await expect.poll(async () => (await chartState(page)).lastT, { timeout: 10_000 }).toBeGreaterThan(before || 0);
});
