import type { BackoffOptions } from './backoff';

export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'closed';

export interface ConnectionStatus {
	state: ConnectionState;
	/** Why the last connection ended, in plain words. */
	reason: string | null;
	/** When the next attempt starts (epoch ms), while reconnecting. */
	retryAt: number | null;
	/** Consecutive failed attempts; reset once a connection stays up for `healthyMs`. */
	attempts: number;
	/** Frames received since created. */
	messages: number;
	/** UTF-8 bytes of text frames plus bytes of binary frames. */
	bytes: number;
	connectedAt: number | null;
	lastMessageAt: number | null;
	/** Silent for longer than staleMs while 'live'. */
	stale: boolean;
}

/** Method syntax keeps handler parameters bivariant, so the DOM WebSocket and `ws` both fit. */
type Listener<E> = { bivarianceHack(event: E): void }['bivarianceHack'];

/** The part of the WebSocket API used here, met by the browser's WebSocket and by `ws`. */
export interface WebSocketLike {
	binaryType: string;
	onopen: Listener<unknown> | null;
	onmessage: Listener<{ data: unknown }> | null;
	onclose: Listener<{ code: number; reason: string }> | null;
	onerror: Listener<unknown> | null;
	send(data: string): void;
	close(code?: number, reason?: string): void;
}

export interface ConnectionOptions {
	url: string;
	/** Sent after every (re)connect, e.g. a subscribe JSON. */
	subscribe?: string | string[];
	/** A live feed silent this long (or a connect unanswered this long) is dropped and retried. */
	staleMs?: number;
	backoff?: BackoffOptions;
	/** Injected for tests: the WebSocket constructor, clock, timers and random source. */
	WebSocketImpl?: new (url: string) => WebSocketLike;
	now?: () => number;
	setTimer?: (fn: () => void, ms: number) => unknown;
	clearTimer?: (handle: unknown) => void;
	random?: () => number;
}

export interface ConnectionHandlers {
	message(data: string | ArrayBuffer, arrival: number): void;
	/** On every state change; `WsConnection.status` has the live counters in between. */
	status(status: ConnectionStatus): void;
	/** No data from `from` (last message or disconnect time) until the first message after reconnecting. */
	gap(from: number, to: number): void;
}
