import { describe, expect, it } from 'vitest';
import type { SeriesInfo } from '$lib/domain/series';
import { CsvTokenizer } from './csv-tokenizer';
import { importCsv } from './csv-import';
import { anomaliesCsv, anomaliesJson, exportFileName, ticksCsv, ticksJson, TICKS_CSV_HEADER } from './export';
import { anomaly, pieces, randomTicks } from './io-testing';

const info: SeriesInfo = { id: 3, key: 'sim/ACME', label: 'ACME', source: 'simulator', unit: 'USD', kind: 'price' };

/** Every field of every record, as a spreadsheet or another CSV reader would see them. */
function records(text: string): string[][] {
	const out: string[][] = [];
	const tokenizer = new CsvTokenizer(',');
	const sink = (fields: readonly string[]) => out.push([...fields]);
	tokenizer.push(text, sink);
	tokenizer.end(sink);
	return out;
}

function expectSameDoubles(actual: Float64Array, expected: Float64Array): void {
	expect(actual.length).toBe(expected.length);
	for (let i = 0; i < expected.length; i++) {
		// Object.is tells −0 from 0; toBe would too, but this names the index on failure.
		if (!Object.is(actual[i], expected[i])) expect.fail(`index ${i}: ${actual[i]} !== ${expected[i]}`);
	}
}

describe('ticksCsv', () => {
	it('round-trips random doubles and sub-millisecond times exactly through the importer', () => {
		const ticks = randomTicks(5000, 7);
		const text = Array.from(ticksCsv(ticks, { rowsPerChunk: 97 })).join('');
		for (const input of [text, pieces(text, 1)]) {
			const imported = importCsv(input);
			expect(imported.rejectedCount).toBe(0);
			expect(imported.timeColumn).toBe('epoch_ms');
			expect(imported.timeUnit).toBe('ms');
			expect(imported.columns.map((c) => c.name)).toEqual(['value']);
			expectSameDoubles(imported.columns[0].t, ticks.t);
			expectSameDoubles(imported.columns[0].v, ticks.v);
		}
	});

	it('writes ISO UTC with milliseconds, then the value, then epoch_ms, CRLF per RFC 4180', () => {
		const t = new Float64Array([Date.UTC(2024, 0, 2, 3, 4, 5, 6) + 0.25]);
		const text = Array.from(ticksCsv({ t, v: new Float64Array([-1.5]) })).join('');
		expect(text).toBe(`${TICKS_CSV_HEADER}\r\n2024-01-02T03:04:05.006Z,-1.5,${t[0]}\r\n`);
	});

	it('yields chunks of at most rowsPerChunk rows, and honours n', () => {
		const ticks = randomTicks(10_000, 2);
		const chunks = Array.from(ticksCsv({ ...ticks, n: 2500 }, { rowsPerChunk: 1000 }));
		expect(chunks).toHaveLength(3);
		expect(chunks.join('').split('\r\n')).toHaveLength(1 + 2500 + 1);
		for (const chunk of chunks) expect(chunk.split('\r\n').length - 1).toBeLessThanOrEqual(1001);
	});

	it('never throws on times no Date can hold', () => {
		const text = Array.from(ticksCsv({ t: new Float64Array([1e300, NaN]), v: new Float64Array([1, 2]) })).join('');
		expect(text.split('\r\n').slice(1, 3)).toEqual([',1,1e+300', ',2,NaN']);
	});
});

describe('ticksJson', () => {
	it('writes { series, ticks: [[t, v]] } that parses back to the same numbers', () => {
		const ticks = randomTicks(300, 3);
		const doc = JSON.parse(Array.from(ticksJson(ticks, info, { rowsPerChunk: 64 })).join(''));
		expect(doc.series).toEqual({ key: 'sim/ACME', label: 'ACME', unit: 'USD', kind: 'price' });
		expect(doc.ticks).toHaveLength(300);
		expectSameDoubles(Float64Array.from(doc.ticks, (p: number[]) => p[0]), ticks.t);
		expectSameDoubles(Float64Array.from(doc.ticks, (p: number[]) => p[1]), ticks.v);
	});

	it('writes NaN as null and an empty series as an empty list', () => {
		const nan = JSON.parse(Array.from(ticksJson({ t: new Float64Array([1]), v: new Float64Array([NaN]) }, info)).join(''));
		expect(nan.ticks).toEqual([[1, null]]);
		const empty = JSON.parse(Array.from(ticksJson({ t: new Float64Array(0), v: new Float64Array(0) }, info)).join(''));
		expect(empty.ticks).toEqual([]);
	});
});

