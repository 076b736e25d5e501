import { parseNabTimestamp } from '$lib/detectors/scoring/nab-data';
import { guessEpochUnit, parseIsoMs, readNumber } from '$lib/sources/parsers/values';

/**
 * How a CSV time column is read. 'nab' = `YYYY-MM-DD HH:MM:SS` as UTC, 'iso' = ISO 8601 (no zone
 * = UTC; NAB-shaped cells may be mixed in), the rest = epoch numbers in that unit.
 */
export type TimeUnit = 'nab' | 'iso' | 's' | 'ms' | 'us' | 'ns';
export type EpochUnit = 's' | 'ms' | 'us' | 'ns';

/** Outside ±8.64e15 ms no Date exists; such a time is a wrong unit or a corrupt cell. */
const MAX_DATE_MS = 8.64e15;
/** Epoch seconds below 1e8 are before March 1973: row numbers or offsets, not clock times. */
export const MIN_PLAUSIBLE_EPOCH = 1e8;
/** Beyond 1e20 even nanoseconds reach year 5138. */
const MAX_PLAUSIBLE_EPOCH = 1e20;

const UNIT_WORDS: Record<string, EpochUnit> = Object.assign(Object.create(null), {
	s: 's',
	sec: 's',
	secs: 's',
	seconds: 's',
	ms: 'ms',
	millis: 'ms',
	milliseconds: 'ms',
	us: 'us',
	µs: 'us',
	micros: 'us',
	microseconds: 'us',
	ns: 'ns',
	nanos: 'ns',
	nanoseconds: 'ns'
});

/**
 * Time column names, best first, with the unit a suffix declares: `epoch_ms`, `time (s)`,
 * `timestamp`, `Date`. A separator is required before the unit, so `times` is not `time` + s.
 */
const TIME_NAME =
	/^(time[ _]?stamp|date[ _]?time|time|ts|epoch|unix(?:[ _]?time)?|date)(?:[ _.-]?utc)?(?:[ _.-]\(?([a-zµ]+)\)?|\s*\(([a-zµ]+)\))?$/;
/** By base word, separators removed; `date` last, as a date alone is the coarsest time. */
const NAME_RANK = ['timestamp', 'datetime', 'time', 'ts', 'epoch', 'unix', 'unixtime', 'date'];

export interface TimeName {
	/** Lower is better: declared units first (the exporter's exact epoch_ms), then by NAME_RANK. */
	rank: number;
	unit: EpochUnit | undefined;
}

/** Whether a header names a time column, and the unit it declares; null when it does not. */
export function timeName(header: string): TimeName | null {
	const m = TIME_NAME.exec(header.trim().toLowerCase());
	if (m === null) return null;
	const word = m[2] ?? m[3];
	const unit = word === undefined ? undefined : UNIT_WORDS[word];
	if (word !== undefined && unit === undefined) return null;
	return { rank: (unit === undefined ? 100 : 0) + NAME_RANK.indexOf(m[1].replace(/[ _]/g, '')), unit };
}

/** A text time (NAB or ISO) as epoch ms; NaN when the cell is neither. */
export function parseTextTime(cell: string): number {
	const text = cell.trim();
	const nab = parseNabTimestamp(text);
	return nab === nab ? nab : parseIsoMs(text);
}

export function isNabTime(cell: string): boolean {
	return !Number.isNaN(parseNabTimestamp(cell.trim()));
}

/** Epoch number → ms. Finite-only: NaN for anything a Date cannot hold. */
export function epochToMs(n: number, unit: EpochUnit): number {
	const ms = unit === 's' ? n * 1000 : unit === 'ms' ? n : unit === 'us' ? n / 1e3 : n / 1e6;
	return Math.abs(ms) <= MAX_DATE_MS ? ms : NaN;
}

/** A cell of a time column read as `unit`; NaN when it does not parse or no Date can hold it. */
export function parseTimeCell(cell: string, unit: TimeUnit): number {
	if (unit === 'nab' || unit === 'iso') {
		const ms = parseTextTime(cell);
		return Math.abs(ms) <= MAX_DATE_MS ? ms : NaN;
	}
	const n = readNumber(cell);
	return Number.isFinite(n) ? epochToMs(n, unit) : NaN;
}

/** What a sample of one column's cells looks like as time. */
export interface TimeSample {
	/** Share of non-empty cells that are NAB or ISO text times. */
	text: number;
	/** Share of non-empty cells that are finite numbers. */
	numbers: number;
	/** Share of non-empty cells that are numbers of plausible epoch magnitude (≥ 1e8). */
	epoch: number;
	/** All text times were NAB-shaped. */
	allNab: boolean;
	/** Median magnitude of the numbers (NaN without any). */
	median: number;
}

export function sampleTime(cells: readonly string[]): TimeSample {
	let filled = 0;
	let text = 0;
	let nab = 0;
	let epoch = 0;
	const numbers: number[] = [];
	for (const cell of cells) {
		if (cell.trim() === '') continue;
		filled++;
		const n = readNumber(cell);
		if (Number.isFinite(n)) {
			const abs = Math.abs(n);
			numbers.push(abs);
			if (abs >= MIN_PLAUSIBLE_EPOCH && abs < MAX_PLAUSIBLE_EPOCH) epoch++;
		} else if (!Number.isNaN(parseTextTime(cell))) {
			text++;
			if (isNabTime(cell)) nab++;
		}
	}
	numbers.sort((a, b) => a - b);
	return {
		text: filled === 0 ? 0 : text / filled,
		numbers: filled === 0 ? 0 : numbers.length / filled,
		epoch: filled === 0 ? 0 : epoch / filled,
		allNab: text > 0 && nab === text,
		median: numbers.length === 0 ? NaN : numbers[numbers.length >> 1]
	};
}

/**
 * The epoch unit for a column, decided once from its median magnitude (s < 1e11 ≤ ms < 1e14 ≤
 * µs < 1e17 ≤ ns), never per row: a column that mixed units would scramble its order.
 */
export function epochUnitFor(median: number): EpochUnit {
	return Number.isFinite(median) ? guessEpochUnit(median) : 'ms';
}
