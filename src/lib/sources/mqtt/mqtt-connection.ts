import { backoffDelayMs, resolveBackoff } from '../websocket/backoff';
import { errorText } from '../websocket/connection-text';
import { parseBrokerUrl, topicsProblem } from './mqtt-address';
import { mqttErrorText, payloadData, randomClientId, withoutSecrets } from './mqtt-text';
import type {
	MqttClientLike,
	MqttClientOptions,
	MqttConnect,
	MqttHandlers,
	MqttOptions,
	MqttStatus
} from './mqtt-types';

export type {
	MqttClientLike,
	MqttClientOptions,
	MqttConnect,
	MqttHandlers,
	MqttOptions,
	MqttStatus
} from './mqtt-types';
export { isMqttUrl, parseBrokerUrl, topicFilterProblem, topicsProblem } from './mqtt-address';

/** 30 s, as for WebSocket feeds: a subscription silent this long is almost surely dead. */
const STALE_MS = 30_000;
/** 10,000 series is far past what a dashboard can show; a `#` on a busy broker is not. */
const MAX_TOPICS = 10_000;
/** 30 s pings keep idle connections under the 60 s idle timeout common in reverse proxies. */
const KEEPALIVE_S = 30;
/** SUBACK codes with the high bit set are refusals (0x80 in MQTT 3.1.1, 0x80–0xA2 in MQTT 5). */
const SUBACK_FAILURE = 0x80;

let loading: Promise<MqttConnect> | null = null;

/** mqtt.js (~100 kB gzipped) is fetched on the first MQTT connect, never for the first screen. */
function loadMqtt(): Promise<MqttConnect> {
	loading ??= import('mqtt').then(
		(mod) => {
			// The browser build (dist/mqtt.esm.js) has only a default export; Node's has named ones too.
			const connect = (mod.default as { connect?: unknown } | undefined)?.connect ?? mod.connect;
			if (typeof connect !== 'function') throw new Error('the mqtt package has no connect()');
			return connect as MqttConnect;
		},
		(err: unknown) => {
			loading = null; // let the next attempt fetch again
			throw err;
		}
	);
	return loading;
}

/**
 * MQTT over WebSockets with the behaviour and status of WsConnection: our own backoff (mqtt.js
 * never reconnects by itself), subscriptions sent after every connect, stale detection, gaps.
 */
