/** One flag as alerts see it: its series (key for the filter, label for people) and tick time. */
export interface AlertFlag {
	seriesId: number;
	seriesKey: string;
	label: string;
	t: number;
}

/** One series' share of a group. */
export interface AlertSeries {
	seriesId: number;
	seriesKey: string;
	label: string;
	count: number;
	/** Tick times of its first and last flag in the group. */
	from: number;
	to: number;
}

/** Flags delivered together: one notification, one entry of the alert strip. */
export interface AlertGroup {
	/** Increases with each group delivered. */
	id: number;
	/** Clock time it was delivered. */
	at: number;
	/** Flags in the group. */
	count: number;
	/** Distinct series flagged (a lower bound when `moreSeries`). */
	seriesCount: number;
	/** Past MAX_TRACKED_SERIES series the rest were counted, not told apart. */
	moreSeries: boolean;
	/** The most flagged first, at most MAX_NAMED_SERIES. */
	series: AlertSeries[];
	/** Tick times of the group's first and last flag. */
	from: number;
	to: number;
	/** The series of the newest flag: what "show" opens. */
	latestSeriesId: number;
	latestLabel: string;
}

export interface AlertCenterOptions {
	/** Clock in ms (Date.now in the page; a fake one in tests). */
	now: () => number;
	minIntervalMs: number;
	/** Series keys whose flags alert; empty: every series. */
	series?: readonly string[];
}

/** Groups the strip keeps (older ones are dropped; the anomaly log has every flag). */
export const MAX_GROUPS = 20;
/** Series a delivered group names (with counts); the rest are only counted. */
export const MAX_NAMED_SERIES = 8;
/** Series one collecting group tells apart: a feed with 100k series cannot grow it past this. */
export const MAX_TRACKED_SERIES = 1000;

/**
 * Turns flags as they arrive into alert groups: at most one per `minIntervalMs`. A flag after a
 * quiet period is delivered at once; flags arriving while the last group is cooling down are
 * collected and delivered together, as one group, when the interval has passed (`poll`, or the
 * next `push`). No DOM and no timers: the caller asks `dueAt` when to poll.
 */
export class AlertCenter {
	private readonly now: () => number;
	private minIntervalMs: number;
	private chosen: ReadonlySet<string> | null;
	/** Clock time of the last delivery; -Infinity: none yet, the next flag goes at once. */
	private lastAt = -Infinity;
	private nextId = 1;
	private collecting = new Map<number, AlertSeries>();
	/** Flags of series past MAX_TRACKED_SERIES: counted only. */
	private overflow = 0;
	private overflowTo = -Infinity;
	/** The newest collected flag (ties in tick time: the one that came last). */
	private latest: { t: number; seriesId: number; label: string } | null = null;
	private delivered: AlertGroup[] = [];

	constructor(options: AlertCenterOptions) {
		this.now = options.now;
		this.minIntervalMs = options.minIntervalMs;
		this.chosen = toFilter(options.series);
	}

	/** New settings. Collected flags of series no longer chosen are dropped. */
	configure(options: { minIntervalMs: number; series: readonly string[] }): void {
		this.minIntervalMs = options.minIntervalMs;
		this.chosen = toFilter(options.series);
		const chosen = this.chosen;
		if (!chosen) return;
		for (const [id, entry] of this.collecting) if (!chosen.has(entry.seriesKey)) this.collecting.delete(id);
		if (this.latest && !this.collecting.has(this.latest.seriesId)) {
			// The newest of what is left: its series' last flag.
			let best: AlertSeries | null = null;
			for (const entry of this.collecting.values()) if (!best || entry.to >= best.to) best = entry;
			this.latest = best ? { t: best.to, seriesId: best.seriesId, label: best.label } : null;
		}
		// Untracked series have no key to check: they go too.
		this.overflow = 0;
	}

	/** Takes flags as they come; returns the group to deliver now, or null (none chosen, or cooling down). */
	push(flags: readonly AlertFlag[]): AlertGroup | null {
		const chosen = this.chosen;
		for (const flag of flags) {
			if (chosen && !chosen.has(flag.seriesKey)) continue;
			if (!this.latest || flag.t >= this.latest.t) this.latest = { t: flag.t, seriesId: flag.seriesId, label: flag.label };
			const entry = this.collecting.get(flag.seriesId);
			if (entry) {
				entry.count++;
				if (flag.t < entry.from) entry.from = flag.t;
				if (flag.t > entry.to) entry.to = flag.t;
			} else if (this.collecting.size < MAX_TRACKED_SERIES) {
				const { seriesId, seriesKey, label, t } = flag;
				this.collecting.set(seriesId, { seriesId, seriesKey, label, count: 1, from: t, to: t });
			} else {
				this.overflow++;
				this.overflowTo = Math.max(this.overflowTo, flag.t);
			}
		}
		return this.poll();
	}

