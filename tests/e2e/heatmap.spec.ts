import { expect, test, type Locator, type Page } from '@playwright/test';
import { mkdir } from 'node:fs/promises';
import { chartState } from './helpers';

/** Two gait patients at 50 ticks/s, with anomalies of every kind injected often (600/h each). */
const GAIT = './?scenario=gait&count=2&rate=50&anomalies=600';
const SENSORS = ['left-heel', 'left-midfoot', 'left-toe', 'right-heel', 'right-midfoot', 'right-toe'];
const SHOTS = process.env.HEATMAP_SHOTS ?? 'test-results/heatmap';

/** Adds a panel of `kind` for `key` through the board's toolbar; returns it. */
async function addPanel(page: Page, kind: 'sensors' | 'heatmap', key: string): Promise<Locator> {
	// The first-run (or saved) board is in place before counting: it may hold a panel of this kind.
	await expect(page.getByTestId('panel').first()).toBeVisible();
	const panels = page.locator(`[data-testid="panel"][data-kind="${kind}"]`);
	const before = await panels.count();
	await page.getByTestId('board-kind').selectOption(kind);
	await expect(page.getByTestId('board-series').locator(`option[value="${key}"]`)).toHaveCount(1);
	await page.getByTestId('board-series').selectOption(key);
	await page.getByTestId('board-add').click();
	await expect(panels).toHaveCount(before + 1);
	return panels.last();
}

async function cellValues(panel: Locator): Promise<Record<string, { v: number; t: number; flagged: boolean }>> {
	return panel.getByTestId('sensor-cell').evaluateAll((cells) =>
		Object.fromEntries(
			cells.map((c) => [
				c.getAttribute('data-sensor'),
				{ v: Number(c.getAttribute('data-value') || NaN), t: Number(c.getAttribute('data-t') || NaN), flagged: c.getAttribute('data-flagged') === 'true' }
			])
		)
	);
}

/** A screenshot of the panel, kept under SHOTS and attached to the test's report. */
async function shoot(panel: Locator, name: string): Promise<void> {
	await mkdir(SHOTS, { recursive: true });
	const path = `${SHOTS}/${name}.png`;
	await panel.screenshot({ path });
	await test.info().attach(name, { path, contentType: 'image/png' });
}

