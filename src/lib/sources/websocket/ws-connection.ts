import { backoffDelayMs, resolveBackoff } from './backoff';
import { closeText, errorText, urlProblem, utf8Bytes } from './connection-text';
import type {
	ConnectionHandlers,
	ConnectionOptions,
	ConnectionStatus,
	WebSocketLike
} from './connection-types';

export type {
	ConnectionHandlers,
	ConnectionOptions,
	ConnectionState,
	ConnectionStatus,
	WebSocketLike
} from './connection-types';
export { mixedContentProblem } from './mixed-content';

/** 30 s: quiet markets can pause for seconds, but a feed silent this long is almost surely dead. */
const STALE_MS = 30_000;
/**
 * Without a fixed staleMs, a live feed is stale after max(3 × its median gap between messages,
 * MIN_STALE_MS): a ticker sending every 100 ms is caught within 10 s, one sending every 20 s
 * within a minute. Until GAP_SAMPLES_NEEDED gaps are known, STALE_MS applies.
 */
const MIN_STALE_MS = 10_000;
const STALE_GAPS = 3;
const GAP_RING = 32;
const GAP_SAMPLES_NEEDED = 8;
/** 1000 = normal closure: tells the server we left on purpose. */
const CLOSE_NORMAL = 1000;

export class WsConnection {
	readonly #options: ConnectionOptions;
	readonly #handlers: ConnectionHandlers;
	readonly #backoff: ReturnType<typeof resolveBackoff>;
	readonly #staleMs: number;
	/** Set when the caller fixed the stale limit; otherwise it follows the feed's own pace. */
	readonly #fixedStale: boolean;
	/** The last GAP_RING gaps between messages, ms. */
	readonly #gaps = new Float64Array(GAP_RING);
	#gapCount = 0;
	readonly #now: () => number;
	readonly #setTimer: (fn: () => void, ms: number) => unknown;
	readonly #clearTimer: (handle: unknown) => void;
	#status: ConnectionStatus = {
		state: 'closed',
		reason: null,
		retryAt: null,
		attempts: 0,
		messages: 0,
		bytes: 0,
		connectedAt: null,
		lastMessageAt: null,
		stale: false
	};
	#socket: WebSocketLike | null = null;
	#retryTimer: unknown = null;
	#watchdogTimer: unknown = null;
	/** Start of the open gap (epoch ms) since the last disconnect, null while none is open. */
	#gapFrom: number | null = null;
	/** Last message since open(): one from before the person closed does not start a gap. */
	#lastDataAt: number | null = null;
	/** A failed first connect is no disconnection: gaps count only once data could flow. */
	#wasLive = false;

	constructor(options: ConnectionOptions, handlers: ConnectionHandlers) {
		this.#options = options;
		this.#handlers = handlers;
		this.#backoff = resolveBackoff(options.backoff);
		this.#staleMs = options.staleMs ?? STALE_MS;
		this.#fixedStale = options.staleMs !== undefined;
		this.#now = options.now ?? Date.now;
		this.#setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
		this.#clearTimer =
			options.clearTimer ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>));
	}

	get status(): ConnectionStatus {
		return { ...this.#status };
	}

	/** Starts connecting; does nothing while already connecting, live or waiting to retry. */
	open(): void {
		if (this.#status.state !== 'closed') return;
		const problem = urlProblem(this.#options.url);
		if (problem) return this.#update({ state: 'closed', reason: problem, retryAt: null });
		this.#status.attempts = 0;
		this.#lastDataAt = null;
		this.#wasLive = false;
		this.#connect('connecting');
	}

	/** Closed by the person: never reconnects, cancels every timer, closes any open gap. */
	close(): void {
		if (this.#status.state === 'closed') return;
		this.#cancelTimers();
		this.#dropSocket(CLOSE_NORMAL);
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
		let socket: WebSocketLike;
		try {
			socket = new (this.#options.WebSocketImpl ?? defaultWebSocket())(this.#options.url);
		} catch (err) {
			this.#update({ state, retryAt: null });
			return this.#disconnected(`the connection could not be started (${errorText(err)})`);
		}
		this.#socket = socket;
		socket.binaryType = 'arraybuffer';
		// Events from a socket already given up on (stale, closed) must not touch the new one.
		socket.onopen = () => this.#socket === socket && this.#opened();
		socket.onmessage = (event) => this.#socket === socket && this.#received(event.data);
		socket.onclose = (event) =>
			this.#socket === socket && this.#disconnected(closeText(event, this.#status.connectedAt !== null));
		// An error is always followed by close, which carries the code; nothing to do here.
		socket.onerror = () => {};
		this.#update({ state, retryAt: null });
		this.#armWatchdog(this.#now());
	}

	#opened(): void {
		const now = this.#now();
		const subscribe = this.#options.subscribe ?? [];
		for (const message of typeof subscribe === 'string' ? [subscribe] : subscribe) {
			try {
				this.#socket?.send(message);
			} catch (err) {
				console.error('WsConnection: subscribe message not sent', err);
			}
		}
		this.#wasLive = true;
		this.#update({ state: 'live', connectedAt: now, stale: false });
		this.#armWatchdog(now);
	}

	#received(data: unknown): void {
		const arrival = this.#now();
		const text = typeof data === 'string';
		if (!text && !(data instanceof ArrayBuffer)) return;
		this.#closeGap(arrival);
		const status = this.#status;
		status.messages++;
		status.bytes += text ? utf8Bytes(data) : data.byteLength;
		if (status.lastMessageAt !== null && status.state === 'live') this.#gaps[this.#gapCount++ % GAP_RING] = arrival - status.lastMessageAt;
		status.lastMessageAt = this.#lastDataAt = arrival;
		// Once the feed's pace is known (and now and then after), the watchdog follows it: it was
		// armed for the slower default and would otherwise wake too late the first time.
		if (!this.#fixedStale && (this.#gapCount === GAP_SAMPLES_NEEDED || this.#gapCount % 1024 === 0) && status.state === 'live') {
			this.#armWatchdog(arrival);
		}
		status.stale = false;
		try {
			this.#handlers.message(data, arrival);
		} catch (err) {
			console.error('WsConnection: message handler failed', err);
		}
	}

	/**
	 * One timer for both a connect that never answers and a live feed gone silent. It is not
	 * re-armed per message (that would be a timer per tick): it wakes at the earliest moment the
	 * feed could be stale and re-arms for the remainder if a message came in meanwhile.
	 */
	#armWatchdog(since: number): void {
		if (this.#watchdogTimer !== null) this.#clearTimer(this.#watchdogTimer);
		const waitMs = Math.max(0, since + this.#staleLimit() - this.#now());
		this.#watchdogTimer = this.#setTimer(() => this.#watchdog(), waitMs);
	}

	#watchdog(): void {
		this.#watchdogTimer = null;
		const { state, connectedAt, lastMessageAt } = this.#status;
		const since = Math.max(connectedAt ?? 0, lastMessageAt ?? 0);
		const limit = state === 'live' ? this.#staleLimit() : this.#staleMs;
		if (state === 'live' && this.#now() - since < limit) return this.#armWatchdog(since);
		const seconds = Math.round(limit / 1000);
		if (state === 'live') this.#update({ stale: true });
		this.#dropSocket(CLOSE_NORMAL);
		this.#disconnected(
			state === 'live'
				? `no message for ${seconds} s: reconnecting`
				: `no answer from the server within ${seconds} s`
		);
	}

	/** How long a live feed may stay silent before it counts as stale (see MIN_STALE_MS). */
	#staleLimit(): number {
		if (this.#fixedStale || this.#status.state !== 'live' || this.#gapCount < GAP_SAMPLES_NEEDED) return this.#staleMs;
		const n = Math.min(this.#gapCount, GAP_RING);
		const sorted = this.#gaps.slice(0, n).sort();
		return Math.max(MIN_STALE_MS, STALE_GAPS * sorted[n >> 1]);
	}

	#disconnected(reason: string): void {
		const now = this.#now();
		this.#socket = null;
		this.#cancelTimers();
		if (this.#wasLive) this.#gapFrom ??= this.#lastDataAt ?? now;
		const connectedAt = this.#status.connectedAt;
		const healthy = connectedAt !== null && now - connectedAt >= this.#backoff.healthyMs;
		const attempts = healthy ? 1 : this.#status.attempts + 1;
		const delayMs = backoffDelayMs(attempts, this.#backoff, this.#options.random ?? Math.random);
		this.#retryTimer = this.#setTimer(() => this.#connect('reconnecting'), delayMs);
		this.#update({
			state: 'reconnecting',
			reason,
			retryAt: now + delayMs,
			attempts,
			connectedAt: null,
			stale: false
		});
	}

	#dropSocket(code: number): void {
		const socket = this.#socket;
		this.#socket = null;
		if (!socket) return;
		socket.onopen = socket.onmessage = socket.onclose = null;
		// Left as a no-op, not null: `ws` emits 'error' when closed mid-handshake and would throw.
		socket.onerror = () => {};
		try {
			socket.close(code);
		} catch (err) {
			console.error('WsConnection: close failed', err);
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
			console.error('WsConnection: gap handler failed', err);
		}
	}

	#update(change: Partial<ConnectionStatus>): void {
		Object.assign(this.#status, change);
		try {
			this.#handlers.status({ ...this.#status });
		} catch (err) {
			console.error('WsConnection: status handler failed', err);
		}
	}
}

function defaultWebSocket(): new (url: string) => WebSocketLike {
	if (typeof WebSocket === 'undefined') throw new Error('this runtime has no WebSocket');
	return WebSocket;
}
