/**
 * RFC 4180 records from text that arrives in chunks (a File stream): quoted fields may hold
 * delimiters, doubled quotes and line breaks, and may be split across chunks. LF, CRLF and lone
 * CR all end a record. Lenient where RFC 4180 is strict: text after a closing quote is kept.
 */

export type Delimiter = ',' | ';' | '\t';

/** Called per record; `fields` is reused by the next record, so copy what you keep. */
export type RecordSink = (fields: readonly string[], line: number, tooLong: boolean) => void;

/** 64 Ki chars: far beyond any real row; an unclosed quote would otherwise swallow the file. */
export const MAX_RECORD_CHARS = 65_536;

const QUOTE = 34;
const LF = 10;
const CR = 13;

export class CsvTokenizer {
	private readonly delimiter: number;
	private readonly maxRecordChars: number;
	private readonly fields: string[] = [];
	/** Text of the current field gathered from earlier chunks or runs. */
	private field = '';
	private inQuotes = false;
	/** Inside quotes, the previous char was a quote: either an escape (`""`) or the close. */
	private quotePending = false;
	/** The previous chunk ended in CR; an LF starting this one belongs to it. */
	private afterCR = false;
	/** Last char of the previous chunk, to count a CRLF split across chunks as one line. */
	private lastCode = 0;
	private recordChars = 0;
	private tooLong = false;
	/** Physical line (1-based) where the current record starts, and the line being read. */
	private recordLine = 1;
	private line = 1;
	private started = false;

	constructor(delimiter: Delimiter, maxRecordChars = MAX_RECORD_CHARS) {
		this.delimiter = delimiter.charCodeAt(0);
		this.maxRecordChars = maxRecordChars;
	}

	push(chunk: string, sink: RecordSink): void {
		// An empty chunk must not use up the look at the byte-order mark or a pending CR.
		if (chunk.length === 0) return;
		let i = 0;
		if (!this.started) {
			this.started = true;
			if (chunk.charCodeAt(0) === 0xfeff) i = 1;
		}
		if (this.afterCR && chunk.charCodeAt(i) === LF) i++;
		this.afterCR = false;
		const n = chunk.length;
		let runStart = i;
		for (; i < n; i++) {
			const c = chunk.charCodeAt(i);
			if (this.inQuotes) {
				if (this.quotePending) {
					this.quotePending = false;
					if (c === QUOTE) {
						// `""` inside quotes: keep one quote; the run restarts at the second one.
						runStart = i;
						continue;
					}
					this.inQuotes = false;
					runStart = i;
					// Fall through: c is handled as unquoted text (delimiter, line break or junk).
				} else if (c === QUOTE) {
					this.appendRun(chunk, runStart, i);
					this.quotePending = true;
					runStart = i + 1;
					continue;
				} else if (c !== LF && c !== CR) {
					continue;
				} else if (this.recordChars + i - runStart <= this.maxRecordChars) {
					// A line break inside quotes is field text; CRLF counts as one line.
					if (c === CR || (i > 0 ? chunk.charCodeAt(i - 1) : this.lastCode) !== CR) this.line++;
					continue;
				} else {
					// An unclosed quote: end the record at this line break instead of at the file's end.
					this.markTooLong();
				}
			}
			if (c === this.delimiter) {
				this.appendRun(chunk, runStart, i);
				this.endField();
				runStart = i + 1;
			} else if (c === LF || c === CR) {
				this.appendRun(chunk, runStart, i);
				this.endRecord(sink);
				this.line++;
				this.recordLine = this.line;
				if (c === CR) {
					if (i + 1 < n) {
						if (chunk.charCodeAt(i + 1) === LF) i++;
					} else {
						this.afterCR = true;
					}
				}
				runStart = i + 1;
			} else if (c === QUOTE && runStart === i && this.field === '') {
				// A quote opens a quoted field only at the field's start (RFC 4180 §2.5).
				this.inQuotes = true;
				runStart = i + 1;
			}
		}
		this.appendRun(chunk, runStart, n);
		this.lastCode = chunk.charCodeAt(n - 1);
	}

	/** Flushes the last record when the text does not end in a line break. */
	end(sink: RecordSink): void {
		this.quotePending = false;
		this.inQuotes = false;
		if (this.fields.length > 0 || this.field !== '' || this.tooLong) this.endRecord(sink);
	}

	private appendRun(chunk: string, from: number, to: number): void {
		if (to <= from || this.tooLong) return;
		this.recordChars += to - from;
		if (this.recordChars > this.maxRecordChars) this.markTooLong();
		else this.field += chunk.slice(from, to);
	}

	/** Drops the record's text and leaves quote mode, so the next line break ends it. */
	private markTooLong(): void {
		this.tooLong = true;
		this.inQuotes = false;
		this.quotePending = false;
		this.field = '';
		this.fields.length = 0;
	}

	private endField(): void {
		if (!this.tooLong) this.fields.push(this.field);
		this.field = '';
	}

	private endRecord(sink: RecordSink): void {
		this.endField();
		const fields = this.fields;
		// A blank line is one empty field: skipped, not a record.
		if (this.tooLong || fields.length > 1 || fields[0] !== '') sink(fields, this.recordLine, this.tooLong);
		fields.length = 0;
		this.recordChars = 0;
		this.tooLong = false;
	}
}

const CANDIDATES: readonly Delimiter[] = ['\t', ';', ','];
/** Lines looked at to guess the delimiter. */
const SNIFF_LINES = 20;

/** Count of `d` outside quotes per line, for the first SNIFF_LINES non-blank lines. */
function countsPerLine(text: string, d: number): number[] {
	const counts: number[] = [];
	let count = 0;
	let inQuotes = false;
	let blank = true;
	for (let i = 0; i < text.length && counts.length < SNIFF_LINES; i++) {
		const c = text.charCodeAt(i);
		if (c === QUOTE) inQuotes = !inQuotes;
		else if (!inQuotes && (c === LF || c === CR)) {
			if (!blank) counts.push(count);
			count = 0;
			blank = true;
			continue;
		} else if (!inQuotes && c === d) count++;
		blank = false;
	}
	if (!blank && counts.length < SNIFF_LINES) counts.push(count);
	return counts;
}

/**
 * The delimiter whose count per line is the same non-zero number on (nearly) every line. Tab and
 * semicolon win over comma when both fit: their files often write decimal commas (`1,5`).
 * A file with one column has no delimiter at all; comma is as good as any then.
 */
export function sniffDelimiter(head: string): Delimiter {
	for (const d of CANDIDATES) {
		const counts = countsPerLine(head, d.charCodeAt(0));
		if (counts.length === 0 || counts[0] === 0) continue;
		// The last sniffed line may be cut short by the sample's end, so it does not vote.
		const voters = counts.length > 2 ? counts.slice(0, -1) : counts;
		const agree = voters.filter((c) => c === counts[0]).length;
		if (agree >= Math.ceil(voters.length * 0.8)) return d;
	}
	return ',';
}