test('the sensor heatmap shows each gait patient as two feet, live, with flags outlined', async ({ page }) => {
	test.setTimeout(180_000);
	await page.goto(GAIT);
	const panel = await addPanel(page, 'sensors', 'sim/gait/P01/left-heel');
	const cells = panel.getByTestId('sensor-cell');

	// One patient: six cells, heel, midfoot and toe of the left and the right foot.
	await expect(cells).toHaveCount(6);
	expect((await cells.evaluateAll((all) => all.map((c) => c.getAttribute('data-sensor')))).sort()).toEqual([...SENSORS].sort());
	for (const cell of await cells.all()) await expect(cell).toHaveAttribute('data-device', 'P01');
	for (const region of ['heel', 'midfoot', 'toe']) await expect(cells.filter({ hasText: region })).toHaveCount(2);
	await expect(panel.getByText('left', { exact: true })).toBeVisible();
	await expect(panel.getByText('right', { exact: true })).toBeVisible();

	// Live: every cell gets a reading, and the readings move as the patient walks.
	await expect.poll(async () => Object.values(await cellValues(panel)).every((c) => Number.isFinite(c.v))).toBe(true);
	const first = await cellValues(panel);
	await expect
		.poll(async () => {
			const now = await cellValues(panel);
			return SENSORS.filter((s) => now[s].t > first[s].t && now[s].v !== first[s].v).length;
		})
		.toBeGreaterThanOrEqual(2);

	// With anomalies injected this often, a cell is flagged before long. Pausing the simulator
	// then holds it: an outline lasts 2 s of the sensor's own ticks, and no more come.
	const flagged = panel.locator('[data-testid="sensor-cell"][data-flagged="true"]');
	const pause = page.getByTestId('sim-pause');
	for (let attempt = 0; ; attempt++) {
		await expect(flagged.first()).toBeVisible({ timeout: 90_000 });
		await pause.click();
		await expect(pause).toHaveText('Resume');
		// On a busy machine the 2 s can pass before the pause lands: then catch the next one.
		if ((await flagged.count()) > 0 || attempt === 4) break;
		await pause.click();
		await expect(pause).not.toHaveText('Resume');
	}
	// Not colour alone: a thick ring, a ⚑ in the cell, words in its label and in the legend.
	await expect(flagged.first()).toBeVisible();
	await expect(flagged.first().locator('.ring')).toHaveCount(1);
	await expect(flagged.first()).toContainText('⚑');
	await expect(flagged.first()).toHaveAttribute('aria-label', /flagged/);
	const sensor = (await flagged.first().getAttribute('data-sensor'))!.replace('-', ' ');
	await expect(panel.getByTestId('sensor-flagged')).toContainText(sensor);
	await shoot(panel, 'sensors-flagged');

	// The cells show each series' newest tick: with the simulator paused, pick a sensor in the
	// main chart, and its last tick (time in the chart, value in the latest-ticks table) is the cell's.
	for (const sensor of ['left-heel', 'right-toe']) {
		const key = `sim/gait/P01/${sensor}`;
		await page.getByTestId('series-picker').locator(`button[data-series-key="${key}"]`).click();
		await expect(page.getByTestId('chart')).toHaveAttribute('data-series-key', key);
		const cell = panel.locator(`[data-testid="sensor-cell"][data-sensor="${sensor}"]`);
		await expect(cell).toHaveAttribute('data-series-key', key);
		await expect
			.poll(async () => {
				const chart = await chartState(page);
				const shown = await page.getByTestId('latest-ticks').locator('tbody tr').first().locator('td').nth(1).textContent();
				const text = (shown ?? '').replace(/[^\d.-]/g, '');
				const latest = Number(text);
				// The table rounds to the series' decimals: the cell's raw value must round to it.
				const decimals = text.includes('.') ? text.length - text.indexOf('.') - 1 : 0;
				const v = Number(await cell.getAttribute('data-value'));
				const t = Number(await cell.getAttribute('data-t'));
				return { sameTime: t === chart.lastT, sameValue: Math.abs(v - latest) <= 0.5 * 10 ** -decimals + 1e-9 };
			})
			.toEqual({ sameTime: true, sameValue: true });
	}
	await shoot(panel, 'sensors-paused');
});

test('the time heatmap has a row per series and its cells move with the ticks', async ({ page }) => {
	test.setTimeout(120_000);
	await page.goto(GAIT);
	const panel = await addPanel(page, 'heatmap', 'sim/gait/P01/left-heel');
	const canvas = panel.getByTestId('heatmap-canvas');

	// The board starts a heatmap with the series of the same kind: both patients' 12 sensors.
	await expect(canvas).toHaveAttribute('data-rows', '12');
	await expect.poll(async () => Number(await canvas.getAttribute('data-cols'))).toBeGreaterThan(10);

	// The pixels change as ticks arrive (the canvas is redrawn from the shared stream).
	const pixels = () =>
		canvas.evaluate((c: HTMLCanvasElement) => {
			const data = (c.getContext('2d') as CanvasRenderingContext2D).getImageData(0, 0, c.width, c.height).data;
			let hash = 0;
			let painted = 0;
			for (let i = 0; i < data.length; i += 4) {
				hash = (Math.imul(hash, 31) + data[i] + 7 * data[i + 1] + 13 * data[i + 2]) | 0;
				if (data[i + 3] > 0) painted++;
			}
			return { hash, painted: painted / (data.length / 4) };
		});
	await expect.poll(async () => (await pixels()).painted).toBeGreaterThan(0.5);
	const before = (await pixels()).hash;
	await expect.poll(async () => (await pixels()).hash).not.toBe(before);

	// Hovering a cell reads out its series, time and value.
	await canvas.scrollIntoViewIfNeeded();
	const box = (await canvas.boundingBox())!;
	await canvas.hover({ position: { x: box.width * 0.75, y: box.height * 0.3 } });
	const readout = panel.getByTestId('heatmap-readout');
	await expect(readout).toBeVisible();
	await expect(readout).toContainText(/P0[12] [LR] (heel|midfoot|toe)/);
	await expect(readout).toContainText(/counts|no ticks/);
	await shoot(panel, 'time-heatmap-readout');
	await page.mouse.move(0, 0);
	await expect(readout).toHaveCount(0);

	// Flags show up as marked buckets before long.
	await expect.poll(async () => Number(await canvas.getAttribute('data-flagged-cells')), { timeout: 90_000 }).toBeGreaterThan(0);
	await shoot(panel, 'time-heatmap');
});

