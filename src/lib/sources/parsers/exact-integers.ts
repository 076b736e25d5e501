/**
 * JSON integer literals beyond Number.MAX_SAFE_INTEGER keep their exact digits. JSON.parse
 * would turn a 20-digit device id into the nearest double (123456789012345678901 →
 * 123456789012345680000), and a series named after it would carry the wrong name. Such
 * literals are quoted before parsing, so they arrive as strings of their digits: a name reads
 * them as text, `readNumber` still reads them as the same double where a number is wanted,
 * and `toEpochMs` converts a nanosecond stamp from its digits without losing the fraction.
 *
 * The decoder parses plainly and calls quoteUnsafeIntegers only for a document whose key,
 * time or filter field came out beyond 2^53 (decoder.ts, isRounded); detection, off the hot
 * path, uses parseJsonExact. A scanner rather than JSON.parse's reviver `context.source`:
 * Node 20 lacks that, and a reviver costs a call per value.
 */

/**
 * The only digit runs that can exceed 2^53 − 1 = 9007199254740991 (16 digits): 16 digits
 * starting with 9, or 17 and more (JSON allows no leading zeros); a 16-digit µs epoch (~1.7e15)
 * does not match. Tried only where a run starts (`^|\D`): unanchored, every digit of a 13-digit
 * ms stamp starts a new attempt, and the test cost as much as JSON.parse of a Binance trade
 * (~0.5 µs); anchored it is ~0.15 µs.
 */
const MAYBE_UNSAFE = /(?:^|\D)(?:9\d{15}|\d{17})/;
const MAX_SAFE_TEXT = String(Number.MAX_SAFE_INTEGER);
/**
 * Longer literals are no id (a 128-bit one has 39 digits) but overflow: they stay numbers, so a
 * 400-digit literal still reads as Infinity ('not-finite'), as before.
 */
const MAX_ID_DIGITS = 40;
/** 16 to 40 digits, optional minus: the text an unsafe integer literal turns into. */
const LONG_INTEGER_TEXT = /^-?[1-9]\d{15,39}$/;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;

/** Whether `text` may hold an integer literal beyond 2^53 − 1; false is certain. Linear. */
export function mayHoldUnsafeIntegers(text: string): boolean {
	return MAYBE_UNSAFE.test(text);
}

/**
 * An integer of 16 or more digits, as a number or as digit text: an id or a raw epoch, never a
 * measurement worth a chart (and beyond 2^53 no double holds it exactly).
 */
export function isLongInteger(value: unknown): boolean {
	if (typeof value === 'number') return Number.isInteger(value) && Math.abs(value) >= 1e15;
	return typeof value === 'string' && LONG_INTEGER_TEXT.test(value);
}

/** 1 for the characters that end a bare JSON token: whitespace, structure and the quote. */
const DELIMITER = new Uint8Array(128);
for (const c of ' \t\n\r,:[]{}"') DELIMITER[c.charCodeAt(0)] = 1;

function endsToken(c: number): boolean {
	return c < 128 && DELIMITER[c] === 1;
}

function isWhitespace(c: number): boolean {
	return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** `text[start, end)` is a JSON integer literal whose magnitude is over 2^53 − 1. */
function isUnsafeInteger(text: string, start: number, end: number): boolean {
	const first = text.charCodeAt(start) === MINUS ? start + 1 : start;
	const digits = end - first;
	if (digits < 16 || digits > MAX_ID_DIGITS || text.charCodeAt(first) === ZERO) return false;
	for (let i = first; i < end; i++) {
		const c = text.charCodeAt(i);
		if (c < ZERO || c > NINE) return false;
	}
	// Equal-length digit strings compare like the numbers they write.
	return digits > 16 || text.slice(first, end) > MAX_SAFE_TEXT;
}

/**
 * `text` with every integer literal beyond 2^53 − 1 (up to 40 digits) wrapped in quotes;
 * `text` itself when there is none. Literals inside strings are left alone. Linear, no
 * recursion, never throws: it does not validate, JSON.parse does that afterwards.
 *
 * Valid JSON stays valid with the same structure, and invalid JSON stays invalid: a string
 * may stand wherever a number may, and the one place only a string may (an object key) is
 * recognised by the colon after it, where a literal is left as it was.
 */
export function quoteUnsafeIntegers(text: string): string {
	const n = text.length;
	let out = '';
	// text[0, copied) is in `out` already.
	let copied = 0;
	let i = 0;
	while (i < n) {
		const c = text.charCodeAt(i);
		if (c === QUOTE) {
			// Skip the string: its end is the first quote preceded by an even run of backslashes.
			let close = text.indexOf('"', i + 1);
			for (;;) {
				if (close < 0) return copied === 0 ? text : out + text.slice(copied);
				let slashes = 0;
				while (text.charCodeAt(close - 1 - slashes) === BACKSLASH) slashes++;
				if ((slashes & 1) === 0) break;
				close = text.indexOf('"', close + 1);
			}
			i = close + 1;
			continue;
		}
		if (endsToken(c)) {
			i++;
			continue;
		}
		const start = i;
		i++;
		while (i < n && !endsToken(text.charCodeAt(i))) i++;
		if (i - start < 16 || !isUnsafeInteger(text, start, i)) continue;
		let next = i;
		while (next < n && isWhitespace(text.charCodeAt(next))) next++;
		if (text.charCodeAt(next) === COLON) continue;
		out += text.slice(copied, start) + '"' + text.slice(start, i) + '"';
		copied = i;
	}
	return copied === 0 ? text : out + text.slice(copied);
}

/** JSON.parse with unsafe integer literals as their exact digit text; throws like JSON.parse. */
export function parseJsonExact(text: string): unknown {
	return JSON.parse(MAYBE_UNSAFE.test(text) ? quoteUnsafeIntegers(text) : text);
}
