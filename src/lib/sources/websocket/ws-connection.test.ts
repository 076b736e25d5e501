import { afterEach, describe, expect, it, vi } from 'vitest';
import { backoffDelayMs, resolveBackoff } from './backoff';
import type { ConnectionOptions } from './connection-types';
import { FakeClock, FakeSocket, recordingHandlers } from './fake-web-socket';
import { mixedContentProblem, WsConnection } from './ws-connection';

const URL_WSS = 'wss://feed.test/stream';

function setup(over: Partial<ConnectionOptions> = {}) {
	FakeSocket.sockets = [];
	const clock = new FakeClock();
	const { calls, handlers } = recordingHandlers();
	const options: ConnectionOptions = {
		url: URL_WSS,
		WebSocketImpl: FakeSocket,
		now: clock.now,
		setTimer: clock.setTimer,
		clearTimer: clock.clearTimer,
		random: () => 0.5,
		...over
	};
	const conn = new WsConnection(options, handlers);
	return { clock, calls, conn };
}

/** Lets the current socket fail, then runs the backoff wait so the next one is created. */
function failAndRetry(clock: FakeClock, conn: WsConnection): number {
	FakeSocket.last.serverClose(1006);
	const delayMs = (conn.status.retryAt ?? NaN) - clock.time;
	clock.advance(delayMs);
	return delayMs;
}

afterEach(() => vi.restoreAllMocks());

