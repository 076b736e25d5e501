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

/** ISO 8601 UTC with milliseconds; '' for a time no Date can hold (never throws). */
export function isoTime(ms: number): string {
	return Number.isFinite(ms) && Math.abs(ms) <= MAX_DATE_MS ? new Date(ms).toISOString() : '';
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
