import { readNumber, readTruth } from '$lib/sources/parsers/values';
import { sanitizeKey } from '$lib/sources/parsers/mapping';
import type { Delimiter } from './csv-tokenizer';
import { epochUnitFor, parseTextTime, sampleTime, timeName, type TimeUnit } from './time-column';

/**
 * Decides, from the first rows of a CSV, which line is the header, which column is the time,
 * which are values and which is a truth label. Column names are only ever array entries and
 * Map/Set keys here, never object keys, so a `__proto__` header is plain text.
 */

export interface CsvPlanOptions {
	hasHeader?: boolean;
	/** Index (0-based) or header name (case-insensitive) of the time column. */
	timeColumn?: number | string;
	timeUnit?: TimeUnit;
}

export interface CsvPlan {
	hasHeader: boolean;
	/** -1 when no column holds times. */
	time: number;
	timeName: string;
	timeUnit: TimeUnit;
	values: { index: number; name: string }[];
	/** Index of a 0/1 or true/false truth column; -1 when there is none. */
	label: number;
	/** `;` files often write `1,5` for 1.5; read so only when the sample shows it. */
	decimalComma: boolean;
	notes: string[];
}

/** Value series per file; a wide export of hundreds of sensors is not what this import is for. */
export const MAX_VALUE_COLUMNS = 64;
const LABEL_NAMES = new Set(['label', 'labels', 'anomaly', 'anomalies', 'is_anomaly', 'isanomaly', 'anomalous', 'outlier', 'is_outlier', 'truth']);
const DECIMAL_COMMA = /^\s*[-+]?\d+,\d+\s*$/;

/** A value cell as a number: NaN = no number, ±Infinity = a non-finite one (counted apart). */
export function parseValue(cell: string, decimalComma: boolean): number {
	const v = readNumber(cell);
	if (v === v || !decimalComma || !DECIMAL_COMMA.test(cell)) return v;
	return Number(cell.replace(',', '.'));
}

type CellKind = 'empty' | 'number' | 'time' | 'text';

function kindOf(cell: string): CellKind {
	if (cell.trim() === '') return 'empty';
	if (Number.isFinite(readNumber(cell))) return 'number';
	return Number.isNaN(parseTextTime(cell)) ? 'text' : 'time';
}

/**
 * A header has a word where the next row has a number or time, or names a time column. A row
 * holding a date is data whatever else it holds (`2024-01-01,abc` is a bad row, not names).
 */
function looksLikeHeader(first: readonly string[], second: readonly string[] | undefined): boolean {
	if (first.some((cell) => kindOf(cell) === 'time')) return false;
	for (let i = 0; i < first.length; i++) {
		if (kindOf(first[i]) !== 'text') continue;
		if (timeName(first[i]) !== null || second === undefined || kindOf(second[i] ?? '') !== 'text') return true;
	}
	return false;
}

function share(cells: readonly string[], test: (cell: string) => boolean): number {
	let filled = 0;
	let hits = 0;
	for (const cell of cells) {
		if (cell.trim() === '') continue;
		filled++;
		if (test(cell)) hits++;
	}
	return filled === 0 ? 0 : hits / filled;
}

function columnName(name: string, index: number): string {
	return name === '' ? `Column ${index + 1}` : `Column "${name}"`;
}

/**
 * Mostly numbers (NaN/Infinity words count: they are numbers gone bad, rejected per cell).
 * The one column beside the time only needs one number: it is plainly the value, and its bad
 * cells are better counted than the whole file dropped.
 */
function isNumeric(cells: readonly string[], decimalComma: boolean, onlyValue: boolean): boolean {
	const numeric = share(cells, (c) => !Number.isNaN(parseValue(c, decimalComma)));
	return onlyValue ? numeric > 0 : numeric >= 0.5;
}

function uniqueNames(raw: readonly string[]): string[] {
	const seen = new Set<string>();
	return raw.map((text, i) => {
		const base = sanitizeKey(text.trim()) || `column${i + 1}`;
		let name = base;
		for (let k = 2; seen.has(name); k++) name = `${base} (${k})`;
		seen.add(name);
		return name;
	});
}

function chooseTime(names: string[] | null, columns: string[][], options: CsvPlanOptions, notes: string[]): number {
	const forced = options.timeColumn;
	if (typeof forced === 'number') return forced >= 0 && forced < columns.length ? forced : -1;
	if (typeof forced === 'string') {
		const want = forced.trim().toLowerCase();
		return names === null ? -1 : names.findIndex((name) => name.toLowerCase() === want);
	}
	if (names !== null) {
		let best = -1;
		let bestRank = Infinity;
		let fallback = -1;
		names.forEach((name, i) => {
			const named = timeName(name);
			if (named === null) return;
			if (fallback < 0) fallback = i;
			const s = sampleTime(columns[i]);
			const usable = s.text >= 0.5 || s.epoch >= 0.5 || (named.unit !== undefined && s.numbers >= 0.5);
			if (usable && named.rank < bestRank) {
				best = i;
				bestRank = named.rank;
			}
		});
		if (best >= 0) return best;
		if (fallback >= 0) {
			notes.push(`Column "${names[fallback]}" is named like a time but its first rows do not read as times.`);
			return fallback;
		}
	}
	const text = columns.findIndex((cells) => sampleTime(cells).text >= 0.8);
	return text >= 0 ? text : columns.findIndex((cells) => sampleTime(cells).epoch >= 0.8);
}

