import type { Anomaly } from '$lib/domain/anomaly';
import type { SeriesInfo } from '$lib/domain/series';
import { isoTime, jsonNumber, numberCell, numberText, textCell } from './csv-cell';

/**
 * Exports as generators of string chunks, so a 10M-tick series never becomes one string:
 * `new Blob(Array.from(ticksCsv(...)), { type: 'text/csv' })`, or write each chunk to a stream.
 */

/** One series' ticks as columns; `n` (default t.length) lets a buffer with spare room be passed. */
export interface TickColumns {
	t: Float64Array;
	v: Float64Array;
	n?: number;
}

export interface ChunkOptions {
	/** Rows per chunk; 8192 rows ≈ 400 kB of CSV, small enough to never stall a worker for long. */
	rowsPerChunk?: number;
}

const ROWS_PER_CHUNK = 8192;
/** RFC 4180 §2.1: records end with CRLF; the importer reads LF, CR and CRLF alike. */
const EOL = '\r\n';

export const TICKS_CSV_HEADER = 'timestamp,value,epoch_ms';
export const ANOMALIES_CSV_HEADER = 'time,series,value,expected,lower,upper,score,detector,verdict,epoch_ms';

function rowCount(ticks: TickColumns): number {
	return Math.max(0, Math.min(ticks.n ?? ticks.t.length, ticks.t.length, ticks.v.length));
}

function chunkRows(options: ChunkOptions | undefined): number {
	const rows = options?.rowsPerChunk ?? ROWS_PER_CHUNK;
	return rows >= 1 ? Math.floor(rows) : ROWS_PER_CHUNK;
}

/**
 * `timestamp,value,epoch_ms`: the ISO time for people and spreadsheets, and epoch_ms because
 * ISO keeps whole milliseconds only — the importer prefers epoch_ms, so times round-trip exactly.
 */
export function* ticksCsv(ticks: TickColumns, options?: ChunkOptions): Generator<string> {
	const n = rowCount(ticks);
	const per = chunkRows(options);
	const { t, v } = ticks;
	let chunk = TICKS_CSV_HEADER + EOL;
	for (let i = 0; i < n; i++) {
		chunk += isoTime(t[i]) + ',' + numberText(v[i]) + ',' + numberText(t[i]) + EOL;
		if ((i + 1) % per === 0) {
			yield chunk;
			chunk = '';
		}
	}
	if (chunk !== '') yield chunk;
}

/** `{ "series": {key,label,unit,kind}, "ticks": [[t, v], …] }`; NaN values are written as null. */
export function* ticksJson(ticks: TickColumns, info: SeriesInfo, options?: ChunkOptions): Generator<string> {
	const n = rowCount(ticks);
	const per = chunkRows(options);
	const { t, v } = ticks;
	const series = { key: info.key, label: info.label, unit: info.unit, kind: info.kind };
	let chunk = '{"series":' + JSON.stringify(series) + ',"ticks":[';
	for (let i = 0; i < n; i++) {
		chunk += (i === 0 ? '[' : ',[') + jsonNumber(t[i]) + ',' + jsonNumber(v[i]) + ']';
		if ((i + 1) % per === 0) {
			yield chunk;
			chunk = '';
		}
	}
	yield chunk + ']}\n';
}

export type Verdict = 'hit' | 'false alarm' | 'unknown';

export function verdictOf(anomaly: Anomaly): Verdict {
	return anomaly.truth === true ? 'hit' : anomaly.truth === false ? 'false alarm' : 'unknown';
}

/** A series key for the log; an id missing from the map (series deleted since) is written `#id`. */
function seriesKeyOf(keys: ReadonlyMap<number, string>, id: number): string {
	return keys.get(id) ?? `#${id}`;
}

/** The anomaly log as CSV; series key and detector are text cells, so they are defused. */
export function* anomaliesCsv(
	anomalies: readonly Anomaly[],
	seriesKeys: ReadonlyMap<number, string>,
	options?: ChunkOptions
): Generator<string> {
	const per = chunkRows(options);
	let chunk = ANOMALIES_CSV_HEADER + EOL;
	for (let i = 0; i < anomalies.length; i++) {
		const a = anomalies[i];
		chunk +=
			[
				isoTime(a.t),
				textCell(seriesKeyOf(seriesKeys, a.seriesId)),
				numberText(a.v),
				numberText(a.expected),
				numberCell(a.lower),
				numberCell(a.upper),
				numberText(a.score),
				textCell(a.detector),
				verdictOf(a),
				numberText(a.t)
			].join(',') + EOL;
		if ((i + 1) % per === 0) {
			yield chunk;
			chunk = '';
		}
	}
	if (chunk !== '') yield chunk;
}

/** The anomaly log as `{ "anomalies": [{ time, t, series, value, … }] }`; absent bands are null. */
export function* anomaliesJson(
	anomalies: readonly Anomaly[],
	seriesKeys: ReadonlyMap<number, string>,
	options?: ChunkOptions
): Generator<string> {
	const per = chunkRows(options);
	let chunk = '{"anomalies":[';
	for (let i = 0; i < anomalies.length; i++) {
		const a = anomalies[i];
		chunk +=
			(i === 0 ? '{' : ',{') +
			`"time":${JSON.stringify(isoTime(a.t))},"t":${jsonNumber(a.t)},` +
			`"series":${JSON.stringify(seriesKeyOf(seriesKeys, a.seriesId))},` +
			`"value":${jsonNumber(a.v)},"expected":${jsonNumber(a.expected)},` +
			`"lower":${a.lower === undefined ? 'null' : jsonNumber(a.lower)},` +
			`"upper":${a.upper === undefined ? 'null' : jsonNumber(a.upper)},` +
			`"score":${jsonNumber(a.score)},"detector":${JSON.stringify(a.detector)},` +
			`"verdict":${JSON.stringify(verdictOf(a))}}`;
		if ((i + 1) % per === 0) {
			yield chunk;
			chunk = '';
		}
	}
	yield chunk + ']}\n';
}

/** Characters a file name must not carry on any common OS, plus controls. */
// eslint-disable-next-line no-control-regex
const UNSAFE_FILE_CHARS = /[\u0000-\u001f\u007f<>:"/\\|?*]+/g;

/** `sim-ACME-ticks-2024-05-01T10-00-00Z.csv`: a series key made safe as a download name. */
export function exportFileName(key: string, what: 'ticks' | 'anomalies', ext: 'csv' | 'json', now: number): string {
	const safeKey = key.replace(UNSAFE_FILE_CHARS, '-').replace(/^[.-]+|-+$/g, '').slice(0, 80) || 'series';
	const stamp = isoTime(now).replace(/\.\d{3}Z$/, 'Z').replaceAll(':', '-');
	return `${safeKey}-${what}${stamp === '' ? '' : '-' + stamp}.${ext}`;
}
