import type { Anomaly } from '../domain/anomaly';
import type { SeriesInfo } from '../domain/series';
import type { TabRole } from '../engine/types';
import { DEFAULT_ALERTS, type AlertSettings } from '../workspace/workspace';
import { AlertCenter, groupBody, groupTitle, type AlertFlag, type AlertGroup } from './alert-center';
import type { AlertStore } from './alert-store';
import { Notifier, permissionProblem, type Permission } from './notifier';

/** What alerts need of the dashboard (the Dashboard class is one). */
export interface AlertSource {
	readonly series: readonly SeriesInfo[];
	/** Only the recording tab notifies: every tab gets the same flags, and each would notify. */
	readonly role: TabRole;
	onAnomalies(listener: (anomalies: Anomaly[]) => void): () => void;
	select(seriesId: number): void;
}

export interface AlertsOptions {
	/** Where settings live; without one they hold for this page only. */
	store?: AlertStore;
	notifier?: Notifier;
	now?: () => number;
}

const clockTime = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });

/** Tick time as alerts show it (whole seconds: milliseconds are noise in a notification). */
export function alertTime(t: number): string {
	return clockTime.format(t);
}

/**
 * Alerts on anomalies: the strip's groups, and opt-in notifications and beeps, rate-limited and
 * grouped by `AlertCenter`. `settings` is what the person chose; `apply` takes settings from
 * outside (the workspace, another tab) without saving them back.
 */
export class Alerts {
	settings = $state.raw<AlertSettings>(DEFAULT_ALERTS);
	/** Delivered groups, newest first (bounded). */
	groups = $state.raw<readonly AlertGroup[]>([]);
	/** Flags collected for the next group (they wait for the interval). */
	pending = $state.raw<{ count: number; seriesCount: number } | null>(null);
	permission = $state<Permission>('default');
	/** The last thing that went wrong with notifications, in plain words. */
	problem = $state<string | null>(null);
	private source = $state.raw<AlertSource | null>(null);
	/** This tab records; a mirror tab leaves notifications and sound to the recording one. */
	recording = $derived(this.source?.role !== 'mirror');
	/** Notifications are on and the browser allows them. */
	notifying = $derived(this.settings.notify && this.permission === 'granted');
	/** Notifications are on but the browser no longer allows them (changed in its settings). */
	blocked = $derived(this.settings.notify && this.permission !== 'granted' ? permissionProblem(this.permission) : null);

	private readonly store: AlertStore | null;
	private readonly notifier: Notifier;
	private readonly now: () => number;
	private readonly center: AlertCenter;
	private timer: ReturnType<typeof setTimeout> | null = null;
	private timerDue: number | null = null;
	// Series lookup, rebuilt only when the dashboard's list is replaced.
	private seriesSeen: readonly SeriesInfo[] | null = null;
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	private byId = new Map<number, SeriesInfo>();

	constructor(options: AlertsOptions = {}) {
		this.store = options.store ?? null;
		this.notifier = options.notifier ?? new Notifier();
		this.now = options.now ?? Date.now;
		this.settings = this.store?.load() ?? { ...DEFAULT_ALERTS };
		this.permission = this.notifier.permission;
		this.center = new AlertCenter({ now: this.now, ...this.settings });
	}

	/** Listens to the dashboard's flags; returns the stop (use as an effect's cleanup). */
	attach(source: AlertSource): () => void {
		this.source = source;
		const stops = [
			source.onAnomalies((anomalies) => this.take(anomalies)),
			this.store?.watch?.((settings) => this.apply(settings)),
			this.notifier.watchPermission(() => (this.permission = this.notifier.permission)),
			// A beep needs a click since the page loaded (autoplay rules): the person's next one will do.
			this.notifier.primeSound(() => this.settings.sound)
		];
		return () => {
			for (const stop of stops) stop?.();
			this.clearTimer();
			this.notifier.dispose();
			this.source = null;
		};
	}

	/** Settings from outside (workspace, another tab): taken as they are, not saved again. */
	apply(settings: AlertSettings): void {
		this.settings = settings;
		this.center.configure(settings);
		this.sync();
	}

	/** A change the person made here: applied and saved. */
	update(patch: Partial<AlertSettings>): void {
		const next = { ...this.settings, ...patch };
		this.apply(next);
		this.store?.save(next);
	}

	/** The person ticked "Notify me": asks the browser (this must run from the click). */
	async enableNotifications(): Promise<void> {
		this.problem = null;
		const problem = await this.notifier.request();
		this.permission = this.notifier.permission;
		this.problem = problem;
		this.update({ notify: problem === null });
	}

	disableNotifications(): void {
		this.problem = null;
		this.update({ notify: false });
	}

	/** The person turned the sound on or off (from a click, so the beep may play). */
	setSound(on: boolean): void {
		this.update({ sound: on });
		if (!on) return;
		this.notifier.prepareSound();
		this.notifier.beep();
	}

	/** Opens a series on the main chart (a group's newest, unless one is given). */
	show(group: AlertGroup, seriesId = group.latestSeriesId): void {
		if (seriesId >= 0) this.source?.select(seriesId);
	}

	dismiss(id: number): void {
		this.center.dismiss(id);
		this.groups = this.center.groups.slice();
	}

	dismissAll(): void {
		this.center.dismissAll();
		this.groups = [];
	}

	private take(anomalies: Anomaly[]): void {
		const source = this.source;
		if (!source) return;
		if (source.series !== this.seriesSeen) {
			this.seriesSeen = source.series;
			// eslint-disable-next-line svelte/prefer-svelte-reactivity
			this.byId = new Map(source.series.map((s) => [s.id, s]));
		}
		const flags: AlertFlag[] = anomalies.map((a) => {
			const info = this.byId.get(a.seriesId);
			return { seriesId: a.seriesId, seriesKey: info?.key ?? `#${a.seriesId}`, label: info?.label ?? `series ${a.seriesId}`, t: a.t };
		});
		const group = this.center.push(flags);
		if (group) this.deliver(group);
		this.sync();
	}

	private deliver(group: AlertGroup): void {
		this.groups = this.center.groups.slice();
		if (!this.recording) return;
		if (this.settings.notify) {
			const problem = this.notifier.show(groupTitle(group), groupBody(group, alertTime), () => this.show(group));
			this.permission = this.notifier.permission;
			if (problem !== this.problem) this.problem = problem;
		}
		if (this.settings.sound) this.notifier.beep();
	}

	/** Pending count and the timer that delivers it follow the center. */
	private sync(): void {
		const pending = this.center.pending;
		if (pending?.count !== this.pending?.count || pending?.seriesCount !== this.pending?.seriesCount) this.pending = pending;
		const due = this.center.dueAt;
		if (due === this.timerDue) return;
		this.clearTimer();
		if (due === null) return;
		this.timerDue = due;
		this.timer = setTimeout(() => {
			this.timer = null;
			this.timerDue = null;
			const group = this.center.poll();
			if (group) this.deliver(group);
			this.sync();
		}, Math.max(0, due - this.now()));
	}

	private clearTimer(): void {
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
		this.timerDue = null;
	}
}
