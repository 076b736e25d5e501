import type { MqttClientLike, MqttClientOptions, MqttHandlers, MqttStatus } from './mqtt-types';

type SubscribeCallback = Parameters<MqttClientLike['subscribe']>[2];

/** An mqtt.js client the test plays the broker for; every instance is kept in `clients`. */
export class FakeMqttClient implements MqttClientLike {
	static clients: FakeMqttClient[] = [];
	readonly subscriptions: { topics: string[]; qos: 0 | 1 }[] = [];
	endedWith: boolean | null = null;
	#listeners = new Map<string, ((...args: never[]) => void)[]>();
	#pendingSubscribe: SubscribeCallback | null = null;

	constructor(
		readonly url: string,
		readonly options: MqttClientOptions
	) {
		FakeMqttClient.clients.push(this);
	}

	static readonly connect = (url: string, options: MqttClientOptions): FakeMqttClient =>
		new FakeMqttClient(url, options);

	static get last(): FakeMqttClient {
		return FakeMqttClient.clients[FakeMqttClient.clients.length - 1];
	}

	on(event: string, listener: (...args: never[]) => void): this {
		this.#listeners.set(event, [...(this.#listeners.get(event) ?? []), listener]);
		return this;
	}

	subscribe(topics: string[], options: { qos: 0 | 1 }, callback: SubscribeCallback): this {
		this.subscriptions.push({ topics, qos: options.qos });
		this.#pendingSubscribe = callback;
		return this;
	}

	end(force?: boolean): this {
		this.endedWith = force ?? false;
		return this;
	}

	#emit(event: string, ...args: unknown[]): void {
		for (const listener of this.#listeners.get(event) ?? []) (listener as (...a: unknown[]) => void)(...args);
	}

	/** CONNACK accepted: the connection will subscribe. */
	serverConnack(): void {
		this.#emit('connect');
	}

	/** SUBACK with one code per filter (0/1 granted QoS, 0x80 refused); all granted by default. */
	serverSuback(codes?: number[]): void {
		const callback = this.#pendingSubscribe;
		this.#pendingSubscribe = null;
		const granted = codes ?? this.subscriptions.at(-1)?.topics.map(() => 0) ?? [];
		const refused = granted.some((code) => code >= 0x80);
		callback?.(refused ? new Error('Subscribe error: Unspecified error') : null, [], { granted });
	}

	/** CONNACK then SUBACK, all granted. */
	serverAccept(): void {
		this.serverConnack();
		this.serverSuback();
	}

	serverPublish(topic: string, payload: string | Uint8Array): void {
		this.#emit('message', topic, typeof payload === 'string' ? new TextEncoder().encode(payload) : payload);
	}

	serverError(error: Error): void {
		this.#emit('error', error);
	}

	serverClose(): void {
		this.#emit('close');
	}
}

/** Handlers that record every call. */
export function recordingMqttHandlers() {
	const calls = {
		messages: [] as { data: string | ArrayBuffer; arrival: number; topic: string }[],
		statuses: [] as MqttStatus[],
		gaps: [] as { from: number; to: number }[]
	};
	const handlers: MqttHandlers = {
		message: (data, arrival, topic) => calls.messages.push({ data, arrival, topic }),
		status: (status) => calls.statuses.push(status),
		gap: (from, to) => calls.gaps.push({ from, to })
	};
	return { calls, handlers };
}