describe('backoff', () => {
	it('grows by the factor within ±jitter and never exceeds the cap', () => {
		const backoff = resolveBackoff();
		for (let attempt = 1; attempt <= 40; attempt++) {
			const baseMs = Math.min(30_000, 500 * 2 ** (attempt - 1));
			for (const r of [0, 0.25, 0.5, 0.75, 0.999999]) {
				const delayMs = backoffDelayMs(attempt, backoff, () => r);
				expect(delayMs).toBeGreaterThanOrEqual(Math.floor(baseMs * 0.7));
				expect(delayMs).toBeLessThanOrEqual(Math.min(30_000, Math.ceil(baseMs * 1.3)));
			}
			expect(backoffDelayMs(attempt, backoff, () => 0.5)).toBe(baseMs);
		}
		expect(backoffDelayMs(1, backoff, () => 0)).toBe(350); // 500 − 30 %
		expect(backoffDelayMs(1, backoff, () => 0.999999)).toBe(650); // 500 + 30 %
		expect(backoffDelayMs(2000, backoff, () => 0.999999)).toBe(30_000); // capped, no Infinity
	});

	it('waits exactly the backoff delay between failed attempts, doubling up to the cap', () => {
		const { clock, conn } = setup();
		conn.open();
		const delays: number[] = [];
		for (let i = 0; i < 9; i++) {
			const before = FakeSocket.sockets.length;
			FakeSocket.last.serverClose(1006);
			const delayMs = (conn.status.retryAt ?? NaN) - clock.time;
			clock.advance(delayMs - 1);
			expect(FakeSocket.sockets.length).toBe(before); // not a millisecond early
			clock.advance(1);
			expect(FakeSocket.sockets.length).toBe(before + 1);
			delays.push(delayMs);
		}
		expect(delays).toEqual([500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
		expect(conn.status.attempts).toBe(9);
	});

	it('resets after a connection stays up for healthyMs, not before', () => {
		for (const [upMs, expectedAttempts] of [
			[10_000, 1],
			[9_999, 5]
		]) {
			const { clock, conn } = setup();
			conn.open();
			for (let i = 0; i < 4; i++) failAndRetry(clock, conn);
			expect(conn.status.attempts).toBe(4);
			FakeSocket.last.serverOpen();
			clock.advance(upMs);
			FakeSocket.last.serverClose(1006);
			expect(conn.status.attempts).toBe(expectedAttempts);
			const delayMs = (conn.status.retryAt ?? NaN) - clock.time;
			expect(delayMs).toBe(500 * 2 ** (expectedAttempts - 1));
		}
	});
});

describe('WsConnection', () => {
	it('asks for array buffers and re-sends every subscribe message after each reconnect', () => {
		const { clock, conn } = setup({ subscribe: ['{"op":"sub","ch":"a"}', '{"op":"sub","ch":"b"}'] });
		conn.open();
		for (let i = 0; i < 3; i++) {
			const socket = FakeSocket.last;
			expect(socket.binaryType).toBe('arraybuffer');
			expect(socket.sent).toEqual([]); // not before the socket is open
			socket.serverOpen();
			expect(socket.sent).toEqual(['{"op":"sub","ch":"a"}', '{"op":"sub","ch":"b"}']);
			failAndRetry(clock, conn);
		}
		expect(FakeSocket.sockets).toHaveLength(4);
	});

	it('closes a silent live feed after staleMs and reconnects', () => {
		const { clock, conn, calls } = setup({ staleMs: 30_000 });
		conn.open();
		const first = FakeSocket.last;
		first.serverOpen();
		clock.advance(10_000);
		first.serverSend('a');
		clock.advance(10_000);
		first.serverSend('b'); // last data at +20 s: stale at +50 s
		clock.advance(29_999);
		expect(first.closedWith).toBeNull();
		clock.advance(1);
		expect(first.closedWith).toBe(1000);
		const stale = calls.statuses.find((status) => status.stale);
		expect(stale?.state).toBe('live');
		expect(conn.status).toMatchObject({
			state: 'reconnecting',
			reason: 'no message for 30 s: reconnecting',
			stale: false
		});
		clock.advance(500);
		expect(FakeSocket.sockets).toHaveLength(2);
	});

	it('without a fixed staleMs, a silent feed is stale after max(3 × its median gap, 10 s)', () => {
		// A fast ticker (a message every 100 ms): stale 10 s after its last message, not 30.
		const fast = setup();
		fast.conn.open();
		FakeSocket.last.serverOpen();
		for (let k = 0; k < 50; k++) {
			FakeSocket.last.serverSend('x');
			fast.clock.advance(100);
		}
		const lastAt = fast.conn.status.lastMessageAt!;
		fast.clock.advance(9_500 - (fast.clock.time - lastAt));
		expect(fast.conn.status.state).toBe('live');
		fast.clock.advance(600);
		expect(fast.calls.statuses.some((status) => status.stale)).toBe(true);
		expect(fast.conn.status.state).toBe('reconnecting');

		// A slow sensor (every 20 s): still live after 50 s of silence, stale after 60 s.
		const slow = setup();
		slow.conn.open();
		FakeSocket.last.serverOpen();
		for (let k = 0; k < 12; k++) {
			FakeSocket.last.serverSend('y');
			slow.clock.advance(20_000);
		}
		// 20 s have passed since the last message already.
		slow.clock.advance(30_000);
		expect(slow.conn.status.state).toBe('live');
		slow.clock.advance(10_500);
		expect(slow.conn.status.state).toBe('reconnecting');
		expect(slow.conn.status.reason).toMatch(/no message for 60 s/);
	});

	it('gives up on a connect the server never answers after staleMs', () => {
		const { clock, conn } = setup({ staleMs: 5_000 });
		conn.open();
		clock.advance(5_000);
		expect(FakeSocket.sockets[0].closedWith).toBe(1000);
		expect(conn.status.reason).toBe('no answer from the server within 5 s');
	});

	it('close() never reconnects and leaves no timers, whatever the state', () => {
		const phases: ((clock: FakeClock, conn: WsConnection) => void)[] = [
			() => {}, // connecting
			() => FakeSocket.last.serverOpen(), // live
			() => FakeSocket.last.serverClose(1006) // waiting to retry
		];
		for (const phase of phases) {
			const { clock, conn, calls } = setup();
			conn.open();
			phase(clock, conn);
			const socket = FakeSocket.last;
			conn.close();
			expect(clock.pending).toBe(0);
			expect(conn.status).toMatchObject({ state: 'closed', reason: 'you closed the connection' });
			socket.serverClose(1006); // a late close event from the old socket changes nothing
			clock.advance(10 * 60_000);
			expect(FakeSocket.sockets).toHaveLength(1);
			expect(calls.statuses.at(-1)?.state).toBe('closed');
		}
	});

	it('reports a gap from the last message to the first message after reconnecting', () => {
		const { clock, conn, calls } = setup();
		conn.open();
		FakeSocket.last.serverOpen();
		FakeSocket.last.serverSend('a');
		const lastMessageAt = clock.time;
		clock.advance(2_000);
		failAndRetry(clock, conn); // dropped; the first retry fails too
		failAndRetry(clock, conn);
		FakeSocket.last.serverOpen();
		clock.advance(300);
		expect(calls.gaps).toEqual([]); // open until data flows again
		FakeSocket.last.serverSend('b');
		expect(calls.gaps).toEqual([{ from: lastMessageAt, to: clock.time }]);
		FakeSocket.last.serverSend('c');
		expect(calls.gaps).toHaveLength(1);
		expect(conn.status.messages).toBe(3);
	});

	it('starts a gap at the disconnect when no message came, and ends it on close()', () => {
		const { clock, conn, calls } = setup();
		conn.open();
		failAndRetry(clock, conn); // a failed first connect is no gap
		FakeSocket.last.serverOpen();
		clock.advance(1_000);
		const droppedAt = clock.time;
		FakeSocket.last.serverClose(1011);
		clock.advance(200);
		expect(calls.gaps).toEqual([]);
		conn.close();
		expect(calls.gaps).toEqual([{ from: droppedAt, to: droppedAt + 200 }]);
	});

	it('rejects addresses that are not ws:// or wss:// with a plain reason, without throwing', () => {
		for (const url of ['http://feed.test/stream', 'feed.test/stream', '', 'wss//feed.test']) {
			const { clock, conn, calls } = setup({ url });
			expect(() => conn.open()).not.toThrow();
			expect(conn.status.state).toBe('closed');
			expect(conn.status.reason).toMatch(/ws:\/\/|wss:\/\//);
			expect(calls.statuses).toHaveLength(1);
			expect(FakeSocket.sockets).toHaveLength(0);
			expect(clock.pending).toBe(0);
		}
	});

	it('keeps counting when a handler throws', () => {
		vi.spyOn(console, 'error').mockImplementation(() => {});
		const clock = new FakeClock();
		const { now, setTimer, clearTimer } = clock;
		const throwing = new WsConnection(
			{ url: URL_WSS, WebSocketImpl: FakeSocket, now, setTimer, clearTimer },
			{
				message: () => {
					throw new Error('message');
				},
				status: () => {
					throw new Error('status');
				},
				gap: () => {
					throw new Error('gap');
				}
			}
		);
		expect(() => throwing.open()).not.toThrow();
		FakeSocket.last.serverOpen();
		FakeSocket.last.serverSend('héllo');
		FakeSocket.last.serverSend(new ArrayBuffer(8));
		expect(throwing.status).toMatchObject({ state: 'live', messages: 2, bytes: 6 + 8 }); // é is 2 bytes
		throwing.close();
		expect(clock.pending).toBe(0);
	});

	it('retries when the WebSocket constructor throws', () => {
		const { conn } = setup({
			WebSocketImpl: class {
				constructor() {
					throw new SyntaxError('bad port');
				}
			} as unknown as ConnectionOptions['WebSocketImpl']
		});
		expect(() => conn.open()).not.toThrow();
		expect(conn.status).toMatchObject({ state: 'reconnecting', attempts: 1 });
		expect(conn.status.reason).toContain('bad port');
	});
});

describe('mixedContentProblem', () => {
	it('explains why ws:// cannot be opened from an https:// page and what to do', () => {
		const problem = mixedContentProblem('https:', 'ws://feed.test/stream');
		expect(problem).toMatch(/block/);
		expect(problem).toContain('wss://');
		expect(problem).toContain('http://');
		expect(mixedContentProblem('https', 'WS://feed.test')).toBe(problem);
	});

	it('has nothing to say about wss:// or an http:// page', () => {
		expect(mixedContentProblem('https:', 'wss://feed.test/stream')).toBeNull();
		expect(mixedContentProblem('http:', 'ws://feed.test/stream')).toBeNull();
	});
});
