import { describe, expect, it, vi } from 'vitest';
import { Random } from '../simulator/random';
import { createDecoder, decodeFrame, MAX_FRAME_BYTES, type DecodeSink, type RejectReason } from './decoder';
import { feedFiles, feedFrames, RecordingSink, SAMPLE_ARRIVAL_MS, SAMPLE_START_MS } from './decode-testing';
import { detectMapping } from './detect';
import { parsePath, readPath } from './field-path';
import { compileMapping, type FeedMapping } from './mapping';
import { PRESETS } from './presets';

/** Fragments spliced into frames: JSON syntax, prototype names, odd numbers, lone surrogates. */
const PIECES = [
	...['{', '}', '[', ']', '"', ':', ',', '\\', '\n', ' ', '-', '.', 'e'],
	...['__proto__', 'constructor', 'toString', 'NaN', '1e999', '0x1', 'null', 'true', '\u0000', '\ud800', '€']
];

const HOSTILE_KEYS = ['{"toString":1}', '"\\u0000"', '[1]', 'null', `"${'x'.repeat(500)}"`];
const HOSTILE_VALUES = ['"NaN"', '1e999', '"1e999"', '{}', '"-0"', '""'];
const HOSTILE_TIMES = ['"x"', '1e300', '-1', 'null', '[]'];

function junk(rng: Random, valid: string[]): string | ArrayBuffer {
	const base = valid[rng.int(valid.length)];
	switch (rng.int(6)) {
		case 0: // truncated
			return base.slice(0, rng.int(base.length));
		case 1: {
			// pieces spliced in
			let s = base;
			for (let i = rng.int(5) + 1; i > 0; i--) {
				const at = rng.int(s.length + 1);
				s = s.slice(0, at) + PIECES[rng.int(PIECES.length)] + s.slice(at + rng.int(3));
			}
			return s;
		}
		case 2: // random bytes, often invalid UTF-8
			return new Uint8Array(Array.from({ length: rng.int(200) }, () => rng.int(256))).buffer;
		case 3: // random pieces
			return Array.from({ length: rng.int(40) }, () => PIECES[rng.int(PIECES.length)]).join('');
		case 4: // deep nesting (a dedicated test goes to 500k levels)
			return '['.repeat(rng.int(2000)) + '{"p":1}' + ']'.repeat(rng.int(2000));
		default: {
			// Hostile values in a valid shape.
			const s = HOSTILE_KEYS[rng.int(HOSTILE_KEYS.length)];
			const p = HOSTILE_VALUES[rng.int(HOSTILE_VALUES.length)];
			const t = HOSTILE_TIMES[rng.int(HOSTILE_TIMES.length)];
			return `{"e":"trade","s":${s},"p":${p},"T":${t},"q":"1"}`;
		}
	}
}

// ---- 10,000 frames by family, every outcome checked ---------------------------------------

type Frame = string | ArrayBuffer | ArrayBufferView;
type Tick = [key: string, t: number, v: number];
type Outcome = number | RejectReason;

/** One fuzzed frame; `ticks` and `reasons` are exact when the family's outcome is known. */
interface FuzzCase {
	family: string;
	data: Frame;
	ticks?: Tick[];
	reasons?: RejectReason[];
}

const TRADES: FeedMapping = {
	format: 'json',
	records: '',
	time: 'T',
	timeUnit: 'auto',
	keys: ['s'],
	values: ['p', 'q'],
	filter: { path: 'e', equals: 'trade' }
};

