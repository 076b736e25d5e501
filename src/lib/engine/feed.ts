import { decodeFrame, type DecodeSink, type RejectReason } from '../sources/parsers/decoder';
import { detectMapping } from '../sources/parsers/detect';
import type { FeedMapping } from '../sources/parsers/mapping';
import { WsConnection, type ConnectionOptions, type ConnectionStatus } from '../sources/websocket/ws-connection';
import { MqttConnection } from '../sources/mqtt/mqtt-connection';
import type { MqttStatus } from '../sources/mqtt/mqtt-types';

/** How an MQTT feed subscribes; the password never leaves the worker and this browser's storage. */
export interface MqttSettings {
	topics: string[];
	qos: 0 | 1;
	username?: string;
	password?: string;
}

/** An MQTT topic may well be quiet for a minute (a sensor reporting rarely): only longer is stale. */
const MQTT_STALE_MS = 120_000;
/** Recent frames remembered to spot exact duplicates (a re-sent message), by their text. */
const DUPLICATE_WINDOW = 4096;
/** Longer frames are not checked for copies (hashing them costs more than a copy would). */
const DUPLICATE_MAX_CHARS = 64 * 1024;
/** Ticks whose source time is compared with their arrival, for the clock skew shown. */
const SKEW_SAMPLES = 64;
/** A source clock off by more than this is shown as skewed. */
const SKEW_SHOWN_MS = 2000;
/** Frames looked at before a mapping is proposed (when the feed has none saved). */
const DETECT_SAMPLES = 5;
/** Rejected frames kept to show the person, newest last. */
const LAST_REJECTS = 5;
/** A sample of a rejected frame is cut to this many characters. */
const REJECT_SAMPLE_CHARS = 160;

export interface FeedConfig {
	id: string;
	url: string;
	subscribe?: string;
	mapping?: FeedMapping;
	preset?: string;
	/** Set for an MQTT broker (over WebSockets); absent for a plain WebSocket feed. */
	mqtt?: MqttSettings;
}

/** What the page shows of a feed. */
export interface FeedStatus extends ConnectionStatus {
	id: string;
	url: string;
	subscribe?: string;
	mapping: FeedMapping | null;
	preset?: string;
	/** How the mapping was found, in plain words. */
	notes: string[];
	ticks: number;
	/** Messages per second over the last second. */
	messagesPerSecond: number;
	rejected: Partial<Record<RejectReason, number>>;
	lastRejects: { reason: RejectReason; detail: string }[];
	/** Ticks stamped with arrival time because their message had no usable timestamp. */
	arrivalTimed: number;
	/** Outages so far, and the latest one (epoch ms): drawn as gaps on the charts. */
	gaps: number;
	/** Frames dropped as exact copies of a recent one (only for feeds that stamp their own time). */
	duplicates: number;
	/** Connections dropped for silence (the feed went stale and was reconnected). */
	staleEvents: number;
	/**
	 * How far ahead (+) or behind (−) the source's clock runs against this browser's, ms: the
	 * median of recent ticks' time − arrival. Null until known or when within ±2 s.
	 */
	skewMs: number | null;
	lastGap: { from: number; to: number } | null;
	protocol: 'websocket' | 'mqtt';
	/** MQTT: the topic filters, QoS and user name (never the password). */
	mqtt?: { topics: string[]; qos: 0 | 1; username?: string; topicsSeen: number; droppedTopics: number; notice: string | null };
}

export interface FeedEvents {
	/** A decoded tick; `key` is the feed's own series name (e.g. `BTCUSDT/p`). */
	tick(key: string, t: number, v: number, truth: boolean | undefined): void;
	/** A mapping was proposed from the first frames: store it with the feed. */
	mapped(mapping: FeedMapping, preset: string | undefined): void;
	/** The feed was down from `from` to `to`. */
	gap(from: number, to: number): void;
}

/**
 * One WebSocket feed: connection (reconnects on its own), mapping (proposed from the first
 * frames unless saved), decoding into ticks, and counts of everything received and refused.
 */
