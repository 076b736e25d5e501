import { Workbox } from 'workbox-window';

/**
 * Service-worker registration with workbox-window. When a new version is installed and waiting,
 * `waiting` turns true and the page shows a prompt; `accept` writes buffered history first, then
 * lets the new worker take over and reloads once it controls the page.
 */
export class AppUpdate {
	waiting = $state(false);
	/** True once a service worker controls the page (the app then also loads offline). */
	offlineReady = $state(false);
	private workbox: Workbox | null = null;

	register(scriptUrl: string, scope: string): void {
		if (!('serviceWorker' in navigator)) return;
		const workbox = new Workbox(scriptUrl, { scope });
		workbox.addEventListener('waiting', () => {
			this.waiting = true;
		});
		workbox.addEventListener('controlling', (event) => {
			// Only reload for an update the person accepted, not for the very first install.
			if (event.isUpdate) window.location.reload();
		});
		workbox.addEventListener('activated', () => {
			this.offlineReady = true;
		});
		if (navigator.serviceWorker.controller) this.offlineReady = true;
		this.workbox = workbox;
		void workbox.register();
	}

	async accept(beforeReload: () => Promise<void>): Promise<void> {
		await beforeReload();
		this.workbox?.messageSkipWaiting();
	}

	/** Asks the server whether a newer service worker exists. */
	async check(): Promise<void> {
		await this.workbox?.update();
	}
}