/** Raw JSON values and what the decoder must make of them. */
const NON_FINITE: [string, Outcome][] = ['"NaN"', '"nan"', '"-Infinity"', '"inf"', '"+Infinity"', '1e400', '-1e400', '"1e400"', '"-1e999"', '1.8e308'].map(
	(raw) => [raw, 'not-finite']
);
const NEGATIVE_ZERO: [string, Outcome][] = ['-0', '"-0"', '"-0.000"', '-1e-400', '"-0e3"', '-0.0'].map((raw) => [raw, 0]);
const NUMERIC_STRINGS: [string, Outcome][] = [
	['"43274.93"', 43274.93],
	['" 7 "', 7],
	['"+5"', 5],
	['".5"', 0.5],
	['"5."', 5],
	['"1e3"', 1000],
	['"5e-324"', 5e-324],
	['"1.7976931348623157e308"', Number.MAX_VALUE],
	['"-12.5"', -12.5],
	['"0001"', 1],
	['12.25', 12.25]
];
const NO_NUMBER: [string, Outcome][] = [
	'null', '"null"', '""', '" "', '"0x1F"', '"1_000"', '"12abc"', 'true', 'false', '"１２"', `"${'1'.repeat(65)}"`, '"1e"', '"--1"', '"1,5"'
].map((raw) => [raw, 'no-number']);
const NESTED: [string, Outcome][] = ['[1]', '[[["1"]]]', '[]', '{}', '{"p":1}', '{"valueOf":1}', '[[[[[[[[[[0]]]]]]]]]]'].map((raw) => [raw, 'no-number']);
const VALUE_POOLS: Record<string, [string, Outcome][]> = {
	'non-finite': NON_FINITE,
	'negative-zero': NEGATIVE_ZERO,
	'numbers-as-strings': NUMERIC_STRINGS,
	'null-values': NO_NUMBER,
	'nested-array-values': NESTED
};
const ALL_VALUES = Object.values(VALUE_POOLS).flat();
/** Raw time values: a number is the tick time (NaN: arrival time), a reason refuses the record. */
const TIMES = (t: number): [string, number | RejectReason][] => [
	[String(t), t],
	[`"${t}"`, t],
	['null', NaN],
	['""', NaN],
	['"x"', 'no-number'],
	['1e400', 'no-number'],
	['"1e400"', 'no-number'],
	['-0', 'time-out-of-range'],
	['[]', 'no-number'],
	['{}', 'no-number'],
	['true', 'no-number'],
	[String(t + 2 * 86_400_000), 'time-out-of-range'],
	['"2026-11-20T14:30:00Z"', Date.UTC(2026, 10, 20, 14, 30)]
];
/** Raw symbols and the key part they give. */
const SYMBOLS: [string, string][] = [
	['{"toString":1}', '?'],
	['[1]', '?'],
	['null', '?'],
	['""', '?'],
	['true', 'true'],
	['12', '12'],
	['-0', '0'],
	['1e400', 'Infinity'],
	['"A\\u0000B\\nC"', 'A\u0000B\nC'],
	[`"${'x'.repeat(300)}"`, 'x'.repeat(300)],
	['"__proto__"', '__proto__'],
	['"€UR"', '€UR']
];

/** The series key rule, written out: control characters removed, cut to 100 characters. */
// eslint-disable-next-line no-control-regex
const expectedKey = (part: string, name: string) => `${part}/${name}`.replace(/[\u0000-\u001f\u007f-\u009f]/g, '').slice(0, 100);

const encode = (text: string): ArrayBuffer => new TextEncoder().encode(text).buffer as ArrayBuffer;

/** A trade frame of exactly `bytes` UTF-8 bytes, padded with 2-, 3- and 4-byte characters. */
function paddedTrade(t: number, bytes: number): string {
	const head = `{"e":"trade","s":"PAD","p":"1.5","q":"2","T":${t},"pad":"`;
	const room = bytes - head.length - 2;
	const emoji = Math.floor(room / 12);
	const euro = Math.floor((room - emoji * 4) / 6);
	const sharp = Math.floor((room - emoji * 4 - euro * 3) / 4);
	const ascii = room - emoji * 4 - euro * 3 - sharp * 2;
	return head + '😀'.repeat(emoji) + '€'.repeat(euro) + 'ß'.repeat(sharp) + 'x'.repeat(ascii) + '"}';
}