export class Feed implements DecodeSink {
	readonly id: string;
	private config: FeedConfig;
	private readonly connection: { open(): void; close(): void; readonly status: ConnectionStatus };
	/** The MQTT topic of the message being decoded: it leads every key from it. */
	private topic: string | null = null;
	private readonly events: FeedEvents;
	private samples: { data: string | ArrayBuffer; arrival: number; topic?: string }[] = [];
	private notes: string[] = [];
	private ticks = 0;
	private readonly rejected: Partial<Record<RejectReason, number>> = {};
	private readonly lastRejects: { reason: RejectReason; detail: string }[] = [];
	private arrivalTimed = 0;
	private gaps = 0;
	private wasLive = false;
	private lastGap: { from: number; to: number } | null = null;
	private rate = { since: 0, messages: 0, perSecond: 0 };
	private duplicates = 0;
	private staleEvents = 0;
	/** 53-bit fingerprints of recent frames; `recentRing` evicts the oldest (no frame text kept). */
	private readonly recent = new Set<number>();
	private readonly recentRing = new Float64Array(DUPLICATE_WINDOW).fill(-1);
	private recentNext = 0;
	private readonly skew = new Float64Array(SKEW_SAMPLES);
	private skewN = 0;
	private arrival = 0;

	constructor(config: FeedConfig, events: FeedEvents, options: Partial<ConnectionOptions> = {}) {
		this.id = config.id;
		this.config = { ...config };
		this.events = events;
		const handlers = {
			message: (data: string | ArrayBuffer, arrival: number, topic?: string) => this.onMessage(data, arrival, topic),
			status: (status: ConnectionStatus) => {
				// An outage counts from the moment a live feed drops, not when data returns.
				if (this.wasLive && status.state !== 'live') this.gaps++;
				if (this.wasLive && status.state !== 'live' && /^no (message|answer)/.test(status.reason ?? '')) this.staleEvents++;
				this.wasLive = status.state === 'live';
			},
			gap: (from: number, to: number) => {
				this.lastGap = { from, to };
				this.events.gap(from, to);
			}
		};
		const { staleMs, backoff, now, setTimer, clearTimer, random } = options;
		this.connection = config.mqtt
			? new MqttConnection({ url: config.url, ...config.mqtt, staleMs: staleMs ?? MQTT_STALE_MS, backoff, now, setTimer, clearTimer, random }, handlers)
			: new WsConnection({ ...options, url: config.url, subscribe: config.subscribe }, handlers);
	}

	open(): void {
		this.connection.open();
	}

	close(): void {
		this.connection.close();
	}

	/** What is stored for this feed (credentials included: they stay in this browser). */
	stored(): FeedConfig {
		return { ...this.config, mqtt: this.config.mqtt ? { ...this.config.mqtt } : undefined };
	}

	/** The person edited the mapping: decode with it from now on. */
	setMapping(mapping: FeedMapping): void {
		this.config.mapping = mapping;
		this.config.preset = undefined;
		this.notes = ['mapping set by you'];
	}

	status(now: number): FeedStatus {
		const elapsed = now - this.rate.since;
		if (elapsed >= 1000) {
			this.rate.perSecond = (this.rate.messages * 1000) / elapsed;
			this.rate.messages = 0;
			this.rate.since = now;
		}
		const connection = this.connection.status;
		const mqtt = this.config.mqtt;
		const broker = mqtt ? (connection as MqttStatus) : null;
		return {
			...connection,
			id: this.id,
			url: this.config.url,
			subscribe: this.config.subscribe,
			mapping: this.config.mapping ?? null,
			preset: this.config.preset,
			notes: [...this.notes],
			ticks: this.ticks,
			messagesPerSecond: this.rate.perSecond,
			rejected: { ...this.rejected },
			lastRejects: [...this.lastRejects],
			arrivalTimed: this.arrivalTimed,
			gaps: this.gaps,
			lastGap: this.lastGap,
			duplicates: this.duplicates,
			staleEvents: this.staleEvents,
			skewMs: this.skewMs(),
			protocol: mqtt ? 'mqtt' : 'websocket',
			mqtt:
				mqtt && broker
					? { topics: [...mqtt.topics], qos: mqtt.qos, username: mqtt.username, topicsSeen: broker.topics, droppedTopics: broker.droppedTopics, notice: broker.notice }
					: undefined
		};
	}

