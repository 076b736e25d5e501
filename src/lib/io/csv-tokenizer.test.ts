import { describe, expect, it } from 'vitest';
import { CsvTokenizer, sniffDelimiter, type Delimiter } from './csv-tokenizer';

interface Row {
	fields: string[];
	line: number;
	tooLong: boolean;
}

function tokenize(chunks: string[], delimiter: Delimiter = ',', maxRecordChars?: number): Row[] {
	const rows: Row[] = [];
	const tokenizer = new CsvTokenizer(delimiter, maxRecordChars);
	const sink = (fields: readonly string[], line: number, tooLong: boolean) => rows.push({ fields: [...fields], line, tooLong });
	for (const chunk of chunks) tokenizer.push(chunk, sink);
	tokenizer.end(sink);
	return rows;
}

const fieldsOf = (rows: Row[]) => rows.map((r) => r.fields);

describe('CsvTokenizer', () => {
	const text = '\ufefftime,note\r\n1,"a, ""b"""\r\n2,"two\r\nlines"\n\n3,plain\r4,"x"y\n5,';

	it('reads quoted delimiters, doubled quotes, line breaks in quotes, CRLF, lone CR, blank lines', () => {
		const rows = tokenize([text]);
		expect(fieldsOf(rows)).toEqual([
			['time', 'note'],
			['1', 'a, "b"'],
			['2', 'two\r\nlines'],
			['3', 'plain'],
			// Lenient: text after a closing quote is kept.
			['4', 'xy'],
			['5', '']
		]);
		expect(rows.map((r) => r.line)).toEqual([1, 2, 3, 6, 7, 8]);
	});

	it('gives the same records and lines whatever the chunk edges', () => {
		const whole = tokenize([text]);
		for (let cut = 0; cut <= text.length; cut++) {
			expect(tokenize([text.slice(0, cut), text.slice(cut)])).toEqual(whole);
		}
		expect(tokenize(text.split(''))).toEqual(whole);
		expect(tokenize(text.split('').flatMap((c) => ['', c]))).toEqual(whole);
	});

	it('ends an unclosed quote at the line break after maxRecordChars, and reads on', () => {
		const rows = tokenize(['1,"never closed\n', 'x'.repeat(50) + '\n', '2,3\n'], ',', 40);
		expect(rows[0]).toEqual({ fields: [], line: 1, tooLong: true });
		expect(rows.at(-1)).toEqual({ fields: ['2', '3'], line: 3, tooLong: false });
	});

	it('flags an over-long unquoted record without keeping its text', () => {
		const rows = tokenize(['a,' + 'y'.repeat(100) + '\nb,c'], ',', 40);
		expect(rows).toEqual([
			{ fields: [], line: 1, tooLong: true },
			{ fields: ['b', 'c'], line: 2, tooLong: false }
		]);
	});
});

describe('sniffDelimiter', () => {
	it('finds comma, semicolon and tab from consistent counts per line', () => {
		expect(sniffDelimiter('timestamp,value\n2024-01-01,1\n2024-01-02,2\n')).toBe(',');
		expect(sniffDelimiter('time;value\n2024-01-01;1,5\n2024-01-02;2,5\n')).toBe(';');
		expect(sniffDelimiter('time\tvalue\n1\t1,234\n2\t5\n')).toBe('\t');
	});

	it('prefers semicolon when decimal commas also repeat on every line, and ignores quoted delimiters', () => {
		expect(sniffDelimiter('1700000000;1,5\n1700000060;2,5\n')).toBe(';');
		expect(sniffDelimiter('t,note\n1,"a;b"\n2,"c;d"\n')).toBe(',');
	});

	it('falls back to comma for one column', () => {
		expect(sniffDelimiter('value\n1\n2\n')).toBe(',');
	});
});
