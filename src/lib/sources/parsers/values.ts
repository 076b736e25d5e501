/** Number and time coercion for untrusted feed values. No throws, no allocation on numbers. */

/** Decimal numbers only: `Number()` alone would accept '', ' ', '0x1f', '0b1' and 'Infinity'. */
const NUMERIC = /^\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\s*$/;
const NON_FINITE_WORD = /^\s*[-+]?(?:nan|inf|infinity)\s*$/i;
/** Longest numeric string parsed; 64 chars covers any double written out in full. */
const MAX_NUMERIC_CHARS = 64;

/**
 * Reads a number or numeric string ("43274.93"). Returns NaN when there is no number and
 * ±Infinity for non-finite ones ("NaN", "Infinity", 1e999), so callers tell the two apart.
 */
export function readNumber(value: unknown): number {
	if (typeof value === 'number') return value !== value ? Infinity : value;
	if (typeof value !== 'string' || value.length > MAX_NUMERIC_CHARS) return NaN;
	if (NUMERIC.test(value)) return Number(value);
	return NON_FINITE_WORD.test(value) ? Infinity : NaN;
}

/** ISO 8601 date or date-time, optional fraction and zone; space allowed instead of T. */
const ISO_DATE =
	/^\d{4}-\d{2}-\d{2}(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}:?\d{2})?)?$/i;

/** Milliseconds since the epoch for an ISO string, NaN when it is not one. */
export function parseIsoMs(text: string): number {
	if (text.length > 40) return NaN;
	const m = ISO_DATE.exec(text);
	if (!m) return NaN;
	let iso = text.replace(' ', 'T');
	// A date-time without zone would be read as the worker's local time; feeds mean UTC.
	if (m[1] !== undefined && m[2] === undefined) iso += 'Z';
	return Date.parse(iso);
}

// Magnitude bounds for 'auto': 1e11 s is year 5138 and 1e11 ms is 1973, so a present-day
// epoch falls clearly on one side of each bound (s ~1.8e9, ms ~1.8e12, µs ~1.8e15, ns ~1.8e18).
const MAX_AUTO_S = 1e11;
const MAX_AUTO_MS = 1e14;
const MAX_AUTO_US = 1e17;

function numberToMs(n: number, unit: string): number {
	switch (unit) {
		case 's':
			return n * 1000;
		case 'ms':
			return n;
		case 'us':
			return n / 1e3;
		case 'ns':
			return n / 1e6;
	}
	const abs = Math.abs(n);
	if (abs < MAX_AUTO_S) return n * 1000;
	if (abs < MAX_AUTO_MS) return n;
	if (abs < MAX_AUTO_US) return n / 1e3;
	return n / 1e6;
}

/** Epoch milliseconds from a number, numeric string or ISO string; NaN when unparseable. */
export function toEpochMs(value: unknown, unit: string): number {
	if (typeof value === 'number') return Number.isFinite(value) ? numberToMs(value, unit) : NaN;
	if (typeof value !== 'string') return NaN;
	if (unit !== 'iso') {
		const n = readNumber(value);
		if (Number.isFinite(n)) return numberToMs(n, unit);
	}
	return parseIsoMs(value);
}

/** The unit a numeric epoch most likely has, by magnitude. */
export function guessEpochUnit(n: number): 's' | 'ms' | 'us' | 'ns' {
	const abs = Math.abs(n);
	return abs < MAX_AUTO_S ? 's' : abs < MAX_AUTO_MS ? 'ms' : abs < MAX_AUTO_US ? 'us' : 'ns';
}

/** Ground-truth flag from a boolean, 0/1 or "true"/"false"; undefined otherwise. */
export function readTruth(value: unknown): boolean | undefined {
	if (typeof value === 'boolean') return value;
	if (value === 1 || value === 'true' || value === '1') return true;
	if (value === 0 || value === 'false' || value === '0') return false;
	return undefined;
}
