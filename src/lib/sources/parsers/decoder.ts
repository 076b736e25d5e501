import { mayHoldUnsafeIntegers, quoteUnsafeIntegers } from './exact-integers';
import { readPath } from './field-path';
import { compileMapping, sanitizeKey, type CompiledMapping, type FeedMapping, type FieldRef } from './mapping';
import { readNumber, readTruth, toEpochMs } from './values';

export type RejectReason =
	| 'invalid-json'
	| 'no-number'
	| 'not-finite'
	| 'time-out-of-range'
	| 'oversized'
	| 'filtered'
	| 'too-many-series'
	| 'bad-path';

/** Receives the result of decoding; called synchronously, in frame order. */
export interface DecodeSink {
	tick(key: string, t: number, v: number, truth: boolean | undefined): void;
	reject(reason: RejectReason, detail: string): void;
	/** A record had no timestamp, so the arrival time was used. */
	usedArrivalTime(): void;
}

export interface DecodeOptions {
	/** Larger frames are rejected before parsing. */
	maxFrameBytes?: number;
	/** Cap on distinct series; only enforced when `seriesKeys` carries them across frames. */
	maxSeries?: number;
	/** Keys admitted so far; decodeFrame adds new ones. createDecoder keeps one for you. */
	seriesKeys?: Set<string>;
}

/** 1 MB: two orders above the largest frame of any public feed we target (~10 kB). */
export const MAX_FRAME_BYTES = 1 << 20;
/** Distinct series per source; beyond it a feed with random symbols would exhaust memory. */
export const MAX_SERIES = 1000;
const DAY_MS = 86_400_000;
/** Clocks disagree by seconds, not a day: later stamps are corrupt units or fields. */
const MAX_FUTURE_MS = DAY_MS;
/** Ten years (3,653 days with leap days) back; older stamps are ids or wrong units. */
const MAX_PAST_MS = 3653 * DAY_MS;
/** Characters of the offending input quoted in a reject detail. */
const DETAIL_CHARS = 80;

const utf8 = new TextDecoder('utf-8');
const utf8Encoder = new TextEncoder();
/** Limits up to this are measured by encoding into a scratch buffer of the limit's size. */
const SCRATCH_MAX_BYTES = 4 << 20;
/** Reused by utf8Bytes; allocated on the first frame that needs it, grown to the limit. */
let scratch: Uint8Array | null = null;
/** Compiled once per mapping object; edit a mapping by replacing it, never in place. */
const compiled = new WeakMap<FeedMapping, CompiledMapping | string>();
/** Mappings whose feed has sent a key, time or filter beyond 2^53 − 1 (see parseDocument). */
const readsExactly = new WeakSet<CompiledMapping>();

interface Context {
	m: CompiledMapping;
	arrival: number;
	sink: DecodeSink;
	keys: Set<string> | undefined;
	maxSeries: number;
	/** Text of the JSON document being decoded, parsed again if it must be read exactly. */
	doc: string;
	/** `doc` was parsed with its big integer literals as exact text (or needs no such parse). */
	exact: boolean;
}

function quote(text: string): string {
	return sanitizeKey(text.length > DETAIL_CHARS ? text.slice(0, DETAIL_CHARS) + '…' : text);
}

/**
 * Bytes `text` takes as UTF-8 (what it was on the wire), or `limit + 1` as soon as it is
 * surely more than `limit`. No per-frame buffer: the text is encoded into one reused
 * buffer of the limit's size (counted character by character instead for limits over 4 MB, so
 * a huge custom limit does not pin a huge buffer). A lone surrogate counts 3 bytes, as U+FFFD.
 */
export function utf8Bytes(text: string, limit: number): number {
	const n = text.length;
	// A UTF-16 unit never takes less than one UTF-8 byte.
	if (n > limit) return limit + 1;
	if (limit <= SCRATCH_MAX_BYTES) {
		if (scratch === null || scratch.length < limit) scratch = new Uint8Array(limit);
		const { read, written } = utf8Encoder.encodeInto(text, scratch.subarray(0, limit));
		return read < n ? limit + 1 : written;
	}
	let bytes = 0;
	for (let i = 0; i < n && bytes <= limit; i++) {
		const c = text.charCodeAt(i);
		if (c < 0x80) bytes += 1;
		else if (c < 0x800) bytes += 2;
		else if (c >= 0xd800 && c < 0xdc00 && i + 1 < n && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
			bytes += 4;
			i++;
		} else bytes += 3;
	}
	return bytes > limit ? limit + 1 : bytes;
}

