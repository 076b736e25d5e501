/**
 * The browser's storage manager, where there is one. No Dexie here: the page may import this
 * module (persist() exists only on the window, not in workers).
 */

export interface BrowserStorage {
	/** Bytes the origin uses and may use, as the browser reports them (null where it cannot). */
	usage: number | null;
	quota: number | null;
	/** Whether the browser promised not to evict this origin's data (null: unknown). */
	persisted: boolean | null;
}

type Manager = Partial<Pick<StorageManager, 'estimate' | 'persist' | 'persisted'>>;

function manager(): Manager | undefined {
	return (globalThis as { navigator?: { storage?: Manager } }).navigator?.storage;
}

/** navigator.storage.estimate() and persisted(), each null where missing or failing. */
export async function browserStorage(storage: Manager | undefined = manager()): Promise<BrowserStorage> {
	const [estimate, persisted] = await Promise.all([
		storage?.estimate?.call(storage).catch(() => undefined),
		storage?.persisted?.call(storage).catch(() => null) ?? null
	]);
	return { usage: estimate?.usage ?? null, quota: estimate?.quota ?? null, persisted };
}

/**
 * Asks the browser to keep this origin's data under storage pressure (navigator.storage.persist()).
 * Resolves to whether it is persisted now; null where the API is missing (workers, Node, old
 * browsers). Chromium grants or refuses silently from site engagement; Firefox may ask the person.
 */
export async function requestPersistence(storage: Manager | undefined = manager()): Promise<boolean | null> {
	if (!storage) return null;
	try {
		if (await storage.persisted?.call(storage)) return true;
		if (!storage.persist) return storage.persisted ? false : null;
		return await storage.persist.call(storage);
	} catch {
		return null;
	}
}