export class MqttConnection {
	readonly #options: MqttOptions;
	readonly #handlers: MqttHandlers;
	readonly #backoff: ReturnType<typeof resolveBackoff>;
	readonly #staleMs: number;
	readonly #maxTopics: number;
	readonly #clientId: string;
	readonly #topics: string[];
	readonly #now: () => number;
	readonly #setTimer: (fn: () => void, ms: number) => unknown;
	readonly #clearTimer: (handle: unknown) => void;
	#status: MqttStatus = {
		state: 'closed',
		reason: null,
		retryAt: null,
		attempts: 0,
		messages: 0,
		bytes: 0,
		connectedAt: null,
		lastMessageAt: null,
		stale: false,
		topics: 0,
		droppedTopics: 0,
		notice: null
	};
	#address: { wsUrl: string; username?: string; password?: string } | null = null;
	#client: MqttClientLike | null = null;
	/** Bumped by every attempt and every give-up: a late module load or event of an old one is ignored. */
	#attempt = 0;
	#retryTimer: unknown = null;
	#watchdogTimer: unknown = null;
	#gapFrom: number | null = null;
	#lastDataAt: number | null = null;
	#wasLive = false;
	/** Concrete topics seen since created; new ones past maxTopics are dropped. */
	readonly #seen = new Set<string>();
	#refusedNotice: string | null = null;
	#capNotice: string | null = null;

	constructor(options: MqttOptions, handlers: MqttHandlers) {
		this.#options = options;
		this.#handlers = handlers;
		this.#backoff = resolveBackoff(options.backoff);
		this.#staleMs = options.staleMs ?? STALE_MS;
		this.#maxTopics = options.maxTopics ?? MAX_TOPICS;
		this.#clientId = options.clientId || randomClientId();
		this.#topics = [...new Set(options.topics)];
		this.#now = options.now ?? Date.now;
		this.#setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
		this.#clearTimer =
			options.clearTimer ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>));
	}

	get status(): MqttStatus {
		return { ...this.#status };
	}

	/** Starts connecting; does nothing while already connecting, live or waiting to retry. */
	open(): void {
		if (this.#status.state !== 'closed') return;
		const address = parseBrokerUrl(this.#options.url);
		const problem = address.ok ? topicsProblem(this.#topics) : address.problem;
		if (problem || !address.ok) return this.#update({ state: 'closed', reason: problem, retryAt: null });
		this.#address = {
			wsUrl: address.wsUrl,
			username: this.#options.username ?? address.username,
			password: this.#options.password ?? address.password
		};
		this.#status.attempts = 0;
		this.#lastDataAt = null;
		this.#wasLive = false;
		this.#connect('connecting');
	}

	/** Closed by the person: never reconnects, cancels every timer, closes any open gap. */
	close(): void {
		if (this.#status.state === 'closed') return;
		this.#attempt++;
		this.#cancelTimers();
		this.#dropClient();
		this.#closeGap(this.#now());
		this.#update({
			state: 'closed',
			reason: 'you closed the connection',
			retryAt: null,
			connectedAt: null,
			stale: false
		});
	}

	#connect(state: 'connecting' | 'reconnecting'): void {
		this.#retryTimer = null;
		const attempt = ++this.#attempt;
		this.#update({ state, retryAt: null });
		this.#armWatchdog(this.#now());
		const injected = this.#options.connect;
		if (injected) return this.#start(injected);
		loadMqtt().then(
			(connect) => attempt === this.#attempt && this.#start(connect),
			(err: unknown) =>
				attempt === this.#attempt &&
				this.#disconnected(`MQTT support could not be loaded (${errorText(err)})`)
		);
	}

	#start(connect: MqttConnect): void {
		const address = this.#address;
		if (!address) return;
		const options: MqttClientOptions = {
			clientId: this.#clientId,
			clean: true,
			reconnectPeriod: 0,
			connectTimeout: this.#staleMs,
			keepalive: KEEPALIVE_S,
			protocolVersion: 4,
			resubscribe: false
		};
		if (address.username !== undefined) options.username = address.username;
		if (address.password !== undefined) options.password = address.password;
		let client: MqttClientLike;
		try {
			client = connect(address.wsUrl, options);
		} catch (err) {
			return this.#disconnected(`the connection could not be started (${errorText(err)})`);
		}
		this.#client = client;
		// Events from a client already given up on (stale, closed) must not touch the new one.
		client.on('connect', () => this.#client === client && this.#subscribe(client));
		client.on('message', (topic, payload) => this.#client === client && this.#received(topic, payload));
		client.on('error', (error) => this.#client === client && this.#failed(mqttErrorText(error, this.#isLive)));
		client.on('close', () =>
			this.#client === client &&
			this.#failed(this.#isLive ? 'the broker closed the connection' : 'could not connect to the broker')
		);
	}

	get #isLive(): boolean {
		return this.#status.state === 'live';
	}

	/** After every CONNACK: `clean: true` means the broker kept nothing from before. */
	#subscribe(client: MqttClientLike): void {
		const topics = this.#topics;
		client.subscribe(topics, { qos: this.#options.qos ?? 0 }, (_error, _granted, suback) => {
			// No SUBACK: the connection ended first; 'close' or the watchdog handles that.
			if (this.#client !== client || !suback) return;
			const refused = topics.filter((_, i) => {
				const code = suback.granted[i];
				return typeof code !== 'number' || (code & SUBACK_FAILURE) !== 0;
			});
			const list = refused.join(', ');
			if (refused.length === topics.length) {
				return this.#failed(`the broker refused every topic filter (${list}): check them and your permissions`);
			}
			this.#refusedNotice = refused.length ? `the broker refused ${list}: nothing arrives for it` : null;
			this.#live();
		});
	}

	/** Live once subscribed: from here on, a silent connection means the feed stopped. */
	#live(): void {
		const now = this.#now();
		this.#wasLive = true;
		this.#update({ state: 'live', connectedAt: now, stale: false, notice: this.#notice() });
		this.#armWatchdog(now);
	}

	#received(topic: string, payload: Uint8Array): void {
		const arrival = this.#now();
		this.#closeGap(arrival);
		const status = this.#status;
		// Any message proves the connection alive, even one dropped by the topic cap.
		status.lastMessageAt = this.#lastDataAt = arrival;
		status.stale = false;
		if (!this.#seen.has(topic)) {
			if (this.#seen.size >= this.#maxTopics) return this.#dropNewTopic();
			this.#seen.add(topic);
			status.topics = this.#seen.size;
		}
		status.messages++;
		status.bytes += payload.byteLength;
		try {
			this.#handlers.message(payloadData(payload), arrival, topic);
		} catch (err) {
			console.error('MqttConnection: message handler failed', err);
		}
	}

	#dropNewTopic(): void {
		const first = this.#status.droppedTopics++ === 0;
		if (!first) return;
		this.#capNotice =
			`more than ${this.#maxTopics.toLocaleString('en')} distinct topics: messages on further new ` +
			'topics are dropped; narrow the topic filters';
		this.#update({ notice: this.#notice() });
	}

	#notice(): string | null {
		const notices = [this.#refusedNotice, this.#capNotice].filter((notice) => notice !== null);
		return notices.length ? notices.join('; ') : null;
	}

	/** As WsConnection's: one timer for an unanswered connect and for a silent live subscription. */
	#armWatchdog(since: number): void {
		if (this.#watchdogTimer !== null) this.#clearTimer(this.#watchdogTimer);
		const waitMs = Math.max(0, since + this.#staleMs - this.#now());
		this.#watchdogTimer = this.#setTimer(() => this.#watchdog(), waitMs);
	}

	#watchdog(): void {
		this.#watchdogTimer = null;
		const { state, connectedAt, lastMessageAt } = this.#status;
		const since = Math.max(connectedAt ?? 0, lastMessageAt ?? 0);
		if (state === 'live' && this.#now() - since < this.#staleMs) return this.#armWatchdog(since);
		const seconds = Math.round(this.#staleMs / 1000);
		if (state === 'live') this.#update({ stale: true });
		this.#failed(
			state === 'live'
				? `no message for ${seconds} s: reconnecting`
				: `no answer from the broker within ${seconds} s`
		);
	}

	#failed(reason: string): void {
		this.#dropClient();
		this.#disconnected(reason);
	}

	#disconnected(reason: string): void {
		const now = this.#now();
		this.#attempt++;
		this.#client = null;
		this.#cancelTimers();
		if (this.#wasLive) this.#gapFrom ??= this.#lastDataAt ?? now;
		const connectedAt = this.#status.connectedAt;
		const healthy = connectedAt !== null && now - connectedAt >= this.#backoff.healthyMs;
		const attempts = healthy ? 1 : this.#status.attempts + 1;
		const delayMs = backoffDelayMs(attempts, this.#backoff, this.#options.random ?? Math.random);
		this.#retryTimer = this.#setTimer(() => this.#connect('reconnecting'), delayMs);
		this.#update({
			state: 'reconnecting',
			reason: withoutSecrets(reason, [this.#address?.password, this.#address?.username]),
			retryAt: now + delayMs,
			attempts,
			connectedAt: null,
			stale: false
		});
	}

	#dropClient(): void {
		const client = this.#client;
		this.#client = null;
		if (!client) return;
		try {
			client.end(true); // its listeners stay but check `this.#client === client` first
		} catch (err) {
			console.error('MqttConnection: end failed', err);
		}
	}

	#cancelTimers(): void {
		if (this.#retryTimer !== null) this.#clearTimer(this.#retryTimer);
		if (this.#watchdogTimer !== null) this.#clearTimer(this.#watchdogTimer);
		this.#retryTimer = this.#watchdogTimer = null;
	}

	#closeGap(to: number): void {
		const from = this.#gapFrom;
		if (from === null) return;
		this.#gapFrom = null;
		try {
			this.#handlers.gap(from, to);
		} catch (err) {
			console.error('MqttConnection: gap handler failed', err);
		}
	}

	#update(change: Partial<MqttStatus>): void {
		Object.assign(this.#status, change);
		try {
			this.#handlers.status({ ...this.#status });
		} catch (err) {
			console.error('MqttConnection: status handler failed', err);
		}
	}
}
