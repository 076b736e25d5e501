import { expect, type Page } from '@playwright/test';

/** Total ticks as the status line reports them (its exact count, not the formatted text). */
export async function tickTotal(page: Page): Promise<number> {
	return Number(await page.getByTestId('tick-total').getAttribute('data-value'));
}

/** What the main chart is drawing right now (set by the chart on every redraw). */
export async function chartState(page: Page) {
	const chart = page.getByTestId('chart');
	const [seriesKey, points, firstT, lastT, markers] = await Promise.all(
		['data-series-key', 'data-points', 'data-first-t', 'data-last-t', 'data-markers'].map((name) =>
			chart.getAttribute(name)
		)
	);
	return {
		seriesKey: seriesKey ?? '',
		points: Number(points ?? 0),
		firstT: firstT ? Number(firstT) : NaN,
		lastT: lastT ? Number(lastT) : NaN,
		markers: Number(markers ?? 0)
	};
}

/** Waits until ticks are flowing: the total grows between two looks. */
export async function expectTicksFlowing(page: Page): Promise<void> {
	const before = await tickTotal(page);
	await expect.poll(() => tickTotal(page)).toBeGreaterThan(before);
}
