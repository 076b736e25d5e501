import type { BackoffOptions } from '../websocket/backoff';
import type { ConnectionStatus } from '../websocket/connection-types';

export interface MqttStatus extends ConnectionStatus {
	/** Distinct concrete topics seen since created (each one can become a series). */
	topics: number;
	/** Messages dropped because they came on a new topic after `maxTopics` was reached. */
	droppedTopics: number;
	/**
	 * Something wrong that does not end the connection, in plain words: the topic cap reached,
	 * or topic filters the broker refused. Null when all is well.
	 */
	notice: string | null;
}

export interface MqttOptions {
	/** mqtt+wss://, mqtt+ws://, wss:// or ws://; a user:password@ part is used as credentials. */
	url: string;
	/** Topic filters, wildcards allowed: sensors/+/pressure, markets/#. */
	topics: string[];
	/** 0 (at most once, the default) or 1 (at least once: the broker re-sends until acknowledged). */
	qos?: 0 | 1;
	/** Sent to the broker only: never logged, never in a status. Wins over one in the URL. */
	username?: string;
	password?: string;
	/** Default tickscope- plus 8 random hex digits, kept across reconnects. */
	clientId?: string;
	/** Messages on new topics past this many distinct topics are dropped and counted. */
	maxTopics?: number;
	/** A live subscription silent this long (or a connect unanswered this long) is dropped and retried. */
	staleMs?: number;
	backoff?: BackoffOptions;
	/** Injected for tests: mqtt.js's `connect` (loaded on first open() otherwise), clock, timers, random. */
	connect?: MqttConnect;
	now?: () => number;
	setTimer?: (fn: () => void, ms: number) => unknown;
	clearTimer?: (handle: unknown) => void;
	random?: () => number;
}

export interface MqttHandlers {
	/** One MQTT message: its payload as text when it is UTF-8 text, else bytes; its concrete topic. */
	message(data: string | ArrayBuffer, arrival: number, topic: string): void;
	/** On every state change and when `notice` changes; `MqttConnection.status` has the live counters. */
	status(status: MqttStatus): void;
	/** No data from `from` (last message or disconnect time) until the first message after reconnecting. */
	gap(from: number, to: number): void;
}

/** What MqttConnection passes to mqtt.js's `connect`. */
export interface MqttClientOptions {
	clientId: string;
	username?: string;
	password?: string;
	clean: true;
	/** 0: mqtt.js never reconnects by itself; MqttConnection does, with its backoff. */
	reconnectPeriod: 0;
	connectTimeout: number;
	keepalive: number;
	protocolVersion: 4;
	resubscribe: false;
}

/** The part of mqtt.js's MqttClient used here, so tests can play the broker. */
export interface MqttClientLike {
	on(event: 'connect', listener: () => void): unknown;
	on(event: 'message', listener: (topic: string, payload: Uint8Array) => void): unknown;
	on(event: 'error', listener: (error: Error) => void): unknown;
	on(event: 'close', listener: () => void): unknown;
	subscribe(
		topics: string[],
		options: { qos: 0 | 1 },
		callback: (error: Error | null, granted?: unknown, suback?: { granted: readonly unknown[] }) => void
	): unknown;
	/** force = true: drop the socket without waiting for in-flight messages. */
	end(force?: boolean): unknown;
}

export type MqttConnect = (url: string, options: MqttClientOptions) => MqttClientLike;