/** A valid trade of exactly `bytes` bytes (ASCII padding), as one flat string and as bytes. */
function bigTrade(t: number, bytes: number): { text: string; buffer: ArrayBuffer } {
	const head = new TextEncoder().encode(`{"e":"trade","s":"BIG","p":"1","q":"1","T":${t},"pad":"`);
	const tail = new TextEncoder().encode('"}');
	const all = new Uint8Array(bytes).fill(0x78);
	all.set(head, 0);
	all.set(tail, bytes - tail.length);
	return { text: new TextDecoder().decode(all), buffer: all.buffer };
}

function makeCases(rng: Random, count: number): FuzzCase[] {
	const cases: FuzzCase[] = [];
	const templates: string[] = [];
	const trade = (symbol = `SYM${rng.int(20)}`): { frame: string; ticks: Tick[] } => {
		const t = SAMPLE_START_MS + rng.int(3_600_000);
		const p = Math.round(rng.next() * 1e6) / 100;
		const q = rng.int(1000) / 1000;
		// Numbers as strings (as Binance sends them) or as JSON numbers.
		const raw = (n: number) => (rng.next() < 0.7 ? `"${n}"` : String(n));
		const frame = `{"e":"trade","E":${t + 1},"s":"${symbol}","p":${raw(p)},"q":${raw(q)},"T":${t}}`;
		templates.push(frame);
		return { frame, ticks: [[`${symbol}/p`, t, p], [`${symbol}/q`, t, q]] };
	};
	/** A trade with chosen raw fields; ticks and reasons worked out from the tables. */
	const shaped = (family: string, sym: [string, string], p: [string, Outcome], q: [string, Outcome], time: [string, number | RejectReason]): FuzzCase => {
		const data = `{"e":"trade","s":${sym[0]},"p":${p[0]},"q":${q[0]},"T":${time[0]}}`;
		if (typeof time[1] === 'string') return { family, data, ticks: [], reasons: [time[1]] };
		const t = Number.isNaN(time[1]) ? SAMPLE_ARRIVAL_MS : time[1];
		const ticks: Tick[] = [];
		const reasons: RejectReason[] = [];
		for (const [name, outcome] of [['p', p[1]], ['q', q[1]]] as const) {
			if (typeof outcome === 'number') ticks.push([expectedKey(sym[1], name), t, outcome]);
			else if (reasons.length === 0) reasons.push(outcome);
		}
		return { family, data, ticks, reasons };
	};
	const pick = <T>(list: readonly T[]): T => list[rng.int(list.length)];
	const validTime = (): [string, number] => {
		const t = SAMPLE_START_MS + rng.int(3_600_000);
		return [String(t), t];
	};
	const validValue = (): [string, Outcome] => {
		const v = rng.int(100_000) / 100;
		return [`"${v}"`, v];
	};

	const families: [weight: number, make: () => FuzzCase][] = [
		[26, () => {
			const x = trade();
			return { family: 'valid text', data: x.frame, ticks: x.ticks, reasons: [] };
		}],
		[5, () => ({ family: 'valid binary', ...binaryOf(trade()) })],
		[3, () => ({ family: 'valid binary view', ...viewOf(rng, trade()) })],
		[4, () => {
			const parts = Array.from({ length: 2 + rng.int(3) }, () => trade());
			return { family: 'valid NDJSON', data: parts.map((x) => x.frame).join(rng.next() < 0.5 ? '\n' : '\r\n'), ticks: parts.flatMap((x) => x.ticks), reasons: [] };
		}],
		[3, () => {
			const [a, b] = [trade(), trade()];
			const bad = a.frame.slice(0, 1 + rng.int(a.frame.length - 1));
			return { family: 'NDJSON with a broken line', data: `${a.frame}\n${bad}\n${b.frame}`, ticks: [...a.ticks, ...b.ticks], reasons: ['invalid-json'] };
		}],
		[7, () => {
			const frame = trade().frame;
			return { family: 'truncated JSON', data: frame.slice(0, rng.int(frame.length)), ticks: [], reasons: ['invalid-json'] };
		}],
		[2, () => {
			const bytes = new TextEncoder().encode(trade().frame);
			return { family: 'truncated binary', data: bytes.slice(0, rng.int(bytes.length)).buffer, ticks: [], reasons: ['invalid-json'] };
		}],
		[3, () => {
			const raw = pick(['NaN', '-NaN', 'Infinity', '-Infinity', 'undefined', '0x10', '01', '.5', '+1', "'1'", '1.', '- 1']);
			return { family: 'invalid JSON numbers', data: `{"e":"trade","s":"X","p":${raw},"q":"1","T":${validTime()[0]}}`, ticks: [], reasons: ['invalid-json'] };
		}],
		[12, () => ({ family: 'junk (spliced, random bytes and pieces, nesting)', data: junk(rng, templates) })],
		[4, () => shaped('non-finite', ['"NF"', 'NF'], pick(NON_FINITE), rng.next() < 0.5 ? pick(NON_FINITE) : validValue(), validTime())],
		[3, () => shaped('negative-zero', [`"Z"`, 'Z'], pick(NEGATIVE_ZERO), rng.next() < 0.5 ? pick(NEGATIVE_ZERO) : validValue(), validTime())],
		[4, () => shaped('numbers-as-strings', [`"N"`, 'N'], pick(NUMERIC_STRINGS), pick(ALL_VALUES), validTime())],
		[4, () => shaped('null-values', [`"U"`, 'U'], pick(NO_NUMBER), pick(ALL_VALUES), validTime())],
		[3, () => shaped('nested-array-values', [`"A"`, 'A'], pick(NESTED), pick(ALL_VALUES), validTime())],
		[4, () => shaped('hostile times', [`"H"`, 'H'], validValue(), validValue(), pick(TIMES(Number(validTime()[0]))))],
		[3, () => shaped('hostile symbols', pick(SYMBOLS), validValue(), validValue(), validTime())],
		[2, () => {
			const data = pick(['null', '"null"', 'true', '0', '-0', '"x"', '[]', '{}', '[null]', '"{\\"e\\":\\"trade\\"}"']);
			return { family: 'null and bare JSON values', data, ticks: [], reasons: ['filtered'] };
		}],
		[3, () => {
			const a = trade().frame;
			const data = pick([`[${a}]`, `[[${a}]]`, `[${a},${a}]`, '[[[]]]', `[[[[[${a}]]]]]`, `{"e":["trade"],"p":1}`]);
			return { family: 'nested arrays', data, ticks: [], reasons: ['filtered'] };
		}],
		[2, () => {
			const t = validTime();
			const poisons = [
				`{"__proto__":{"p":"666","e":"trade"},"e":"trade","s":"P","q":"1","T":${t[0]}}`,
				`{"constructor":{"prototype":{"p":"666"}},"e":"trade","s":"P","q":"1","T":${t[0]}}`,
				`{"e":"trade","s":"P","q":"1","T":${t[0]},"__proto__":null,"prototype":{"p":666}}`
			];
			return { family: 'prototype tricks', data: pick(poisons), ticks: [['P/q', t[1], 1]], reasons: ['no-number'] };
		}],
		[1, () => {
			const data = pick<unknown>([null, undefined, 5, {}, [], true, Symbol('x')]) as Frame;
			return { family: 'not a frame at all', data, ticks: [], reasons: ['invalid-json'] };
		}],
		[1, () => {
			// Within 3 bytes of the limit, in multibyte characters: the length in UTF-16 units is far
			// below the limit, the UTF-8 size decides.
			const t = validTime();
			const bytes = MAX_FRAME_BYTES + rng.int(4) - 1;
			const text = paddedTrade(t[1], bytes);
			const data = rng.next() < 0.5 ? text : encode(text);
			return bytes <= MAX_FRAME_BYTES
				? { family: 'multibyte at the limit', data, ticks: [['PAD/p', t[1], 1.5], ['PAD/q', t[1], 2]], reasons: [] }
				: { family: 'multibyte over the limit', data, ticks: [], reasons: ['oversized'] };
		}]
	];
	const total = families.reduce((sum, [w]) => sum + w, 0);
	for (let i = 0; i < count; i++) {
		let roll = rng.int(total);
		let index = 0;
		while (roll >= families[index][0]) roll -= families[index++][0];
		cases.push(families[index][1]());
	}
	return cases;
}

