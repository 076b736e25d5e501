import { expect, test, type Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';

/** The board as a person sees it: each panel's kind, first series, width and height, in order. */
async function layout(page: Page) {
	const panels = await page.getByTestId('panel').all();
	return Promise.all(
		panels.map(async (p) => ({
			kind: await p.getAttribute('data-kind'),
			key: await p.getAttribute('data-series-key'),
			w: await p.getAttribute('data-w'),
			h: await p.getAttribute('data-h')
		}))
	);
}

async function ids(page: Page): Promise<(string | null)[]> {
	return Promise.all((await page.getByTestId('panel').all()).map((p) => p.getAttribute('data-panel-id')));
}

/** Opens the app and waits for its first-run (or saved) board. */
async function openBoard(page: Page, url = './?count=5'): Promise<void> {
	await page.goto(url);
	await expect(page.getByTestId('panel').first()).toBeVisible();
}

/** A different layout from the first-run one: a sensor-less board of four panels. */
async function rearrange(page: Page): Promise<void> {
	const panels = page.getByTestId('panel');
	while ((await panels.count()) > 3) await panels.last().getByTestId('panel-remove').click();
	await page.getByTestId('board-kind').selectOption('table');
	await page.getByTestId('board-series').selectOption({ index: 2 });
	await page.getByTestId('board-add').click();
	await expect(panels).toHaveCount(4);
	await panels.nth(3).getByTestId('panel-earlier').click();
	await panels.nth(0).getByTestId('panel-settings').click();
	await panels.nth(0).getByTestId('panel-wider').click();
	await panels.nth(0).getByTestId('panel-taller').click();
	await panels.nth(0).getByTestId('panel-settings').click();
}

test('panels are added, moved, resized and removed, and the layout survives a reload', async ({ page }) => {
	await openBoard(page);
	const panels = page.getByTestId('panel');
	// The first-run workspace: a sensible dashboard of the simulator at once.
	expect((await layout(page)).map((p) => p.kind)).toEqual(['number', 'number', 'line', 'candles', 'table', 'number', 'heatmap', 'log']);
	const before = await ids(page);

	// Add: a line chart of the series picked in the board's toolbar, at the end.
	await page.getByTestId('board-kind').selectOption('line');
	const key = await page.getByTestId('board-series').locator('option').nth(3).getAttribute('value');
	await page.getByTestId('board-series').selectOption(key!);
	await page.getByTestId('board-add').click();
	await expect(panels).toHaveCount(9);
	await expect(panels.last()).toHaveAttribute('data-series-key', key!);
	await expect(panels.last().getByTestId('panel-chart')).toHaveAttribute('data-series-key', key!);
	const added = await panels.last().getAttribute('data-panel-id');

	// Move it two places earlier: the grid order changes and the panel keeps drawing.
	await panels.last().getByTestId('panel-earlier').click();
	await panels.nth(7).getByTestId('panel-earlier').click();
	expect((await ids(page))[6]).toBe(added);
	const chart = page.locator(`[data-panel-id="${added}"]`).getByTestId('panel-chart');
	const lastT = Number(await chart.getAttribute('data-last-t'));
	await expect.poll(async () => Number(await chart.getAttribute('data-last-t'))).toBeGreaterThan(lastT);

	// Resize: wider and taller, and the panel's box follows.
	const moved = page.locator(`[data-panel-id="${added}"]`);
	const box = (await moved.boundingBox())!;
	await moved.getByTestId('panel-settings').click();
	await moved.getByTestId('panel-wider').click();
	await moved.getByTestId('panel-taller').click();
	await expect(moved).toHaveAttribute('data-w', '2');
	await expect(moved).toHaveAttribute('data-h', '3');
	await expect.poll(async () => (await moved.boundingBox())!.width).toBeGreaterThan(box.width * 1.6);
	await expect.poll(async () => (await moved.boundingBox())!.height).toBeGreaterThan(box.height * 1.3);
	await moved.getByTestId('panel-settings').click();

	// Remove the first panel.
	await panels.first().getByTestId('panel-remove').click();
	await expect(panels).toHaveCount(8);
	const expected = await layout(page);
	expect(await ids(page)).toEqual([...before.slice(1, 6), added, ...before.slice(6)]);

	// Saved with the history: a reload brings back the same board.
	await page.waitForTimeout(600);
	await page.reload();
	await expect(panels).toHaveCount(8);
	expect(await layout(page)).toEqual(expected);
});

test('a workspace exported to a file comes back after storage is cleared', async ({ page, context }) => {
	await openBoard(page);
	await rearrange(page);
	const expected = await layout(page);

	const download = page.waitForEvent('download');
	await page.getByTestId('workspace-export').click();
	const file = await (await download).path();
	const json = JSON.parse(await readFile(file, 'utf8'));
	expect(json.format).toBe('tickscope-workspace');
	expect(json.panels).toHaveLength(4);

	// Clear everything this origin stores (IndexedDB, caches, service worker), then start afresh.
	await page.goto('about:blank');
	const cdp = await context.newCDPSession(page);
	const origin = new URL(test.info().project.use.baseURL!).origin;
	await cdp.send('Storage.clearDataForOrigin', { origin, storageTypes: 'all' });
	await openBoard(page);
	await expect(page.getByTestId('panel')).toHaveCount(8);
	expect(await layout(page)).not.toEqual(expected);

	await page.getByTestId('workspace-file').setInputFiles(file);
	await expect(page.getByText(/Opened the workspace/)).toBeVisible();
	expect(await layout(page)).toEqual(expected);
	// A file that is not a workspace is refused in plain words, and the board stays.
	await page.getByTestId('workspace-file').setInputFiles({ name: 'x.json', mimeType: 'application/json', buffer: Buffer.from('{"panels": "<img src=x onerror=alert(1)>"}') });
	await expect(page.getByText('That file is not a Tickscope workspace.')).toBeVisible();
	expect(await layout(page)).toEqual(expected);
});

test('a share link reproduces the dashboard in a fresh browser profile', async ({ page, browser }) => {
	await openBoard(page);
	await rearrange(page);
	const expected = await layout(page);
	await page.getByTestId('workspace-share').click();
	const link = await page.getByTestId('share-link').inputValue();
	expect(link).toMatch(/#ws=[\w-]+$/);
	expect(link.length).toBeLessThan(2000);

	const fresh = await browser.newContext();
	try {
		const other = await fresh.newPage();
		await other.goto(link);
		await expect(other.getByText(/Opened the workspace .* from a shared link/)).toBeVisible();
		await expect(other.getByTestId('panel')).toHaveCount(4);
		expect(await layout(other)).toEqual(expected);
		// The fragment is consumed: a reload keeps the (now saved) workspace without re-opening it.
		expect(other.url()).not.toContain('#ws=');
		await other.waitForTimeout(600);
		await other.reload();
		await expect(other.getByTestId('panel')).toHaveCount(4);
		expect(await layout(other)).toEqual(expected);
	} finally {
		await fresh.close();
	}
});
