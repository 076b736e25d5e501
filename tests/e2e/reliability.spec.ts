import { expect, test, type Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { startFeedServer } from '../fixtures/feed-server';

/** The diagnostics panel's figures (exact counts from data-value). */
async function diagnostics(page: Page) {
	const read = async (id: string) => Number(await page.getByTestId(id).getAttribute('data-value'));
	return {
		received: await read('diag-received'),
		persisted: await read('diag-persisted'),
		pending: await read('diag-pending'),
		rejected: await read('diag-rejected'),
		dropped: await read('diag-dropped'),
		duplicates: await read('diag-duplicates')
	};
}

test('duplicates, shuffled and same-instant trades, a source clock 5 minutes ahead: counts balance exactly, history stays ordered, skew shown', async ({ page }) => {
	const SKEW = 5 * 60_000;
	const STEP = 4;
	const start = Date.now() + SKEW + 3000;
	const trade = (id: number, k: number, price: number) => JSON.stringify({ e: 'trade', s: 'BTCUSDT', t: id, p: price.toFixed(2), q: '0.50', T: start + k * STEP });
	// 2,000 trades in source order, then the faults: 5 % moved up to 2 s later (they arrive
	// behind newer ones), 2 % sent twice, 1 % joined by another trade at the same instant.
	const frames: string[] = [];
	let seed = 11;
	const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
	for (let k = 0; k < 2000; k++) frames.push(trade(k, k, 43000 + (k % 37)));
	let shuffled = 0;
	let duplicated = 0;
	let sameInstant = 0;
	const out: string[] = [];
	const late: { at: number; frame: string }[] = [];
	for (let k = 0; k < frames.length; k++) {
		for (let i = late.length - 1; i >= 0; i--) {
			if (late[i].at !== k) continue;
			out.push(late[i].frame);
			late.splice(i, 1);
		}
		const r = random();
		if (k > 20 && k < frames.length - 600 && r < 0.05) {
			// Up to 2 s of source time later: 500 frames of 4 ms.
			late.push({ at: k + 1 + Math.floor(random() * 499), frame: frames[k] });
			shuffled++;
			continue;
		}
		out.push(frames[k]);
		if (k > 20 && r >= 0.05 && r < 0.07) {
			out.push(frames[k]);
			duplicated++;
		} else if (k > 20 && r >= 0.07 && r < 0.08) {
			out.push(trade(100_000 + k, k, 41000));
			sameInstant++;
		}
	}
	expect(late).toHaveLength(0);

	const server = await startFeedServer({ frames: out, intervalMs: 2, holdWithoutClients: true });
	try {
		await page.goto(`./?sim=off&feed=${encodeURIComponent(server.url)}`);
		await expect(page.getByTestId('feed').first()).toHaveAttribute('data-state', 'live');
		await expect.poll(() => server.delivered(), { timeout: 30_000 }).toBe(out.length);
		await page.getByTestId('diagnostics').locator('summary').click();
		// Everything written: nothing pending, and the books balance to the tick.
		await expect.poll(async () => (await diagnostics(page)).pending, { timeout: 10_000 }).toBe(0);
		const d = await diagnostics(page);
		console.log(`reliability: ${out.length} frames (${shuffled} shuffled, ${duplicated} duplicated, ${sameInstant} same-instant) → ${JSON.stringify(d)}`);
		expect(d.received).toBe(d.persisted + d.pending + d.dropped + d.rejected + d.duplicates);
		await expect(page.getByTestId('diag-balance')).toContainText('✓');
		// Exact copies dropped and counted; each refused late trade is a price and a quantity.
		expect(d.duplicates).toBe(duplicated);
		expect(d.rejected).toBe(2 * shuffled);
		// In-order trades, and the other trades at the same instant (kept: a burst), all stored.
		expect(d.persisted).toBe(2 * (2000 - shuffled + sameInstant));
		await expect(page.getByTestId('feed-duplicates')).toContainText(`${duplicated} repeated messages skipped`);
		await expect(page.getByTestId('feed-skew')).toContainText(/5 min ahead|300\.\d s ahead/);

		// History is ordered: the stored prices, exported, never go back in time.
		await page.getByTestId('series-picker').locator('button[data-series-key$="BTCUSDT/p"]').click();
		await page.getByTestId('export-menu').click();
		const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-all-csv').click()]);
		const times = (await readFile(await download.path())).toString('utf8').trimEnd().split('\r\n').slice(1).map((line) => Number(line.split(',')[2]));
		expect(times).toHaveLength(2000 - shuffled + sameInstant);
		for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThanOrEqual(times[i - 1]);
	} finally {
		await server.stop();
	}
});

test('a half-open socket (the server goes silent without closing) is marked stale within 10 s and replaced, never two sockets at once', async ({ page }) => {
	const { WebSocketServer } = await import('ws');
	const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
	await new Promise((resolve) => wss.once('listening', resolve));
	let connections = 0;
	let open = 0;
	let mostOpen = 0;
	let silentSince = 0;
	let k = 0;
	wss.on('connection', (socket) => {
		connections++;
		mostOpen = Math.max(mostOpen, ++open);
		socket.on('close', () => open--);
		// Trades every 100 ms; the first connection goes silent after 3 s but stays open.
		const first = connections === 1;
		const timer = setInterval(() => {
			if (first && k >= 30) {
				silentSince ||= Date.now();
				return;
			}
			const t = Date.now();
			socket.send(JSON.stringify({ e: 'trade', s: 'HALF', t: k++, p: '1.00', q: '1', T: t }));
		}, 100);
		socket.on('close', () => clearInterval(timer));
	});
	try {
		await page.goto(`./?sim=off&feed=${encodeURIComponent(`ws://127.0.0.1:${(wss.address() as { port: number }).port}`)}`);
		await expect(page.getByTestId('feed').first()).toHaveAttribute('data-state', 'live');
		// Replaced by a second connection, within max(3 × 100 ms, 10 s) of silence (+ the retry).
		await expect.poll(() => connections, { timeout: 20_000 }).toBe(2);
		const detectedAfter = (Date.now() - silentSince) / 1000;
		console.log(`half-open: silent socket replaced ${detectedAfter.toFixed(1)} s after its last message; at most ${mostOpen} open at once`);
		expect(detectedAfter).toBeLessThan(13);
		expect(mostOpen).toBe(1);
		await page.getByTestId('diagnostics').locator('summary').click();
		await expect(page.getByTestId('diag-stale')).toHaveText('1');
		await expect(page.getByTestId('feed').first()).toHaveAttribute('data-state', 'live');
	} finally {
		for (const client of wss.clients) client.terminate();
		await new Promise((resolve) => wss.close(resolve));
	}
});
