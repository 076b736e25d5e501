/** Name of the Web Lock that makes one tab at a time the owner of the history. */
export const HISTORY_LOCK = 'tickscope-history';
/**
 * How long a new page waits for the lock before saying another tab has it. A reload's old
 * worker can still hold it for a moment while the new page starts.
 */
const LOCK_WAIT_MS = 2000;

/**
 * Holds the history lock for as long as this worker lives. Two tabs writing one history would
 * interleave two simulations in it, so a second tab waits briefly and then gives up; it takes
 * over only when the person says so (`steal`), and the tab it was taken from gets `onLost`.
 * Where Web Locks do not exist (Node under tests) the caller simply owns the history.
 */
export function holdHistoryLock(takeOver: boolean, onLost: () => void): Promise<boolean> {
	const locks = (globalThis.navigator as Navigator | undefined)?.locks;
	if (!locks) return Promise.resolve(true);
	return new Promise<boolean>((resolve) => {
		const options: LockOptions = takeOver ? { steal: true } : { signal: AbortSignal.timeout(LOCK_WAIT_MS) };
		locks
			.request(HISTORY_LOCK, options, (lock) => {
				resolve(lock !== null);
				// Held until the worker ends (which releases it) or another tab steals it.
				return lock ? new Promise<void>(() => {}) : undefined;
			})
			.catch((error: unknown) => {
				const name = (error as { name?: string } | null)?.name;
				// Stolen by another tab.
				if (name === 'AbortError') onLost();
				// Still held by another tab when the wait ran out.
				if (name === 'TimeoutError') resolve(false);
			});
	});
}
