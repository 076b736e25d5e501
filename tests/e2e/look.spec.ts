import { copyFile } from 'node:fs/promises';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { expectTicksFlowing } from './helpers';

const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };

/** Opens the app and waits until ticks stream and the main chart draws them. */
async function openStreaming(page: Page): Promise<void> {
	await page.goto('./');
	await expect(page.getByTestId('chart')).toHaveAttribute('data-points', /^[1-9]/);
	await expectTicksFlowing(page);
}

for (const colorScheme of ['dark', 'light'] as const) {
	for (const [name, size] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
		test(`${colorScheme} ${name} (${size.width}×${size.height}): axe finds nothing serious; screenshot`, async ({ page }, testInfo) => {
			await page.emulateMedia({ colorScheme });
			await page.setViewportSize(size);
			await openStreaming(page);
			// "As the system" is the first-run choice: the page follows the emulated setting.
			await expect(page.locator('html')).toHaveAttribute('data-theme', colorScheme);
			await expect(page.getByTestId('theme')).toHaveValue('system');

			const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
			const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
			console.log(
				`axe ${colorScheme} ${name}: ${result.violations.length} violated rules, ${serious.length} serious or critical`,
				result.violations.map((v) => `${v.id} (${v.impact}, ${v.nodes.length}× e.g. ${v.nodes[0]?.target.join(' ')})`)
			);
			expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);

			for (const fullPage of [false, true]) {
				const file = `look-${colorScheme}-${size.width}x${size.height}${fullPage ? '-full' : ''}.png`;
				const path = testInfo.outputPath(file);
				await page.screenshot({ path, fullPage, animations: 'disabled' });
				await testInfo.attach(file, { path, contentType: 'image/png' });
				await copyFile(path, `/tmp/${file}`);
			}
		});
	}
}

test('a phone 360 px wide: nothing wider than the screen, panels one per row, settings in a drawer', async ({ page }) => {
	await page.setViewportSize({ width: 360, height: 760 });
	await openStreaming(page);
	const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
	expect(await overflow()).toBeLessThanOrEqual(0);

	const panels = page.getByTestId('panel');
	await expect(panels.first()).toBeVisible();
	const boxes = await panels.evaluateAll((els) => els.map((el) => el.getBoundingClientRect().toJSON() as DOMRect));
	expect(boxes.length).toBeGreaterThan(1);
	for (const box of boxes) {
		expect(box.left).toBeCloseTo(boxes[0].left, 0);
		expect(box.right).toBeLessThanOrEqual(360);
	}
	// Stacked: each panel starts below the one before.
	for (let i = 1; i < boxes.length; i++) expect(boxes[i].top).toBeGreaterThanOrEqual(boxes[i - 1].bottom);

	// The main chart comes before the sources and settings, which open on a tap.
	const drawer = page.getByTestId('sources-drawer');
	const chartBottom = (await page.getByTestId('chart').boundingBox())!.y;
	expect((await drawer.boundingBox())!.y).toBeGreaterThan(chartBottom);
	await expect(page.getByTestId('series-picker')).toBeHidden();
	await drawer.getByText('Sources & settings').click();
	await expect(page.getByTestId('series-picker')).toBeVisible();
	expect(await overflow()).toBeLessThanOrEqual(0);
});

test('Tab reaches the controls in order, each with a visible focus ring', async ({ page }) => {
	await openStreaming(page);
	const seen: string[] = [];
	for (let i = 0; i < 15; i++) {
		await page.keyboard.press('Tab');
		const focus = await page.evaluate(() => {
			const el = document.activeElement as HTMLElement | null;
			if (!el || el === document.body) return null;
			const style = getComputedStyle(el);
			const name = el.getAttribute('aria-label') ?? el.dataset.testid ?? el.textContent?.trim().slice(0, 30) ?? '';
			return { tag: el.tagName.toLowerCase(), name, visible: el.matches(':focus-visible'), outline: parseFloat(style.outlineWidth), style: style.outlineStyle };
		});
		expect(focus, `Tab ${i + 1} focuses something`).not.toBeNull();
		seen.push(`${focus!.tag} ${focus!.name}`);
		expect(focus!.visible, `${focus!.tag} ${focus!.name} matches :focus-visible`).toBe(true);
		expect(focus!.outline, `${focus!.tag} ${focus!.name} has an outline`).toBeGreaterThan(0);
		expect(focus!.style).not.toBe('none');
	}
	console.log('tab order:', seen.join(' → '));
	// The skip link comes first and jumps over the sidebar to the charts.
	expect(seen[0]).toContain('Skip to the chart');
});

test('the theme switch overrides the system setting and is kept', async ({ page }) => {
	await page.emulateMedia({ colorScheme: 'dark' });
	await openStreaming(page);
	const background = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
	const dark = await background();
	await page.getByTestId('theme').selectOption('light');
	await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
	expect(await background()).not.toBe(dark);
	await expect(page.locator('meta[name="theme-color"]').first()).toHaveAttribute('content', '#f3f5f7');
	// Saved with the workspace (300 ms after a change): a reload keeps it, also under a dark system.
	await page.waitForTimeout(600);
	await page.reload();
	await expect(page.getByTestId('theme')).toHaveValue('light');
	await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
	await page.getByTestId('theme').selectOption('system');
	await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
});

for (const [name, size] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
	test(`no layout shift while data streams (${name})`, async ({ page }) => {
		await page.setViewportSize(size);
		await openStreaming(page);
		// The first second after ticks flow is the start-up; then ~10 s of streaming are measured.
		await page.waitForTimeout(1000);
		const { cls, shifts } = await page.evaluate(
			() =>
				new Promise<{ cls: number; shifts: string[] }>((resolve) => {
					let cls = 0;
					const shifts: string[] = [];
					const observer = new PerformanceObserver((list) => {
						for (const entry of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean; sources?: { node?: Node }[] })[]) {
							if (entry.hadRecentInput) continue;
							cls += entry.value;
							const nodes = (entry.sources ?? []).map((s) => (s.node instanceof Element ? `${s.node.tagName.toLowerCase()}.${s.node.className}` : String(s.node?.nodeName)));
							shifts.push(`${entry.value.toFixed(4)} ${nodes.join(' ')}`);
						}
					});
					observer.observe({ type: 'layout-shift' });
					setTimeout(() => {
						observer.disconnect();
						resolve({ cls, shifts });
					}, 10_000);
				})
		);
		console.log(`CLS over 10 s of streaming (${name}): ${cls.toFixed(4)}`, shifts);
		expect(cls).toBeLessThan(0.1);
	});
}