function read(ref: FieldRef, record: unknown, message: unknown): unknown {
	return readPath(ref.fromRoot ? message : record, ref.segments);
}

function keyPart(value: unknown): string {
	if (typeof value === 'string') return value === '' ? '?' : value;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	// Objects are never stringified: a feed-sent own `toString` key would make String() throw.
	return '?';
}

/**
 * One value of a record: emits it as a tick, or returns why not. `-0` becomes `0`: a sign on
 * zero is an artefact of how the feed rounds ("-0.00"), and stored, drawn or exported it would
 * read as a different value from 0.
 */
function emitValue(ctx: Context, key: string, t: number, v: number, truth: boolean | undefined): RejectReason | null {
	if (v !== v) return 'no-number';
	if (v === Infinity || v === -Infinity) return 'not-finite';
	const keys = ctx.keys;
	if (keys !== undefined && !keys.has(key)) {
		if (keys.size >= ctx.maxSeries) return 'too-many-series';
		keys.add(key);
	}
	ctx.sink.tick(key, t, v === 0 ? 0 : v, truth);
	return null;
}

/** Resolves a raw time value to epoch ms, or rejects and returns NaN. */
function resolveTime(ctx: Context, raw: unknown): number {
	if (raw === undefined || raw === null || raw === '') {
		ctx.sink.usedArrivalTime();
		return ctx.arrival;
	}
	const t = toEpochMs(raw, ctx.m.timeUnit);
	if (t !== t) {
		ctx.sink.reject('no-number', `time ${typeof raw === 'string' ? quote(raw) : typeof raw}`);
		return NaN;
	}
	if (t > ctx.arrival + MAX_FUTURE_MS || t < ctx.arrival - MAX_PAST_MS) {
		ctx.sink.reject('time-out-of-range', String(t));
		return NaN;
	}
	return t;
}

/**
 * Beyond ±(2^53 − 1) a parsed number is rounded (ids, ns epochs): in a key, time or filter
 * field the exact text is needed. Costs ordinary frames one comparison per field; a regex
 * precheck over every frame's text made decoding a Binance trade ~18% slower.
 */
function isRounded(value: unknown): boolean {
	return typeof value === 'number' && (value > Number.MAX_SAFE_INTEGER || value < -Number.MAX_SAFE_INTEGER);
}

/**
 * Decodes one record; false, before emitting anything, when a key or the time came rounded
 * and the document must be parsed exactly first.
 */
function decodeRecord(ctx: Context, record: unknown, message: unknown): boolean {
	const m = ctx.m;
	const rawTime = m.time === null ? undefined : read(m.time, record, message);
	if (!ctx.exact && isRounded(rawTime)) return false;
	let prefix = '';
	for (let i = 0; i < m.keys.length; i++) {
		const part = read(m.keys[i], record, message);
		if (!ctx.exact && isRounded(part)) return false;
		prefix += keyPart(part) + '/';
	}
	let t: number;
	if (m.time === null) {
		ctx.sink.usedArrivalTime();
		t = ctx.arrival;
	} else {
		t = resolveTime(ctx, rawTime);
		if (t !== t) return true;
	}
	const truth = m.truth === null ? undefined : readTruth(read(m.truth, record, message));
	// Every good value becomes a tick; the record is refused at most once (its first bad value),
	// so the refusal count is a count of records, like every other reason.
	let refused = false;
	for (let i = 0; i < m.values.length; i++) {
		// Values are doubles by nature: a big integer here reads as its nearest double, as ever.
		const v = readNumber(read(m.values[i], record, message));
		const key = prefix === '' ? m.valueNames[i] : sanitizeKey(prefix + m.valueNames[i]);
		const reason = emitValue(ctx, key, t, v, truth);
		if (reason !== null && !refused) {
			refused = true;
			ctx.sink.reject(reason, reason === 'too-many-series' ? quote(key) : m.valueNames[i]);
		}
	}
	return true;
}

