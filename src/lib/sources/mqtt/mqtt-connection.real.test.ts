// MqttConnection against a real mosquitto (tests/fixtures/mosquitto.ts), with the real mqtt.js
// loaded the way the app loads it (dynamic import) and running over `ws` in Node.
import mqtt from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startMosquitto, type Mosquitto } from '../../../../tests/fixtures/mosquitto';
import { recordingMqttHandlers } from './fake-mqtt-client';
import { MqttConnection, type MqttConnect, type MqttOptions } from './mqtt-connection';

/** Short waits so a broker restart is bridged within a test's time. */
const FAST_BACKOFF = { initialMs: 50, maxMs: 300 };

let broker: Mosquitto;
let conn: MqttConnection | null = null;
let publisher: mqtt.MqttClient | null = null;

beforeAll(async () => {
	broker = await startMosquitto();
}, 120_000); // may have to apt-get install mosquitto first

afterAll(async () => {
	await broker?.stop();
});

afterEach(async () => {
	conn?.close();
	conn = null;
	await publisher?.endAsync(true);
	publisher = null;
});

async function until(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}

/** Publishes over the broker's plain TCP listener, from a client of its own. */
async function publish(topic: string, payload: string | Uint8Array, qos: 0 | 1 = 0): Promise<void> {
	publisher ??= await mqtt.connectAsync(broker.mqttUrl, { reconnectPeriod: 0 });
	await publisher.publishAsync(topic, typeof payload === 'string' ? payload : Buffer.from(payload), { qos });
}

function open(over: Partial<MqttOptions> = {}) {
	const { calls, handlers } = recordingMqttHandlers();
	conn = new MqttConnection({ url: broker.wsUrl, topics: ['#'], backoff: FAST_BACKOFF, ...over }, handlers);
	conn.open();
	const live = () => until(() => conn?.status.state === 'live', 'a live subscription');
	return { calls, conn, live };
}

