import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { expectTicksFlowing } from './helpers';

/** Every `new Notification(...)` the page makes, recorded by the spy below. */
interface Shown {
	title: string;
	body: string;
	tag: string;
}

/**
 * Wraps window.Notification before the app loads: each construction is recorded (title, body,
 * tag) and still goes to the real one, so the browser's own checks (permission) apply.
 */
async function spyOnNotifications(context: BrowserContext): Promise<void> {
	await context.addInitScript(() => {
		const w = window as unknown as { Notification?: typeof Notification; __shown: Shown[] };
		w.__shown = [];
		if (!w.Notification) return;
		const Real: typeof Notification = w.Notification;
		function Spy(title: string, options?: NotificationOptions) {
			const notification = new Real(title, options);
			w.__shown.push({ title, body: options?.body ?? '', tag: options?.tag ?? '' });
			return notification;
		}
		Object.defineProperty(Spy, 'permission', { get: () => Real.permission });
		Spy.requestPermission = (...args: Parameters<typeof Notification.requestPermission>) => Real.requestPermission(...args);
		Spy.prototype = Real.prototype;
		w.Notification = Spy as unknown as typeof Notification;
	});
}

const shown = (page: Page) => page.evaluate(() => (window as unknown as { __shown: Shown[] }).__shown);

/** The count a notification's title or the strip's line starts with: `60 anomalies on …` */
const flagsIn = (title: string) => Number(/^([\d,]+) anomal/.exec(title)?.[1].replace(/,/g, '') ?? NaN);

/** Series names a notification's body lists (first line: `BTC (4), ETH (2) and 3 more`). */
function namesIn(body: string): string[] {
	return body
		.split('\n')[0]
		.replace(/ and [\d,]+\+? more$/, '')
		.split(', ')
		.map((name) => name.replace(/ \(\d+\)$/, ''));
}

/** Id of the newest alert group in the strip (0: none yet). */
async function newestGroup(page: Page): Promise<number> {
	const text = page.getByTestId('alert-text');
	return (await text.count()) === 0 ? 0 : Number(await text.getAttribute('data-group-id'));
}

/** Every group the strip holds, oldest first: the newest line and the "earlier" overlay. */
async function stripGroups(page: Page): Promise<{ id: number; count: number }[]> {
	const earlier = page.getByTestId('alert-earlier');
	if ((await earlier.count()) > 0 && (await earlier.getAttribute('aria-expanded')) !== 'true') await earlier.click();
	const rows = await page.locator('[data-testid="alert-text"], [data-testid="alert-item"]').evaluateAll((nodes) =>
		nodes.map((node) => ({ id: Number(node.getAttribute('data-group-id')), count: Number(node.getAttribute('data-count')) }))
	);
	return rows.sort((a, b) => a.id - b.id);
}

