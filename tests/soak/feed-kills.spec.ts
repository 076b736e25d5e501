import { expect, test } from '@playwright/test';
import { startFeedServer } from '../fixtures/feed-server';

const KILLS = Number(process.env.SOAK_KILLS ?? 20);

test(`a feed killed ${KILLS} times with 0–10 s of downtime: each reconnect within downtime + 10 s, one socket at a time, no tick lost or doubled`, async ({ page }) => {
	test.setTimeout(KILLS * 40_000 + 60_000);
	// Trades with their own rising times, many more than the run needs.
	const start = Date.now();
	const frames = Array.from({ length: 200_000 }, (_, k) => JSON.stringify({ e: 'trade', s: 'KILL', t: k, p: (100 + (k % 50) / 10).toFixed(2), q: '1', T: start + k }));
	const server = await startFeedServer({ frames, intervalMs: 10, holdWithoutClients: true });
	let seed = 5;
	const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
	const reconnects: { downMs: number; backMs: number }[] = [];
	try {
		await page.goto(`./?sim=off&feed=${encodeURIComponent(server.url)}`);
		const feed = page.getByTestId('feed').first();
		await expect(feed).toHaveAttribute('data-state', 'live');
		for (let round = 0; round < KILLS; round++) {
			await page.waitForTimeout(500 + random() * 1000);
			const downMs = Math.round(random() * 10_000);
			const before = server.connections();
			await server.kill();
			await page.waitForTimeout(downMs);
			await server.restart();
			const up = Date.now();
			await expect.poll(() => server.connections(), { timeout: downMs + 20_000 }).toBeGreaterThan(before);
			reconnects.push({ downMs, backMs: downMs + (Date.now() - up) });
			await expect(feed).toHaveAttribute('data-state', 'live');
		}
		await server.stop();
		// Every delivered trade is a price and a quantity tick, stored once.
		await page.getByTestId('diagnostics').locator('summary').click();
		const read = async (id: string) => Number(await page.getByTestId(id).getAttribute('data-value'));
		await expect.poll(() => read('diag-pending'), { timeout: 10_000 }).toBe(0);
		const delivered = server.delivered();
		const persisted = await read('diag-persisted');
		const worst = Math.max(...reconnects.map((r) => r.backMs - r.downMs));
		console.log(`feed kills: ${KILLS} kills, back within downtime + ${(worst / 1000).toFixed(1)} s at worst, at most ${server.mostOpen()} socket(s) open, ${delivered} frames delivered, ${persisted} ticks stored`);
		for (const r of reconnects) expect(r.backMs).toBeLessThanOrEqual(r.downMs + 10_000);
		expect(server.mostOpen()).toBe(1);
		expect(persisted).toBe(2 * delivered);
		expect(await read('diag-duplicates')).toBe(0);
		expect(await read('diag-received')).toBe(persisted + (await read('diag-rejected')) + (await read('diag-dropped')));
	} finally {
		await server.stop();
	}
});
