import { parseNabTimestamp } from '$lib/detectors/scoring/nab-data';
import { sanitizeKey } from '$lib/sources/parsers/mapping';
import { parseIsoMs, readTruth } from '$lib/sources/parsers/values';
import { parseValue, planCsv, type CsvPlan, type CsvPlanOptions } from './csv-plan';
import { CsvTokenizer, MAX_RECORD_CHARS, sniffDelimiter, type Delimiter } from './csv-tokenizer';
import { parseTimeCell, type TimeUnit } from './time-column';
import { flagWindows, GrowingColumns, sortedColumns, type TimeWindow } from './tick-columns';

/**
 * CSV files → columns of ticks. Untrusted input: nothing is evaluated, sizes are bounded, and a
 * bad row is counted with its reason and skipped — an import never throws on content.
 */

export type RejectReason =
	| 'bad-time'
	| 'bad-value'
	| 'not-finite'
	| 'missing-value'
	| 'bad-label'
	| 'record-too-long'
	| 'too-many-ticks';

export interface Rejection {
	reason: RejectReason;
	/** Physical line (1-based, header included) where the record starts. */
	line: number;
	detail: string;
}

export interface ImportedColumn {
	/** The header's name for the column ('value', 'value2', … without a header); text only. */
	name: string;
	/** Epoch ms, sorted (stable); exact-length arrays, ready to transfer. */
	t: Float64Array;
	v: Float64Array;
}

export interface CsvImport {
	columns: ImportedColumn[];
	/** How the time column was read; 'none' when no column held times. */
	timeUnit: TimeUnit | 'none';
	timeColumn: string;
	hasHeader: boolean;
	delimiter: Delimiter;
	/** From a 0/1 `label`/`anomaly` column: runs of consecutive flagged rows, in time order. */
	labelWindows: TimeWindow[];
	/** Data records read (header and blank lines not counted). */
	rows: number;
	/** The first MAX_REJECTION_SAMPLES rejections, in file order. */
	rejected: Rejection[];
	/** One per skipped row, or per skipped cell where other cells of that row were kept. */
	rejectedCount: number;
	notes: string[];
}

export interface CsvImportOptions extends CsvPlanOptions {
	/** Forces the delimiter instead of guessing it from the first lines. */
	delimiter?: Delimiter;
	/** Cap on ticks kept over all columns; 20M ticks = 320 MB of Float64 (t and v). */
	maxTicks?: number;
	maxRecordChars?: number;
}

export const MAX_IMPORT_TICKS = 20_000_000;
export const MAX_REJECTION_SAMPLES = 20;
/** Rows used to decide header, columns and time format before the rest streams through. */
const SAMPLE_RECORDS = 65;
/** The delimiter is guessed from the first lines or this many chars, whichever comes first. */
const SNIFF_CHARS = 65_536;
const SNIFF_LINES = 21;
/** Characters of a bad cell quoted in a rejection. */
const DETAIL_CHARS = 60;

function quote(cell: string): string {
	return JSON.stringify(sanitizeKey(cell.length > DETAIL_CHARS ? cell.slice(0, DETAIL_CHARS) + '…' : cell));
}

function rowsText(n: number): string {
	return n === 1 ? '1 row' : `${n} rows`;
}

function lineCount(text: string, atMost: number): number {
	let lines = 0;
	for (let i = text.indexOf('\n'); i >= 0 && lines < atMost; i = text.indexOf('\n', i + 1)) lines++;
	return lines;
}

/** Push chunks as they arrive (e.g. from `file.stream().pipeThrough(new TextDecoderStream())`). */
export class CsvImporter {
	private readonly options: CsvImportOptions;
	private readonly maxTicks: number;
	/** Text held until the delimiter is guessed, and its line breaks (counted per chunk). */
	private head = '';
	private headLines = 0;
	private tokenizer: CsvTokenizer | null = null;
	private delimiter: Delimiter = ',';
	/** The first records, held until the plan is made; null once rows stream straight through. */
	private sample: { fields: string[]; line: number; tooLong: boolean }[] | null = [];
	private plan: CsvPlan | null = null;
	private outputs: GrowingColumns[] = [];
	private flags = new GrowingColumns(64);
	private ticks = 0;
	private rows = 0;
	private isoCells = 0;
	private rejected: Rejection[] = [];
	private rejectedCount = 0;

	constructor(options: CsvImportOptions = {}) {
		this.options = options;
		this.maxTicks = options.maxTicks ?? MAX_IMPORT_TICKS;
	}

	push(chunk: string): void {
		if (this.tokenizer !== null) {
			this.tokenizer.push(chunk, this.onRecord);
			return;
		}
		this.head += chunk;
		this.headLines += lineCount(chunk, SNIFF_LINES);
		if (this.head.length >= SNIFF_CHARS || this.headLines >= SNIFF_LINES) this.startTokenizer();
	}

