import { vi } from 'vitest';
import type { NotifierEnv } from './notifier';

/** A browser stand-in: a Notification class that records what it was asked to show. */
export function fakeBrowser(options: { permission?: NotificationPermission; answer?: NotificationPermission; constructorThrows?: boolean } = {}) {
	const shown: { title: string; options?: NotificationOptions; onclick: (() => void) | null; closed: boolean }[] = [];
	const asked = { count: 0 };
	const state = { permission: options.permission ?? 'default' };
	class FakeNotification {
		static get permission() {
			return state.permission;
		}
		static async requestPermission() {
			asked.count++;
			if (state.permission === 'default') state.permission = options.answer ?? 'granted';
			return state.permission;
		}
		onclick: (() => void) | null = null;
		constructor(title: string, opts?: NotificationOptions) {
			if (options.constructorThrows) throw new TypeError('Illegal constructor');
			const record = { title, options: opts, onclick: null as (() => void) | null, closed: false };
			shown.push(record);
			// The record sees the handler the notifier sets afterwards.
			Object.defineProperty(this, 'onclick', { set: (fn) => (record.onclick = fn), get: () => record.onclick });
			this.close = () => (record.closed = true);
		}
		close = () => {};
	}
	const workerShown: string[] = [];
	const focus = vi.fn();
	const env: NotifierEnv = {
		notification: () => FakeNotification as unknown as ReturnType<NotifierEnv['notification']>,
		secure: true,
		focus,
		serviceWorker: () => Promise.resolve({ showNotification: async (title: string) => void workerShown.push(title) }),
		audioContext: () => null,
		permissionStatus: () => null,
		onGesture: () => () => {}
	};
	return { env, shown, asked, state, focus, workerShown };
}
