import type { RowWindow } from './row-window';

/** One NAB data file as columns. */
export interface NabSeries {
	/** As written in the file, `YYYY-MM-DD HH:MM:SS`; label bounds are looked up here. */
	timestamps: string[];
	values: Float64Array;
	/** Epoch ms, the naive timestamps read as UTC. */
	times: Float64Array;
}

/** A data file with its truth, ready to score. */
export interface NabFile {
	/** `<category>/<file>.csv`, the key used in combined_windows.json. */
	name: string;
	rows: number;
	series: NabSeries;
	windows: RowWindow[];
}

/** NAB ignores detections in the first 15 % of a file, capped at 750 rows (= 0.15 · 5000). */
export function probationRows(rows: number): number {
	return Math.min(Math.floor(0.15 * rows), 750);
}

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/** `YYYY-MM-DD HH:MM:SS` (naive) as epoch ms in UTC; NaN when the text has another shape. */
export function parseNabTimestamp(text: string): number {
	const m = TIMESTAMP.exec(text);
	if (m === null) return Number.NaN;
	return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
}

/** Data lines of a CSV text: CRLF or LF, with or without a final newline; blank lines dropped. */
function csvLines(text: string): string[] {
	const lines = text.split('\n');
	const out: string[] = [];
	for (const line of lines) {
		const clean = line.endsWith('\r') ? line.slice(0, -1) : line;
		if (clean.length > 0) out.push(clean);
	}
	return out;
}

/** Parse a NAB data CSV (`timestamp,value` header). Throws on a malformed row, naming its line. */
export function parseNabCsv(text: string): NabSeries {
	const lines = csvLines(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
	if (lines.length === 0 || lines[0] !== 'timestamp,value') {
		throw new Error(`NAB CSV: expected header "timestamp,value", got "${lines[0] ?? ''}"`);
	}
	const rows = lines.length - 1;
	const timestamps = new Array<string>(rows);
	const values = new Float64Array(rows);
	const times = new Float64Array(rows);
	for (let r = 0; r < rows; r++) {
		const line = lines[r + 1];
		const comma = line.indexOf(',');
		const stamp = comma < 0 ? line : line.slice(0, comma);
		const time = parseNabTimestamp(stamp);
		const valueText = comma < 0 ? '' : line.slice(comma + 1);
		// Number('') is 0, so an empty value field must be caught before it becomes a real zero.
		const value = valueText.trim() === '' ? Number.NaN : Number(valueText);
		if (Number.isNaN(time) || Number.isNaN(value)) {
			throw new Error(`NAB CSV: bad row at line ${r + 2}: "${line}"`);
		}
		timestamps[r] = stamp;
		values[r] = value;
		times[r] = time;
	}
	return { timestamps, values, times };
}

/** Window bounds per file as written in combined_windows.json. */
export type NabWindowLabels = Record<string, [string, string][]>;

/** Parse combined_windows.json, checking its shape (file key → list of [start, end] strings). */
export function parseNabWindowsJson(text: string): NabWindowLabels {
	const parsed: unknown = JSON.parse(text);
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
		throw new Error('NAB windows: expected an object keyed by file');
	}
	const out: NabWindowLabels = {};
	for (const [name, list] of Object.entries(parsed)) {
		if (!Array.isArray(list)) throw new Error(`NAB windows: ${name} is not a list`);
		out[name] = list.map((pair: unknown) => {
			if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string' || typeof pair[1] !== 'string') {
				throw new Error(`NAB windows: ${name} has a bound pair that is not [string, string]`);
			}
			return [pair[0], pair[1]];
		});
	}
	return out;
}

/** A label bound `YYYY-MM-DD HH:MM:SS.000000` as the file writes it (the fraction is always zero). */
function boundText(bound: string): string {
	return bound.endsWith('.000000') ? bound.slice(0, -7) : bound;
}

/**
 * Label bounds → inclusive row ranges. A timestamp that occurs twice resolves to its FIRST row,
 * as NAB's sweeper does (`timestamps.index(...)`). Throws when a bound is missing from the file,
 * a window ends before it starts, or windows are out of order or overlap (the scorer walks them
 * in order, as NAB does).
 */
export function windowRows(timestamps: readonly string[], bounds: readonly (readonly [string, string])[]): RowWindow[] {
	let previousEnd = -1;
	return bounds.map(([start, end]) => {
		const startRow = timestamps.indexOf(boundText(start));
		const endRow = timestamps.indexOf(boundText(end));
		if (startRow < 0 || endRow < 0) throw new Error(`NAB windows: bound ${startRow < 0 ? start : end} is not in the file`);
		if (endRow < startRow) throw new Error(`NAB windows: window ${start} … ${end} ends before it starts`);
		if (startRow <= previousEnd) throw new Error(`NAB windows: window ${start} … ${end} overlaps or precedes the one before`);
		previousEnd = endRow;
		return [startRow, endRow] as const;
	});
}

/** The `anomaly_score` column of a NAB results CSV (`timestamp,value,anomaly_score,...`). */
export function parseNabResultsScores(text: string): Float64Array {
	const lines = csvLines(text);
	const column = lines.length === 0 ? -1 : lines[0].split(',').indexOf('anomaly_score');
	if (column < 0) throw new Error('NAB results: no anomaly_score column in the header');
	const scores = new Float64Array(lines.length - 1);
	for (let r = 1; r < lines.length; r++) {
		const field = lines[r].split(',')[column];
		const score = field === undefined || field === '' ? Number.NaN : Number(field);
		if (Number.isNaN(score)) throw new Error(`NAB results: bad anomaly_score at line ${r + 1}`);
		scores[r - 1] = score;
	}
	return scores;
}
