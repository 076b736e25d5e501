import { describe, expect, it } from 'vitest';
import { Random } from '../simulator/random';
import { isLongInteger, mayHoldUnsafeIntegers, parseJsonExact, quoteUnsafeIntegers } from './exact-integers';

/** A generated JSON document: its text, and what parsing it exactly must give. */
interface Doc {
	text: string;
	exact: unknown;
}

const WS = ['', '', ' ', '\n', '\t', ' \r\n '];
/** String contents with quotes, escapes and long digit runs that must never be touched. */
const STRING_BITS = ['12345678901234567890', '\\"', '\\\\', '9007199254740993', 'a', ' ', '\\u0041', ':', ',', '{', ']', '-1'];
/** Numbers that stay numbers: safe integers, fractions and exponents, some with long digit runs. */
const SAFE_NUMBERS = ['0', '-0', '7', '-42', '9007199254740991', '-9007199254740991', '1234567890123456', '0.5', '-1.25e3', '12345678901234567890.5', '0.12345678901234567890', '12345678901234567890e2', '1E+21', '123456789012345678901234567890123456789012'];

function ws(rng: Random): string {
	return WS[rng.int(WS.length)];
}

function digits(rng: Random, n: number): string {
	let s = String(1 + rng.int(9));
	while (s.length < n) s += String(rng.int(10));
	return s;
}

/** An integer literal over 2^53 − 1 of 16 to 40 digits. */
function bigInteger(rng: Random): string {
	const sign = rng.int(4) === 0 ? '-' : '';
	const pick = rng.int(5);
	if (pick === 0) return sign + '9007199254740992';
	if (pick === 1) return sign + '99' + digits(rng, 14);
	return sign + digits(rng, 17 + rng.int(24));
}

function stringDoc(rng: Random): Doc {
	let body = '';
	for (let i = rng.int(5); i > 0; i--) body += STRING_BITS[rng.int(STRING_BITS.length)];
	const text = `"${body}"`;
	return { text, exact: JSON.parse(text) };
}

/** Unsafe integer literals generated in value position (not counting keys or strings). */
let generatedBig = 0;

function value(rng: Random, depth: number): Doc {
	const kind = depth > 4 ? rng.int(4) : rng.int(7);
	switch (kind) {
		case 0: {
			const text = bigInteger(rng);
			generatedBig++;
			return { text, exact: text };
		}
		case 1: {
			const text = SAFE_NUMBERS[rng.int(SAFE_NUMBERS.length)];
			return { text, exact: JSON.parse(text) };
		}
		case 2:
			return stringDoc(rng);
		case 3: {
			const text = ['true', 'false', 'null'][rng.int(3)];
			return { text, exact: JSON.parse(text) };
		}
		case 4:
		case 5: {
			const items = Array.from({ length: rng.int(5) }, () => value(rng, depth + 1));
			return { text: `[${ws(rng)}${items.map((d) => d.text + ws(rng)).join(`,${ws(rng)}`)}]`, exact: items.map((d) => d.exact) };
		}
		default: {
			const exact: Record<string, unknown> = {};
			const parts: string[] = [];
			for (let i = rng.int(5); i > 0; i--) {
				// Keys that look like big integers are strings already and stay as they are.
				const key = rng.int(3) === 0 ? `"${bigInteger(rng)}"` : stringDoc(rng).text;
				const name = JSON.parse(key) as string;
				if (name === '__proto__' || Object.hasOwn(exact, name)) continue;
				const v = value(rng, depth + 1);
				exact[name] = v.exact;
				parts.push(`${key}${ws(rng)}:${ws(rng)}${v.text}`);
			}
			return { text: `{${ws(rng)}${parts.join(`${ws(rng)},${ws(rng)}`)}${ws(rng)}}`, exact };
		}
	}
}

function tryParse(text: string): { ok: true; value: unknown } | { ok: false } {
	try {
		return { ok: true, value: JSON.parse(text) };
	} catch {
		return { ok: false };
	}
}

/** `exact` is `plain` with unsafe integers as their digit text (and nothing else changed). */
function sameButBigIntegers(exact: unknown, plain: unknown): boolean {
	if (typeof exact === 'string' && typeof plain === 'number') {
		return isLongInteger(exact) && !Number.isSafeInteger(Number(exact)) && Number(exact) === plain;
	}
	if (Array.isArray(exact) && Array.isArray(plain)) {
		return exact.length === plain.length && exact.every((v, i) => sameButBigIntegers(v, plain[i]));
	}
	if (exact !== null && plain !== null && typeof exact === 'object' && typeof plain === 'object') {
		const a = Object.keys(exact);
		const b = Object.keys(plain);
		return a.length === b.length && a.every((k, i) => k === b[i] && sameButBigIntegers((exact as Record<string, unknown>)[k], (plain as Record<string, unknown>)[k]));
	}
	return Object.is(exact, plain);
}

