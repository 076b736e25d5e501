/** Name of the Web Lock held by the one tab that runs the sources and writes the history. */
export const HISTORY_LOCK = 'tickscope-history';
/** Held for a moment by the one mirroring tab that steals from a silent leader. */
const SUCCESSOR_LOCK = 'tickscope-history-successor';

export interface LockEvents {
	/** This tab holds the lock now: it should run the engine. */
	acquired(): void;
	/** Another tab stole the lock: this tab must stop writing at once and mirror that tab. */
	lost(): void;
}

/**
 * The history lock of one worker. A tab asks for it and waits in the queue for as long as it
 * lives, so when the tab that has it closes, the next tab in line gets it by itself. A tab can
 * also take it (`steal`): from a frozen tab that no longer answers, or when the person says so.
 * Where Web Locks do not exist (Node under tests) the caller simply holds it.
 */
export class HistoryLock {
	held = false;
	private waiting: AbortController | null = null;
	private release: (() => void) | null = null;
	/** Numbers requests, so a stale request's outcome is ignored. */
	private request = 0;

	constructor(private readonly events: LockEvents) {}

	/** Joins the queue (no-op while holding or already queued). */
	queue(): void {
		if (this.held || this.waiting) return;
		const locks = webLocks();
		if (!locks) {
			this.grant();
			return;
		}
		this.waiting = new AbortController();
		this.ask(locks, { signal: this.waiting.signal });
	}

	/** Takes the lock from whoever has it; they get `lost`. */
	steal(): void {
		if (this.held) return;
		const locks = webLocks();
		if (!locks) {
			this.grant();
			return;
		}
		this.waiting?.abort();
		this.waiting = null;
		this.ask(locks, { steal: true });
	}

	/**
	 * Steals only if no other mirroring tab is already doing so: of several tabs that notice a
	 * silent leader at once, exactly one takes over. Resolves to whether this tab did.
	 */
	async stealOnce(): Promise<boolean> {
		const locks = webLocks();
		if (!locks) {
			this.grant();
			return true;
		}
		return locks.request(SUCCESSOR_LOCK, { ifAvailable: true }, async (lock) => {
			if (!lock || this.held) return false;
			this.steal();
			// Held until this tab has the history lock, so a second successor cannot start meanwhile.
			await new Promise<void>((resolve) => setTimeout(resolve, 1000));
			return true;
		});
	}

	/** Lets go of the lock (or leaves the queue). */
	dispose(): void {
		this.request++;
		this.waiting?.abort();
		this.waiting = null;
		this.release?.();
		this.release = null;
		this.held = false;
	}

	private ask(locks: LockManager, options: LockOptions): void {
		const request = ++this.request;
		let granted = false;
		locks
			.request(HISTORY_LOCK, options, (lock) => {
				if (!lock || request !== this.request) return undefined;
				granted = true;
				this.waiting = null;
				this.grant();
				// Held until the worker ends (which releases it), dispose(), or another tab steals it.
				return new Promise<void>((resolve) => {
					this.release = resolve;
				});
			})
			.catch(() => {
				// Our own abort of a queued request, or a request superseded: nothing to do.
				if (!granted || request !== this.request) return;
				this.held = false;
				this.release = null;
				this.events.lost();
			});
	}

	private grant(): void {
		this.held = true;
		this.events.acquired();
	}
}

function webLocks(): LockManager | undefined {
	return (globalThis.navigator as Navigator | undefined)?.locks;
}
