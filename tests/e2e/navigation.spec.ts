import { expect, test, type Page } from '@playwright/test';
import { chartState, expectTicksFlowing, tickTotal } from './helpers';

/** The chart's mode and the time range it shows (set by the chart on every redraw). */
async function shown(page: Page) {
	const chart = page.getByTestId('chart');
	const [mode, from, to, decimated] = await Promise.all(['data-mode', 'data-from', 'data-to', 'data-decimated'].map((a) => chart.getAttribute(a)));
	return { mode: mode ?? '', from: Number(from), to: Number(to), decimated: decimated === 'true' };
}

test('pausing freezes the chart while ticks keep being recorded; Live catches up at once', async ({ page }) => {
	await page.goto('./?count=5');
	await expect.poll(async () => (await chartState(page)).points).toBeGreaterThan(50);
	await page.getByTestId('chart-pause').click();
	await expect.poll(async () => (await shown(page)).mode).toBe('history');
	const frozen = await chartState(page);

	// Ingestion goes on: the total grows while the chart stays where it was.
	await expectTicksFlowing(page);
	const total = await tickTotal(page);
	await expectTicksFlowing(page);
	expect(await tickTotal(page)).toBeGreaterThan(total);
	expect((await chartState(page)).lastT).toBe(frozen.lastT);

	await page.getByTestId('chart-live').click();
	await expect.poll(async () => (await shown(page)).mode).toBe('live');
	// The newest tick drawn is newer than anything the frozen chart had, on the very next frames.
	await expect.poll(async () => (await chartState(page)).lastT, { timeout: 1000 }).toBeGreaterThan(frozen.lastT);
});

test('zooming out reads history from storage; wheel, drag-select and the cursor readout work', async ({ page }) => {
	await page.goto('./?count=5&rate=40');
	// A short live window, so the history holds far more than it.
	const windowSize = page.getByTestId('window-size');
	await windowSize.fill('50');
	await windowSize.press('Enter');
	await expect.poll(async () => (await chartState(page)).points).toBe(50);
	// Let a few seconds of history reach IndexedDB (flushed once a second): the header counts it.
	await page.waitForTimeout(4000);
	await expect.poll(async () => Number(await page.getByTestId('series-meta').getAttribute('data-count')), { timeout: 10_000 }).toBeGreaterThan(100);
	const live = await chartState(page);

	await page.getByTestId('chart-zoom-out').click();
	await page.getByTestId('chart-zoom-out').click();
	await page.getByTestId('chart-zoom-out').click();
	await expect.poll(async () => (await shown(page)).mode).toBe('history');
	const out = await shown(page);
	expect(out.to - out.from).toBeGreaterThan(4 * (live.lastT - live.firstT));
	await expect(page.getByTestId('chart-range')).not.toContainText('loading');
	// The fetched ticks reach further back than the live window did.
	await expect.poll(async () => (await chartState(page)).firstT).toBeLessThan(live.firstT);

	// The wheel zooms in around the pointer.
	const chart = page.getByTestId('chart');
	const box = (await chart.locator('.u-over').boundingBox())!;
	await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
	const beforeWheel = await shown(page);
	await page.mouse.wheel(0, -300);
	await expect.poll(async () => {
		const now = await shown(page);
		return now.to - now.from;
	}).toBeLessThan(beforeWheel.to - beforeWheel.from);

	// The readout names the tick under the pointer.
	await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2);
	// (The main chart's own readout: panels' charts have theirs.)
	const readout = page.getByTestId('chart').getByTestId('chart-readout');
	await expect(readout).toBeVisible();
	await expect(readout).toHaveText(/\d\d:\d\d:\d\d\.\d{3}\s+\S+/);

	// Dragging across a third of the chart zooms into that third.
	const beforeDrag = await shown(page);
	await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
	await page.mouse.down();
	await page.mouse.move(box.x + box.width * 0.63, box.y + box.height / 2, { steps: 8 });
	await page.mouse.up();
	await expect.poll(async () => {
		const now = await shown(page);
		return (now.to - now.from) / (beforeDrag.to - beforeDrag.from);
	}).toBeLessThan(0.45);

	await page.getByTestId('chart-live').click();
	await expect.poll(async () => (await shown(page)).mode).toBe('live');
});

test('previous and next flag jump through the anomaly log of the series', async ({ page }) => {
	// Many injections on 2 series: flags on the first within seconds.
	await page.goto('./?count=1&anomalies=3000&seed=3');
	await expect.poll(async () => (await chartState(page)).markers, { timeout: 30_000 }).toBeGreaterThan(1);
	await page.getByTestId('chart-prev-anomaly').click();
	await expect.poll(async () => (await shown(page)).mode).toBe('history');
	const first = await shown(page);
	await expect.poll(async () => (await chartState(page)).markers).toBeGreaterThan(0);
	// Earlier again: the centre moves back.
	await page.getByTestId('chart-prev-anomaly').click();
	await expect.poll(async () => (await shown(page)).from).toBeLessThan(first.from);
	const second = await shown(page);
	await page.getByTestId('chart-next-anomaly').click();
	await expect.poll(async () => (await shown(page)).from).toBeGreaterThan(second.from);
});
