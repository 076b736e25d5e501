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

/** JS heap used (after a forced GC) by the page and by each of its workers, through DevTools. */
export async function heapMb(page: import('@playwright/test').Page): Promise<{ page: number; workers: number }> {
	const session = await page.context().newCDPSession(page);
	await session.send('HeapProfiler.collectGarbage');
	const own = (await session.send('Runtime.getHeapUsage')).usedSize;
	await session.detach();
	const browser = page.context().browser();
	let workers = 0;
	if (browser) {
		const cdp = await browser.newBrowserCDPSession();
		const { targetInfos } = await cdp.send('Target.getTargets');
		for (const target of targetInfos.filter((t) => t.type === 'worker')) {
			const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: target.targetId, flatten: false });
			let id = 0;
			const call = (method: string) =>
				new Promise<{ usedSize?: number } | undefined>((resolve) => {
					const mine = ++id;
					const listener = (event: { sessionId: string; message: string }) => {
						if (event.sessionId !== sessionId) return;
						const message = JSON.parse(event.message);
						if (message.id !== mine) return;
						cdp.off('Target.receivedMessageFromTarget', listener);
						resolve(message.result);
					};
					cdp.on('Target.receivedMessageFromTarget', listener);
					void cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id: mine, method }) });
				});
			await call('HeapProfiler.collectGarbage');
			workers += (await call('Runtime.getHeapUsage'))?.usedSize ?? 0;
			await cdp.send('Target.detachFromTarget', { sessionId });
		}
		await cdp.detach();
	}
	return { page: own / 1e6, workers: workers / 1e6 };
}
