import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { cpSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { serveSite } from '../../scripts/serve.mjs';
import { startFeedServer } from '../fixtures/feed-server';
import { expectTicksFlowing, tickTotal } from './helpers';
import { buildSite, currentBuild, projectCopy } from './update/build-site';

/**
 * Issue 8, "update while open": a new build with renamed chunks is deployed while two tabs are
 * open. Both offer the reload; the one that accepts writes its history and reloads into the new
 * version; the other keeps running the old one, and the code it loads only now (the engine worker
 * again, the feed code, the CSV import, the export) still comes, from the service worker's cache,
 * although the server no longer has it. Not one request for an `_app/` file fails.
 *
 * Set TICKSCOPE_UPDATE_SITES=<dir A>:<dir B> to test two sites built beforehand (faster reruns).
 */

/** 200 rows, one a minute, for the CSV import. */
const IMPORT_CSV = ['timestamp,value', ...Array.from({ length: 200 }, (_, i) => `${new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString()},${(Math.sin(i / 9) * 10).toFixed(3)}`)].join('\n');

let siteA = '';
let siteB = '';
let cleanup = () => {};

test.beforeAll(() => {
	if (process.env.TICKSCOPE_UPDATE_SITES) {
		[siteA, siteB] = process.env.TICKSCOPE_UPDATE_SITES.split(':');
		return;
	}
	// A: the site `npm run build` made (copied: someone may rebuild it meanwhile), else built here.
	// B: built here with every script chunk's content, and so its hashed name, changed, as a
	// release with code changes has (~10 s).
	test.setTimeout(240_000);
	const sites = mkdtempSync(join(tmpdir(), 'tickscope-update-'));
	cleanup = () => rmSync(sites, { recursive: true, force: true });
	siteA = join(sites, 'a');
	siteB = join(sites, 'b');
	const built = currentBuild();
	if (built) cpSync(built, siteA, { recursive: true });
	const project = projectCopy();
	try {
		if (!built) buildSite({ project: project.dir, outDir: siteA });
		buildSite({ project: project.dir, outDir: siteB, salt: 'update-test' });
	} finally {
		project.dispose();
	}
});

test.afterAll(() => cleanup());

/** Every file under `_app/immutable/` of a built site, as URL paths. */
function immutableFiles(site: string): Set<string> {
	const root = join(site, '_app/immutable');
	return new Set(readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => `/${relative(site, join(e.parentPath, e.name))}`));
}

const versionOf = (site: string) => (JSON.parse(readFileSync(join(site, '_app/version.json'), 'utf8')) as { version: string }).version;
const pageVersion = (page: Page) => page.locator('html').getAttribute('data-version');
const role = (page: Page) => page.locator('.app').getAttribute('data-role');

/** Collects every failed load of app code in the context: pages, their workers and the service worker. */
function watchFailures(context: BrowserContext) {
	const failures: string[] = [];
	const isApp = (url: string) => new URL(url).pathname.startsWith('/_app/');
	context.on('requestfailed', (request) => {
		if (isApp(request.url())) failures.push(`request failed: ${request.url()} (${request.failure()?.errorText})`);
	});
	context.on('response', (response) => {
		if (isApp(response.url()) && response.status() >= 400) failures.push(`HTTP ${response.status()}: ${response.url()}`);
	});
	const moduleError = /dynamically imported module|Failed to load module script|Importing a module script failed|error loading dynamically/i;
	const watchPage = (page: Page) => {
		page.on('pageerror', (error) => {
			if (moduleError.test(error.message)) failures.push(`page error: ${error.message}`);
		});
		page.on('console', (message) => {
			if (message.type() === 'error' && moduleError.test(message.text())) failures.push(`console: ${message.text()}`);
		});
		page.on('worker', (worker) => worker.on('console', (message) => {
			if (message.type() === 'error' && moduleError.test(message.text())) failures.push(`worker console: ${message.text()}`);
		}));
	};
	context.on('page', watchPage);
	return failures;
}

/** Two tab screenshots side by side, in one image. */
async function sideBySide(context: BrowserContext, shots: Buffer[], path: string): Promise<void> {
	const board = await context.newPage();
	await board.setViewportSize({ width: 1400, height: 460 });
	const images = shots.map((shot) => `<img src="data:image/png;base64,${shot.toString('base64')}">`).join('');
	await board.setContent(`<body style="margin:0;display:flex;gap:8px;background:#000">${images.replaceAll('<img', '<img style="width:696px"')}</body>`);
	await board.screenshot({ path });
	await board.close();
}

