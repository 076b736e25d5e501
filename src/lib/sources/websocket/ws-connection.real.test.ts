import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { recordingHandlers } from './fake-web-socket';
import { WsConnection } from './ws-connection';

/** Server restarts to survive; each one drops the client without a close frame (code 1006). */
const RESTARTS = 4;
/** Numbered ticks the server sends after each subscribe. */
const TICKS_PER_CONNECTION = 5;

let server: WebSocketServer | null = null;
let conn: WsConnection | null = null;

afterEach(async () => {
	conn?.close();
	await stop();
});

/** Sends TICKS_PER_CONNECTION numbered ticks (numbers never reused) plus one binary frame per subscribe. */
async function start(port: number, next: { seq: number }): Promise<number> {
	server = new WebSocketServer({ port, host: '127.0.0.1' });
	server.on('connection', (socket) => {
		socket.on('message', (data) => {
			if (data.toString() !== '{"op":"subscribe"}') return;
			for (let i = 0; i < TICKS_PER_CONNECTION; i++) socket.send(JSON.stringify({ seq: next.seq++ }));
			socket.send(new Uint8Array([1, 2, 3]));
		});
	});
	await once(server, 'listening');
	return (server.address() as AddressInfo).port;
}

/** Kills the server: clients are cut without a close handshake, as when a process dies. */
async function stop(): Promise<void> {
	if (!server) return;
	for (const client of server.clients) client.terminate();
	await new Promise((resolve) => server?.close(resolve));
	server = null;
}

async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline) throw new Error('timed out');
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
}

it('comes back after every restart of a real server, without duplicate messages', async () => {
	const next = { seq: 0 };
	const port = await start(0, next);
	const { calls, handlers } = recordingHandlers();
	conn = new WsConnection(
		{
			url: `ws://127.0.0.1:${port}/`,
			subscribe: '{"op":"subscribe"}',
			WebSocketImpl: WebSocket,
			backoff: { initialMs: 20, maxMs: 200 }
		},
		handlers
	);
	conn.open();
	const perConnection = TICKS_PER_CONNECTION + 1;
	for (let round = 1; round <= RESTARTS + 1; round++) {
		await until(() => calls.messages.length === round * perConnection);
		expect(conn.status.state).toBe('live');
		if (round > RESTARTS) break;
		await stop();
		await until(() => conn?.status.state === 'reconnecting');
		await new Promise((resolve) => setTimeout(resolve, 100)); // let a retry or two fail while down
		await start(port, next);
	}
	const text = calls.messages.flatMap(({ data }) => (typeof data === 'string' ? [data] : []));
	const seqs = text.map((data) => (JSON.parse(data) as { seq: number }).seq);
	expect(seqs).toEqual([...Array((RESTARTS + 1) * TICKS_PER_CONNECTION).keys()]);
	const binary = calls.messages.filter(({ data }) => data instanceof ArrayBuffer);
	expect(binary).toHaveLength(RESTARTS + 1);
	expect(conn.status.messages).toBe(calls.messages.length);
	expect(conn.status.bytes).toBe(
		text.reduce((sum, data) => sum + data.length, 0) + 3 * binary.length
	);
	expect(calls.gaps).toHaveLength(RESTARTS);
	for (const gap of calls.gaps) expect(gap.to).toBeGreaterThanOrEqual(gap.from + 100);
	expect(calls.statuses.filter((status) => status.state === 'live')).toHaveLength(RESTARTS + 1);
});
