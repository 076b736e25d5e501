import { isLongInteger } from './exact-integers';
import { isSafeSegment, readPath } from './field-path';
import type { FeedMapping } from './mapping';
import { epochUnitOf, readNumber, toEpochMs } from './values';

/** Records inspected; 500 covers ~100 messages of a batched feed, enough to see every field vary. */
const MAX_RECORDS = 500;
/** Nesting walked when flattening; Binance nests 2 levels, foot-pressure 3. */
const MAX_DEPTH = 4;
/** More series than this from auto-detection is noise; the person can add fields back. */
const MAX_VALUES = 12;
/** Key values longer than this are prose or hashes, not names of a series. */
const MAX_KEY_VALUE_CHARS = 40;
/** Distinct key values seen in the sample; more than this is an id, not a series name. */
const MAX_KEY_VALUES = 50;
/** Integer ids used as keys (sensor 0–5) stay below this; larger integers are measurements or ids (16+ digits: ids, see isKeyField). */
const MAX_KEY_INTEGER = 100_000;
/** Below this many samples, repetition (keys) and monotony (counters) prove nothing. */
const MIN_REPEAT_SAMPLES = 8;
/** Detection accepts epochs within ten years of now either way: older or later ones are ids. */
const PLAUSIBLE_MS = 3653 * 86_400_000;

const TIME_RANK = ['t', 'ts', 'time', 'timestamp', 'T', 'E', 'date', 'datetime', 'created_at', 'updated_at'];
const TIME_NAME = /^(?:t|T|ts|E|date)$|time|date|_at$|At$|stamp/i;
/** Case-sensitive `s` only: Binance's capital `S` is the order side, not a series name. */
const KEY_NAME =
	/^(?:symbol|sym|ticker|pair|market|instrument|inst_?id|product_?id|device(?:_?id)?|sensor(?:_?id)?|id|station|node|host|source)$/i;
const ID_NAME = /^(?:id|seq|sequence|nonce)$|_id$|Id$|_seq$/;
const TRUTH_NAME = /^(?:anomaly|is_?anomaly|anomalous|outlier|is_?outlier|label|truth|ground_?truth)$/i;
const DISCRIMINATOR_NAMES = ['type', 'e', 'event', 'op', 'action', 'kind'];

type Leaves = Map<string, unknown[]>;