	/** Delivers the collected flags if the interval since the last group has passed; null otherwise. */
	poll(): AlertGroup | null {
		const due = this.dueAt;
		const now = this.now();
		// A clock set back (now < lastAt) must not silence alerts until it catches up.
		if (due === null || (now < due && now >= this.lastAt)) return null;
		const group = this.take(now);
		this.lastAt = now;
		this.delivered.unshift(group);
		if (this.delivered.length > MAX_GROUPS) this.delivered.length = MAX_GROUPS;
		return group;
	}

	/** Clock time the collected flags are due (at or before now: at the next poll); null when none are collected. */
	get dueAt(): number | null {
		if (this.collecting.size === 0 && this.overflow === 0) return null;
		return this.lastAt + this.minIntervalMs;
	}

	/** Flags collected for the next group, and over how many series (null: none). */
	get pending(): { count: number; seriesCount: number } | null {
		if (this.collecting.size === 0 && this.overflow === 0) return null;
		let count = this.overflow;
		for (const entry of this.collecting.values()) count += entry.count;
		return { count, seriesCount: this.collecting.size };
	}

	/** Delivered groups, newest first, at most MAX_GROUPS. */
	get groups(): readonly AlertGroup[] {
		return this.delivered;
	}

	dismiss(id: number): void {
		this.delivered = this.delivered.filter((g) => g.id !== id);
	}

	dismissAll(): void {
		this.delivered = [];
	}

	private take(at: number): AlertGroup {
		const entries = [...this.collecting.values()];
		let count = this.overflow;
		let from = Infinity;
		let to = this.overflowTo;
		for (const entry of entries) {
			count += entry.count;
			from = Math.min(from, entry.from);
			to = Math.max(to, entry.to);
		}
		// Most flagged first; equal counts: the most recent first.
		entries.sort((a, b) => b.count - a.count || b.to - a.to);
		const group: AlertGroup = {
			id: this.nextId++,
			at,
			count,
			seriesCount: entries.length,
			moreSeries: this.overflow > 0,
			series: entries.slice(0, MAX_NAMED_SERIES),
			from: Number.isFinite(from) ? from : to,
			to,
			latestSeriesId: this.latest?.seriesId ?? -1,
			latestLabel: this.latest?.label ?? ''
		};
		this.collecting = new Map();
		this.latest = null;
		this.overflow = 0;
		this.overflowTo = -Infinity;
		return group;
	}
}

function toFilter(series: readonly string[] | undefined): ReadonlySet<string> | null {
	return series && series.length > 0 ? new Set(series) : null;
}

/** Longest series name alerts show; feeds can name series at any length. */
export const MAX_NAME_CHARS = 40;
/** Names listed in a summary before "and N more". */
const SUMMARY_NAMES = 3;

/** A name cut to `max` characters (by code point, so no half emoji), with an ellipsis. */
export function shortName(name: string, max = MAX_NAME_CHARS): string {
	const chars = Array.from(name);
	return chars.length <= max ? name : `${chars.slice(0, max - 1).join('')}…`;
}

/** `1 anomaly on BTC` · `7 anomalies on 3 series` */
export function groupTitle(group: AlertGroup): string {
	const flags = `${group.count.toLocaleString('en')} ${group.count === 1 ? 'anomaly' : 'anomalies'}`;
	if (group.seriesCount === 1 && !group.moreSeries) return `${flags} on ${shortName(group.series[0].label)}`;
	return `${flags} on ${seriesCountText(group)} series`;
}

/** The strip's line: `7 anomalies on 3 series: BTC, ETH, SOL` · `… : A, B, C and 4 more` */
export function groupSummary(group: AlertGroup): string {
	const title = groupTitle(group);
	if (group.seriesCount === 1 && !group.moreSeries) return title;
	const names = group.series.slice(0, SUMMARY_NAMES).map((s) => shortName(s.label));
	const rest = group.seriesCount - names.length;
	return `${title}: ${names.join(', ')}${rest > 0 ? ` and ${rest.toLocaleString('en')}${group.moreSeries ? '+' : ''} more` : ''}`;
}

/**
 * A notification's text: every named series with its count, then when (tick times via `time`).
 * `BTC (4), ETH (2), SOL (1)` / `12:01:03 – 12:01:30`
 */
export function groupBody(group: AlertGroup, time: (t: number) => string): string {
	const names = group.series.map((s) => (group.seriesCount === 1 ? shortName(s.label) : `${shortName(s.label)} (${s.count})`));
	const rest = group.seriesCount - group.series.length;
	const list = `${names.join(', ')}${rest > 0 || group.moreSeries ? ` and ${rest.toLocaleString('en')}${group.moreSeries ? '+' : ''} more` : ''}`;
	return `${list}\n${timeRange(group, time)}`;
}

/** `12:01:03` or `12:01:03 – 12:01:30` */
export function timeRange(group: AlertGroup, time: (t: number) => string): string {
	const from = time(group.from);
	const to = time(group.to);
	return from === to ? from : `${from} – ${to}`;
}

function seriesCountText(group: AlertGroup): string {
	return `${group.seriesCount.toLocaleString('en')}${group.moreSeries ? '+' : ''}`;
}
