import { expect, test } from '@playwright/test';
import { chartState, tickTotal } from './helpers';

test('a reload keeps the history: the chart shows ticks from before it within a second', async ({ page }) => {
	await page.goto('./?anomalies=300&seed=5');
	// Let a few flushes (one a second) and some anomalies land.
	await expect.poll(async () => (await chartState(page)).points).toBeGreaterThan(40);
	await expect(page.getByTestId('anomaly-log').locator('tbody tr[data-truth]').first()).toBeVisible({ timeout: 30_000 });
	await page.waitForTimeout(1500);
	const before = await chartState(page);
	const totalBefore = await tickTotal(page);
	const firstAnomaly = await page.getByTestId('anomaly-log').locator('tbody tr[data-truth]').last().textContent();

	const reloadedAt = Date.now();
	await page.reload({ waitUntil: 'domcontentloaded' });
	await expect
		.poll(async () => (await chartState(page)).firstT, { timeout: 1000 })
		.toBeLessThan(reloadedAt);
	const after = await chartState(page);
	expect(after.seriesKey).toBe(before.seriesKey);
	// The stored ticks are the ones drawn before: the old first tick is still in the window.
	expect(after.firstT).toBeLessThanOrEqual(before.firstT);

	// The total since the history began carries on instead of starting again.
	await expect.poll(() => tickTotal(page)).toBeGreaterThanOrEqual(totalBefore - 1000);
	// The anomaly log is still there, oldest entry included.
	await expect(page.getByTestId('anomaly-log').locator('tbody tr[data-truth]', { hasText: firstAnomaly! })).toHaveCount(1);
});
