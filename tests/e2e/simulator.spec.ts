import { expect, test } from '@playwright/test';
import { chartState, expectTicksFlowing, tickTotal } from './helpers';

test('switching scenario changes the series list, and the chart keeps up', async ({ page }) => {
	await page.goto('./');
	await expectTicksFlowing(page);
	const picker = page.getByTestId('series-picker');
	await expect(picker.locator('button').first()).toHaveAttribute('data-series-key', /^sim\/markets\//);

	await page.getByTestId('scenario').selectOption('gait');
	// 4 patients × 6 foot sensors, no instruments any more.
	await expect(picker.locator('button')).toHaveCount(24);
	await expect(picker.locator('button[data-series-key^="sim/markets/"]')).toHaveCount(0);
	await expect(page.getByTestId('sim-count')).toHaveValue('4');
	await expect.poll(async () => (await chartState(page)).seriesKey).toMatch(/^sim\/gait\//);
	const { lastT } = await chartState(page);
	await expect.poll(async () => (await chartState(page)).lastT).toBeGreaterThan(lastT);
	// Foot pressure is 0..1023 counts.
	await expect(page.locator('section[aria-label="Live chart"] h2')).toHaveText(/P\d+ [LR] (heel|midfoot|toe)/);

	// Size applies without a reload.
	await page.getByTestId('sim-count').fill('2');
	await page.getByTestId('sim-count').press('Enter');
	await expect(picker.locator('button')).toHaveCount(12);

	// Weather: three channels per station.
	await page.getByTestId('scenario').selectOption('weather');
	await expect(picker.locator('button[data-series-key$="/pressure"]').first()).toBeVisible();
	await expect.poll(async () => (await chartState(page)).seriesKey).toMatch(/^sim\/weather\//);

	// The choice is kept: after a reload the same scenario runs.
	await page.reload();
	await expect(page.getByTestId('scenario')).toHaveValue('weather');
	await expectTicksFlowing(page);
	await expect(picker.locator('button').first()).toHaveAttribute('data-series-key', /^sim\/weather\//);
});

test('pause stops the ticks, resume carries on; speed runs simulated time faster', async ({ page }) => {
	await page.goto('./?count=10');
	await expectTicksFlowing(page);
	await page.getByTestId('sim-pause').click();
	await expect(page.getByTestId('sim-pause')).toHaveText('Resume');
	// Let what was in flight land, then the total must stand still.
	await page.waitForTimeout(500);
	const paused = await tickTotal(page);
	await page.waitForTimeout(1500);
	expect(await tickTotal(page)).toBe(paused);

	await page.getByTestId('sim-pause').click();
	await expectTicksFlowing(page);

	// At 60× a simulated minute passes in about a second of wall time.
	const simTime = async () => Date.parse(`1970-01-01T${await page.getByTestId('sim-time').textContent()}Z`);
	await page.getByTestId('sim-speed').selectOption('60');
	const before = await simTime();
	await page.waitForTimeout(2000);
	const advanced = (await simTime()) - before;
	expect(advanced).toBeGreaterThan(60_000);
});

test('a liquidation stream arrives in bursts of signed quantities', async ({ page }) => {
	await page.goto('./?scenario=liquidations&rate=5');
	const picker = page.getByTestId('series-picker');
	await expect(picker.locator('button').first()).toHaveAttribute('data-series-key', /^sim\/liquidations\/BTCUSDT\//);
	await expectTicksFlowing(page);
	await picker.locator('button[data-series-key="sim/liquidations/BTCUSDT/qty"]').click();
	await expect.poll(async () => (await chartState(page)).points, { timeout: 20_000 }).toBeGreaterThan(5);
});