/**
 * The document parsed again with its integer literals beyond 2^53 − 1 as their exact digit
 * text (exact-integers.ts). Its structure is the plain parse's, so record i is still record i.
 */
function parseExactly(ctx: Context, plain: unknown): unknown {
	ctx.exact = true;
	readsExactly.add(ctx.m);
	try {
		return JSON.parse(quoteUnsafeIntegers(ctx.doc));
	} catch {
		// Unreachable: quoting keeps valid JSON valid (exact-integers.test.ts, property tests).
		return plain;
	}
}

function matchesFilter(value: unknown, equals: string): boolean {
	if (typeof value === 'string') return value === equals;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value) === equals;
	return false;
}

function recordsOf(m: CompiledMapping, message: unknown): unknown {
	return m.records.length === 0 ? message : readPath(message, m.records);
}

/** Decodes one parsed JSON document whose text is `ctx.doc`. */
function decodeMessage(ctx: Context, message: unknown): void {
	const m = ctx.m;
	if (m.filter !== null) {
		let value = readPath(message, m.filter.segments);
		if (!ctx.exact && isRounded(value)) value = readPath((message = parseExactly(ctx, message)), m.filter.segments);
		if (!matchesFilter(value, m.filter.equals)) {
			ctx.sink.reject('filtered', m.filter.segments.join('.'));
			return;
		}
	}
	const node = recordsOf(m, message);
	if (Array.isArray(node)) {
		let records: unknown[] = node;
		for (let i = 0; i < records.length; i++) {
			if (decodeRecord(ctx, records[i], message)) continue;
			// Records before i had no rounded key or time: their ticks stand. From i on, read exactly.
			message = parseExactly(ctx, message);
			const exact = recordsOf(m, message);
			if (Array.isArray(exact) && exact.length === records.length) records = exact;
			i--;
		}
	} else if (node !== undefined && (m.records.length === 0 || (node !== null && typeof node === 'object'))) {
		if (!decodeRecord(ctx, node, message)) {
			message = parseExactly(ctx, message);
			decodeRecord(ctx, recordsOf(m, message), message);
		}
	} else {
		ctx.sink.reject('no-number', `no records at ${m.records.join('.')}`);
	}
}

/**
 * Parses one JSON document, plainly first: ordinary frames pay nothing for exactness. A
 * document whose key, time or filter field holds an integer beyond 2^53 − 1 is parsed again,
 * exactly (parseExactly); once a mapping has needed that, its later documents with a long digit
 * run are parsed exactly at once, as such a feed sends its ids or ns stamps in every frame.
 */
function parseDocument(ctx: Context, text: string): unknown {
	ctx.doc = text;
	ctx.exact = readsExactly.has(ctx.m) && mayHoldUnsafeIntegers(text);
	return JSON.parse(ctx.exact ? quoteUnsafeIntegers(text) : text);
}

function decodeJson(ctx: Context, text: string): void {
	let message: unknown;
	try {
		message = parseDocument(ctx, text);
	} catch {
		// Not one document: NDJSON carries several, one per line.
		if (!text.includes('\n')) {
			ctx.sink.reject('invalid-json', quote(text));
			return;
		}
		let documents = 0;
		for (const line of text.split('\n')) {
			if (line.trim() === '') continue;
			documents++;
			let doc: unknown;
			try {
				doc = parseDocument(ctx, line);
			} catch {
				ctx.sink.reject('invalid-json', quote(line));
				continue;
			}
			decodeMessage(ctx, doc);
		}
		// Only blank lines: refused like a blank single-line frame, so no frame goes uncounted.
		if (documents === 0) ctx.sink.reject('invalid-json', 'blank frame');
		return;
	}
	decodeMessage(ctx, message);
}