test('a deploy while two tabs are open: both offer the reload, one reloads with its history saved, the other runs on with no failed load', async ({ context }, testInfo) => {
	test.setTimeout(90_000);
	const filesA = immutableFiles(siteA);
	const filesB = immutableFiles(siteB);
	const onlyA = new Set([...filesA].filter((f) => !filesB.has(f)));
	const [versionA, versionB] = [versionOf(siteA), versionOf(siteB)];
	expect(versionB).not.toBe(versionA);
	// The point of the exercise: the new release renamed the scripts (only unchanged CSS may stay).
	expect([...filesA].filter((f) => f.endsWith('.js') && filesB.has(f))).toEqual([]);

	// The host: a root that is swapped from A to B in one step, old files gone, as on a real host.
	const hosting = mkdtempSync(join(tmpdir(), 'tickscope-host-'));
	const root = join(hosting, 'site');
	symlinkSync(siteA, root, 'dir');
	const served404: string[] = [];
	const server: Server = await serveSite({
		dir: root,
		port: 0,
		// `dev` reads files per request, so the swap shows at once.
		dev: true,
		routes: (req, res) => {
			res.on('finish', () => {
				if (res.statusCode >= 400) served404.push(`${res.statusCode} ${req.url}`);
			});
			return false;
		}
	});
	const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	const feed = await startFeedServer({ file: 'binance-trade.jsonl', intervalMs: 20, holdWithoutClients: true });
	const failures = watchFailures(context);
	const oldFilesServed: string[] = [];
	context.on('response', (response) => {
		const path = new URL(response.url()).pathname;
		if (onlyA.has(path) && response.status() === 200 && response.fromServiceWorker()) oldFilesServed.push(path);
	});
	const started = Date.now();
	try {
		const tab1 = await context.newPage();
		await tab1.goto(`${origin}/`);
		await expectTicksFlowing(tab1);
		// The first install claims the open tab: its later lazy loads go through the worker too.
		await tab1.waitForFunction(() => navigator.serviceWorker.controller !== null);
		const tab2 = await context.newPage();
		await tab2.goto(`${origin}/`);
		await expectTicksFlowing(tab2);
		expect(await tab2.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
		expect([await pageVersion(tab1), await pageVersion(tab2)]).toEqual([versionA, versionA]);

		// Deploy B. The browser's HTTP cache is emptied too: a real one holds old chunks only for
		// a while (GitHub Pages: 10 minutes) and may evict them sooner; the test must not lean on it.
		const link = join(hosting, 'next');
		symlinkSync(siteB, link, 'dir');
		renameSync(link, root);
		const cdp = await context.newCDPSession(tab1);
		await cdp.send('Network.clearBrowserCache');
		await cdp.detach();

		// Tab 1 looks for an update (as its periodic or on-return check does; called directly here,
		// those are throttled); tab 2 is told nothing and must show the prompt all the same.
		await tab1.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
		const prompt1 = tab1.getByTestId('update-prompt');
		const prompt2 = tab2.getByTestId('update-prompt');
		await expect(prompt1).toBeVisible();
		await expect(prompt2).toBeVisible();
		await expect(prompt1).toContainText('A new version of Tickscope is ready');
		const shots = await Promise.all([tab1.screenshot(), tab2.screenshot()]);
		await sideBySide(context, shots, testInfo.outputPath('two-tabs-prompt.png'));
		if (process.env.TICKSCOPE_UPDATE_SCREENSHOT) await sideBySide(context, shots, process.env.TICKSCOPE_UPDATE_SCREENSHOT);

		// A tab opened while B waits runs A (the active worker serves it) and offers the reload at once.
		const tab3 = await context.newPage();
		await tab3.goto(`${origin}/`);
		await expect(tab3.getByTestId('update-prompt')).toBeVisible();
		expect(await pageVersion(tab3)).toBe(versionA);
		await tab3.close();

		// Accept in tab 1: it says it is saving, writes its buffered history, then reloads into B.
		const labels: string[] = [];
		await tab1.exposeFunction('__updateLabel', (label: string) => labels.push(label));
		await tab1.evaluate(() => {
			const button = document.querySelector('[data-testid="update-prompt"] button')!;
			const report = () => (window as unknown as { __updateLabel: (label: string) => void }).__updateLabel(button.textContent?.trim() ?? '');
			new MutationObserver(report).observe(button, { childList: true, characterData: true, subtree: true });
		});
		const totalBefore = await tickTotal(tab1);
		await Promise.all([tab1.waitForEvent('load', { timeout: 20_000 }), prompt1.getByRole('button').click()]);
		expect(labels).toContain('Saving history…');
		await expect.poll(() => pageVersion(tab1)).toBe(versionB);
		await expect(prompt1).toHaveCount(0);
		// Everything counted before the click was written before the reload: nothing lost.
		await expect.poll(() => tickTotal(tab1)).toBeGreaterThanOrEqual(totalBefore);
		await expectTicksFlowing(tab1);

		// Tab 2 did not reload: still A, now served by B's worker, still offering the reload.
		expect(await pageVersion(tab2)).toBe(versionA);
		await expect(prompt2).toBeVisible();
		const controller = await tab2.evaluate(() => navigator.serviceWorker.controller?.state);
		expect(controller).toBe('activated');
		await expectTicksFlowing(tab2);

		// Now tab 2 loads code it had not needed yet. It records (if tab 1 took the recording
		// back on its reload, ask for it), so its own engine runs the feed, the import and the export.
		if ((await role(tab2)) === 'mirror') await tab2.getByRole('button', { name: 'Record in this tab' }).click();
		await expectTicksFlowing(tab2);
		await tab2.getByTestId('feed-url').fill(feed.url);
		await tab2.getByTestId('feed-connect').click();
		const feedRow = tab2.getByTestId('feed').first();
		await expect(feedRow).toHaveAttribute('data-state', 'live');
		await expect.poll(async () => Number(await feedRow.getByTestId('feed-ticks').getAttribute('data-value'))).toBeGreaterThan(0);
		await tab2.getByTestId('import-file').setInputFiles({ name: 'after-deploy.csv', mimeType: 'text/csv', buffer: Buffer.from(IMPORT_CSV) });
		await tab2.getByTestId('import-start').click();
		await expect(tab2.getByTestId('import-summary')).toContainText('200 rows');
		await tab2.getByTestId('export-menu').click();
		const [download] = await Promise.all([tab2.waitForEvent('download'), tab2.getByTestId('export-shown-csv').click()]);
		expect(await download.failure()).toBeNull();
		await expectTicksFlowing(tab2);
		expect(await pageVersion(tab2)).toBe(versionA);

		// When tab 2 accepts at last, it saves and reloads straight into B (its worker is B already).
		const totalBefore2 = await tickTotal(tab2);
		await Promise.all([tab2.waitForEvent('load', { timeout: 20_000 }), prompt2.getByRole('button').click()]);
		await expect.poll(() => pageVersion(tab2)).toBe(versionB);
		await expect(prompt2).toHaveCount(0);
		await expect.poll(() => tickTotal(tab2)).toBeGreaterThanOrEqual(totalBefore2);
		await expectTicksFlowing(tab2);

		console.log(
			`update: ${filesA.size} immutable files in A, ${onlyA.size} renamed in B; after the deploy ${new Set(oldFilesServed).size} files only A has ` +
				`were served to the old tab by the service worker; failed loads ${failures.length}, server 404s for _app/ ${served404.filter((s) => s.includes('/_app/')).length}; ` +
				`${((Date.now() - started) / 1000).toFixed(1)} s`
		);
		expect(failures).toEqual([]);
		expect(served404.filter((s) => s.includes('/_app/'))).toEqual([]);
		// The old tab really did load old code after the deploy (else this test proved nothing).
		expect(new Set(oldFilesServed).size).toBeGreaterThan(0);
	} finally {
		if (failures.length > 0 || served404.length > 0) {
			const body = [...failures, ...served404.map((s) => `served ${s}`)].join('\n');
			console.log(`update: failed loads\n${body}`);
			await testInfo.attach('failed loads', { body, contentType: 'text/plain' });
		}
		await feed.stop();
		server.close();
		rmSync(hosting, { recursive: true, force: true });
	}
});
