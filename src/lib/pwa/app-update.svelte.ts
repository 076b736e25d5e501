import { version } from '$app/environment';
import { Workbox } from 'workbox-window';
import { CLIENT_VERSION_MESSAGE } from './messages';
import { watchUpdates } from './update-watch';

/** How often an open tab asks the server for a new version (a deploy reaches long-open tabs). */
export const UPDATE_CHECK_INTERVAL_MS = 30 * 60_000;
/** Checks on returning to the tab or coming back online are skipped within this long of the last. */
export const UPDATE_CHECK_MIN_GAP_MS = 60_000;
/** After accepting, reload anyway if the new worker has not taken over by then. */
const TAKEOVER_TIMEOUT_MS = 10_000;

/**
 * Service-worker registration with workbox-window. When a new version is installed and waiting,
 * or another tab already switched to it, `waiting` turns true and the page shows a prompt (in
 * every open tab); `accept` writes buffered history first, then lets the new worker take over and
 * reloads this tab only. Tabs that did not accept keep running their version: the service worker
 * keeps serving its files (src/service-worker.ts).
 */
export class AppUpdate {
	/** A newer version is ready: this tab should offer to reload into it. */
	waiting = $state(false);
	/** True once a service worker controls the page (the app then also loads offline). */
	offlineReady = $state(false);
	/** This build's id (SvelteKit's `version`), also on `<html data-version>` for tests and bug reports. */
	readonly version = version;
	private workbox: Workbox | null = null;
	private registration: ServiceWorkerRegistration | null = null;
	private accepted = false;
	private lastCheckAt = 0;

	register(scriptUrl: string, scope: string): void {
		document.documentElement.dataset.version = version;
		if (!('serviceWorker' in navigator) || this.workbox) return;
		const container = navigator.serviceWorker;
		const workbox = new Workbox(scriptUrl, { scope });
		this.workbox = workbox;
		// Tell the controller which version this tab runs, so it keeps that version's files.
		const report = () => container.controller?.postMessage({ type: CLIENT_VERSION_MESSAGE, version });
		this.offlineReady = container.controller !== null;
		report();
		container.addEventListener('controllerchange', () => {
			this.offlineReady = container.controller !== null;
			report();
			// Only the tab that accepted reloads; the others keep running and keep their prompt.
			if (this.accepted) location.reload();
		});
		void workbox.register().then((registration) => {
			if (!registration) return;
			this.registration = registration;
			watchUpdates({ registration, container, onavailable: () => (this.waiting = true) });
		});
		// A tab may stay open for days: look for a deploy now and then, on return and when online.
		setInterval(() => void this.check(), UPDATE_CHECK_INTERVAL_MS);
		const checkSoon = () => {
			if (Date.now() - this.lastCheckAt >= UPDATE_CHECK_MIN_GAP_MS) void this.check();
		};
		document.addEventListener('visibilitychange', () => {
			if (document.visibilityState === 'visible') checkSoon();
		});
		addEventListener('online', checkSoon);
	}

	/** Writes what must not be lost (`beforeReload`), then switches to the new version and reloads. */
	async accept(beforeReload: () => Promise<void>): Promise<void> {
		await beforeReload();
		this.accepted = true;
		if (this.registration?.waiting) {
			// The reload follows on `controllerchange` (above).
			this.workbox?.messageSkipWaiting();
			setTimeout(() => location.reload(), TAKEOVER_TIMEOUT_MS);
		} else {
			// Another tab accepted first: the new version already controls this one.
			location.reload();
		}
	}

	/** Asks the server whether a newer service worker exists (offline: quietly nothing). */
	async check(): Promise<void> {
		this.lastCheckAt = Date.now();
		try {
			await this.workbox?.update();
		} catch {
			// Offline or the server is down: the next check tries again.
		}
	}
}