describe('MqttConnection with mosquitto', () => {
	it('subscribes with wildcards over mqtt+ws:// and receives each message with its topic', async () => {
		const url = broker.wsUrl.replace(/^ws:/, 'mqtt+ws:');
		const { calls, live } = open({ url, topics: ['sensors/+/pressure', 'markets/#'] });
		await live();
		await publish('sensors/a/pressure', '{"hPa":1013.2}');
		await publish('sensors/a/temperature', '21.5'); // matches neither filter
		await publish('sensors/a/b/pressure', '1'); // + is one level only
		await publish('markets/eu/btc/trade', '{"p":97000.5}');
		await publish('markets/bin', new Uint8Array([0, 1, 2, 255]));
		await until(() => calls.messages.length >= 3, 'three messages');
		await publish('sensors/b/pressure', '1009'); // after the others: nothing else is in flight
		await until(() => calls.messages.length >= 4, 'four messages');
		expect(calls.messages.map(({ topic, data }) => [topic, data])).toEqual([
			['sensors/a/pressure', '{"hPa":1013.2}'],
			['markets/eu/btc/trade', '{"p":97000.5}'],
			['markets/bin', new Uint8Array([0, 1, 2, 255]).buffer],
			['sensors/b/pressure', '1009']
		]);
		expect(conn?.status).toMatchObject({ state: 'live', messages: 4, bytes: 14 + 13 + 4 + 4, topics: 4 });
	});

	it('subscribes at QoS 1 when asked, so QoS 1 messages arrive as QoS 1', async () => {
		for (const qos of [0, 1] as const) {
			const delivered: number[] = [];
			// The real mqtt.js connect, watched: which QoS does the broker deliver at?
			const connect: MqttConnect = (url, options) => {
				const client = mqtt.connect(url, options);
				client.on('message', (_topic, _payload, packet) => delivered.push(packet.qos));
				return client;
			};
			const { calls, live } = open({ topics: ['q/#'], qos, connect });
			await live();
			await publish('q/x', 'at least once', 1);
			await until(() => calls.messages.length === 1, 'the message');
			expect(delivered).toEqual([qos]);
			conn?.close();
		}
	});

	it('comes back after broker restarts: reconnecting, live again, resubscribed, with a gap', async () => {
		const { calls, live } = open({ topics: ['r/+'] });
		await live();
		for (let round = 1; round <= 3; round++) {
			await publish('r/seq', String(round));
			await until(() => calls.messages.length === round, `message ${round}`);
			const droppedAt = Date.now();
			await broker.kill();
			await publisher?.endAsync(true);
			publisher = null;
			await until(() => conn?.status.state === 'reconnecting', 'reconnecting');
			await new Promise((resolve) => setTimeout(resolve, 300)); // a retry or two fail meanwhile
			expect(conn?.status.attempts).toBeGreaterThan(1);
			await broker.start();
			await live(); // the broker lost every subscription (no persistence): these are new
			expect(calls.gaps).toHaveLength(round - 1); // open until data flows again
			await publish('r/seq', `${round}b`);
			await until(() => calls.gaps.length === round, `gap ${round}`);
			expect(calls.gaps[round - 1].from).toBeLessThanOrEqual(droppedAt);
			expect(calls.gaps[round - 1].to - calls.gaps[round - 1].from).toBeGreaterThanOrEqual(300);
			await until(() => calls.messages.length === round + 1, `message ${round}b`);
			calls.messages.shift(); // keep the count per round simple
		}
		const states = calls.statuses.map((status) => status.state);
		expect(states.filter((state) => state === 'live')).toHaveLength(4);
		expect(calls.statuses.some((status) => status.reason === 'the broker closed the connection')).toBe(true);
	}, 20_000);

	it('drops a silent subscription after staleMs and subscribes again', async () => {
		const { calls, live } = open({ topics: ['quiet/#'], staleMs: 1_000 });
		await live();
		await until(() => conn?.status.state === 'reconnecting', 'reconnecting', 3_000);
		expect(calls.statuses.find((status) => status.stale)?.state).toBe('live');
		expect(conn?.status.reason).toBe('no message for 1 s: reconnecting');
		await live();
		await publish('quiet/now', 'here');
		await until(() => calls.messages.length === 1, 'a message after resubscribing');
	});

	it('never reconnects once the person closed it, even when the broker is back', async () => {
		const { calls, live } = open({ topics: ['c/#'] });
		await live();
		await broker.kill();
		await until(() => conn?.status.state === 'reconnecting', 'reconnecting');
		conn?.close();
		const count = calls.statuses.length;
		await broker.start();
		await new Promise((resolve) => setTimeout(resolve, 700)); // well past maxMs
		await publish('c/x', '1');
		await new Promise((resolve) => setTimeout(resolve, 100));
		expect(calls.statuses.length).toBe(count);
		expect(calls.statuses.at(-1)).toMatchObject({ state: 'closed', reason: 'you closed the connection' });
		expect(calls.messages).toEqual([]);
	});

	it('drops and counts messages on new topics past maxTopics', async () => {
		const { calls, live } = open({ topics: ['cap/#'], maxTopics: 2 });
		await live();
		for (const topic of ['cap/a', 'cap/b', 'cap/c', 'cap/a', 'cap/d', 'cap/b']) await publish(topic, '1');
		await until(() => (conn?.status.messages ?? 0) + (conn?.status.droppedTopics ?? 0) === 6, 'six messages');
		expect(calls.messages.map((message) => message.topic)).toEqual(['cap/a', 'cap/b', 'cap/a', 'cap/b']);
		expect(conn?.status).toMatchObject({ topics: 2, droppedTopics: 2 });
		expect(conn?.status.notice).toMatch(/more than 2 distinct topics/);
	});
});

describe('MqttConnection with a mosquitto that needs a password', () => {
	let secured: Mosquitto;
	beforeAll(async () => {
		secured = await startMosquitto({ users: { 'ann-feed': 'hunter2-secret' } });
	}, 120_000);
	afterAll(async () => {
		await secured?.stop();
	});

	it('gets in with the right password and never shows credentials in any status', async () => {
		const wrong = open({ url: secured.wsUrl, username: 'ann-feed', password: 'wrong-guess' });
		await until(() => conn?.status.state === 'reconnecting', 'a refusal');
		expect(conn?.status.reason).toMatch(/refused (the user name or password|the connection: not authorised)/);
		conn?.close();
		const inUrl = secured.wsUrl.replace('ws://', 'mqtt+ws://ann-feed:hunter2-secret@');
		const right = open({ url: inUrl, topics: ['secure/#'] });
		await right.live();
		const texts = JSON.stringify([...wrong.calls.statuses, ...right.calls.statuses, conn?.status]);
		for (const secret of ['ann-feed', 'hunter2-secret', 'wrong-guess']) expect(texts).not.toContain(secret);
	});
});