describe('anomaliesCsv', () => {
	const keys = new Map([
		[1, 'sim/ACME'],
		[2, '=HYPERLINK("http://x","y")'],
		[3, '+SUM(A1)'],
		[4, '@cmd'],
		[5, '-2+3'],
		[6, '\tTAB'],
		[7, '\rCR']
	]);
	const t = Date.UTC(2024, 4, 1);

	it('writes the columns in order with verdicts, empty band edges and #id for unknown series', () => {
		const rows = records(
			Array.from(
				anomaliesCsv(
					[
						anomaly({ t, seriesId: 1, v: -1.5, expected: 2, lower: -1, upper: 5, score: 4.25, truth: true }),
						anomaly({ t: t + 1, seriesId: 1, v: 3, truth: false }),
						anomaly({ t: t + 2, seriesId: 99, v: 3 })
					],
					keys
				)
			).join('')
		);
		expect(rows[0]).toEqual(['time', 'series', 'value', 'expected', 'lower', 'upper', 'score', 'detector', 'verdict', 'epoch_ms']);
		expect(rows[1]).toEqual(['2024-05-01T00:00:00.000Z', 'sim/ACME', '-1.5', '2', '-1', '5', '4.25', 'zscore', 'hit', String(t)]);
		expect(rows[2].slice(4, 6)).toEqual(['', '']);
		expect(rows[2][8]).toBe('false alarm');
		expect(rows[3][1]).toBe('#99');
		expect(rows[3][8]).toBe('unknown');
	});

	it('defuses formula starts in text cells, keeps negative numbers as numbers, and quotes per RFC 4180', () => {
		const flags = [2, 3, 4, 5, 6, 7].map((seriesId) => anomaly({ t, seriesId, v: -7, detector: 'a,"b"\nc' }));
		flags.push(anomaly({ t, seriesId: 1, v: -7, detector: '=1+1' }));
		const text = Array.from(anomaliesCsv(flags, keys)).join('');
		const rows = records(text).slice(1);
		expect(rows.map((r) => r[1])).toEqual([
			`'=HYPERLINK("http://x","y")`,
			"'+SUM(A1)",
			"'@cmd",
			"'-2+3",
			"'\tTAB",
			"'\rCR",
			'sim/ACME'
		]);
		for (const r of rows) expect(r[2]).toBe('-7');
		expect(rows[0][7]).toBe('a,"b"\nc');
		expect(rows[6][7]).toBe("'=1+1");
		// The raw text doubles the quotes inside a quoted cell.
		expect(text).toContain('"\'=HYPERLINK(""http://x"",""y"")"');
		expect(text).toContain('"a,""b""\nc"');
	});
});

describe('anomaliesJson', () => {
	it('parses back with series keys, nulls for absent bands and verdict words', () => {
		const doc = JSON.parse(
			Array.from(anomaliesJson([anomaly({ t: 1000, seriesId: 1, lower: 1, truth: true }), anomaly({ t: 2000, seriesId: 2 })], new Map([[1, 'k']]))).join('')
		);
		expect(doc.anomalies).toHaveLength(2);
		expect(doc.anomalies[0]).toMatchObject({ time: '1970-01-01T00:00:01.000Z', t: 1000, series: 'k', lower: 1, upper: null, verdict: 'hit' });
		expect(doc.anomalies[1]).toMatchObject({ series: '#2', verdict: 'unknown' });
	});
});

describe('exportFileName', () => {
	it('makes a series key safe as a file name', () => {
		const now = Date.UTC(2024, 4, 1, 10, 0, 0, 123);
		expect(exportFileName('sim/ACME', 'ticks', 'csv', now)).toBe('sim-ACME-ticks-2024-05-01T10-00-00Z.csv');
		expect(exportFileName('../..\\a:b*?', 'anomalies', 'json', now)).toBe('a-b-anomalies-2024-05-01T10-00-00Z.json');
		expect(exportFileName('', 'ticks', 'csv', NaN)).toBe('series-ticks.csv');
	});
});
