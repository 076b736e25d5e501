/** Writing single CSV cells: exact numbers, RFC 4180 quoting, spreadsheet formula defusing. */

/** Characters after which a spreadsheet reads a text cell as a formula (CWE-1236). */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A field containing any of these must be quoted (RFC 4180 §2.6). */
const NEEDS_QUOTES = /[",\r\n]/;
/** Outside ±8.64e15 ms a Date is invalid and toISOString throws. */
const MAX_DATE_MS = 8.64e15;

/**
 * Shortest text that parses back to the same double. `String(v)` already is, except that it
 * writes −0 as "0"; NaN and ±Infinity come out as words the importer counts as rejected.
 */
export function numberText(v: number): string {
	return v === 0 && 1 / v < 0 ? '-0' : String(v);
}

/** A number for JSON: as numberText, but NaN and ±Infinity (not JSON) become null. */
export function jsonNumber(v: number): string {
	return Number.isFinite(v) ? numberText(v) : 'null';
}

const DAY_MS = 86_400_000;
const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
/** One-entry memo of the date part: sorted ticks stay within a day for thousands of rows. */
let memoDay = NaN;
let memoPrefix = '';

/**
 * ISO 8601 UTC with milliseconds, exactly as `toISOString` writes it (fractions of a ms are
 * cut toward zero, as Date does); '' for a time no Date can hold, so it never throws. Only the
 * time of day is formatted per call: a Date per tick made this a third of a 10M-tick export.
 */
export function isoTime(ms: number): string {
	if (!(Math.abs(ms) <= MAX_DATE_MS)) return '';
	const whole = Math.trunc(ms);
	const day = Math.floor(whole / DAY_MS) * DAY_MS;
	if (day !== memoDay) {
		memoDay = day;
		// '2024-01-02T00:00:00.000Z' → '2024-01-02T' (the 13 chars cut are the time of day).
		memoPrefix = new Date(day).toISOString().slice(0, -13);
	}
	const inDay = whole - day;
	const seconds = Math.floor(inDay / 1000);
	const milli = inDay - seconds * 1000;
	return (
		memoPrefix +
		TWO_DIGITS[Math.floor(seconds / 3600)] +
		':' +
		TWO_DIGITS[Math.floor(seconds / 60) % 60] +
		':' +
		TWO_DIGITS[seconds % 60] +
		(milli < 10 ? '.00' : milli < 100 ? '.0' : '.') +
		milli +
		'Z'
	);
}

/**
 * A text cell, safe to open in a spreadsheet: a leading `'` stops `=`, `+`, `-`, `@`, tab and
 * CR from starting a formula (OWASP's advice), then RFC 4180 quoting. Numbers never pass here,
 * so a negative value stays a number.
 */
export function textCell(text: string): string {
	const safe = FORMULA_START.test(text) ? "'" + text : text;
	return NEEDS_QUOTES.test(safe) ? '"' + safe.replaceAll('"', '""') + '"' : safe;
}

/** A number cell; '' for undefined (an optional field such as a band edge). */
export function numberCell(v: number | undefined): string {
	return v === undefined ? '' : numberText(v);
}
