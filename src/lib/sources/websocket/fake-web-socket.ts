import type { ConnectionHandlers, ConnectionStatus, WebSocketLike } from './connection-types';

/** A clock and timers driven by the test: nothing runs until `advance`. */
export class FakeClock {
	time = 1_000_000;
	#timers = new Map<number, { at: number; fn: () => void }>();
	#nextId = 1;

	now = (): number => this.time;

	setTimer = (fn: () => void, ms: number): unknown => {
		const id = this.#nextId++;
		this.#timers.set(id, { at: this.time + ms, fn });
		return id;
	};

	clearTimer = (handle: unknown): void => {
		this.#timers.delete(handle as number);
	};

	/** Timers still pending. */
	get pending(): number {
		return this.#timers.size;
	}

	/** Delay of the single pending timer that fires soonest. */
	get nextDelayMs(): number | null {
		const ats = [...this.#timers.values()].map((timer) => timer.at);
		return ats.length ? Math.min(...ats) - this.time : null;
	}

	/** Moves time forward, firing due timers in order (timers they set fire too if due). */
	advance(ms: number): void {
		const end = this.time + ms;
		for (;;) {
			let next: [number, { at: number; fn: () => void }] | null = null;
			for (const entry of this.#timers) if (!next || entry[1].at < next[1].at) next = entry;
			if (!next || next[1].at > end) break;
			this.#timers.delete(next[0]);
			this.time = Math.max(this.time, next[1].at);
			next[1].fn();
		}
		this.time = end;
	}
}

/** A WebSocket the test plays the server for; every instance is kept in `sockets`. */
export class FakeSocket implements WebSocketLike {
	static sockets: FakeSocket[] = [];
	binaryType = 'blob';
	onopen: WebSocketLike['onopen'] = null;
	onmessage: WebSocketLike['onmessage'] = null;
	onclose: WebSocketLike['onclose'] = null;
	onerror: WebSocketLike['onerror'] = null;
	sent: string[] = [];
	closedWith: number | null = null;

	constructor(readonly url: string) {
		FakeSocket.sockets.push(this);
	}

	static get last(): FakeSocket {
		return FakeSocket.sockets[FakeSocket.sockets.length - 1];
	}

	send(data: string): void {
		this.sent.push(data);
	}

	close(code?: number): void {
		this.closedWith = code ?? 1005;
	}

	serverOpen(): void {
		this.onopen?.({});
	}

	serverSend(data: string | ArrayBuffer): void {
		this.onmessage?.({ data });
	}

	/** The server or the network ends it: error then close, as browsers report it. */
	serverClose(code = 1006, reason = ''): void {
		this.onerror?.({});
		this.onclose?.({ code, reason });
	}
}

/** Handlers that record every call. */
export function recordingHandlers() {
	const calls = {
		messages: [] as { data: string | ArrayBuffer; arrival: number }[],
		statuses: [] as ConnectionStatus[],
		gaps: [] as { from: number; to: number }[]
	};
	const handlers: ConnectionHandlers = {
		message: (data, arrival) => calls.messages.push({ data, arrival }),
		status: (status) => calls.statuses.push(status),
		gap: (from, to) => calls.gaps.push({ from, to })
	};
	return { calls, handlers };
}