test('both heatmaps follow a switch to the light theme, and other devices get a grid', async ({ page }) => {
	test.setTimeout(120_000);
	// Start dark (Playwright's default scheme is light, and the app follows the system).
	await page.emulateMedia({ colorScheme: 'dark' });
	await page.goto('./?scenario=weather&count=2&rate=20');
	const sensors = await addPanel(page, 'sensors', await firstKey(page, '/temperature'));
	const heatmap = await addPanel(page, 'heatmap', await firstKey(page, '/temperature'));

	// A weather station is no pair of feet: its three channels as a grid, each on its own scale.
	const cells = sensors.getByTestId('sensor-cell');
	await expect(cells).toHaveCount(3);
	expect(await cells.evaluateAll((all) => all.map((c) => c.getAttribute('data-sensor')))).toEqual(['temperature', 'humidity', 'pressure']);
	await expect.poll(async () => (await cells.evaluateAll((all) => all.map((c) => c.getAttribute('data-value')))).every((v) => v !== '')).toBe(true);
	await expect(sensors).toContainText('own low');
	const canvas = heatmap.getByTestId('heatmap-canvas');
	await expect.poll(async () => Number(await canvas.getAttribute('data-cols'))).toBeGreaterThan(10);

	/** Mean luminance of the inked pixels in the row labels' column (left fifth of the canvas). */
	const labelInk = () =>
		canvas.evaluate((c: HTMLCanvasElement) => {
			const w = Math.floor(c.width / 5);
			const data = (c.getContext('2d') as CanvasRenderingContext2D).getImageData(0, 0, w, c.height).data;
			let sum = 0;
			let n = 0;
			for (let i = 0; i < data.length; i += 4) {
				if (data[i + 3] < 128) continue;
				sum += (0.2126 * data[i] + 0.7152 * data[i + 1] + 0.0722 * data[i + 2]) / 255;
				n++;
			}
			return n > 0 ? sum / n : Number.NaN;
		});
	const textFill = () => sensors.locator('svg text').first().evaluate((t) => getComputedStyle(t).fill);
	const rootText = () => page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--text').trim());
	await expect.poll(labelInk).toBeGreaterThan(0.5);
	const darkFill = await textFill();
	await shoot(sensors, 'grid-dark');

	// The person picks the light theme in the header.
	await page.getByTestId('theme').selectOption('light');
	await expect.poll(rootText).not.toBe('#e6edf3');
	// The canvas re-reads the theme's colours (dark labels now); the SVG's text takes --text.
	await expect.poll(labelInk).toBeLessThan(0.5);
	await expect.poll(textFill).not.toBe(darkFill);
	await shoot(sensors, 'grid-light');
	await shoot(heatmap, 'time-heatmap-light');
});

/** The key of the first live series whose key ends with `suffix`. */
async function firstKey(page: Page, suffix: string): Promise<string> {
	await expect(page.getByTestId('board-series').locator(`option[value$="${suffix}"]`).first()).toBeAttached();
	return (await page.getByTestId('board-series').locator(`option[value$="${suffix}"]`).first().getAttribute('value'))!;
}
