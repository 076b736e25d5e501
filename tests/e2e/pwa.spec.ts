import { chromium, expect, test } from '@playwright/test';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveSite } from '../../scripts/serve.mjs';
import { chartState, expectTicksFlowing, tickTotal } from './helpers';

test('after one online visit the app loads and runs with the network off', async ({ page, context }) => {
	await page.goto('./');
	await expectTicksFlowing(page);
	// The service worker is installed and active: the shell and every asset are precached.
	await page.evaluate(async () => {
		const registration = await navigator.serviceWorker.ready;
		if (!registration.active) throw new Error('no active service worker');
	});
	await expect(page.getByText('offline ready')).toBeVisible();
	const totalOnline = await tickTotal(page);

	await context.setOffline(true);
	await page.reload();
	expect(await page.evaluate(() => navigator.onLine)).toBe(false);
	expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
	await expectTicksFlowing(page);
	await expect.poll(async () => (await chartState(page)).points).toBeGreaterThan(5);
	expect(await tickTotal(page)).toBeGreaterThan(totalOnline - 1000);
	await context.setOffline(false);
});

test('the web app manifest makes it installable', async ({ baseURL }) => {
	// Installability is judged for a persistent profile: incognito contexts always report one error.
	const profile = mkdtempSync(join(tmpdir(), 'tickscope-profile-'));
	const context = await chromium.launchPersistentContext(profile, test.info().project.use.launchOptions ?? {});
	try {
		const page = await context.newPage();
		await page.goto(baseURL!);
		await page.evaluate(() => navigator.serviceWorker.ready);
		const cdp = await context.newCDPSession(page);
		const manifest = await cdp.send('Page.getAppManifest');
		expect(manifest.errors).toEqual([]);
		const parsed = JSON.parse(manifest.data!);
		expect(parsed.display).toBe('standalone');
		expect(parsed.theme_color).toBe('#0f1419');
		expect(parsed.icons.map((icon: { sizes: string }) => icon.sizes)).toEqual(
			expect.arrayContaining(['192x192', '512x512'])
		);
		for (const icon of parsed.icons as { src: string }[]) {
			const response = await page.request.get(new URL(icon.src, manifest.url).href);
			expect(response.headers()['content-type']).toBe('image/png');
		}
		const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
		expect(installabilityErrors).toEqual([]);
	} finally {
		await context.close();
		rmSync(profile, { recursive: true, force: true });
	}
});

test('a waiting new version shows a prompt; accepting saves history and reloads into it', async ({ page }) => {
	// A private copy of the site, so this test can publish a "new version" without touching others.
	const dir = mkdtempSync(join(tmpdir(), 'tickscope-site-'));
	cpSync('build', dir, { recursive: true });
	const server: Server = await serveSite({ dir, port: 4180, dev: true });
	try {
		await page.goto('http://127.0.0.1:4180/');
		await expectTicksFlowing(page);
		await page.evaluate(() => navigator.serviceWorker.ready);
		await page.reload();
		await expect(page.getByTestId('update-prompt')).toHaveCount(0);

		const sw = join(dir, 'sw.js');
		writeFileSync(sw, `${readFileSync(sw, 'utf8')}\n// next version\n`);
		await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
		const prompt = page.getByTestId('update-prompt');
		await expect(prompt).toBeVisible();

		const totalBefore = await tickTotal(page);
		await Promise.all([page.waitForEvent('load'), prompt.getByRole('button').click()]);
		await expect(prompt).toHaveCount(0);
		// Everything counted before the click was written before the reload: nothing lost.
		await expect.poll(() => tickTotal(page)).toBeGreaterThanOrEqual(totalBefore);
		await expectTicksFlowing(page);
	} finally {
		server.close();
		rmSync(dir, { recursive: true, force: true });
	}
});

test('a build for a sub-path runs there, service worker scope included', async ({ page }) => {
	// `npm test` builds test-results/build-subpath with BASE_PATH=/tickscope before the browser tests.
	const server: Server = await serveSite({ dir: 'test-results/build-subpath', port: 4181, base: '/tickscope' });
	try {
		await page.goto('http://127.0.0.1:4181/tickscope/');
		await expectTicksFlowing(page);
		const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
		expect(scope).toBe('http://127.0.0.1:4181/tickscope/');
		const manifest = await page.locator('link[rel="manifest"]').getAttribute('href');
		expect(manifest).toBe('/tickscope/manifest.webmanifest');
		// Unknown paths under the base get the app shell, as on a static host with a fallback.
		const deep = await page.request.get('http://127.0.0.1:4181/tickscope/some/deep/link');
		expect(deep.status()).toBe(200);
		expect(await deep.text()).toContain('/tickscope/_app/');
	} finally {
		server.close();
	}
});
