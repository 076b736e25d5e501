import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeClock } from '../websocket/fake-web-socket';
import { FakeMqttClient, recordingMqttHandlers } from './fake-mqtt-client';
import { MqttConnection, type MqttOptions } from './mqtt-connection';

const URL_MQTT = 'mqtt+wss://broker.test:8884/mqtt';

let currentClock = new FakeClock();

/** Runs the backoff wait of the current setup() so the next client is created. */
function clockAdvanceToRetry(conn: MqttConnection): void {
	currentClock.advance((conn.status.retryAt ?? NaN) - currentClock.time);
}

function setup(over: Partial<MqttOptions> = {}) {
	FakeMqttClient.clients = [];
	const clock = (currentClock = new FakeClock());
	const { calls, handlers } = recordingMqttHandlers();
	const options: MqttOptions = {
		url: URL_MQTT,
		topics: ['sensors/+/pressure', 'markets/#'],
		connect: FakeMqttClient.connect,
		now: clock.now,
		setTimer: clock.setTimer,
		clearTimer: clock.clearTimer,
		random: () => 0.5,
		...over
	};
	const conn = new MqttConnection(options, handlers);
	return { clock, calls, conn };
}

/** Lets the current client drop, then runs the backoff wait so the next one is created. */
function dropAndRetry(clock: FakeClock, conn: MqttConnection): void {
	FakeMqttClient.last.serverClose();
	clock.advance((conn.status.retryAt ?? NaN) - clock.time);
}

afterEach(() => vi.restoreAllMocks());