function binaryOf(x: { frame: string; ticks: Tick[] }): Omit<FuzzCase, 'family'> {
	return { data: encode(x.frame), ticks: x.ticks, reasons: [] };
}

/** The frame as a Uint8Array inside a larger buffer full of garbage: only the view is read. */
function viewOf(rng: Random, x: { frame: string; ticks: Tick[] }): Omit<FuzzCase, 'family'> {
	const bytes = new TextEncoder().encode(x.frame);
	const before = rng.int(16);
	const buffer = new Uint8Array(before + bytes.length + rng.int(16)).fill(0x7b);
	buffer.set(bytes, before);
	return { data: buffer.subarray(before, before + bytes.length), ticks: x.ticks, reasons: [] };
}

function textOf(data: Frame): string | null {
	if (typeof data === 'string') return data;
	if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return new TextDecoder().decode(data);
	return null;
}

describe('decoder fuzz', () => {
	it('10,000 seeded frames of every family: no throw, every frame decoded or refused once, every valid tick exact', () => {
		const rng = new Random(20261120);
		const cases = makeCases(rng, 10_000);
		// Real 5 MB and 50 MB frames (valid trades but for their size), as text and as bytes, at
		// seeded places among the rest.
		const t = SAMPLE_START_MS + 1000;
		const big5 = bigTrade(t, 5 << 20);
		const big50 = bigTrade(t, 50 << 20);
		expect(big50.text.length).toBe(50 << 20);
		const bigOnes: FuzzCase[] = [
			{ family: '5 MB text', data: big5.text },
			{ family: '5 MB binary', data: big5.buffer },
			{ family: '50 MB text', data: big50.text },
			{ family: '50 MB binary', data: big50.buffer },
			{ family: '50 MB binary view', data: new Uint8Array(big50.buffer, 1) },
			{ family: '1 MB + 1 byte ASCII', data: 'x'.repeat(MAX_FRAME_BYTES + 1) }
		];
		for (const big of bigOnes) {
			for (let copy = 0; copy < 2; copy++) cases.splice(rng.int(cases.length), 1, { ...big, ticks: [], reasons: ['oversized'] });
		}

		const parse = vi.spyOn(JSON, 'parse');
		const utf8Decode = vi.spyOn(TextDecoder.prototype, 'decode');
		const decoder = createDecoder({ mapping: TRADES });
		let ticks: Tick[] = [];
		let reasons: RejectReason[] = [];
		const sink: DecodeSink = {
			tick: (key, tt, v) => ticks.push([key, tt, v]),
			reject: (reason) => reasons.push(reason),
			usedArrivalTime: () => undefined
		};
		const problems: string[] = [];
		const families = new Map<string, { frames: number; ticks: number; refused: Partial<Record<RejectReason, number>> }>();
		const refusalMs = new Map<string, number>();
		try {
			for (let i = 0; i < cases.length; i++) {
				const c = cases[i];
				ticks = [];
				reasons = [];
				parse.mockClear();
				utf8Decode.mockClear();
				const started = performance.now();
				try {
					decoder.decode(c.data as string, SAMPLE_ARRIVAL_MS, sink);
				} catch (error) {
					problems.push(`frame ${i} (${c.family}) threw ${String(error)}`);
					continue;
				}
				const elapsed = performance.now() - started;
				const stats = families.get(c.family) ?? { frames: 0, ticks: 0, refused: {} };
				families.set(c.family, stats);
				stats.frames++;
				stats.ticks += ticks.length;
				for (const r of reasons) stats.refused[r] = (stats.refused[r] ?? 0) + 1;
				const where = `frame ${i} (${c.family})`;
				for (const [key, tt, v] of ticks) {
					if (!Number.isFinite(v) || !Number.isFinite(tt) || Object.is(v, -0)) problems.push(`${where}: tick ${key} ${tt} ${v}`);
					// eslint-disable-next-line no-control-regex
					if (key.length > 100 || /[\u0000-\u001f]/.test(key)) problems.push(`${where}: key ${JSON.stringify(key)}`);
				}
				if (ticks.length === 0 && reasons.length === 0) problems.push(`${where}: neither decoded nor refused`);
				// Counted once: a frame without line breaks is one message, refused at most once.
				const text = reasons[0] === 'oversized' ? '' : textOf(c.data);
				if ((text === null || !text.includes('\n')) && reasons.length > 1) problems.push(`${where}: refused ${reasons.length} times`);
				if (c.reasons !== undefined && JSON.stringify(reasons) !== JSON.stringify(c.reasons)) {
					problems.push(`${where}: reasons ${JSON.stringify(reasons)}, expected ${JSON.stringify(c.reasons)}`);
				}
				if (c.ticks !== undefined && JSON.stringify(ticks) !== JSON.stringify(c.ticks)) {
					problems.push(`${where}: ticks ${JSON.stringify(ticks)}, expected ${JSON.stringify(c.ticks)}`);
				}
				if (reasons[0] === 'oversized') {
					// Refused before parsing: neither JSON.parse nor the UTF-8 decoder ran.
					if (parse.mock.calls.length > 0 || utf8Decode.mock.calls.length > 0) problems.push(`${where}: parsed before refusing`);
					refusalMs.set(c.family, Math.max(refusalMs.get(c.family) ?? 0, elapsed));
				}
			}
		} finally {
			parse.mockRestore();
			utf8Decode.mockRestore();
		}
		expect(problems.slice(0, 10)).toEqual([]);
		// Every family was exercised, and the exact expectations cover most frames.
		for (const family of ['valid text', 'valid binary', 'valid binary view', 'valid NDJSON', 'truncated JSON', 'non-finite', 'negative-zero', 'numbers-as-strings', 'null-values', 'nested-array-values', 'hostile times', 'hostile symbols', 'null and bare JSON values', 'nested arrays', 'prototype tricks', 'not a frame at all', 'multibyte at the limit', 'multibyte over the limit']) {
			expect(families.get(family)?.frames ?? 0, family).toBeGreaterThanOrEqual(family.startsWith('multibyte') ? 10 : 50);
		}
		for (const big of bigOnes) expect(families.get(big.family)?.frames, big.family).toBe(2);
		expect(cases.filter((c) => c.ticks !== undefined).length).toBeGreaterThan(8500);
		// A 50 MB frame is refused as fast as a small one: its size is read, not its content.
		expect(refusalMs.get('50 MB text')).toBeLessThan(20);
		expect(refusalMs.get('50 MB binary')).toBeLessThan(20);
		if (process.env.FUZZ_REPORT) console.info(JSON.stringify({ families: Object.fromEntries(families), refusalMs: Object.fromEntries(refusalMs) }, null, 1));
	});

	it('never throws with detected and preset mappings over mutated sample frames', () => {
		const rng = new Random(7);
		const mappings = [
			...PRESETS.map((p) => p.mapping),
			...feedFiles().map((f) => detectMapping(feedFrames(f).slice(0, 50), { usePresets: false }).mapping)
		];
		const frames = feedFiles().flatMap((f) => feedFrames(f).slice(0, 40));
		const sink = new RecordingSink();
		for (let i = 0; i < 4000; i++) {
			const mapping = mappings[rng.int(mappings.length)];
			expect(() => decodeFrame(junk(rng, frames), mapping, SAMPLE_ARRIVAL_MS, sink)).not.toThrow();
		}
		for (let i = 0; i < 200; i++) {
			const samples = Array.from({ length: rng.int(10) + 1 }, () => junk(rng, frames));
			expect(() => detectMapping(samples)).not.toThrow();
		}
		expect(sink.rejects.length).toBeGreaterThan(0);
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});

	it('survives 500k levels of nesting', () => {
		const sink = new RecordingSink();
		const mapping = detectMapping(feedFrames('iot-flat.jsonl')).mapping;
		const deep = '['.repeat(500_000) + ']'.repeat(500_000);
		expect(() => decodeFrame(deep, mapping, SAMPLE_ARRIVAL_MS, sink)).not.toThrow();
		expect(() => decodeFrame('{"a":'.repeat(200_000), mapping, SAMPLE_ARRIVAL_MS, sink)).not.toThrow();
		expect(() => detectMapping([deep])).not.toThrow();
	});
});

