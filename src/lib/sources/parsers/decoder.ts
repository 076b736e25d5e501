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
/** Compiled once per mapping object; edit a mapping by replacing it, never in place. */
const compiled = new WeakMap<FeedMapping, CompiledMapping | string>();

interface Context {
	m: CompiledMapping;
	arrival: number;
	sink: DecodeSink;
	keys: Set<string> | undefined;
	maxSeries: number;
}

function quote(text: string): string {
	return sanitizeKey(text.length > DETAIL_CHARS ? text.slice(0, DETAIL_CHARS) + '…' : text);
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

/** Emits one tick after the series cap check. */
function emit(ctx: Context, key: string, t: number, v: number, truth: boolean | undefined): void {
	const keys = ctx.keys;
	if (keys !== undefined && !keys.has(key)) {
		if (keys.size >= ctx.maxSeries) {
			ctx.sink.reject('too-many-series', quote(key));
			return;
		}
		keys.add(key);
	}
	ctx.sink.tick(key, t, v, truth);
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

function decodeRecord(ctx: Context, record: unknown, message: unknown): void {
	const m = ctx.m;
	let t: number;
	if (m.time === null) {
		ctx.sink.usedArrivalTime();
		t = ctx.arrival;
	} else {
		t = resolveTime(ctx, read(m.time, record, message));
		if (t !== t) return;
	}
	let prefix = '';
	for (let i = 0; i < m.keys.length; i++) {
		prefix += keyPart(read(m.keys[i], record, message)) + '/';
	}
	const truth = m.truth === null ? undefined : readTruth(read(m.truth, record, message));
	for (let i = 0; i < m.values.length; i++) {
		const v = readNumber(read(m.values[i], record, message));
		if (v !== v) {
			ctx.sink.reject('no-number', m.valueNames[i]);
		} else if (v === Infinity || v === -Infinity) {
			ctx.sink.reject('not-finite', m.valueNames[i]);
		} else {
			emit(ctx, prefix === '' ? m.valueNames[i] : sanitizeKey(prefix + m.valueNames[i]), t, v, truth);
		}
	}
}

function matchesFilter(value: unknown, equals: string): boolean {
	if (typeof value === 'string') return value === equals;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value) === equals;
	return false;
}

function decodeMessage(ctx: Context, message: unknown): void {
	const m = ctx.m;
	if (m.filter !== null && !matchesFilter(readPath(message, m.filter.segments), m.filter.equals)) {
		ctx.sink.reject('filtered', m.filter.segments.join('.'));
		return;
	}
	const node = m.records.length === 0 ? message : readPath(message, m.records);
	if (Array.isArray(node)) {
		for (let i = 0; i < node.length; i++) decodeRecord(ctx, node[i], message);
	} else if (node !== undefined && (m.records.length === 0 || (node !== null && typeof node === 'object'))) {
		decodeRecord(ctx, node, message);
	} else {
		ctx.sink.reject('no-number', `no records at ${m.records.join('.')}`);
	}
}

function decodeJson(ctx: Context, text: string): void {
	let message: unknown;
	try {
		message = JSON.parse(text);
	} catch {
		// Not one document: NDJSON carries several, one per line.
		if (!text.includes('\n')) {
			ctx.sink.reject('invalid-json', quote(text));
			return;
		}
		for (const line of text.split('\n')) {
			if (line.trim() === '') continue;
			let doc: unknown;
			try {
				doc = JSON.parse(line);
			} catch {
				ctx.sink.reject('invalid-json', quote(line));
				continue;
			}
			decodeMessage(ctx, doc);
		}
		return;
	}
	decodeMessage(ctx, message);
}

/** csv: `time,value[,value2…]` or `value[,value2…]` per line; number: a bare number per line. */
function decodeLines(ctx: Context, text: string): void {
	const m = ctx.m;
	const hasTime = m.format === 'csv' && m.time !== null;
	for (const raw of text.split('\n')) {
		const line = raw.trim();
		if (line === '') continue;
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
		for (let i = first; i < fields.length; i++) {
			const column = i - first;
			const name = column < m.valueNames.length ? m.valueNames[column] : `value${column + 1}`;
			const v = readNumber(fields[i]);
			if (v !== v) ctx.sink.reject('no-number', quote(fields[i]));
			else if (v === Infinity || v === -Infinity) ctx.sink.reject('not-finite', quote(fields[i]));
			else emit(ctx, name, t, v, undefined);
		}
	}
}

/**
 * Decodes one WebSocket frame into ticks. Never throws on frame content: every problem
 * becomes a `sink.reject`. The mapping is compiled on first use and cached per object.
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
		// UTF-16 length ≤ UTF-8 bytes, so this only rejects frames surely over the limit.
		if (data.length > maxBytes) return sink.reject('oversized', `${data.length} chars`);
		text = data;
	} else if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) {
		if (data.byteLength > maxBytes) return sink.reject('oversized', `${data.byteLength} bytes`);
		text = utf8.decode(data);
	} else {
		return sink.reject('invalid-json', `unsupported frame type ${typeof data}`);
	}
	const ctx: Context = { m, arrival, sink, keys: options.seriesKeys, maxSeries: options.maxSeries ?? MAX_SERIES };
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
