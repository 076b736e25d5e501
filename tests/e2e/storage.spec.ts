import { expect, test } from '@playwright/test';
import { expectTicksFlowing, tickTotal } from './helpers';

test('the storage card shows what is stored, and the size cap is kept across reloads', async ({ page }) => {
	await page.goto('./?count=3');
	const storage = page.getByTestId('storage');
	await expect.poll(async () => Number(await storage.getByTestId('storage-ticks').getAttribute('data-value')), { timeout: 15_000 }).toBeGreaterThan(0);
	await expect(storage.getByTestId('storage-usage')).toContainText(' of ');
	await expect(storage.getByTestId('size-cap')).toHaveValue('500000000');
	await storage.getByTestId('size-cap').selectOption('100000000');
	await page.reload();
	await expect(page.getByTestId('storage').getByTestId('size-cap')).toHaveValue('100000000');
	// Asking to keep the history gets an answer in plain words, whatever the browser decides.
	const persist = page.getByTestId('persist');
	if (await persist.isVisible()) {
		await persist.click();
		await expect(page.getByTestId('storage').getByRole('status')).toContainText(/browser/);
	} else {
		await expect(page.getByTestId('storage-persisted')).toHaveText('yes');
	}
});

test('when the disk quota runs out, the oldest ticks make room, the person is told, and ingest goes on', async ({ page, context }) => {
	// A busy simulator: 60 instruments at 50 ticks/s each, about 100 kB of ticks a second.
	await page.goto('./?count=60&rate=50');
	await expectTicksFlowing(page);
	const origin = new URL(page.url()).origin;
	const cdp = await context.newCDPSession(page);
	const { usage } = await cdp.send('Storage.getUsageAndQuota', { origin });
	// Room for a few more seconds of history, then the quota is hit.
	await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: Math.ceil(usage) + 1_500_000 });
	await expect(page.getByRole('alert').filter({ hasText: 'Storage was full' })).toBeVisible({ timeout: 45_000 });
	await expect(page.getByRole('alert').filter({ hasText: 'Storage was full' })).toContainText('Anomalies are kept');
	// Ticks keep coming and being stored after the eviction.
	const before = await tickTotal(page);
	await expectTicksFlowing(page);
	expect(await tickTotal(page)).toBeGreaterThan(before);
	await cdp.send('Storage.overrideQuotaForOrigin', { origin });
});