// ---- 1,000 fuzzed mapping paths -----------------------------------------------------------

/** Spellings of the three prototype keys (see the rule in field-path.ts). Each must be refused. */
const DANGEROUS = [
	'__proto__', 'constructor', 'prototype', '__PROTO__', 'Constructor', 'PROTOTYPE', 'cOnStRuCtOr',
	'__pro\\u0074o__', '\\u005f\\u005fproto\\u005f\\u005f', '\\u{63}onstructor', 'proto\\x74ype', '\\\\u005f_proto__',
	'%5F%5Fproto%5F%5F', '%255F%255Fproto__', 'constructo%72', '%EF%BC%BF%EF%BC%BFproto__',
	'&#95;&#95;proto&#95;&#95;', 'proto&#x74;ype', '&#99;onstructor',
	'["__proto__"]', "['constructor']", '[prototype]', '"__proto__"', 'constructor[prototype]',
	' __proto__ ', '\tconstructor\n', 'proto type', 'con structor', '\\_\\_proto\\_\\_',
	'constru\u200bctor', '\ufeffprototype', 'proto\u00adtype', 'co\u0301nstructor', '__pro\u0000to__',
	'＿＿ｐｒｏｔｏ＿＿', 'ｃｏｎｓｔｒｕｃｔｏｒ', 'ℙrototype'
];
/** Harmless segments, some close to the names (halves, longer words, other scripts). */
const HARMLESS = [
	'a', 'p', 'q', 'data', '0', '12', 'price', 'x_y', 'proto', 'type', 'cons', 'tructor', '__pro', 'to__',
	'constructorName', 'prototype_id', 'prоto', 'Прототип', 'BTC€', 'DATA', 'Proto', 'TYPE', '$', 'e', 's', 'T'
];
/** Joins between pieces; none of them can glue two harmless pieces into a name. */
const JOINS = ['.', '.', '.', '.', '[', ']', '["', '"]', "['", "']", '/', '-', '$.', '..', ' . ', ':', '#', '*'];

