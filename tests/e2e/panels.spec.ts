import { expect, test } from '@playwright/test';

test('extra live charts: opened from the address, added from the main chart, each keeps moving, removable', async ({ page }) => {
	await page.goto('./?count=5&charts=3');
	const panels = page.getByTestId('panel');
	await expect(panels).toHaveCount(3);
	// Each draws its own series and keeps up.
	for (const chart of await page.getByTestId('panel-chart').all()) {
		await expect.poll(async () => Number(await chart.getAttribute('data-points'))).toBeGreaterThan(5);
		const last = Number(await chart.getAttribute('data-last-t'));
		await expect.poll(async () => Number(await chart.getAttribute('data-last-t'))).toBeGreaterThan(last);
	}
	const keys = await Promise.all((await panels.all()).map((p) => p.getAttribute('data-series-key')));
	expect(new Set(keys).size).toBe(3);
	const charts = page.getByTestId('panel-chart');
	expect(await charts.nth(0).getAttribute('data-series-key')).toBe(keys[0]);

	// The main chart's series as a panel too; the main chart keeps going.
	await page.getByTestId('add-panel').click();
	await expect(panels).toHaveCount(4);
	await expect(page.getByTestId('add-panel')).toBeDisabled();
	const fourth = charts.nth(3);
	await expect.poll(async () => Number(await fourth.getAttribute('data-points'))).toBeGreaterThan(5);
	await expect.poll(async () => await fourth.getAttribute('data-series-key')).toBe(await page.getByTestId('chart').getAttribute('data-series-key'));

	await panels.nth(1).getByTestId('panel-remove').click();
	await expect(panels).toHaveCount(3);
	expect(await Promise.all((await panels.all()).map((p) => p.getAttribute('data-series-key')))).not.toContain(keys[1]);
});