function isObject(value: unknown): value is Record<string, unknown> {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Own scalar leaves of an object as dotted paths; arrays and the `skip` subtree are left out. */
function flatten(value: unknown, prefix: string, depth: number, skip: string, out: Leaves): void {
	if (!isObject(value) || depth > MAX_DEPTH) return;
	for (const key of Object.keys(value)) {
		// A field named '$' would turn into a `$.`-path, which the mapping reads from the message root.
		if (!isSafeSegment(key) || key === '$') continue;
		const path = prefix === '' ? key : `${prefix}.${key}`;
		const child = value[key];
		if (path === skip || Array.isArray(child)) continue;
		if (isObject(child)) flatten(child, path, depth + 1, skip, out);
		else {
			let list = out.get(path);
			if (!list) out.set(path, (list = []));
			list.push(child);
		}
	}
}

/** Paths of non-empty arrays of objects inside a message, shallowest first. */
function recordArrays(value: unknown, prefix: string, depth: number, out: string[]): void {
	if (!isObject(value) || depth > MAX_DEPTH) return;
	for (const key of Object.keys(value)) {
		if (!isSafeSegment(key)) continue;
		const path = prefix === '' ? key : `${prefix}.${key}`;
		const child = value[key];
		if (Array.isArray(child) && isObject(child[0])) out.push(path);
		else recordArrays(child, path, depth + 1, out);
	}
}

/** `{stream, data:{…}}`-style wrappers: no numbers on top, exactly one object child. */
function wrapperPath(message: unknown): string | null {
	if (!isObject(message)) return null;
	let only: string | null = null;
	for (const key of Object.keys(message)) {
		const child = message[key];
		if (isObject(child)) {
			if (only !== null || !isSafeSegment(key)) return null;
			only = key;
		} else if (Number.isFinite(readNumber(child))) return null;
	}
	return only;
}

function mostCommon(values: string[]): string | null {
	const counts = new Map<string, number>();
	for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
	let best: string | null = null;
	for (const [v, n] of counts) {
		const b = best === null ? 0 : (counts.get(best) ?? 0);
		if (n > b || (n === b && best !== null && v.length < best.length)) best = v;
	}
	return best;
}

function lastSegment(path: string): string {
	return path.slice(path.lastIndexOf('.') + 1);
}

interface TimeChoice {
	path: string;
	unit: FeedMapping['timeUnit'];
}

/** Epoch numbers or ISO strings within ten years of now, in every record that has the field. */
function timeUnitOf(values: unknown[], now: number): FeedMapping['timeUnit'] | null {
	let unit: FeedMapping['timeUnit'] | null = null;
	for (const v of values) {
		const ms = toEpochMs(v, 'auto');
		if (ms !== ms || Math.abs(ms - now) > PLAUSIBLE_MS) return null;
		// Explicit from here on: the mapping says s, ms, us or ns, by the bounds in values.ts.
		const u = epochUnitOf(v) ?? 'iso';
		if (unit !== null && unit !== u) return null;
		unit = u;
	}
	return unit;
}

function timeRank(path: string): number {
	const name = lastSegment(path.replace(/^\$\./, ''));
	const rank = TIME_RANK.indexOf(name);
	return (rank < 0 ? TIME_RANK.length : rank) * 10 + (path.startsWith('$.') ? 5 : 0);
}

function chooseTime(leaves: Leaves, roots: Leaves, now: number, timeLike: Set<string>): TimeChoice | null {
	const candidates: TimeChoice[] = [];
	for (const [map, prefix] of [
		[leaves, ''],
		[roots, '$.']
	] as const) {
		for (const [path, values] of map) {
			const isIso = typeof values[0] === 'string' && !Number.isFinite(readNumber(values[0]));
			if (!isIso && !TIME_NAME.test(lastSegment(path))) continue;
			const unit = timeUnitOf(values, now);
			if (unit === null) continue;
			timeLike.add(prefix + path);
			candidates.push({ path: prefix + path, unit });
		}
	}
	candidates.sort((a, b) => timeRank(a.path) - timeRank(b.path) || a.path.length - b.path.length);
	return candidates[0] ?? null;
}

function isKeyField(path: string, values: unknown[], records: number): boolean {
	const name = lastSegment(path);
	if ((name !== 's' && !KEY_NAME.test(name)) || values.length < records / 2) return false;
	const distinct = new Set<string>();
	for (const v of values) {
		if (typeof v === 'string') {
			if (v === '' || v.length > MAX_KEY_VALUE_CHARS) return false;
			// Numeric text is a price or an amount, except integers of 16+ digits: ids (a 20-digit
			// device id arrives as its digits, see exact-integers.ts), kept exactly as names.
			if (Number.isFinite(readNumber(v)) && !isLongInteger(v)) return false;
		} else if (!(typeof v === 'number' && Number.isInteger(v) && ((v >= 0 && v < MAX_KEY_INTEGER) || isLongInteger(v)))) return false;
		distinct.add(String(v));
	}
	// Too few samples to see names repeat: trust the field name.
	if (values.length < MIN_REPEAT_SAMPLES) return true;
	return distinct.size <= MAX_KEY_VALUES && (distinct.size === 1 || distinct.size <= values.length / 2);
}

/** Ids and sequence numbers: integers that never go down and step by a few at a time. */
function isCounter(numbers: number[]): boolean {
	for (let i = 1; i < numbers.length; i++) {
		if (!Number.isInteger(numbers[i]) || numbers[i] < numbers[i - 1]) return false;
	}
	return numbers.length >= MIN_REPEAT_SAMPLES && numbers[numbers.length - 1] - numbers[0] <= 10 * numbers.length;
}

function sameValues(a: unknown[], b: unknown[]): boolean {
	return a.length === b.length && a.every((v, i) => readNumber(v) === readNumber(b[i]));
}

/** Auto-detects a JSON mapping from parsed messages; notes say what was chosen and why. */
export function detectJson(messages: unknown[], now: number, notes: string[]): FeedMapping {
	const arrays: string[] = [];
	for (const m of messages) {
		if (Array.isArray(m)) arrays.push('');
		else {
			const found: string[] = [];
			recordArrays(m, '', 0, found);
			const wrapper = found.length === 0 ? wrapperPath(m) : null;
			arrays.push(found.length > 0 ? found[0] : (wrapper ?? ''));
		}
	}
	const records = mostCommon(arrays) ?? '';
	if (records !== '') notes.push(`records at "${records}"`);
	const segments = records === '' ? [] : records.split('.');
	const leaves: Leaves = new Map();
	const roots: Leaves = new Map();
	const dataMessages: unknown[] = [];
	let recordCount = 0;
	for (const m of messages) {
		if (recordCount >= MAX_RECORDS) break;
		const node = segments.length === 0 ? m : readPath(m, segments);
		if (node === undefined || (segments.length > 0 && node === null)) continue;
		dataMessages.push(m);
		const list = Array.isArray(node) ? node : [node];
		for (const record of list.slice(0, MAX_RECORDS - recordCount)) flatten(record, '', 0, '', leaves);
		recordCount += list.length;
		if (segments.length > 0) flatten(m, '', 0, records, roots);
	}
	const timeLike = new Set<string>();
	const time = chooseTime(leaves, roots, now, timeLike);
	notes.push(time ? `time from "${time.path}" (${time.unit})` : 'no timestamp field: arrival time is used');

	const keys: string[] = [];
	const keyValues: unknown[][] = [];
	for (const [map, prefix, count] of [
		[roots, '$.', dataMessages.length],
		[leaves, '', recordCount]
	] as const) {
		for (const [path, values] of map) {
			if (!isKeyField(path, values, Math.min(count, MAX_RECORDS))) continue;
			// Binance kline repeats the symbol as s and k.s: one key is enough.
			if (keyValues.some((other) => other.length === values.length && other.every((v, i) => v === values[i]))) continue;
			keys.push(prefix + path);
			keyValues.push(values);
		}
	}
	notes.push(keys.length > 0 ? `series named by ${keys.join(', ')}` : 'no key field: one series per value field');

	let truth: string | undefined;
	const values: string[] = [];
	const chosen: unknown[][] = [];
	for (const [path, raw] of leaves) {
		if (raw.every((v) => typeof v === 'boolean')) {
			if (truth === undefined && TRUTH_NAME.test(lastSegment(path))) truth = path;
			continue;
		}
		if (timeLike.has(path) || keys.includes(path) || ID_NAME.test(lastSegment(path))) continue;
		// Integers of 16+ digits are ids or raw epochs, not measurements: a double cannot even
		// hold them past 2^53, and a chart of ids says nothing.
		if (raw.some(isLongInteger)) continue;
		const numbers = raw.map(readNumber);
		if (raw.length < recordCount / 2 && raw.length < MAX_RECORDS / 2) continue;
		if (!numbers.every(Number.isFinite) || new Set(numbers).size < 2 || isCounter(numbers)) continue;
		// Binance repeats fields (forceOrder l/z = q, ap = p): identical columns add nothing.
		if (chosen.some((other) => sameValues(other, raw))) continue;
		values.push(path);
		chosen.push(raw);
	}
	if (values.length > MAX_VALUES) notes.push(`kept the first ${MAX_VALUES} of ${values.length} numeric fields`);
	values.length = Math.min(values.length, MAX_VALUES);
	notes.push(values.length > 0 ? `values: ${values.join(', ')}` : 'no numeric field that varies');
	if (truth) notes.push(`ground truth from "${truth}"`);
	// Discriminate on the messages that carry values (acks and pings do not).
	const valued = dataMessages.filter((m) => {
		const node = segments.length === 0 ? m : readPath(m, segments);
		const record: unknown = Array.isArray(node) ? node[0] : node;
		return values.some((p) => Number.isFinite(readNumber(readPath(record, p.split('.')))));
	});
	let filter: FeedMapping['filter'];
	const wrapper = segments.length > 0 && isObject(readPath(dataMessages[0], segments)) ? `${records}.` : null;
	for (const prefix of wrapper ? ['', wrapper] : ['']) {
		for (const name of DISCRIMINATOR_NAMES) {
			const seen = new Set(valued.map((m) => readPath(m, (prefix + name).split('.'))));
			const [only] = seen;
			if (filter === undefined && seen.size === 1 && typeof only === 'string' && only.length <= 40) {
				filter = { path: prefix + name, equals: only };
			}
		}
	}
	if (filter) notes.push(`only messages where ${filter.path} = "${filter.equals}"`);
	return {
		format: 'json',
		records,
		time: time?.path ?? '',
		timeUnit: time?.unit ?? 'auto',
		keys,
		values,
		...(truth ? { truth } : {}),
		...(filter ? { filter } : {})
	};
}