test.describe('alerts', () => {
	test('opt-in notifications: granted, grouped, rate-limited, named; none while off', async ({ browser }) => {
		test.setTimeout(180_000);
		const context = await browser.newContext({ permissions: ['notifications'] });
		await spyOnNotifications(context);
		const page = await context.newPage();
		// Thousands of injections per series per hour: flags arrive several times a second.
		await page.goto('./?anomalies=3000');
		await expectTicksFlowing(page);
		const labels = await page.getByTestId('series-picker').locator('button .label').allTextContents();
		expect(labels.length).toBeGreaterThan(1);

		const settings = page.getByTestId('alert-settings');
		await expect(settings.getByTestId('alert-notify')).not.toBeChecked();
		await expect(settings.getByTestId('alert-sound')).not.toBeChecked();
		await settings.getByTestId('alert-interval').selectOption('5000');

		// Off: the strip alerts (twice, so the interval has passed once), no notification is made.
		await expect(page.getByTestId('alert-text')).toHaveText(/anomal/);
		const first = await newestGroup(page);
		await expect.poll(() => newestGroup(page), { timeout: 30_000 }).toBeGreaterThan(first);
		expect(await shown(page)).toEqual([]);

		// On: the browser already allows it (context permission), so ticking turns it on at once.
		await settings.getByTestId('alert-notify').check();
		await expect(settings.getByTestId('alert-notify')).toBeChecked();
		expect(await page.evaluate(() => Notification.permission)).toBe('granted');
		await expect(settings.getByTestId('alert-problem')).toHaveCount(0);
		await expect.poll(async () => (await shown(page)).length, { timeout: 30_000 }).toBeGreaterThanOrEqual(2);

		const notes = await shown(page);
		for (const note of notes) {
			expect(note.tag).toBe('tickscope-anomalies');
			expect(note.title).toMatch(/^[\d,]+ anomal(y|ies) on /);
			for (const name of namesIn(note.body)) expect(labels).toContain(name);
		}
		// A burst: many flags came in one interval, and they made one notification.
		const counts = notes.map((n) => flagsIn(n.title));
		expect(Math.max(...counts)).toBeGreaterThan(1);
		expect(counts.reduce((a, b) => a + b, 0)).toBeGreaterThan(notes.length);
		// Each notification is one group of the strip: the same counts, in the same order.
		const groups = (await stripGroups(page)).map((g) => g.count).join(',');
		expect(`,${groups},`).toContain(`,${counts.join(',')},`);
		await page.keyboard.press('Escape');

		// Only one series: the next notifications name only it.
		await settings.getByTestId('alert-some').check();
		const chosenKey = await settings.getByTestId('alert-series').locator('input:checked').getAttribute('data-series-key');
		const chosen = await page.getByTestId('series-picker').locator(`button[data-series-key="${chosenKey}"] .label`).textContent();
		const before = (await shown(page)).length;
		await expect.poll(async () => (await shown(page)).length, { timeout: 60_000 }).toBeGreaterThan(before);
		const narrowed = (await shown(page)).slice(before);
		for (const note of narrowed) {
			expect(note.title).toMatch(new RegExp(`on ${chosen!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
			expect(namesIn(note.body)).toEqual([chosen]);
		}
		await expect(page.getByTestId('alert-text')).toContainText(chosen!);


		// Artefacts to look at. The sidebar is sticky and taller than 900 px: a tall window shows all of it.
		await page.setViewportSize({ width: 1400, height: 2000 });
		await page.evaluate(() => scrollTo(0, 0));
		await page.getByTestId('alert-strip').screenshot({ path: test.info().outputPath('alert-strip.png') });
		await settings.screenshot({ path: test.info().outputPath('alert-settings.png') });
		await page.screenshot({ path: test.info().outputPath('alerts-page.png') });
		await page.setViewportSize({ width: 1400, height: 900 });

		// Off again (every series, so groups keep coming): the strip goes on alerting, no notifications.
		await settings.getByTestId('alert-all').check();
		await settings.getByTestId('alert-notify').uncheck();
		const off = (await shown(page)).length;
		const last = await newestGroup(page);
		await expect.poll(() => newestGroup(page), { timeout: 30_000 }).toBeGreaterThan(last);
		expect(await shown(page)).toHaveLength(off);
		await context.close();
	});

	test('refused permission: the box stays off and says why in plain words', async ({ browser }) => {
		// No permission granted: headless Chromium answers the request with "denied" (it has no prompt).
		const context = await browser.newContext();
		await spyOnNotifications(context);
		const page = await context.newPage();
		await page.goto('./?anomalies=3000');
		await expectTicksFlowing(page);
		const settings = page.getByTestId('alert-settings');
		await settings.getByTestId('alert-notify').click();
		await expect(settings.getByTestId('alert-problem')).toHaveText(/^Notifications are blocked for this site\. To get them, allow notifications in the browser’s site settings/);
		await expect(settings.getByTestId('alert-notify')).not.toBeChecked();
		expect(await page.evaluate(() => Notification.permission)).toBe('denied');
		await expect(page.getByTestId('alert-text')).toHaveText(/anomal/);
		expect(await shown(page)).toEqual([]);
		await context.close();
	});

	test('no Notification API: says so, and the strip still alerts', async ({ browser }) => {
		const context = await browser.newContext();
		await context.addInitScript(() => delete (window as { Notification?: unknown }).Notification);
		const page = await context.newPage();
		await page.goto('./?anomalies=3000');
		const settings = page.getByTestId('alert-settings');
		await settings.getByTestId('alert-notify').click();
		await expect(settings.getByTestId('alert-problem')).toHaveText(/cannot show notifications/);
		await expect(settings.getByTestId('alert-notify')).not.toBeChecked();
		await expect(page.getByTestId('alert-text')).toHaveText(/anomal/);
		await context.close();
	});
});