/** csv: `time,value[,value2…]` or `value[,value2…]` per line; number: a bare number per line. */
function decodeLines(ctx: Context, text: string): void {
	const m = ctx.m;
	const hasTime = m.format === 'csv' && m.time !== null;
	let lines = 0;
	for (const raw of text.split('\n')) {
		const line = raw.trim();
		if (line === '') continue;
		lines++;
		const fields = m.format === 'csv' ? line.split(',') : [line];
		let t = ctx.arrival;
		let first = 0;
		if (hasTime && fields.length > 1) {
			t = resolveTime(ctx, fields[0].trim());
			if (t !== t) continue;
			first = 1;
		} else {
			ctx.sink.usedArrivalTime();
		}
		let refused = false;
		for (let i = first; i < fields.length; i++) {
			const column = i - first;
			const name = column < m.valueNames.length ? m.valueNames[column] : `value${column + 1}`;
			const reason = emitValue(ctx, name, t, readNumber(fields[i]), undefined);
			if (reason !== null && !refused) {
				refused = true;
				ctx.sink.reject(reason, quote(reason === 'too-many-series' ? name : fields[i]));
			}
		}
	}
	if (lines === 0) ctx.sink.reject('no-number', 'blank frame');
}

/**
 * Decodes one WebSocket frame into ticks. Never throws on frame content: every problem
 * becomes a `sink.reject`, so each frame gives ticks, refusals or both. A frame is refused
 * once as a whole (oversized, invalid JSON, filtered, bad mapping), or once per record it
 * holds (NDJSON lines, array items) that has a bad value, time or too many series; the good
 * values of such a record still become ticks. Frames over `maxFrameBytes` UTF-8 bytes are
 * refused before any decoding or parsing. Ticks are finite, and `-0` arrives as `0`.
 * The mapping is compiled on first use and cached per object.
 */
export function decodeFrame(
	data: string | ArrayBuffer | ArrayBufferView,
	mapping: FeedMapping,
	arrival: number,
	sink: DecodeSink,
	options: DecodeOptions = {}
): void {
	let m = compiled.get(mapping);
	if (m === undefined) {
		m = compileMapping(mapping);
		compiled.set(mapping, m);
	}
	if (typeof m === 'string') {
		sink.reject('bad-path', m);
		return;
	}
	const maxBytes = options.maxFrameBytes ?? MAX_FRAME_BYTES;
	let text: string;
	if (typeof data === 'string') {
		// The limit is on UTF-8 bytes, as the frame came over the wire. A UTF-16 unit takes 1 to
		// 3 bytes, so the length alone settles all but frames of limit/3 to limit characters.
		if (data.length > maxBytes) return sink.reject('oversized', `over ${maxBytes} bytes (${data.length} characters)`);
		if (data.length * 3 > maxBytes && utf8Bytes(data, maxBytes) > maxBytes) {
			return sink.reject('oversized', `over ${maxBytes} bytes (${data.length} characters)`);
		}
		text = data;
	} else if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) {
		if (data.byteLength > maxBytes) return sink.reject('oversized', `${data.byteLength} bytes, over ${maxBytes}`);
		text = utf8.decode(data);
	} else {
		return sink.reject('invalid-json', `unsupported frame type ${typeof data}`);
	}
	const ctx: Context = { m, arrival, sink, keys: options.seriesKeys, maxSeries: options.maxSeries ?? MAX_SERIES, doc: '', exact: false };
	if (m.format === 'json') decodeJson(ctx, text);
	else decodeLines(ctx, text);
}

export interface Decoder {
	decode(data: string | ArrayBuffer | ArrayBufferView, arrival: number, sink: DecodeSink): void;
	/** Distinct series keys admitted so far (bounded by maxSeries). */
	readonly seriesKeys: ReadonlySet<string>;
}

/** A decoder bound to one mapping that enforces the series cap across frames. */
export function createDecoder(options: { mapping: FeedMapping } & Omit<DecodeOptions, 'seriesKeys'>): Decoder {
	const seriesKeys = new Set<string>();
	const frameOptions: DecodeOptions = { ...options, seriesKeys };
	return {
		decode: (data, arrival, sink) => decodeFrame(data, options.mapping, arrival, sink, frameOptions),
		seriesKeys
	};
}