	/** Ends the import; call once, after the last push. */
	finish(): CsvImport {
		if (this.tokenizer === null) this.startTokenizer();
		this.tokenizer!.end(this.onRecord);
		if (this.plan === null) this.startPlan();
		const plan = this.plan!;
		const notes = [...plan.notes];
		const columns: ImportedColumn[] = [];
		plan.values.forEach((value, k) => {
			const sorted = sortedColumns(this.outputs[k]);
			if (sorted.outOfOrder > 0) {
				notes.push(`"${value.name}": ${rowsText(sorted.outOfOrder)} out of time order; sorted by time (stable).`);
			}
			if (sorted.duplicates > 0) {
				notes.push(`"${value.name}": ${rowsText(sorted.duplicates)} with the same time as the row before; kept in file order.`);
			}
			columns.push({ name: value.name, t: sorted.t, v: sorted.v });
		});
		if (this.rows === 0) notes.push('The file has no data rows.');
		if (this.rejectedCount > this.rejected.length) notes.push(`${this.rejectedCount} rejections; the first ${this.rejected.length} are listed.`);
		let timeUnit: TimeUnit | 'none' = plan.time < 0 ? 'none' : plan.timeUnit;
		if (timeUnit === 'nab' && this.isoCells > 0) {
			timeUnit = 'iso';
			notes.push(`${this.isoCells} times were ISO 8601 rather than NAB-shaped; both were read.`);
		}
		return {
			columns,
			timeUnit,
			timeColumn: plan.timeName,
			hasHeader: plan.hasHeader,
			delimiter: this.delimiter,
			labelWindows: plan.label < 0 ? [] : flagWindows(this.flags),
			rows: this.rows,
			rejected: this.rejected,
			rejectedCount: this.rejectedCount,
			notes
		};
	}

	private startTokenizer(): void {
		this.delimiter = this.options.delimiter ?? sniffDelimiter(this.head);
		this.tokenizer = new CsvTokenizer(this.delimiter, this.options.maxRecordChars ?? MAX_RECORD_CHARS);
		const head = this.head;
		this.head = '';
		this.tokenizer.push(head, this.onRecord);
	}

	private readonly onRecord = (fields: readonly string[], line: number, tooLong: boolean): void => {
		if (this.sample === null) return this.row(fields, line, tooLong);
		this.sample.push({ fields: fields.slice(), line, tooLong });
		if (this.sample.length >= SAMPLE_RECORDS) this.startPlan();
	};

	private startPlan(): void {
		const sample = this.sample ?? [];
		this.sample = null;
		// Records too long to keep have no fields and get no vote on the columns.
		const records = sample.filter((r) => !r.tooLong).map((r) => r.fields);
		this.plan = planCsv(records, this.delimiter, this.options);
		this.outputs = this.plan.values.map(() => new GrowingColumns());
		let skipHeader = this.plan.hasHeader;
		for (const record of sample) {
			if (skipHeader && !record.tooLong) skipHeader = false;
			else this.row(record.fields, record.line, record.tooLong);
		}
	}

	private reject(reason: RejectReason, line: number, detail: string): void {
		this.rejectedCount++;
		if (this.rejected.length < MAX_REJECTION_SAMPLES) this.rejected.push({ reason, line, detail });
	}

	private row(fields: readonly string[], line: number, tooLong: boolean): void {
		const plan = this.plan!;
		this.rows++;
		if (tooLong) return this.reject('record-too-long', line, `over ${this.options.maxRecordChars ?? MAX_RECORD_CHARS} chars`);
		if (plan.time < 0) return this.reject('bad-time', line, 'no time column');
		const cell = fields[plan.time] ?? '';
		let t: number;
		if (plan.timeUnit === 'nab' || plan.timeUnit === 'iso') {
			const text = cell.trim();
			t = parseNabTimestamp(text);
			if (t !== t) {
				t = parseIsoMs(text);
				if (t === t) this.isoCells++;
			}
		} else {
			t = parseTimeCell(cell, plan.timeUnit);
		}
		if (t !== t) return this.reject('bad-time', line, quote(cell));
		const values = plan.values;
		for (let k = 0; k < values.length; k++) {
			const text = fields[values[k].index] ?? '';
			const v = parseValue(text, plan.decimalComma);
			const where = values.length > 1 ? `${quote(values[k].name)}: ` : '';
			if (text.trim() === '') this.reject('missing-value', line, `${where}empty`);
			else if (v !== v) this.reject('bad-value', line, where + quote(text));
			else if (v === Infinity || v === -Infinity) this.reject('not-finite', line, where + quote(text));
			else if (this.ticks >= this.maxTicks) this.reject('too-many-ticks', line, `over ${this.maxTicks} ticks`);
			else {
				this.outputs[k].push(t, v);
				this.ticks++;
			}
		}
		if (plan.label >= 0) {
			const flag = readTruth((fields[plan.label] ?? '').trim().toLowerCase());
			if (flag === undefined && (fields[plan.label] ?? '').trim() !== '') this.reject('bad-label', line, quote(fields[plan.label]));
			this.flags.push(t, flag === true ? 1 : 0);
		}
	}
}

/** Imports a whole text, or its chunks in order. */
export function importCsv(input: string | Iterable<string>, options?: CsvImportOptions): CsvImport {
	const importer = new CsvImporter(options);
	if (typeof input === 'string') importer.push(input);
	else for (const chunk of input) importer.push(chunk);
	return importer.finish();
}

/** Imports a stream of text chunks without holding the whole file as one string. */
export async function importCsvStream(chunks: AsyncIterable<string>, options?: CsvImportOptions): Promise<CsvImport> {
	const importer = new CsvImporter(options);
	for await (const chunk of chunks) importer.push(chunk);
	return importer.finish();
}
