// Measures pages in Debian's Chromium without a DevTools connection. Playwright (like any CDP
// client) enables network instrumentation, which reports every WebSocket frame to the driver:
// on this 2-core machine that cost a fifth of the socket's throughput and would skew any
// messages/s figure. So figures that count messages run in a plain headless Chromium on a
// harness page, which posts its result back to the server that served it.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveSite } from '../../scripts/serve.mjs';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * Serves `dir` plus harness pages under /_bench/. `run(html)` opens a fresh Chromium (own profile)
 * on a harness page, waits until the page POSTs JSON to /_bench/result, and returns it.
 */
export async function harnessServer({ dir = 'build', port = 0, width = 1400, height = 900 } = {}) {
	const pages = new Map();
	const waiting = new Map();
	let next = 0;
	const site = await serveSite({
		dir,
		port,
		routes(req, res) {
			const url = new URL(req.url ?? '/', 'http://x');
			if (!url.pathname.startsWith('/_bench/')) return false;
			const id = url.searchParams.get('run') ?? '';
			if (req.method === 'POST') {
				let body = '';
				req.on('data', (chunk) => (body += chunk));
				req.on('end', () => {
					res.end();
					waiting.get(id)?.(JSON.parse(body));
				});
				return true;
			}
			res.setHeader('Content-Type', 'text/html; charset=utf-8');
			res.end(pages.get(id) ?? 'unknown run');
			return true;
		}
	});
	const origin = `http://127.0.0.1:${site.address().port}`;

	async function run(html, { timeoutMs = 120_000 } = {}) {
		const id = String(++next);
		// The page reports with `report(value)`.
		pages.set(id, `<!doctype html><meta charset="utf-8"><script>const report = (v) => fetch('/_bench/result?run=${id}', { method: 'POST', body: JSON.stringify(v) });</script>${html}`);
		const profile = mkdtempSync(join(tmpdir(), 'tickscope-bench-'));
		const chrome = spawn(CHROMIUM, [...CHROMIUM_FLAGS, `--window-size=${width},${height}`, `--user-data-dir=${profile}`, `${origin}/_bench/page?run=${id}`], { stdio: 'ignore', detached: true });
		try {
			return await new Promise((resolve, reject) => {
				const timer = setTimeout(() => reject(new Error(`harness run ${id} gave no result in ${timeoutMs} ms`)), timeoutMs);
				waiting.set(id, (value) => {
					clearTimeout(timer);
					resolve(value);
				});
				chrome.once('exit', (code) => reject(new Error(`chromium exited (${code}) before run ${id} reported`)));
			});
		} finally {
			waiting.delete(id);
			pages.delete(id);
			// The whole process group: renderers and utilities too, or they keep writing the profile.
			const exited = new Promise((r) => (chrome.exitCode !== null ? r() : chrome.once('exit', r)));
			try {
				process.kill(-chrome.pid, 'SIGKILL');
			} catch {
				// Already gone.
			}
			await exited;
			rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
		}
	}

	return { origin, run, close: () => site.close() };
}
