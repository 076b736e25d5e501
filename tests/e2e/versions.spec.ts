import { expect, test } from '@playwright/test';
import { expectTicksFlowing, tickTotal } from './helpers';

test('a newer version opening the history: this tab writes what it has, stops, asks to reload; the upgrade completes with nothing lost', async ({ context, page }) => {
	await page.goto('./?count=5&rate=50');
	await expectTicksFlowing(page);
	await page.waitForTimeout(1500);
	const seen = await tickTotal(page);

	// Another tab opens the same database at a newer schema version (Dexie's version 3 is
	// IndexedDB version 30), as a new release would.
	const other = await context.newPage();
	await other.goto('./robots.txt');
	const upgraded = await other.evaluate(
		() =>
			new Promise<{ version: number; totalTicks: number; chunkTicks: number; summaryTicks: number }>((resolve, reject) => {
				const request = indexedDB.open('tickscope', 40);
				request.onerror = () => reject(request.error);
				request.onsuccess = () => {
					const db = request.result;
					const tx = db.transaction(['meta', 'chunks', 'summaries'], 'readonly');
					const counters = tx.objectStore('meta').get('counters');
					const chunks = tx.objectStore('chunks').getAll();
					const summaries = tx.objectStore('summaries').getAll();
					tx.oncomplete = () => {
						const sum = (rows: { n: number }[]) => rows.reduce((s, r) => s + r.n, 0);
						resolve({ version: db.version, totalTicks: counters.result.totalTicks, chunkTicks: sum(chunks.result), summaryTicks: sum(summaries.result) });
						db.close();
					};
				};
			})
	);
	// The old tab let the upgrade through (it was not blocked) and says so.
	expect(upgraded.version).toBe(40);
	await expect(page.getByTestId('owner-notice')).toHaveAttribute('data-phase', 'outdated');
	await expect(page.getByTestId('reload')).toBeVisible();
	// Nothing lost: every tick it had counted is in the upgraded database, chunks and
	// summaries agree, and the counter matches what is stored.
	console.log(`versions: ${seen} ticks seen before the upgrade, ${upgraded.totalTicks} counted, ${upgraded.chunkTicks} stored`);
	expect(upgraded.totalTicks).toBeGreaterThanOrEqual(seen);
	expect(upgraded.chunkTicks).toBe(upgraded.totalTicks);
	expect(upgraded.summaryTicks).toBe(upgraded.chunkTicks);
	// And it stopped writing: the tick total no longer moves.
	const stopped = await page.getByTestId('tick-total').getAttribute('data-value');
	await page.waitForTimeout(1500);
	expect(await page.getByTestId('tick-total').getAttribute('data-value')).toBe(stopped);
});
