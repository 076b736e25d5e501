import type { Engine } from './engine';
import { LiveTap, type LiveBatch } from './live-tap';
import type { EngineSettings, EngineStats } from './types';

/** How often the recording tab sends mirrors what is new (and says it is alive). */
export const LIVE_INTERVAL_MS = 100;
/** Without mirrors it only says it is alive, this often. */
export const BEAT_INTERVAL_MS = 500;
/** A mirror says it is there this often; the leader copies ticks only while one has lately. */
export const HELLO_INTERVAL_MS = 1000;
const MIRROR_GONE_MS = 3 * HELLO_INTERVAL_MS;

/** What goes over the tabs' BroadcastChannel. */
export type LinkMessage =
	| { type: 'beat'; from: string }
	| {
			type: 'live';
			from: string;
			batch: LiveBatch;
			stats: EngineStats;
			activeSeries: number[];
			settingsVersion: number;
			settings: EngineSettings;
	  }
	| { type: 'hello'; from: string }
	| { type: 'call'; from: string; id: number; method: string; args: unknown[] }
	| { type: 'reply'; to: string; id: number; ok: true; value: unknown }
	| { type: 'reply'; to: string; id: number; ok: false; error: string };

/** The channel all tabs of one history share. */
export function linkChannelName(dbName: string | undefined): string {
	return `tickscope-live:${dbName ?? 'tickscope'}`;
}

/** Engine calls a mirroring tab may ask the recording tab to make for it. */
export type Handler = (...args: never[]) => unknown;

/**
 * The recording tab's side: sends live ticks, flags, stats and settings to mirroring tabs (only
 * while some are there: without them the engine copies nothing), and runs the calls they make.
 */
export class LeaderLink {
	private readonly channel: BroadcastChannel;
	private readonly tap = new LiveTap();
	private mirrorSeenAt = -Infinity;
	private timer: ReturnType<typeof setInterval>;
	private lastBeat = 0;

	constructor(
		private readonly engine: Engine,
		channelName: string,
		private readonly tabId: string,
		private readonly handlers: Record<string, Handler>
	) {
		this.channel = new BroadcastChannel(channelName);
		this.channel.onmessage = (event: MessageEvent<LinkMessage>) => this.receive(event.data);
		this.timer = setInterval(() => this.send(), LIVE_INTERVAL_MS);
		this.post({ type: 'beat', from: tabId });
	}

	close(): void {
		clearInterval(this.timer);
		this.engine.setTap(null);
		this.channel.close();
	}

	private receive(message: LinkMessage): void {
		if (message.type === 'hello') {
			if (this.mirrorSeenAt === -Infinity || Date.now() - this.mirrorSeenAt > MIRROR_GONE_MS) this.engine.setTap(this.tap);
			this.mirrorSeenAt = Date.now();
		} else if (message.type === 'call') {
			void this.answer(message);
		}
	}

	private async answer(call: Extract<LinkMessage, { type: 'call' }>): Promise<void> {
		const handler = Object.hasOwn(this.handlers, call.method) ? this.handlers[call.method] : undefined;
		try {
			if (!handler) throw new Error(`unknown call ${call.method}`);
			const value = await (handler as (...args: unknown[]) => unknown)(...call.args);
			this.post({ type: 'reply', to: call.from, id: call.id, ok: true, value });
		} catch (error) {
			this.post({ type: 'reply', to: call.from, id: call.id, ok: false, error: error instanceof Error ? error.message : String(error) });
		}
	}

	private send(): void {
		const now = Date.now();
		if (now - this.mirrorSeenAt > MIRROR_GONE_MS) {
			// Nobody mirrors: copy nothing, and only say this tab is alive.
			if (this.mirrorSeenAt !== -Infinity) {
				this.engine.setTap(null);
				this.tap.drain();
				this.mirrorSeenAt = -Infinity;
			}
			if (now - this.lastBeat >= BEAT_INTERVAL_MS) this.post({ type: 'beat', from: this.tabId });
			return;
		}
		const { version, settings } = this.engine.currentSettings();
		this.post({
			type: 'live',
			from: this.tabId,
			batch: this.tap.drain(),
			stats: this.engine.stats(),
			activeSeries: this.engine.activeIds(),
			settingsVersion: version,
			settings
		});
	}

	private post(message: LinkMessage): void {
		this.lastBeat = Date.now();
		this.channel.postMessage(message);
	}
}

/** A call to the recording tab did not come back in time (it may be frozen or closing). */
export class NoLeaderError extends Error {
	override readonly name = 'NoLeaderError';
	constructor(method: string) {
		super(`the tab that records did not answer (${method})`);
	}
}

/**
 * A mirroring tab's side: receives what the recording tab sends, says it is there, makes calls,
 * and notices when the recording tab falls silent (closed tabs release the lock; frozen ones do not).
 */
export class MirrorLink {
	private readonly channel: BroadcastChannel;
	private readonly timer: ReturnType<typeof setInterval>;
	private nextCall = 1;
	private readonly calls = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
	/** When the recording tab was last heard from (or when this link started). */
	heardAt = Date.now();

	constructor(
		channelName: string,
		private readonly tabId: string,
		private readonly onLive: (message: Extract<LinkMessage, { type: 'live' }>) => void
	) {
		this.channel = new BroadcastChannel(channelName);
		this.channel.onmessage = (event: MessageEvent<LinkMessage>) => this.receive(event.data);
		const hello = () => this.channel.postMessage({ type: 'hello', from: tabId } satisfies LinkMessage);
		hello();
		this.timer = setInterval(hello, HELLO_INTERVAL_MS);
	}

	/** Runs `method` in the recording tab; rejects with NoLeaderError after `timeoutMs`. */
	call<T>(method: string, args: unknown[], timeoutMs = 5000): Promise<T> {
		const id = this.nextCall++;
		return new Promise<T>((resolve, reject) => {
			const timer = setTimeout(() => {
				this.calls.delete(id);
				reject(new NoLeaderError(method));
			}, timeoutMs);
			this.calls.set(id, {
				resolve: (value) => {
					clearTimeout(timer);
					resolve(value as T);
				},
				reject: (error) => {
					clearTimeout(timer);
					reject(error);
				}
			});
			this.channel.postMessage({ type: 'call', from: this.tabId, id, method, args } satisfies LinkMessage);
		});
	}

	close(): void {
		clearInterval(this.timer);
		this.channel.close();
		for (const call of this.calls.values()) call.reject(new Error('this tab stopped mirroring'));
		this.calls.clear();
	}

	private receive(message: LinkMessage): void {
		if (message.type === 'beat' || message.type === 'live') this.heardAt = Date.now();
		if (message.type === 'live') this.onLive(message);
		else if (message.type === 'reply' && message.to === this.tabId) {
			const call = this.calls.get(message.id);
			if (!call) return;
			this.calls.delete(message.id);
			if (message.ok) call.resolve(message.value);
			else call.reject(new Error(message.error));
		}
	}
}
