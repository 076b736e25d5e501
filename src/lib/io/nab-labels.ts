import { parseTextTime } from './time-column';
import type { TimeWindow } from './tick-columns';

/**
 * Label windows for one imported file from a NAB `combined_windows.json`
 * (`{ "<category>/<file>.csv": [["YYYY-MM-DD HH:MM:SS.ffffff", "…"], …] }`).
 *
 * Not `parseNabWindowsJson` from the scorer: that one throws on the first malformed entry of any
 * file and copies every key into a plain object, where a `__proto__` key would set its
 * prototype. Here only the wanted entry is read, through own-property descriptors.
 */

export interface NabLabels {
	/** The key that matched the file name; null when none (or more than one) did. */
	key: string | null;
	/** Sorted by t0; inclusive at both ends, epoch ms (bounds read as UTC). */
	windows: TimeWindow[];
	/** Bound pairs skipped: not two time strings, or ending before they start. */
	rejectedCount: number;
	notes: string[];
}

/** The real file is ~20 kB; 16 Mi chars leaves room for any corpus of this layout. */
export const MAX_LABEL_FILE_CHARS = 1 << 24;
/** Windows per file; NAB has at most a handful. */
export const MAX_WINDOWS = 10_000;

function ownValue(object: object, key: string): unknown {
	return Object.getOwnPropertyDescriptor(object, key)?.value;
}

function baseName(path: string): string {
	return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}

/** The key for a file: exact (`realTraffic/speed_7578.csv`), else the one key with its base name. */
function findKey(labels: object, fileName: string, notes: string[]): string | null {
	if (Object.hasOwn(labels, fileName)) return fileName;
	const base = baseName(fileName);
	const matches = Object.keys(labels).filter((key) => baseName(key) === base);
	if (matches.length === 1) return matches[0];
	if (matches.length > 1) notes.push(`${matches.length} label entries end in "${base}"; give the full key.`);
	else notes.push(`No label entry for "${base}".`);
	return null;
}

/** Never throws: a broken file yields no windows and a note saying why. */
export function nabWindowsFor(labelsText: string, fileName: string): NabLabels {
	const result: NabLabels = { key: null, windows: [], rejectedCount: 0, notes: [] };
	const { notes } = result;
	if (labelsText.length > MAX_LABEL_FILE_CHARS) {
		notes.push(`Label file over ${MAX_LABEL_FILE_CHARS} chars; not read.`);
		return result;
	}
	let labels: unknown;
	try {
		labels = JSON.parse(labelsText);
	} catch {
		notes.push('Label file is not JSON.');
		return result;
	}
	if (typeof labels !== 'object' || labels === null || Array.isArray(labels)) {
		notes.push('Label file is not an object keyed by file name.');
		return result;
	}
	result.key = findKey(labels, fileName, notes);
	if (result.key === null) return result;
	const list = ownValue(labels, result.key);
	if (!Array.isArray(list)) {
		notes.push(`Label entry "${result.key}" is not a list of windows.`);
		return result;
	}
	for (const pair of list) {
		if (result.windows.length >= MAX_WINDOWS) {
			notes.push(`Only the first ${MAX_WINDOWS} windows are kept.`);
			break;
		}
		const ok = Array.isArray(pair) && pair.length === 2 && typeof pair[0] === 'string' && typeof pair[1] === 'string';
		// NAB writes bounds with a `.000000` fraction; the ISO reader takes any fraction.
		const t0 = ok ? parseTextTime(pair[0]) : NaN;
		const t1 = ok ? parseTextTime(pair[1]) : NaN;
		if (t0 !== t0 || t1 !== t1 || t1 < t0) result.rejectedCount++;
		else result.windows.push({ t0, t1 });
	}
	if (result.rejectedCount > 0) notes.push(`${result.rejectedCount} label windows skipped: bounds not two times in order.`);
	result.windows.sort((a, b) => a.t0 - b.t0 || a.t1 - b.t1);
	return result;
}
