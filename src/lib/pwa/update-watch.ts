/**
 * Notices that a newer version of the app is ready, in every open tab. Watches the registration
 * itself rather than relying on workbox-window's `waiting` event alone: workbox-window stops
 * listening for `updatefound` after the first update it attributes to another tab, so a tab left
 * open across two deploys would miss the second; and it reports nothing in a tab whose worker was
 * replaced because another tab accepted the update.
 */

/** The parts of the Service Worker API used here (the real objects in the page, fakes in tests). */
export interface WatchedWorker extends EventTarget {
	readonly state: string;
}
export interface WatchedRegistration extends EventTarget {
	readonly installing: WatchedWorker | null;
	readonly waiting: WatchedWorker | null;
	readonly active: WatchedWorker | null;
}
export interface WatchedContainer extends EventTarget {
	readonly controller: unknown;
}

export interface UpdateWatchOptions {
	registration: WatchedRegistration;
	container: WatchedContainer;
	/**
	 * A newer version is installed and waiting, or it already took over this tab (another tab
	 * accepted it): this tab still runs the old code and should offer a reload. May be called
	 * more than once.
	 */
	onavailable: () => void;
}

/** Starts watching; returns the function that stops it. */
export function watchUpdates({ registration, container, onavailable }: UpdateWatchOptions): () => void {
	const check = () => {
		// `active` too: during the very first install the new worker passes through `installed`
		// with nothing active (nothing to update from).
		if (registration.waiting && registration.active) onavailable();
	};
	const watched = new Set<WatchedWorker>();
	const onstatechange = (event: Event) => {
		if ((event.target as WatchedWorker).state === 'installed') check();
	};
	const onupdatefound = () => {
		const worker = registration.installing;
		if (!worker || watched.has(worker)) return;
		watched.add(worker);
		worker.addEventListener('statechange', onstatechange);
	};
	let hadController = container.controller !== null && container.controller !== undefined;
	const oncontrollerchange = () => {
		// The first install claiming this tab is not an update; a worker replacing another is.
		if (hadController) onavailable();
		hadController = container.controller !== null && container.controller !== undefined;
	};
	registration.addEventListener('updatefound', onupdatefound);
	container.addEventListener('controllerchange', oncontrollerchange);
	// Already waiting before this tab looked (opened, or reloaded, while an update was pending).
	check();
	onupdatefound();
	return () => {
		registration.removeEventListener('updatefound', onupdatefound);
		container.removeEventListener('controllerchange', oncontrollerchange);
		for (const worker of watched) worker.removeEventListener('statechange', onstatechange);
		watched.clear();
	};
}
