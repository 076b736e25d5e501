import { expect, test } from '@playwright/test';
import { chartState } from './helpers';

test('the built page carries a Content-Security-Policy that blocks injected inline script', async ({ page, request }) => {
	const html = await (await request.get('./')).text();
	const policy = /<meta http-equiv="content-security-policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
	const directive = (name: string) => policy.split(';').map((d) => d.trim()).find((d) => d.startsWith(`${name} `)) ?? '';
	expect(directive('script-src')).toMatch(/^script-src 'self'( 'sha256-[A-Za-z0-9+/=]+')+$/);
	// No unsafe-inline or unsafe-eval for scripts (styles may be inline: they cannot run code).
	expect(directive('script-src')).not.toContain('unsafe');
	expect(policy).not.toContain('unsafe-eval');
	expect(directive('connect-src')).toBe("connect-src 'self' ws: wss:");
	expect(directive('object-src')).toBe("object-src 'none'");
	expect(directive('base-uri')).toBe("base-uri 'none'");

	// The app runs under it...
	const violations: string[] = [];
	page.on('console', (message) => {
		if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
	});
	await page.goto('./?count=2');
	await expect.poll(async () => (await chartState(page)).points).toBeGreaterThan(5);
	expect(violations).toEqual([]);

	// ...and an inline script put into the page is refused (and reported as a violation).
	const outcome = await page.evaluate(async () => {
		const reported = new Promise<string>((resolve) => document.addEventListener('securitypolicyviolation', (e) => resolve(e.violatedDirective), { once: true }));
		const script = document.createElement('script');
		script.textContent = 'window.__injected = 1;';
		document.body.append(script);
		const directive = await Promise.race([reported, new Promise<string>((r) => setTimeout(() => r('none'), 2000))]);
		return { ran: (window as unknown as { __injected?: number }).__injected === 1, directive };
	});
	expect(outcome.ran).toBe(false);
	expect(outcome.directive).toMatch(/^script-src/);
});

test('secrets in a feed address are never shown: token, key, signature and password values are masked', async ({ page }) => {
	const secretFeed = 'ws://127.0.0.1:9/stream?symbol=btcusdt&token=SEKRET1&apiKey=SEKRET2&signature=SEKRET3&listenKey=SEKRET4';
	await page.goto(`./?sim=off&feed=${encodeURIComponent(secretFeed)}`);
	const address = page.getByTestId('feed-address');
	await expect(address).toHaveText('ws://127.0.0.1:9/stream?symbol=btcusdt&token=•••&apiKey=•••&signature=•••&listenKey=•••');
	// Nothing on the page (address, state, reasons) nor in its attributes carries them.
	await expect(page.getByTestId('feed').first()).toHaveAttribute('data-state', /reconnecting|connecting/);
	const everything = await page.evaluate(() => document.documentElement.outerHTML);
	expect(everything).not.toMatch(/SEKRET/);
});
