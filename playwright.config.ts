import { defineConfig } from '@playwright/test';

/** The test server's port: `npm test` picks a free one (a developer's own server may hold 4173). */
const PORT = Number(process.env.TICKSCOPE_E2E_PORT ?? 4173);
const base = (process.env.BASE_PATH ?? '').replace(/\/+$/, '');

/** Debian's Chromium; Playwright's own browser downloads are not available here. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export default defineConfig({
	testDir: 'tests/e2e',
	// Two workers are faster than the one Playwright picks on two cores.
	workers: 2,
	fullyParallel: true,
	forbidOnly: !!process.env.CI,
	retries: 0,
	timeout: 60_000,
	expect: { timeout: 15_000 },
	reporter: [['list'], ['json', { outputFile: 'test-results/e2e.json' }]],
	outputDir: 'test-results/e2e',
	use: {
		baseURL: `http://127.0.0.1:${PORT}${base}/`,
		viewport: { width: 1400, height: 900 },
		trace: 'retain-on-failure',
		screenshot: 'only-on-failure',
		launchOptions: {
			executablePath: CHROMIUM,
			args: [
				'--headless',
				'--no-sandbox',
				'--disable-gpu',
				'--disable-quic',
				'--no-first-run',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync'
			]
		}
	},
	projects: [
		{ name: 'browser', testIgnore: /history\.spec\.ts/ },
		// "Within a second after a reload" is a promise about this app, not about a machine busy
		// with other browser tests: these run alone, after the rest.
		{ name: 'timing', testMatch: /history\.spec\.ts/, dependencies: ['browser'] },
		// Minutes long: `npm run test:soak`, not part of `npm test`.
		{ name: 'soak', testDir: 'tests/soak', timeout: 20 * 60_000 }
	],
	webServer: {
		// The built site (`npm run build` first; `npm test` does).
		command: `node scripts/serve.mjs --dir build --port ${PORT} --base "${base}"`,
		url: `http://127.0.0.1:${PORT}${base}/`,
		reuseExistingServer: !process.env.CI,
		timeout: 60_000
	}
});