	tick(key: string, t: number, v: number, truth: boolean | undefined): void {
		this.ticks++;
		this.skew[this.skewN++ % SKEW_SAMPLES] = t - this.arrival;
		this.events.tick(this.topic === null ? key : `${this.topic}/${key}`, t, v, truth);
	}

	reject(reason: RejectReason, detail: string): void {
		this.rejected[reason] = (this.rejected[reason] ?? 0) + 1;
		this.lastRejects.push({ reason, detail: detail.slice(0, REJECT_SAMPLE_CHARS) });
		if (this.lastRejects.length > LAST_REJECTS) this.lastRejects.shift();
	}

	usedArrivalTime(): void {
		this.arrivalTimed++;
	}

	private onMessage(data: string | ArrayBuffer, arrival: number, topic?: string): void {
		this.rate.messages++;
		const mapping = this.config.mapping;
		if (mapping) {
			// A source that stamps its own times sends a message twice only by mistake (a replay
			// after reconnecting, a broker's redelivery): the copy is dropped and counted. Feeds
			// timed on arrival may well repeat themselves ("23.5" every second), so they are not.
			this.decodeOnce(data, mapping, arrival, topic);
			return;
		}
		// No mapping yet: keep the first frames, propose one from them, then decode them too.
		this.samples.push({ data, arrival, topic });
		if (this.samples.length < DETECT_SAMPLES) return;
		const detected = detectMapping(this.samples.map((s) => s.data));
		this.config.mapping = detected.mapping;
		this.config.preset = detected.preset;
		this.notes = detected.notes;
		this.events.mapped(detected.mapping, detected.preset);
		for (const sample of this.samples) this.decodeOnce(sample.data, detected.mapping, sample.arrival, sample.topic);
		this.samples = [];
	}

	/** Decodes a message unless it is an exact copy of a recent one (then it is counted). */
	private decodeOnce(data: string | ArrayBuffer, mapping: FeedMapping, arrival: number, topic: string | undefined): void {
		if (mapping.time && typeof data === 'string' && data.length <= DUPLICATE_MAX_CHARS && this.seenRecently(fingerprint(data, topic))) {
			this.duplicates++;
			return;
		}
		this.decode(data, mapping, arrival, topic);
	}

	/** Whether a frame with this fingerprint came within the last DUPLICATE_WINDOW frames; remembers it. */
	private seenRecently(print: number): boolean {
		if (this.recent.has(print)) return true;
		const evicted = this.recentRing[this.recentNext];
		if (evicted >= 0) this.recent.delete(evicted);
		this.recentRing[this.recentNext] = print;
		this.recentNext = (this.recentNext + 1) % DUPLICATE_WINDOW;
		this.recent.add(print);
		return false;
	}

	private skewMs(): number | null {
		const n = Math.min(this.skewN, SKEW_SAMPLES);
		if (n < 8) return null;
		const sorted = this.skew.slice(0, n).sort();
		const median = sorted[n >> 1];
		return Math.abs(median) > SKEW_SHOWN_MS ? Math.round(median) : null;
	}

	/** Decodes one message; an MQTT message's topic leads the keys of its ticks. */
	private decode(data: string | ArrayBuffer, mapping: FeedMapping, arrival: number, topic: string | undefined): void {
		this.arrival = arrival;
		this.topic = topic ?? null;
		try {
			decodeFrame(data, mapping, arrival, this);
		} finally {
			this.topic = null;
		}
	}
}

/**
 * A 53-bit fingerprint of a frame (and its MQTT topic): two 32-bit FNV-1a hashes with different
 * offsets, 32 + 21 bits of them. Two different frames among the last 4,096 share one with a
 * chance of about 1 in 2·10^12 per frame.
 */
function fingerprint(text: string, topic: string | undefined): number {
	let a = 0x811c9dc5;
	let b = 0x01000193 ^ text.length;
	const mix = (s: string) => {
		for (let i = 0; i < s.length; i++) {
			const c = s.charCodeAt(i);
			a = Math.imul(a ^ c, 0x01000193);
			b = Math.imul(b ^ c, 0x5bd1e995);
		}
	};
	if (topic) mix(`${topic}\u0000`);
	mix(text);
	return (a >>> 0) * 2097152 + ((b >>> 11) & 0x1fffff);
}