describe('MqttConnection', () => {
	it('connects to the ws(s) URL without reconnects of its own, with credentials only in the options', () => {
		const { conn } = setup({ url: 'mqtt+wss://ann:from-url@broker.test:8884/mqtt', password: 's3cret-pw' });
		conn.open();
		const client = FakeMqttClient.last;
		expect(client.url).toBe('wss://broker.test:8884/mqtt');
		expect(client.options).toMatchObject({
			username: 'ann',
			password: 's3cret-pw',
			clean: true,
			reconnectPeriod: 0,
			protocolVersion: 4
		});
		expect(client.options.clientId).toMatch(/^tickscope-[0-9a-f]{8}$/);
		setup().conn.open(); // another tab: a broker drops the older of two clients with one id
		expect(FakeMqttClient.last.options.clientId).not.toBe(client.options.clientId);
	});

	it('subscribes after every connect, with the QoS asked for, and is live only once subscribed', () => {
		const { clock, conn, calls } = setup({ qos: 1 });
		conn.open();
		for (let i = 0; i < 3; i++) {
			const client = FakeMqttClient.last;
			expect(client.subscriptions).toEqual([]); // not before CONNACK
			client.serverConnack();
			expect(client.subscriptions).toEqual([{ topics: ['sensors/+/pressure', 'markets/#'], qos: 1 }]);
			expect(conn.status.state).toBe(i === 0 ? 'connecting' : 'reconnecting');
			client.serverSuback([1, 1]);
			expect(conn.status.state).toBe('live');
			dropAndRetry(clock, conn);
			expect(client.endedWith).toBe(true);
		}
		expect(FakeMqttClient.clients).toHaveLength(4);
		expect(new Set(FakeMqttClient.clients.map((c) => c.options.clientId)).size).toBe(1);
		expect(calls.statuses.filter((s) => s.state === 'live')).toHaveLength(3);
	});

	it('passes each message on with its concrete topic, text as a string and bytes as an ArrayBuffer', () => {
		const { conn, calls } = setup();
		conn.open();
		FakeMqttClient.last.serverAccept();
		FakeMqttClient.last.serverPublish('sensors/a/pressure', '{"v":1013.25}');
		FakeMqttClient.last.serverPublish('markets/eu/btc', new Uint8Array([0xff, 0x00, 0x01]));
		FakeMqttClient.last.serverPublish('sensors/b/pressure', 'é');
		expect(calls.messages.map(({ topic, data }) => [topic, data])).toEqual([
			['sensors/a/pressure', '{"v":1013.25}'],
			['markets/eu/btc', new Uint8Array([0xff, 0x00, 0x01]).buffer],
			['sensors/b/pressure', 'é']
		]);
		expect(conn.status).toMatchObject({ messages: 3, bytes: 13 + 3 + 2, topics: 3, droppedTopics: 0 });
	});

	it('closes a silent live subscription after staleMs and reconnects', () => {
		const { clock, conn, calls } = setup({ staleMs: 30_000 });
		conn.open();
		const first = FakeMqttClient.last;
		first.serverAccept();
		clock.advance(20_000);
		first.serverPublish('markets/x', '1'); // stale at +50 s
		clock.advance(29_999);
		expect(first.endedWith).toBeNull();
		clock.advance(1);
		expect(first.endedWith).toBe(true);
		expect(calls.statuses.find((status) => status.stale)?.state).toBe('live');
		expect(conn.status).toMatchObject({ state: 'reconnecting', reason: 'no message for 30 s: reconnecting' });
		clock.advance(500);
		expect(FakeMqttClient.clients).toHaveLength(2);
	});

	it('gives up on a broker that never answers CONNACK or SUBACK after staleMs', () => {
		const { clock, conn } = setup({ staleMs: 5_000 });
		conn.open();
		clock.advance(5_000);
		expect(conn.status.reason).toBe('no answer from the broker within 5 s');
		clock.advance(500);
		FakeMqttClient.last.serverConnack(); // connected, but the SUBACK never comes
		clock.advance(5_000);
		expect(FakeMqttClient.clients.map((c) => c.endedWith)).toEqual([true, true]);
		expect(conn.status).toMatchObject({ state: 'reconnecting', attempts: 2 });
	});

	it('backs off like WsConnection and resets after a healthy connection', () => {
		const { clock, conn } = setup();
		conn.open();
		const delays: number[] = [];
		for (let i = 0; i < 8; i++) {
			FakeMqttClient.last.serverError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
			const delayMs = (conn.status.retryAt ?? NaN) - clock.time;
			delays.push(delayMs);
			clock.advance(delayMs);
		}
		expect(delays).toEqual([500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
		expect(conn.status.reason).toBe('could not connect to the broker (connect ECONNREFUSED)');
		FakeMqttClient.last.serverAccept();
		clock.advance(10_000);
		FakeMqttClient.last.serverPublish('markets/x', '1');
		FakeMqttClient.last.serverClose();
		expect(conn.status).toMatchObject({ attempts: 1, reason: 'the broker closed the connection' });
		expect((conn.status.retryAt ?? NaN) - clock.time).toBe(500);
	});

	it('close() never reconnects and leaves no timers, whatever the state', () => {
		const phases: (() => void)[] = [
			() => {}, // connecting
			() => FakeMqttClient.last.serverConnack(), // waiting for SUBACK
			() => FakeMqttClient.last.serverAccept(), // live
			() => FakeMqttClient.last.serverClose() // waiting to retry
		];
		for (const phase of phases) {
			const { clock, conn, calls } = setup();
			conn.open();
			phase();
			const client = FakeMqttClient.last;
			conn.close();
			expect(clock.pending).toBe(0);
			expect(conn.status).toMatchObject({ state: 'closed', reason: 'you closed the connection' });
			client.serverClose(); // late events from the old client change nothing
			client.serverSuback();
			client.serverPublish('markets/x', '1');
			clock.advance(10 * 60_000);
			expect(FakeMqttClient.clients).toHaveLength(1);
			expect(calls.statuses.at(-1)?.state).toBe('closed');
			expect(calls.messages).toHaveLength(0);
		}
	});

	it('reports a gap from the last message to the first message after resubscribing', () => {
		const { clock, conn, calls } = setup();
		conn.open();
		FakeMqttClient.last.serverAccept();
		FakeMqttClient.last.serverPublish('markets/x', '1');
		const lastMessageAt = clock.time;
		clock.advance(2_000);
		dropAndRetry(clock, conn);
		dropAndRetry(clock, conn); // the first retry fails too
		FakeMqttClient.last.serverAccept();
		clock.advance(300);
		expect(calls.gaps).toEqual([]); // open until data flows again
		FakeMqttClient.last.serverPublish('markets/x', '2');
		expect(calls.gaps).toEqual([{ from: lastMessageAt, to: clock.time }]);
		FakeMqttClient.last.serverPublish('markets/x', '3');
		expect(calls.gaps).toHaveLength(1);
	});

	it('starts no gap for a first connect that fails, and ends an open one on close()', () => {
		const { clock, conn, calls } = setup();
		conn.open();
		dropAndRetry(clock, conn);
		FakeMqttClient.last.serverAccept();
		clock.advance(1_000);
		const droppedAt = clock.time;
		FakeMqttClient.last.serverClose();
		clock.advance(200);
		conn.close();
		expect(calls.gaps).toEqual([{ from: droppedAt, to: droppedAt + 200 }]);
	});

	it('reports filters the broker refused, and retries when it refused them all', () => {
		const { conn } = setup();
		conn.open();
		FakeMqttClient.last.serverConnack();
		FakeMqttClient.last.serverSuback([0, 0x80]);
		expect(conn.status).toMatchObject({ state: 'live', notice: 'the broker refused markets/#: nothing arrives for it' });
		FakeMqttClient.last.serverClose();
		const second = setup();
		second.conn.open();
		FakeMqttClient.last.serverConnack();
		FakeMqttClient.last.serverSuback([0x80, 0x80]);
		expect(second.conn.status.state).toBe('reconnecting');
		expect(second.conn.status.reason).toMatch(/refused every topic filter \(sensors\/\+\/pressure, markets\/#\)/);
		expect(FakeMqttClient.last.endedWith).toBe(true);
	});

	it('never puts credentials in a status, even when a library error quotes them', () => {
		const { conn, calls } = setup({ username: 'ann-user', password: 'hunter22' });
		conn.open();
		const refusal = Object.assign(new Error('Connection refused: Bad username or password'), { code: 4 });
		FakeMqttClient.last.serverError(refusal);
		expect(conn.status.reason).toBe('the broker refused the user name or password');
		clockAdvanceToRetry(conn);
		FakeMqttClient.last.serverError(new Error('ws://ann-user:hunter22@broker.test failed'));
		expect(conn.status.reason).toBe('could not connect to the broker (ws://•••:•••@broker.test failed)');
		conn.close();
		const text = JSON.stringify([conn.status, ...calls.statuses]);
		expect(text).not.toContain('hunter22');
		expect(text).not.toContain('ann-user');
	});

	it('drops and counts messages on new topics past maxTopics, with a notice', () => {
		const { conn, calls } = setup({ maxTopics: 3 });
		conn.open();
		FakeMqttClient.last.serverAccept();
		for (const topic of ['m/a', 'm/b', 'm/c', 'm/d', 'm/a', 'm/e', 'm/d', 'm/c']) FakeMqttClient.last.serverPublish(topic, '1');
		expect(calls.messages.map((m) => m.topic)).toEqual(['m/a', 'm/b', 'm/c', 'm/a', 'm/c']);
		expect(conn.status).toMatchObject({ topics: 3, droppedTopics: 3, messages: 5 });
		expect(conn.status.notice).toMatch(/more than 3 distinct topics: messages on further new topics are dropped/);
		expect(calls.statuses.filter((s) => s.notice !== null)).toHaveLength(1); // one report, not one per drop
	});

	it('rejects bad addresses and topic filters in plain words, without connecting or throwing', () => {
		for (const [over, pattern] of [
			[{ url: 'mqtt://broker.test:1883' }, /plain TCP/],
			[{ topics: [] }, /at least one topic filter/],
			[{ topics: ['sensors/#/x'] }, /# must be a whole level/]
		] as const) {
			const { clock, conn, calls } = setup(over as Partial<MqttOptions>);
			expect(() => conn.open()).not.toThrow();
			expect(conn.status.state).toBe('closed');
			expect(conn.status.reason).toMatch(pattern);
			expect(calls.statuses).toHaveLength(1);
			expect(FakeMqttClient.clients).toHaveLength(0);
			expect(clock.pending).toBe(0);
		}
	});

	it('keeps counting when handlers throw, and retries when connect throws', () => {
		vi.spyOn(console, 'error').mockImplementation(() => {});
		const clock = new FakeClock();
		const { now, setTimer, clearTimer } = clock;
		FakeMqttClient.clients = [];
		const boom = () => {
			throw new Error('handler');
		};
		const conn = new MqttConnection(
			{ url: URL_MQTT, topics: ['#'], connect: FakeMqttClient.connect, now, setTimer, clearTimer },
			{ message: boom, status: boom, gap: boom }
		);
		expect(() => conn.open()).not.toThrow();
		FakeMqttClient.last.serverAccept();
		FakeMqttClient.last.serverPublish('a', 'héllo');
		expect(conn.status).toMatchObject({ state: 'live', messages: 1, bytes: 6 });
		conn.close();
		expect(clock.pending).toBe(0);
		const failing = setup({
			connect: () => {
				throw new TypeError('bad port');
			}
		});
		failing.conn.open();
		expect(failing.conn.status).toMatchObject({ state: 'reconnecting', attempts: 1 });
		expect(failing.conn.status.reason).toContain('bad port');
	});
});
