import { expect, test, type Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chartState } from './helpers';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/import/${name}`, import.meta.url));

async function download(page: Page, testId: string): Promise<string> {
	await page.getByTestId('export-menu').click();
	const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
	return (await readFile(await file.path())).toString('utf8');
}

test('export → import round trip: the replayed series holds exactly the exported values, spacing kept', async ({ page }) => {
	await page.goto('./?count=2');
	await expect.poll(async () => (await chartState(page)).points).toBeGreaterThan(60);
	await page.getByTestId('chart-pause').click();
	const exported = await download(page, 'export-shown-csv');
	const rows = exported.trimEnd().split('\r\n').slice(1);
	expect(rows.length).toBeGreaterThan(60);

	await page.getByTestId('chart-live').click();
	await page.getByTestId('import-file').setInputFiles({ name: 'round-trip.csv', mimeType: 'text/csv', buffer: Buffer.from(exported) });
	await page.getByTestId('import-speed').selectOption('max');
	await page.getByTestId('import-start').click();
	await expect(page.getByTestId('import-summary')).toContainText(`${rows.length} rows`);
	await expect(page.getByTestId('import-run').first()).toHaveAttribute('data-done', 'true');
	// The imported series is picked and drawn.
	await expect.poll(async () => (await chartState(page)).seriesKey).toBe('import/round-trip.csv/value');

	const again = await download(page, 'export-all-csv');
	const back = again.trimEnd().split('\r\n').slice(1);
	expect(back).toHaveLength(rows.length);
	const values = (lines: string[]) => lines.map((line) => line.split(',')[1]);
	expect(values(back)).toEqual(values(rows));
	// Stamped in the present, the intervals between ticks are the file's.
	const times = (lines: string[]) => lines.map((line) => Number(line.split(',')[2]));
	const gaps = (ts: number[]) => ts.slice(1).map((t, i) => t - ts[i]);
	expect(gaps(times(back))).toEqual(gaps(times(rows)));
});

test('a NAB file with its label windows replays as fast as possible and its flags are judged against them', async ({ page }) => {
	await page.goto('./?sim=off');
	await expect(page.getByTestId('import')).toBeVisible();
	await page.getByTestId('import-file').setInputFiles(fixture('speed_7578.csv'));
	await page.getByTestId('import-labels').setInputFiles(fixture('speed_7578_windows.json'));
	await page.getByTestId('import-start').click();
	await expect(page.getByTestId('import-summary')).toContainText('1,127 rows');
	await expect(page.getByTestId('import-summary')).toContainText('4 labelled windows');
	await expect(page.getByTestId('import-run').first()).toHaveAttribute('data-replayed', '1127');
	// Truth from the labels: each of the 4 windows is caught or missed, never unknown.
	await expect.poll(async () => Number(await page.getByTestId('hits').textContent()) + Number(await page.getByTestId('missed').textContent())).toBeGreaterThan(0);
	await expect.poll(async () => (await chartState(page)).points).toBe(400);

	// Bad rows are counted and named, good ones kept.
	const bad = ['timestamp,value', '2024-01-01 00:00:00,1', 'not a time,2', '2024-01-01 00:00:02,abc', '2024-01-01 00:00:03,4'].join('\n');
	await page.getByTestId('import-file').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
	await page.getByTestId('import-start').click();
	await expect(page.getByTestId('import-rejected')).toHaveText('2 refused');
	await expect(page.getByTestId('import-summary')).toContainText('bad-time');
	await expect(page.getByTestId('import-run').nth(1)).toHaveAttribute('data-replayed', '2');
});