/** Hostile documents: every dangerous spelling is an own key holding a poisoned value (666). */
function hostileDocuments(): unknown[] {
	const poison = '{"p":666,"q":"666","polluted":1,"prototype":{"polluted":1,"p":666}}';
	const own = DANGEROUS.map((d) => `${JSON.stringify(d)}:${poison}`).join(',');
	const t = SAMPLE_START_MS;
	return [
		JSON.parse(`{${own},"data":{${own},"p":1},"a":{"p":2,${own}},"e":"trade","s":"S","p":"3","q":4,"T":${t}}`),
		JSON.parse(`{"__proto__":{"polluted":1,"p":666},"constructor":{"prototype":{"polluted":1,"p":666}},"p":5,"e":"trade","T":${t}}`),
		JSON.parse(`[{${own}},{"p":6}]`),
		Object.assign(Object.create(null) as object, { p: 7, data: { p: 8 } }),
		Object.create({ p: 666, polluted: 1, data: { p: 666 } }) as object,
		[[{ p: 9 }]]
	];
}

function prototypeSnapshot(): unknown[] {
	return [Object.prototype, Array.prototype, Function.prototype, String.prototype].map((proto) => [
		Object.getPrototypeOf(proto),
		Object.getOwnPropertyNames(proto).map((name) => [name, Object.getOwnPropertyDescriptor(proto, name)?.value])
	]);
}

