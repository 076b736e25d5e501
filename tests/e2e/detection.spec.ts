import { expect, test } from '@playwright/test';
import { chartState, expectTicksFlowing } from './helpers';

test('each series has its own detector and sensitivity, kept across reloads; the chart shows the band', async ({ page }) => {
	await page.goto('./?count=5');
	await expectTicksFlowing(page);
	const control = page.getByTestId('detector-control');
	await expect(control.getByTestId('detector')).toHaveValue('ensemble');

	// The band around the newest tick is drawn and contains it (an ordinary tick).
	await expect.poll(async () => (await page.getByTestId('chart').getAttribute('data-band')) ?? '').toMatch(/^-?\d/);

	const key = (await chartState(page)).seriesKey;
	await control.getByTestId('detector').selectOption('zscore');
	await control.getByTestId('sensitivity').fill('0.8');
	await control.getByTestId('sensitivity').dispatchEvent('change');
	await expect(control.locator('output')).toHaveText('80');

	// Another series still uses the defaults.
	await page.getByTestId('series-picker').locator('button').nth(2).click();
	await expect(control.getByTestId('detector')).toHaveValue('ensemble');
	await expect(control.locator('output')).toHaveText('50');

	await page.reload();
	await expectTicksFlowing(page);
	await page.getByTestId('series-picker').locator(`button[data-series-key="${key}"]`).click();
	await expect(control.getByTestId('detector')).toHaveValue('zscore');
	await expect(control.locator('output')).toHaveText('80');

	// "for all series" makes it the default.
	await control.getByRole('button', { name: 'for all series' }).click();
	await page.getByTestId('series-picker').locator('button').nth(3).click();
	await expect(control.getByTestId('detector')).toHaveValue('zscore');
});
