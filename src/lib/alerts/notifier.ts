/** The browser's answer about notifications, or `unsupported` when it has no Notification API. */
export type Permission = NotificationPermission | 'unsupported';

/** One tag for every alert: a newer one replaces the last on screen instead of stacking up. */
export const NOTIFICATION_TAG = 'tickscope-anomalies';

/** The beep: short, soft and high enough to hear over a fan. */
const BEEP_HZ = 880;
const BEEP_SECONDS = 0.18;
const BEEP_GAIN = 0.12;

type NotificationClass = {
	readonly permission: NotificationPermission;
	requestPermission(): Promise<NotificationPermission>;
	new (title: string, options?: NotificationOptions): Notification;
};

/** What the notifier uses of the browser; tests pass fakes. */
export interface NotifierEnv {
	/** Read at each use, so a wrapper installed after the page loaded is used too. */
	notification(): NotificationClass | undefined;
	/** Notifications need https (or localhost); the plain-words message says so. */
	secure: boolean;
	focus(): void;
	/** Where Android Chrome shows notifications (it refuses `new Notification`). */
	serviceWorker(): Promise<{ showNotification(title: string, options?: NotificationOptions): Promise<void> }> | null;
	audioContext(): AudioContext | null;
	/** Tells when the person changes the permission in the browser's settings; null: cannot watch. */
	permissionStatus(): Promise<PermissionStatus> | null;
	/** Calls back on each click or key press of the person; returns the stop. */
	onGesture(listener: () => void): () => void;
	icon?: string;
}

export function browserEnv(): NotifierEnv {
	return {
		notification: () => ('Notification' in globalThis ? globalThis.Notification : undefined),
		secure: globalThis.isSecureContext !== false,
		focus: () => globalThis.focus(),
		serviceWorker: () => ('serviceWorker' in navigator && navigator.serviceWorker.controller ? navigator.serviceWorker.ready : null),
		audioContext: () => ('AudioContext' in globalThis ? new AudioContext() : null),
		permissionStatus: () => navigator.permissions?.query({ name: 'notifications' }) ?? null,
		onGesture: (listener) => {
			addEventListener('pointerdown', listener, true);
			addEventListener('keydown', listener, true);
			return () => {
				removeEventListener('pointerdown', listener, true);
				removeEventListener('keydown', listener, true);
			};
		},
		// The app is one page at its base path, so this resolves under BASE_PATH too.
		icon: new URL('icons/icon-192.png', location.href).href
	};
}

/** What stands between the person and notifications, in plain words; null when they are allowed. */
export function permissionProblem(permission: Permission, secure = true): string | null {
	switch (permission) {
		case 'granted':
			return null;
		case 'unsupported':
			return secure
				? 'This browser cannot show notifications. Alerts still show in the strip above the chart.'
				: 'Notifications need a secure (https) address; this page has none. Alerts still show in the strip above the chart.';
		case 'denied':
			return 'Notifications are blocked for this site. To get them, allow notifications in the browser’s site settings (the icon beside the address), then tick the box again.';
		default:
			return 'The browser did not allow notifications (the question was closed). Tick the box to be asked again.';
	}
}

/** Browser notifications and the optional beep. Permission is asked only from `request`, which a click must call. */
export class Notifier {
	private audio: AudioContext | null = null;

	constructor(private readonly env: NotifierEnv = browserEnv()) {}

	get permission(): Permission {
		return this.env.notification()?.permission ?? 'unsupported';
	}

	/** Calls `onchange` when the permission changes outside the page (site settings); returns the stop. */
	watchPermission(onchange: () => void): () => void {
		let status: PermissionStatus | null = null;
		let stopped = false;
		void this.env
			.permissionStatus()
			?.then((found) => {
				if (stopped) return;
				status = found;
				status.addEventListener('change', onchange);
			})
			.catch(() => undefined);
		return () => {
			stopped = true;
			status?.removeEventListener('change', onchange);
		};
	}

	/** Asks the browser for permission (call it from a person's click); null when granted, else the problem. */
	async request(): Promise<string | null> {
		const api = this.env.notification();
		if (!api) return permissionProblem('unsupported', this.env.secure);
		if (api.permission === 'granted') return null;
		// Asking again after a "block" shows nothing: the browser answers denied at once.
		let answer: NotificationPermission;
		try {
			answer = await api.requestPermission();
		} catch {
			answer = api.permission;
		}
		return permissionProblem(answer, this.env.secure);
	}

	/**
	 * Shows a notification (text only: a notification renders no markup). Clicking it brings this
	 * tab forward and calls `onclick`. Returns a plain-words problem when it could not be shown.
	 */
	show(title: string, body: string, onclick: () => void): string | null {
		const api = this.env.notification();
		const problem = permissionProblem(api?.permission ?? 'unsupported', this.env.secure);
		if (!api || problem) return problem;
		// renotify: each group alerts again although it replaces the last one (same tag).
		const options: NotificationOptions & { renotify?: boolean } = { body, tag: NOTIFICATION_TAG, renotify: true, icon: this.env.icon };
		try {
			const notification = new api(title, options);
			notification.onclick = () => {
				this.env.focus();
				onclick();
				notification.close();
			};
			return null;
		} catch (error) {
			// Android Chrome: "Illegal constructor", only the service worker may show them. A click
			// there goes to the worker, which opens the app without choosing the series.
			const worker = this.env.serviceWorker();
			if (!worker) return `The browser refused to show a notification: ${error instanceof Error ? error.message : String(error)}`;
			void worker.then((registration) => registration.showNotification(title, options)).catch(() => undefined);
			return null;
		}
	}

	/** Makes the beep playable: browsers start audio only from a person's click, so call it from one. */
	prepareSound(): void {
		this.audio ??= this.env.audioContext();
		void this.audio?.resume().catch(() => undefined);
	}

	/** Readies the sound at each click or key press while `wanted()` (after a reload, say); returns the stop. */
	primeSound(wanted: () => boolean): () => void {
		return this.env.onGesture(() => {
			if (wanted() && this.audio?.state !== 'running') this.prepareSound();
		});
	}

	/** A short beep. Silent until `prepareSound` ran from a click since the page loaded (autoplay rules). */
	beep(): void {
		const ctx = this.audio;
		if (!ctx || ctx.state !== 'running') return;
		const t = ctx.currentTime;
		const osc = ctx.createOscillator();
		const gain = ctx.createGain();
		osc.frequency.value = BEEP_HZ;
		// Ramps, not steps: a gain jumping to full clicks audibly.
		gain.gain.setValueAtTime(0.0001, t);
		gain.gain.exponentialRampToValueAtTime(BEEP_GAIN, t + 0.01);
		gain.gain.exponentialRampToValueAtTime(0.0001, t + BEEP_SECONDS);
		osc.connect(gain).connect(ctx.destination);
		osc.start(t);
		osc.stop(t + BEEP_SECONDS + 0.02);
	}

	dispose(): void {
		void this.audio?.close().catch(() => undefined);
		this.audio = null;
	}
}
