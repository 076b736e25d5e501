import { expect, test } from '@playwright/test';
import { chartState, expectTicksFlowing, tickTotal } from './helpers';

test('live ticks flow from the simulator and the total grows', async ({ page }) => {
	await page.goto('./');
	await expect.poll(async () => Number((await page.getByTestId('tick-rate').textContent())?.replace(/,/g, ''))).toBeGreaterThan(100);
	// 100 instruments, a price and a volume series each.
	await expect(page.getByTestId('series-count')).toHaveText('200');
	const first = await tickTotal(page);
	await expectTicksFlowing(page);
	expect(await tickTotal(page)).toBeGreaterThan(first);
	// The chart of the first instrument fills and keeps moving.
	await expect.poll(async () => (await chartState(page)).points).toBeGreaterThan(10);
	const { lastT } = await chartState(page);
	await expect.poll(async () => (await chartState(page)).lastT).toBeGreaterThan(lastT);
	await expect(page.getByTestId('latest-ticks').locator('tbody tr')).toHaveCount(10);
	await expect(page.getByTestId('history-size')).not.toHaveText('–');
});

test('picking another instrument redraws the chart with its ticks', async ({ page }) => {
	await page.goto('./');
	const picker = page.getByTestId('series-picker');
	const firstKey = await picker.locator('button').first().getAttribute('data-series-key');
	await expect.poll(async () => (await chartState(page)).seriesKey).toBe(firstKey);

	// Search by label, as a person would, and pick the first match with Enter.
	const target = picker.locator('button').nth(42);
	const label = (await target.locator('.label').textContent())!.replace(' vol', '');
	await picker.getByRole('searchbox').fill(label.toLowerCase());
	const firstMatch = picker.locator('button').first();
	await expect(firstMatch.locator('.label')).toHaveText(label);
	const key = (await firstMatch.getAttribute('data-series-key'))!;
	await picker.getByRole('searchbox').press('Enter');

	await expect(page.getByRole('heading', { level: 2, name: label, exact: true })).toBeVisible();
	await expect.poll(async () => (await chartState(page)).seriesKey).toBe(key);
	await expect.poll(async () => (await chartState(page)).points).toBeGreaterThan(5);
	const { lastT } = await chartState(page);
	await expect.poll(async () => (await chartState(page)).lastT).toBeGreaterThan(lastT);

	// And back by clicking: the first instrument's chart comes back with its history.
	await picker.getByRole('searchbox').fill('');
	await picker.locator('button').first().click();
	await expect.poll(async () => (await chartState(page)).seriesKey).toBe(firstKey);
	await expect.poll(async () => (await chartState(page)).points).toBeGreaterThan(5);
});

test('the last-N control sets the chart window without stopping it', async ({ page }) => {
	// 50 ticks/s per series so windows fill quickly.
	await page.goto('./?rate=50&series=20');
	const windowSize = page.getByTestId('window-size');
	await expect(windowSize).toHaveValue('400');
	await expect.poll(async () => (await chartState(page)).points, { timeout: 20_000 }).toBe(400);

	await windowSize.fill('50');
	await windowSize.press('Enter');
	await expect.poll(async () => (await chartState(page)).points).toBe(50);
	const { lastT } = await chartState(page);
	await expect.poll(async () => (await chartState(page)).lastT).toBeGreaterThan(lastT);

	// A larger window pulls older ticks back from history at once, then keeps growing.
	await windowSize.fill('100000');
	await windowSize.press('Enter');
	await expect.poll(async () => (await chartState(page)).points).toBeGreaterThan(400);
	const grown = (await chartState(page)).points;
	await expect.poll(async () => (await chartState(page)).points).toBeGreaterThan(grown);

	// Out-of-range input is clamped, not obeyed.
	await windowSize.fill('3');
	await windowSize.press('Enter');
	await expect(windowSize).toHaveValue('50');
});

test('injected anomalies show up in the log with their truth colour and on the chart', async ({ page }, testInfo) => {
	// One injection per series every 6 s on average: the log fills within seconds.
	await page.goto('./?anomalies=600&seed=11');
	const hit = page.getByTestId('anomaly-log').locator('tr[data-truth="hit"]').first();
	await expect(hit).toBeVisible({ timeout: 30_000 });
	await expect(hit.locator('.verdict')).toHaveText(/injected/);
	// The theme's hit colour for a flag on a real injection (blue in the Okabe–Ito palette).
	const hitColour = await page.evaluate(() => {
		const probe = document.createElement('span');
		probe.style.color = 'var(--hit)';
		document.body.append(probe);
		const colour = getComputedStyle(probe).color;
		probe.remove();
		return colour;
	});
	await expect(hit.locator('.verdict')).toHaveCSS('color', hitColour);
	await expect.poll(async () => Number(await page.getByTestId('hits').textContent())).toBeGreaterThan(0);

	// Following the log to the instrument shows the flag on its chart.
	await hit.getByRole('button').click();
	await expect.poll(async () => (await chartState(page)).markers).toBeGreaterThan(0);

	// A false alarm, if any, is never shown in the hit colour.
	for (const row of await page.locator('tr[data-truth="false-alarm"] .verdict').all()) {
		await expect(row).not.toHaveCSS('color', hitColour);
	}

	await page.waitForTimeout(3000);
	const path = testInfo.outputPath('dashboard.png');
	await page.screenshot({ path, fullPage: true });
	await page.screenshot({ path: 'test-results/screenshots/dashboard.png', fullPage: true });
	await testInfo.attach('dashboard', { path, contentType: 'image/png' });
	console.log('screenshot: test-results/screenshots/dashboard.png');
});
