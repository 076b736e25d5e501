/**
 * Which versions' hashed files the service worker keeps. Files under `_app/immutable/` are named
 * by their content, so one cache holds every version's copy and serving an old file is always
 * correct; what has to be decided is only when a version's files may go.
 */

/** One installed build: its id (SvelteKit's `version`) and its immutable files (absolute URLs). */
export interface VersionRecord {
	version: string;
	files: string[];
	/** Install order (ms since epoch); the record of an older worker migrated in counts as 0. */
	installedAt: number;
}

/**
 * Versions installed just before the active one that are always kept (1 = the previous one): a
 * tab still running it may lazy-load a chunk at any moment, even before it has told us its version.
 */
export const PREVIOUS_VERSIONS_KEPT = 1;

/**
 * The records to keep and to drop. Kept: the active version, the PREVIOUS_VERSIONS_KEPT installed
 * just before it, every version installed after it (waiting, or installing: its files are arriving),
 * and every version a window still runs. The worker then deletes every cached file no kept record
 * lists: a chunk shared with a kept version stays, and so does nothing a failed install left behind.
 */
export function planRetention(
	records: readonly VersionRecord[],
	active: string,
	inUse: ReadonlySet<string>
): { keep: VersionRecord[]; drop: VersionRecord[] } {
	const ordered = [...records].sort((a, b) => a.installedAt - b.installedAt);
	const at = ordered.findIndex((r) => r.version === active);
	// The active version has no record (should not happen): keep everything rather than guess.
	if (at < 0) return { keep: ordered, drop: [] };
	const keep: VersionRecord[] = [];
	const drop: VersionRecord[] = [];
	ordered.forEach((record, i) => {
		const kept = i >= at - PREVIOUS_VERSIONS_KEPT || inUse.has(record.version);
		(kept ? keep : drop).push(record);
	});
	return { keep, drop };
}

/** Adds or replaces the record of `record.version` (a reinstall of the same build keeps its place). */
export function upsertRecord(records: readonly VersionRecord[], record: VersionRecord): VersionRecord[] {
	const existing = records.find((r) => r.version === record.version);
	const merged = existing ? { ...record, installedAt: existing.installedAt } : record;
	return [...records.filter((r) => r.version !== record.version), merged];
}
