import { parsePath } from './field-path';

/** How a feed's frames become ticks; auto-detected or from a preset, then editable. */
export interface FeedMapping {
	/** json covers objects, arrays of objects and NDJSON (several JSON lines in one frame). */
	format: 'json' | 'csv' | 'number';
	/**
	 * Path to the records inside a JSON message. '' = the message is one record (a top-level
	 * array is a list of records); a path to an object (Binance `{stream, data}`) = one record.
	 */
	records: string;
	/**
	 * Timestamp path relative to a record, or to the whole message with a `$.` prefix;
	 * '' = arrival time. For csv any non-empty value means "the first column is the time".
	 */
	time: string;
	timeUnit: 'auto' | 's' | 'ms' | 'us' | 'ns' | 'iso';
	/** Paths whose values name the series (e.g. ['s'] → BTCUSDT); `$.` = from the message. */
	keys: string[];
	/** Numeric fields, one series each. For csv/number these are names for the columns. */
	values: string[];
	/** Boolean field used as ground truth (e.g. 'anomaly'). */
	truth?: string;
	/** Only messages whose `path` (from the message root) equals `equals` are decoded. */
	filter?: { path: string; equals: string };
}

/** A path resolved once, so the hot loop never re-splits strings. */
export interface FieldRef {
	/** `$.`-prefixed paths read from the message instead of the record. */
	fromRoot: boolean;
	segments: string[];
}

export interface CompiledMapping {
	format: FeedMapping['format'];
	records: string[];
	time: FieldRef | null;
	timeUnit: FeedMapping['timeUnit'];
	keys: FieldRef[];
	values: FieldRef[];
	/** Series-name suffix per value: the last segment, or the whole path when two collide. */
	valueNames: string[];
	truth: FieldRef | null;
	filter: { segments: string[]; equals: string } | null;
}

/** Longest series key; longer keys are cut (feeds can send arbitrarily long symbols). */
export const MAX_KEY_CHARS = 100;
/**
 * C0 and C1 control characters (invisible in the UI, unsafe in logs) and the invisible
 * formatting ones a feed could use to make one series' name look like another's: zero-width
 * characters, bidirectional overrides and isolates, the byte-order mark.
 */
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;
// eslint-disable-next-line no-control-regex
const HAS_CONTROL_CHAR = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/;
/** Name of a series whose value is the record itself (path ''), e.g. bare numbers. */
export const DEFAULT_VALUE_NAME = 'value';
const TIME_UNITS = new Set(['auto', 's', 'ms', 'us', 'ns', 'iso']);

/** Removes control characters and cuts to MAX_KEY_CHARS; the fast path allocates nothing. */
export function sanitizeKey(key: string): string {
	if (key.length <= MAX_KEY_CHARS && !HAS_CONTROL_CHAR.test(key)) return key;
	return key.replace(CONTROL_CHARS, '').slice(0, MAX_KEY_CHARS);
}

function parseRef(text: string): FieldRef | null {
	if (typeof text !== 'string') return null;
	const fromRoot = text === '$' || text.startsWith('$.');
	const segments = parsePath(fromRoot ? text.slice(2) : text);
	return segments ? { fromRoot, segments } : null;
}

function valueNamesFor(mapping: FeedMapping): string[] {
	if (mapping.format !== 'json') {
		const names = mapping.values.length > 0 ? mapping.values : [DEFAULT_VALUE_NAME];
		return names.map((name) => sanitizeKey(name) || DEFAULT_VALUE_NAME);
	}
	const paths = mapping.values.map((p) => (p.startsWith('$.') ? p.slice(2) : p));
	const last = paths.map((p) => p.slice(p.lastIndexOf('.') + 1) || DEFAULT_VALUE_NAME);
	return last.map((name, i) =>
		sanitizeKey(last.indexOf(name) === last.lastIndexOf(name) ? name : paths[i] || name)
	);
}

/** Resolves every path once; returns an error text naming the first bad path. */
export function compileMapping(mapping: FeedMapping): CompiledMapping | string {
	if (mapping === null || typeof mapping !== 'object') return 'mapping is not an object';
	const { format } = mapping;
	if (format !== 'json' && format !== 'csv' && format !== 'number') return `unknown format ${String(format)}`;
	if (!TIME_UNITS.has(mapping.timeUnit)) return `unknown time unit ${String(mapping.timeUnit)}`;
	if (!Array.isArray(mapping.keys) || !Array.isArray(mapping.values)) return 'keys and values must be lists';
	const records = parsePath(mapping.records ?? '');
	if (!records) return `bad records path "${mapping.records}"`;
	let time: FieldRef | null = null;
	if (mapping.time) {
		time = format === 'json' ? parseRef(mapping.time) : { fromRoot: false, segments: [] };
		if (!time) return `bad time path "${mapping.time}"`;
	}
	const keys: FieldRef[] = [];
	const values: FieldRef[] = [];
	if (format === 'json') {
		for (const [list, out] of [
			[mapping.keys, keys],
			[mapping.values, values]
		] as const) {
			for (const path of list) {
				const ref = parseRef(path);
				if (!ref) return `bad path "${path}"`;
				out.push(ref);
			}
		}
	}
	let truth: FieldRef | null = null;
	if (mapping.truth) {
		truth = parseRef(mapping.truth);
		if (!truth) return `bad truth path "${mapping.truth}"`;
	}
	let filter: CompiledMapping['filter'] = null;
	if (mapping.filter) {
		const segments = parsePath(mapping.filter.path);
		if (!segments || segments.length === 0) return `bad filter path "${mapping.filter.path}"`;
		filter = { segments, equals: String(mapping.filter.equals) };
	}
	const valueNames = valueNamesFor(mapping);
	return { format, records, time, timeUnit: mapping.timeUnit, keys, values, valueNames, truth, filter };
}
