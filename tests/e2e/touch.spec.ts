import { expect, test, type CDPSession, type Page } from '@playwright/test';
import { chartState } from './helpers';

test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

/** What the main chart shows: its time range while looking at history. */
async function shown(page: Page) {
	const chart = page.getByTestId('chart');
	return { mode: await chart.getAttribute('data-mode'), from: Number(await chart.getAttribute('data-from')), to: Number(await chart.getAttribute('data-to')) };
}

/** Moves fingers from `from` to `to` (page coordinates) in a few steps, as a hand does. */
async function gesture(cdp: CDPSession, from: [number, number][], to: [number, number][]) {
	const at = (k: number) => from.map(([x, y], i) => ({ x: x + ((to[i][0] - x) * k) / 8, y: y + ((to[i][1] - y) * k) / 8, id: i }));
	await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: at(0) });
	for (let k = 1; k <= 8; k++) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: at(k) });
	await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
}

test('on a phone, one finger pans the chart through time and two fingers pinch-zoom it', async ({ page }) => {
	await page.goto('./');
	await expect.poll(async () => (await chartState(page)).points).toBeGreaterThan(50);
	const plot = page.getByTestId('chart').locator('.u-over');
	await plot.scrollIntoViewIfNeeded();
	const box = (await plot.boundingBox())!;
	const y = box.y + box.height / 2;
	const cdp = await page.context().newCDPSession(page);

	// Drag right by a third of the plot: earlier times come into view.
	const live = await chartState(page);
	await gesture(cdp, [[box.x + box.width * 0.3, y]], [[box.x + box.width * 0.63, y]]);
	await expect.poll(async () => (await shown(page)).mode).toBe('history');
	const panned = await shown(page);
	const span = live.lastT - live.firstT;
	expect(panned.to).toBeLessThan(live.lastT - span * 0.2);
	expect(panned.to - panned.from).toBeGreaterThan(span * 0.8);
	expect(panned.to - panned.from).toBeLessThan(span * 1.2);

	// Spread two fingers from a fifth to three fifths of the plot: the range shrinks threefold.
	await gesture(
		cdp,
		[
			[box.x + box.width * 0.4, y],
			[box.x + box.width * 0.6, y]
		],
		[
			[box.x + box.width * 0.2, y],
			[box.x + box.width * 0.8, y]
		]
	);
	await expect.poll(async () => {
		const now = await shown(page);
		return now.to - now.from;
	}).toBeLessThan((panned.to - panned.from) / 2);
	// And back to live.
	await page.getByTestId('chart-live').click();
	await expect.poll(async () => (await shown(page)).mode).toBe('live');

	// A panel's chart takes the same gestures: a drag moves it off live to an earlier range.
	const panel = page.locator('[data-testid="panel"][data-kind="line"]').first().getByTestId('panel-chart');
	await panel.scrollIntoViewIfNeeded();
	await expect(panel).toHaveAttribute('data-range', 'live');
	const panelPlot = panel.locator('.u-over');
	const p = (await panelPlot.boundingBox())!;
	await gesture(cdp, [[p.x + p.width * 0.3, p.y + p.height / 2]], [[p.x + p.width * 0.7, p.y + p.height / 2]]);
	await expect.poll(async () => (await panel.getAttribute('data-range')) ?? 'live').toMatch(/^\d+(\.\d+)?,\d+(\.\d+)?$/);
});