function describeUnit(unit: TimeUnit, median: number, declared: boolean): string {
	if (unit === 'nab') return 'NAB `YYYY-MM-DD HH:MM:SS`, read as UTC';
	if (unit === 'iso') return 'ISO 8601; times without a zone read as UTC';
	const words = { s: 'seconds', ms: 'milliseconds', us: 'microseconds', ns: 'nanoseconds' }[unit];
	if (declared) return `epoch ${words}, as its name says`;
	const magnitude = Number.isFinite(median) ? median.toPrecision(3) : '?';
	return `epoch ${words}, from the magnitude ${magnitude} (s < 1e11 ≤ ms < 1e14 ≤ µs < 1e17 ≤ ns)`;
}

/** `records` are the first rows of the file, header (if any) included. */
export function planCsv(records: readonly (readonly string[])[], delimiter: Delimiter, options: CsvPlanOptions = {}): CsvPlan {
	const notes: string[] = [];
	const hasHeader = options.hasHeader ?? (records.length > 0 && looksLikeHeader(records[0], records[1]));
	const width = records.reduce((w, r) => Math.max(w, r.length), 0);
	const rows = hasHeader ? records.slice(1) : records;
	const columns: string[][] = Array.from({ length: width }, (_, i) => rows.map((r) => r[i] ?? ''));
	const names = hasHeader ? uniqueNames(Array.from({ length: width }, (_, i) => records[0][i] ?? '')) : null;

	const time = chooseTime(names, columns, options, notes);
	let timeUnit: TimeUnit = 'iso';
	const timeLabel = time < 0 ? '' : names === null ? 'time' : names[time];
	if (time < 0) {
		notes.push('No time column: none is named timestamp/time/date/datetime/ts/epoch, and none holds dates or epoch numbers.');
	} else {
		const s = sampleTime(columns[time]);
		const declared = names === null ? undefined : timeName(names[time])?.unit;
		if (options.timeUnit !== undefined) timeUnit = options.timeUnit;
		else if (s.text >= 0.5 || s.numbers === 0) timeUnit = s.allNab ? 'nab' : 'iso';
		else timeUnit = declared ?? epochUnitFor(s.median);
		notes.push(`Time column "${timeLabel}": ${describeUnit(timeUnit, s.median, declared !== undefined && options.timeUnit === undefined)}.`);
	}

	const decimalComma = delimiter === ';' && columns.some((cells, i) => i !== time && share(cells, (c) => DECIMAL_COMMA.test(c)) > 0);
	if (decimalComma) notes.push('Numbers like "1,5" are read with a decimal comma (semicolon-separated file).');

	let label = -1;
	const values: { index: number; name: string }[] = [];
	const textColumns: string[] = [];
	let overflow = 0;
	for (let i = 0; i < width; i++) {
		if (i === time) continue;
		const name = names === null ? '' : names[i];
		const lower = name.toLowerCase();
		if (label < 0 && LABEL_NAMES.has(lower) && share(columns[i], (c) => readTruth(c.trim().toLowerCase()) !== undefined) >= 0.5) {
			label = i;
			notes.push(`Column "${name}" is read as a truth label (1/true = anomalous); its runs become label windows.`);
		} else if (names !== null && timeName(name) !== null) {
			notes.push(`Column "${name}" is another time column; not imported as a value.`);
		} else if (!isNumeric(columns[i], decimalComma, width === 2 && time >= 0)) {
			textColumns.push(columnName(name, i));
		} else if (values.length >= MAX_VALUE_COLUMNS) {
			overflow++;
		} else {
			values.push({ index: i, name });
		}
	}
	// One note each, however wide the file: a record may hold thousands of fields.
	if (textColumns.length > 0) {
		const listed = textColumns.slice(0, 10).join(', ') + (textColumns.length > 10 ? ` and ${textColumns.length - 10} more` : '');
		notes.push(`${listed} ${textColumns.length === 1 ? 'is' : 'are'} not numeric; ignored.`);
	}
	if (overflow > 0) notes.push(`${overflow} more numeric columns ignored: at most ${MAX_VALUE_COLUMNS} value columns per file.`);
	if (names === null) {
		values.forEach((v, k) => (v.name = values.length === 1 ? 'value' : `value${k + 1}`));
	}
	if (values.length === 0) notes.push('No numeric value column found.');
	return { hasHeader, time, timeName: timeLabel, timeUnit, values, label, decimalComma, notes };
}
