import { describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from './alert-testing';
import { NOTIFICATION_TAG, Notifier, permissionProblem } from './notifier';

describe('Notifier', () => {
	it('asks only when the browser has not been answered, and shows with one tag', async () => {
		const browser = fakeBrowser();
		const notifier = new Notifier(browser.env);
		expect(notifier.permission).toBe('default');
		expect(await notifier.request()).toBeNull();
		expect(await notifier.request()).toBeNull();
		expect(browser.asked.count).toBe(1);
		expect(notifier.show('2 anomalies on 2 series', 'BTC (1), ETH (1)', () => {})).toBeNull();
		expect(browser.shown[0]).toMatchObject({ title: '2 anomalies on 2 series', options: { body: 'BTC (1), ETH (1)', tag: NOTIFICATION_TAG } });
	});

	it('a click on the notification focuses the tab, calls back and closes it', () => {
		const browser = fakeBrowser({ permission: 'granted' });
		const onclick = vi.fn();
		new Notifier(browser.env).show('t', 'b', onclick);
		browser.shown[0].onclick?.();
		expect(browser.focus).toHaveBeenCalledOnce();
		expect(onclick).toHaveBeenCalledOnce();
		expect(browser.shown[0].closed).toBe(true);
	});

	it('a refusal or a closed question comes back in plain words, and nothing is shown', async () => {
		const denied = fakeBrowser({ answer: 'denied' });
		const notifier = new Notifier(denied.env);
		expect(await notifier.request()).toMatch(/blocked for this site/);
		expect(notifier.show('t', 'b', () => {})).toMatch(/blocked/);
		expect(denied.shown).toHaveLength(0);
		const closed = fakeBrowser({ answer: 'default' });
		expect(await new Notifier(closed.env).request()).toMatch(/question was closed/);
	});

	it('no Notification API: says so, and why when the page is not secure', async () => {
		const browser = fakeBrowser();
		const env = { ...browser.env, notification: () => undefined };
		const notifier = new Notifier(env);
		expect(notifier.permission).toBe('unsupported');
		expect(await notifier.request()).toMatch(/cannot show notifications/);
		expect(await new Notifier({ ...env, secure: false }).request()).toMatch(/https/);
	});

	it('where the page may not construct notifications (Android), the service worker shows it', async () => {
		const browser = fakeBrowser({ permission: 'granted', constructorThrows: true });
		expect(new Notifier(browser.env).show('title', 'body', () => {})).toBeNull();
		await vi.waitFor(() => expect(browser.workerShown).toEqual(['title']));
		const noWorker = { ...browser.env, serviceWorker: () => null };
		expect(new Notifier(noWorker).show('title', 'body', () => {})).toMatch(/refused.*Illegal constructor/);
	});

	it('every permission state has words or none', () => {
		expect(permissionProblem('granted')).toBeNull();
		for (const p of ['denied', 'default', 'unsupported'] as const) expect(permissionProblem(p)).toMatch(/\w+ \w+/);
	});

	it('the beep stays silent until a click prepared the sound', () => {
		const started: number[] = [];
		const ctx = {
			state: 'running',
			currentTime: 0,
			destination: {},
			resume: async () => {},
			close: async () => {},
			createGain: () => ({ gain: { setValueAtTime() {}, exponentialRampToValueAtTime() {} }, connect: (x: unknown) => x }),
			createOscillator: () => ({ frequency: { value: 0 }, connect: (x: unknown) => x, start: (t: number) => started.push(t), stop() {} })
		};
		const browser = fakeBrowser();
		const notifier = new Notifier({ ...browser.env, audioContext: () => ctx as unknown as AudioContext });
		notifier.beep();
		expect(started).toHaveLength(0);
		notifier.prepareSound();
		notifier.beep();
		expect(started).toHaveLength(1);
	});
});