describe('quoteUnsafeIntegers', () => {
	it('quotes integers over 2^53 − 1 and nothing else', () => {
		expect(quoteUnsafeIntegers('{"device": 123456789012345678901, "ts": 1732540800123456789, "v": 1.5}')).toBe(
			'{"device": "123456789012345678901", "ts": "1732540800123456789", "v": 1.5}'
		);
		expect(quoteUnsafeIntegers('[9007199254740991,9007199254740992,-9007199254740993]')).toBe(
			'[9007199254740991,"9007199254740992","-9007199254740993"]'
		);
		// Fractions, exponents, leading zeros, 41+ digits and strings stay as they are.
		for (const text of ['[12345678901234567890.5]', '[12345678901234567890e2]', '[012345678901234567890]', `[${'1'.repeat(41)}]`, '["123456789012345678901"]', '["a\\"123456789012345678901"]', '["\\\\",123]']) {
			expect(quoteUnsafeIntegers(text), text).toBe(text);
		}
		expect(quoteUnsafeIntegers('["\\\\",123456789012345678901]')).toBe('["\\\\","123456789012345678901"]');
	});

	it('keeps invalid JSON invalid: a literal in key position is left as it was', () => {
		for (const text of ['{123456789012345678901: 1}', '{123456789012345678901\n :1}', '{"a": 123456789012345678901', '123456789012345678901abc', '[1 123456789012345678901]', '"abc', '{"a":"x\\"}, 123456789012345678901']) {
			expect(tryParse(quoteUnsafeIntegers(text)).ok, text).toBe(false);
		}
	});

	it('walks huge and deeply nested frames without recursion, in linear time', () => {
		const deep = '['.repeat(500_000) + '123456789012345678901' + ']'.repeat(500_000);
		const out = quoteUnsafeIntegers(deep);
		expect(out.length).toBe(deep.length + 2);
		const many = `[${Array.from({ length: 50_000 }, (_, i) => `12345678901234567${String(i).padStart(5, '0')}`).join(',')}]`;
		const started = performance.now();
		const parsed = parseJsonExact(many) as string[];
		expect(performance.now() - started).toBeLessThan(2000);
		expect(parsed[49_999]).toBe('1234567890123456749999');
		// An unterminated string with a million escaped quotes.
		expect(quoteUnsafeIntegers('"' + '\\"'.repeat(1_000_000))).toHaveLength(2_000_001);
	});

	it('precheck: only 16-digit runs from 9 on, or 17+ digits, can hold an unsafe integer', () => {
		expect(mayHoldUnsafeIntegers('{"t":1732540800123456,"p":1.5}')).toBe(false);
		expect(mayHoldUnsafeIntegers('{"t":9007199254740992}')).toBe(true);
		expect(mayHoldUnsafeIntegers('{"t":17325408001234567}')).toBe(true);
	});

	it('property: 5,000 random documents parse to the same structure, big integers as their exact text', () => {
		const rng = new Random(8);
		generatedBig = 0;
		for (let n = 0; n < 5000; n++) {
			const doc = value(rng, 0);
			const text = ws(rng) + doc.text + ws(rng);
			expect(parseJsonExact(text), text).toEqual(doc.exact);
			expect(sameButBigIntegers(parseJsonExact(text), JSON.parse(text)), text).toBe(true);
		}
		expect(generatedBig).toBeGreaterThan(2000);
	});

	it('property: 5,000 damaged documents are valid after quoting exactly when they were before', () => {
		const rng = new Random(9);
		const pieces = ['{', '}', '[', ']', '"', ':', ',', '\\', '\n', ' ', '-', '.', 'e', '0', '123456789012345678901'];
		let valid = 0;
		for (let n = 0; n < 5000; n++) {
			let text = value(rng, 0).text;
			if (rng.int(2) === 0) text = text.slice(0, rng.int(text.length + 1));
			for (let i = rng.int(4); i > 0; i--) {
				const at = rng.int(text.length + 1);
				text = text.slice(0, at) + pieces[rng.int(pieces.length)] + text.slice(at + rng.int(3));
			}
			const plain = tryParse(text);
			const exact = tryParse(quoteUnsafeIntegers(text));
			expect(exact.ok, text).toBe(plain.ok);
			if (plain.ok && exact.ok) {
				valid++;
				expect(sameButBigIntegers(exact.value, plain.value), text).toBe(true);
			}
		}
		expect(valid).toBeGreaterThan(300);
	});
});
