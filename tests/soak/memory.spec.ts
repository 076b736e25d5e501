import { expect, test } from '@playwright/test';
import { heapMb } from '../e2e/helpers';
import { domNodesInHeap, UPLOT_ROOT } from './heap-snapshot';

const MINUTES = Number(process.env.SOAK_MINUTES ?? 10);
/** Chart mount cycles measured, after 10 that warm caches and compiled code up. */
const CYCLES = 50;

test(`memory: ${MINUTES} minutes at 10× the default rate with the simulator, heap at the end within 10 % of minute 2; ${CYCLES} chart mount cycles leave no chart behind and no growth`, async ({ page }) => {
	test.setTimeout((MINUTES + 5) * 60_000);
	// 100 instruments at 100 ticks/s each: 10× the default rate (20,000 ticks/s).
	await page.goto('./?count=100&rate=100&charts=3');
	await expect(page.getByTestId('panel-chart')).toHaveCount(3);
	await page.waitForTimeout(Math.min(2, MINUTES) * 60_000);
	const minute2 = await heapMb(page);
	await page.waitForTimeout(Math.max(0, MINUTES - 2) * 60_000);
	const end = await heapMb(page);
	const total = (h: { page: number; workers: number }) => h.page + h.workers;
	const growth = (total(end) - total(minute2)) / total(minute2);

	// Candles in, ticks back (each a chart unmounted and another mounted), and a panel added and
	// removed: 10 rounds to warm caches up, then 50 measured.
	const cycle = async () => {
		await page.getByTestId('aggregation').selectOption('1s');
		await page.getByTestId('candle-chart').waitFor();
		await page.getByTestId('aggregation').selectOption('');
		await page.getByTestId('chart').waitFor();
		await page.getByTestId('add-panel').click();
		await page.getByTestId('panel-remove').last().click();
	};
	for (let i = 0; i < 10; i++) await cycle();
	// uPlot roots in the heap: the charts on the page, and any unmounted chart still kept alive.
	// V8 may hold one early chart through uPlot's shared hidden class (its `rect` getter); that one
	// stays one, and a leak adds one a cycle.
	const chartsBefore = await domNodesInHeap(page, UPLOT_ROOT);
	const beforeCycles = await heapMb(page);
	for (let i = 0; i < CYCLES; i++) await cycle();
	const afterCycles = await heapMb(page);
	const chartsAfter = await domNodesInHeap(page, UPLOT_ROOT);
	const perCycleKb = ((afterCycles.page - beforeCycles.page) * 1000) / CYCLES;
	console.log(
		`memory soak: minute 2 ${total(minute2).toFixed(1)} MB → minute ${MINUTES} ${total(end).toFixed(1)} MB (${(growth * 100).toFixed(1)} %); page ${beforeCycles.page.toFixed(2)} → ${afterCycles.page.toFixed(2)} MB over ${CYCLES} mount cycles (${perCycleKb.toFixed(1)} kB a cycle); uPlot roots in the heap ${chartsBefore.attached} + ${chartsBefore.detached} detached → ${chartsAfter.attached} + ${chartsAfter.detached} detached`
	);
	expect(growth).toBeLessThan(0.1);
	expect(chartsAfter.attached).toBe(chartsBefore.attached);
	expect(chartsAfter.detached).toBeLessThanOrEqual(chartsBefore.detached);
	// A chart kept after its unmount is 35–50 kB of page heap; the count above catches one in 50
	// cycles, this catches what the count cannot see.
	expect(afterCycles.page - beforeCycles.page).toBeLessThan(2);
});
