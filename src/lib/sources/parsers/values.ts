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
// For digit text the same bounds are counts of integer digits: up to 11 is s, 12–14 ms,
// 15–17 µs, 18 and more ns (e.g. 1732540800123456789, 19 digits, is ns).
const MAX_AUTO_S = 1e11;
const MAX_AUTO_MS = 1e14;
const MAX_AUTO_US = 1e17;
const MAX_S_DIGITS = 11;
const MAX_MS_DIGITS = 14;
const MAX_US_DIGITS = 17;

type EpochUnit = 's' | 'ms' | 'us' | 'ns';

/** Powers of ten from an epoch unit to ms: ms = value × 10^shift. */
const SHIFT: Record<EpochUnit, number> = { s: 3, ms: 0, us: -3, ns: -6 };

/** The unit a numeric epoch most likely has, by magnitude. */
export function guessEpochUnit(n: number): EpochUnit {
	const abs = Math.abs(n);
	return abs < MAX_AUTO_S ? 's' : abs < MAX_AUTO_MS ? 'ms' : abs < MAX_AUTO_US ? 'us' : 'ns';
}

/** The same guess from the count of integer digits (leading zeros not counted). */
function guessDigitsUnit(digits: number): EpochUnit {
	return digits <= MAX_S_DIGITS ? 's' : digits <= MAX_MS_DIGITS ? 'ms' : digits <= MAX_US_DIGITS ? 'us' : 'ns';
}

function isEpochUnit(unit: string): unit is EpochUnit {
	return unit === 's' || unit === 'ms' || unit === 'us' || unit === 'ns';
}

function numberToMs(n: number, unit: string): number {
	switch (isEpochUnit(unit) ? unit : guessEpochUnit(n)) {
		case 's':
			return n * 1000;
		case 'ms':
			return n;
		case 'us':
			return n / 1e3;
		case 'ns':
			return n / 1e6;
	}
}

/**
 * A plain decimal epoch: sign, integer digits (leading zeros left out of the group), optional
 * fraction; at least one digit. No exponent: "1.7e18" goes the way of any number.
 */
const DECIMAL_EPOCH = /^\s*([-+]?)(?=\.?\d)0*(\d*)(?:\.(\d*))?\s*$/;
/** Longer digit text is no epoch; it would only cost string work. */
const MAX_EPOCH_CHARS = 40;

/**
 * Epoch ms from decimal text by moving the decimal point, then one correctly rounded
 * conversion: "1732540800123456789" ns → Number("1732540800123.456789"). Dividing the nearest
 * double of the whole (Number(text) / 1e6) would round twice, the first time to 256 ns. The
 * result is the double nearest the exact value (its step near 1.7e12 ms is 2^-12 ms ≈ 0.24 µs).
 * NaN when the text is not plain decimal digits.
 */
function decimalToMs(text: string, unit: string): number {
	if (text.length > MAX_EPOCH_CHARS) return NaN;
	const m = DECIMAL_EPOCH.exec(text);
	if (m === null) return NaN;
	const sign = m[1] === '-' ? '-' : '';
	const whole = m[2];
	const fraction = m[3] ?? '';
	const shift = SHIFT[isEpochUnit(unit) ? unit : guessDigitsUnit(whole.length)];
	let int: string;
	let frac: string;
	if (shift >= 0) {
		int = whole + fraction.slice(0, shift).padEnd(shift, '0');
		frac = fraction.slice(shift);
	} else if (whole.length > -shift) {
		int = whole.slice(0, whole.length + shift);
		frac = whole.slice(whole.length + shift) + fraction;
	} else {
		int = '0';
		frac = whole.padStart(-shift, '0') + fraction;
	}
	return Number(sign + (int === '' ? '0' : int) + (frac === '' ? '' : '.' + frac));
}

/**
 * Epoch milliseconds from a number, numeric string or ISO string; NaN when unparseable.
 * Decimal text (exact digits of a big literal, see exact-integers.ts) is converted from its
 * digits; numbers by magnitude (`auto`) or the given unit.
 */
export function toEpochMs(value: unknown, unit: string): number {
	if (typeof value === 'number') return Number.isFinite(value) ? numberToMs(value, unit) : NaN;
	if (typeof value !== 'string') return NaN;
	if (unit !== 'iso') {
		const exact = decimalToMs(value, unit);
		if (exact === exact) return exact;
		const n = readNumber(value);
		if (Number.isFinite(n)) return numberToMs(n, unit);
	}
	return parseIsoMs(value);
}

/**
 * The unit `auto` reads an epoch value in, by the bounds above: by magnitude for a number, by
 * integer digits for decimal text; null when the value is no plain epoch number.
 */
export function epochUnitOf(value: unknown): EpochUnit | null {
	if (typeof value === 'number') return Number.isFinite(value) ? guessEpochUnit(value) : null;
	if (typeof value !== 'string' || value.length > MAX_EPOCH_CHARS) return null;
	const m = DECIMAL_EPOCH.exec(value);
	if (m !== null) return guessDigitsUnit(m[2].length);
	const n = readNumber(value);
	return Number.isFinite(n) ? guessEpochUnit(n) : null;
}

/** Ground-truth flag from a boolean, 0/1 or "true"/"false"; undefined otherwise. */
export function readTruth(value: unknown): boolean | undefined {
	if (typeof value === 'boolean') return value;
	if (value === 1 || value === 'true' || value === '1') return true;
	if (value === 0 || value === 'false' || value === '0') return false;
	return undefined;
}