describe('mapping path fuzz', () => {
	it('1,000 seeded paths: every spelling of a prototype key refused, no read reaches a prototype, Object.prototype untouched', () => {
		const rng = new Random(1337);
		const before = prototypeSnapshot();
		const documents = hostileDocuments();
		const frames = documents.map((d) => JSON.stringify(d) ?? 'null');
		const problems: string[] = [];
		let refusedDangerous = 0;
		let acceptedHarmless = 0;
		for (let i = 0; i < 1000; i++) {
			const pieces = 1 + rng.int(5);
			let path = rng.next() < 0.15 ? '$.' : '';
			let dangerous = false;
			for (let k = 0; k < pieces; k++) {
				if (k > 0) path += JOINS[rng.int(JOINS.length)];
				if (rng.next() < 0.3) {
					path += DANGEROUS[rng.int(DANGEROUS.length)];
					dangerous = true;
				} else {
					const word = HARMLESS[rng.int(HARMLESS.length)];
					path += rng.next() < 0.2 ? word.toUpperCase() : word;
				}
			}
			const segments = path.split('.');
			const wellFormed = path.length <= 200 && segments.length <= 16 && !segments.includes('');
			const parsed = parsePath(path);
			if (dangerous && parsed !== null) problems.push(`accepted ${JSON.stringify(path)}`);
			if (!dangerous && wellFormed && parsed === null) problems.push(`refused harmless ${JSON.stringify(path)}`);
			if (dangerous) refusedDangerous++;
			else if (parsed !== null) acceptedHarmless++;

			// Through the compiler: in every slot of a mapping a dangerous path is a bad mapping.
			const slots: FeedMapping[] = [
				{ ...TRADES, values: [path] },
				{ ...TRADES, values: [`$.${path}`] },
				{ ...TRADES, keys: [path] },
				{ ...TRADES, time: path },
				{ ...TRADES, records: path },
				{ ...TRADES, truth: path },
				{ ...TRADES, filter: { path, equals: 'trade' } }
			];
			for (const mapping of slots) {
				if (dangerous && typeof compileMapping(mapping) !== 'string') problems.push(`compiled ${JSON.stringify(path)}`);
				// Through the decoder: whatever the path, no value behind a prototype key comes out.
				const sink = new RecordingSink();
				for (const frame of frames) decodeFrame(frame, mapping, SAMPLE_ARRIVAL_MS, sink);
				if (sink.ticks.some((tick) => tick.v === 666)) problems.push(`read poison through ${JSON.stringify(path)}`);
			}

			// Through the reader. With parsed segments nothing behind any spelling of the names is
			// reached; with segments nobody checked (as a careless caller would build them) a literal
			// own key like `__PROTO__` is plain data, but nothing inherited and no prototype is.
			const prototypes = new Set<unknown>([Object.prototype, Array.prototype, Function.prototype, Object, Function]);
			for (const [d, doc] of documents.entries()) {
				for (const [checked, list] of [[true, parsed ?? []], [false, segments], [false, segments.map((s) => s.trim())]] as const) {
					const value = readPath(doc, list);
					const viaForbidden = list.some((s) => s === '__proto__' || s === 'constructor' || s === 'prototype');
					const poisoned = value === 666 || value === '666' || (value !== null && typeof value === 'object' && Object.hasOwn(value, 'polluted'));
					const inherited = d === 4 && list.length > 0 && value !== undefined;
					if (typeof value === 'function' || prototypes.has(value) || inherited || (viaForbidden && value !== undefined) || (checked && poisoned)) {
						problems.push(`readPath ${JSON.stringify(list)} on document ${d} gave ${String(value)}`);
					}
				}
			}
		}
		expect(problems.slice(0, 10)).toEqual([]);
		expect(refusedDangerous).toBeGreaterThan(500);
		expect(acceptedHarmless).toBeGreaterThan(100);
		expect(prototypeSnapshot()).toEqual(before);
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
		expect(Object.prototype).not.toHaveProperty('polluted');
		expect(Object.getPrototypeOf({})).toBe(Object.prototype);
	});
});
