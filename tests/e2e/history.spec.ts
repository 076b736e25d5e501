import { expect, test } from '@playwright/test';
import { chartState, expectTicksFlowing, tickTotal } from './helpers';

/** Reads the saved settings row straight from IndexedDB (runs in the page). */
function readStoredRetention(): Promise<number | null> {
	return new Promise((resolve, reject) => {
		const open = indexedDB.open('tickscope');
		open.onerror = () => reject(open.error);
		open.onsuccess = () => {
			const db = open.result;
			try {
				const get = db.transaction('meta').objectStore('meta').get('settings');
				get.onsuccess = () => resolve(get.result?.retentionMs ?? null);
				get.onerror = () => reject(get.error);
			} catch (error) {
				reject(error);
			} finally {
				// Never hold the database open: it would block the app's own upgrades.
				db.close();
			}
		};
	});
}

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
		.poll(async () => (await chartState(page)).firstT, { timeout: 1000, intervals: [50] })
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

test('the retention setting is kept across reloads', async ({ page }) => {
	await page.goto('./');
	const retention = page.getByTestId('retention');
	// The control waits for the engine: a choice made before it runs would be lost.
	await expect(retention).toBeEnabled();
	await expect(retention).toHaveValue(String(60 * 60 * 1000));
	await retention.selectOption({ label: '15 min' });
	// Wait until the engine has stored it, then reload.
	await expect.poll(() => page.evaluate(readStoredRetention)).toBe(15 * 60 * 1000);
	await page.reload();
	await expect(retention).toHaveValue(String(15 * 60 * 1000));
	await expectTicksFlowing(page);
});
