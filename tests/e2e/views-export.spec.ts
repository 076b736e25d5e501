import { expect, test, type Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { chartState } from './helpers';

async function chartMode(page: Page) {
	const chart = page.getByTestId('chart');
	return { mode: await chart.getAttribute('data-mode'), from: Number(await chart.getAttribute('data-from')), to: Number(await chart.getAttribute('data-to')) };
}

test('a named view brings back its series and time range, also after a reload', async ({ page }) => {
	await page.goto('./?count=3');
	const picker = page.getByTestId('series-picker');
	await expect.poll(async () => (await chartState(page)).points).toBeGreaterThan(50);
	await page.waitForTimeout(2500);

	// Look at the third series' history, zoomed out, and save that.
	const third = picker.locator('button').nth(2);
	const key = (await third.getAttribute('data-series-key'))!;
	await third.click();
	await expect.poll(async () => (await chartState(page)).seriesKey).toBe(key);
	await page.getByTestId('chart-zoom-out').click();
	await expect.poll(async () => (await chartMode(page)).mode).toBe('history');
	const saved = await chartMode(page);
	await page.getByTestId('view-name').fill('  third,   zoomed out ');
	await page.getByTestId('view-save').click();
	await expect(page.getByTestId('view-item')).toHaveCount(1);
	await expect(page.getByTestId('view-open')).toHaveText('third, zoomed out');

	// Elsewhere, live, then reload: the view is still listed and reopens what was saved.
	await picker.locator('button').first().click();
	await page.reload();
	await expect(page.getByTestId('view-item')).toHaveCount(1);
	await page.getByTestId('view-open').click();
	await expect.poll(async () => (await chartState(page)).seriesKey).toBe(key);
	await expect.poll(async () => chartMode(page)).toEqual(saved);

	await page.getByTestId('view-delete').click();
	await expect(page.getByTestId('view-item')).toHaveCount(0);
});

test('export writes the shown ticks and the anomaly log as CSV and JSON files', async ({ page }) => {
	await page.goto('./?count=2&anomalies=2000&seed=4');
	await expect.poll(async () => (await chartState(page)).points).toBeGreaterThan(100);
	await page.getByTestId('chart-pause').click();
	const shown = await chartState(page);

	await page.getByTestId('export-menu').click();
	const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-shown-csv').click()]);
	expect(csvDownload.suggestedFilename()).toMatch(/-ticks-.*\.csv$/);
	const csv = (await readFile(await csvDownload.path())).toString('utf8').trimEnd().split('\r\n');
	expect(csv[0]).toBe('timestamp,value,epoch_ms');
	// Every tick the frozen chart shows (history may hold them more than once only if broken).
	expect(csv.length - 1).toBe(shown.points);
	const first = csv[1].split(',');
	expect(Number(first[2])).toBe(shown.firstT);
	expect(new Date(first[0]).getTime()).toBe(Math.floor(shown.firstT));
	await expect(page.getByTestId('chart').locator('xpath=..')).toContainText(`Exported ${shown.points.toLocaleString('en-US')} ticks`);

	await page.getByTestId('export-menu').click();
	const [jsonDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-shown-json').click()]);
	const json = JSON.parse((await readFile(await jsonDownload.path())).toString('utf8'));
	expect(json.series.key).toBe(shown.seriesKey);
	expect(json.ticks).toHaveLength(shown.points);
	expect(json.ticks[0][0]).toBe(shown.firstT);

	// The log: one line per flag, with a verdict.
	await expect.poll(async () => Number(await page.getByTestId('hits').textContent()), { timeout: 30_000 }).toBeGreaterThan(0);
	await page.getByTestId('export-menu').click();
	const [logDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-log-csv').click()]);
	const log = (await readFile(await logDownload.path())).toString('utf8').trimEnd().split('\r\n');
	expect(log[0]).toBe('time,series,value,expected,lower,upper,score,detector,verdict,epoch_ms');
	expect(log.length).toBeGreaterThan(1);
	expect(log.slice(1).some((line) => line.includes(',hit,'))).toBe(true);
});
