import type { FeedMapping } from '../sources/parsers/mapping';
import type { HistoryStore } from '../storage/history-store';
import { Feed, type FeedConfig, type FeedStatus, type MqttSettings } from './feed';

/** Distinct series one feed may create; past it ticks of new series are refused (and counted). */
export const MAX_FEED_SERIES = 10_000;

export interface FeedHubEvents {
	tick(feedId: string, key: string, t: number, v: number, truth: boolean | undefined): void;
	gap(feedId: string, from: number, to: number): void;
}

/** The feeds the person connected: opens them, keeps them (and their mappings) in storage. */
export class FeedHub {
	private readonly feeds = new Map<string, Feed>();
	private readonly store: HistoryStore;
	private readonly events: FeedHubEvents;
	private readonly now: () => number;

	constructor(store: HistoryStore, events: FeedHubEvents, now: () => number) {
		this.store = store;
		this.events = events;
		this.now = now;
	}

	/** Reconnects every feed stored by an earlier session. */
	async restore(): Promise<void> {
		for (const row of await this.store.loadFeeds()) {
			// Already running: connected (e.g. from the address bar) before the restore got here.
			if (this.feeds.has(row.id)) continue;
			// A stored mapping that no longer has the expected shape is dropped: one is proposed again.
			const mapping = looksLikeMapping(row.mapping) ? row.mapping : undefined;
			const mqtt = row.mqtt === undefined ? undefined : (mqttSettings(row.mqtt) ?? undefined);
			// An MQTT feed whose settings no longer make sense is not started as a plain socket.
			if (row.mqtt !== undefined && !mqtt) continue;
			this.start({ id: row.id, url: row.url, subscribe: row.subscribe, mapping, preset: mapping ? row.preset : undefined, mqtt });
		}
	}

	/** Connects a new feed (or returns the one already on this URL, for MQTT with the same topics). */
	async connect(url: string, subscribe?: string, mqtt?: MqttSettings): Promise<FeedStatus> {
		for (const feed of this.feeds.values()) {
			const status = feed.status(this.now());
			if (status.url === url && status.mqtt?.topics.join('\n') === mqtt?.topics.join('\n')) return status;
		}
		const config: FeedConfig = { id: feedId(url, this.feeds), url, subscribe: subscribe || undefined, mqtt };
		await this.store.saveFeed(config);
		return this.start(config).status(this.now());
	}

	async setMapping(id: string, mapping: FeedMapping): Promise<void> {
		const feed = this.feeds.get(id);
		if (!feed) return;
		feed.setMapping(mapping);
		await this.store.saveFeed({ ...feed.stored(), mapping });
	}

	/** The person closed the feed: it stops for good and is forgotten (its history stays). */
	async remove(id: string): Promise<void> {
		this.feeds.get(id)?.close();
		this.feeds.delete(id);
		await this.store.deleteFeed(id);
	}

	/** Refuses a tick of a new series past the cap; true when the tick may go on. */
	admit(id: string, seriesCount: number, key: string): boolean {
		if (seriesCount < MAX_FEED_SERIES) return true;
		this.feeds.get(id)?.reject('too-many-series', key);
		return false;
	}

	statuses(): FeedStatus[] {
		const now = this.now();
		return [...this.feeds.values()].map((feed) => feed.status(now));
	}

	closeAll(): void {
		for (const feed of this.feeds.values()) feed.close();
		this.feeds.clear();
	}

	private start(config: FeedConfig): Feed {
		// One connection per feed: a second would store every tick twice.
		const running = this.feeds.get(config.id);
		if (running) return running;
		const feed = new Feed(config, {
			tick: (key, t, v, truth) => this.events.tick(config.id, key, t, v, truth),
			mapped: (mapping, preset) => void this.store.saveFeed({ ...config, mapping, preset }),
			gap: (from, to) => this.events.gap(config.id, from, to)
		});
		this.feeds.set(config.id, feed);
		feed.open();
		return feed;
	}
}

/** Stored MQTT settings (from IndexedDB), or null when unusable. */
export function mqttSettings(value: unknown): MqttSettings | null {
	if (typeof value !== 'object' || value === null) return null;
	const raw = value as Record<string, unknown>;
	if (!Array.isArray(raw.topics) || raw.topics.length === 0 || !raw.topics.every((t) => typeof t === 'string' && t.length > 0)) return null;
	return {
		topics: raw.topics.slice(0, 100) as string[],
		qos: raw.qos === 1 ? 1 : 0,
		username: typeof raw.username === 'string' && raw.username ? raw.username : undefined,
		password: typeof raw.password === 'string' && raw.password ? raw.password : undefined
	};
}

function looksLikeMapping(value: unknown): value is FeedMapping {
	if (typeof value !== 'object' || value === null) return false;
	const m = value as Partial<Record<keyof FeedMapping, unknown>>;
	const strings = (x: unknown) => Array.isArray(x) && x.every((s) => typeof s === 'string');
	return typeof m.records === 'string' && typeof m.time === 'string' && strings(m.keys) && strings(m.values);
}

/** A short id from the URL's host and path (`stream.binance.com-ws-btcusdt-trade`), unique here. */
function feedId(url: string, taken: ReadonlyMap<string, unknown>): string {
	let base = 'feed';
	try {
		const parsed = new URL(url);
		base = `${parsed.host}${parsed.pathname}`.replace(/[^A-Za-z0-9.]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'feed';
	} catch {
		// Not a URL (or mqtt+ws://, which URL parses without a host on some engines): unique is enough.
	}
	let id = base;
	for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
	return id;
}
