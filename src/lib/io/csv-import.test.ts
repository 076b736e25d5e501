import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseNabTimestamp } from '$lib/detectors/scoring/nab-data';
import { importCsv, importCsvStream, type CsvImport } from './csv-import';
import { nabWindowsFor } from './nab-labels';
import { pieces } from './io-testing';

const FIXTURES = new URL('../../../tests/fixtures/import/', import.meta.url);
const T0 = Date.UTC(2024, 0, 1);

function only(result: CsvImport) {
	expect(result.columns).toHaveLength(1);
	return { t: Array.from(result.columns[0].t), v: Array.from(result.columns[0].v) };
}

describe('importCsv: layout', () => {
	it('reads a header, or finds there is none', () => {
		const withHeader = importCsv('timestamp,value\n2024-01-01 00:00:00,1\n2024-01-01 00:01:00,2\n');
		expect(withHeader.hasHeader).toBe(true);
		expect(only(withHeader)).toEqual({ t: [T0, T0 + 60_000], v: [1, 2] });
		const without = importCsv('2024-01-01 00:00:00,1\n2024-01-01 00:01:00,2\n');
		expect(without.hasHeader).toBe(false);
		expect(without.columns[0].name).toBe('value');
		expect(only(without)).toEqual({ t: [T0, T0 + 60_000], v: [1, 2] });
		expect(without.rows).toBe(2);
	});

	it('takes a first row with a date and a bad value for a bad data row, not a header', () => {
		const result = importCsv('2024-01-01 00:00:00,abc\n2024-01-01 00:01:00,2\n');
		expect(result.hasHeader).toBe(false);
		expect(only(result).v).toEqual([2]);
		expect(result.rejected).toEqual([{ reason: 'bad-value', line: 1, detail: '"abc"' }]);
	});

	it('reads semicolons with decimal commas, and tabs', () => {
		const semi = importCsv('time;value\r\n2024-01-01T00:00:00Z;1,5\r\n2024-01-01T00:00:01Z;-2,25\r\n');
		expect(semi.delimiter).toBe(';');
		expect(only(semi).v).toEqual([1.5, -2.25]);
		expect(semi.notes.join(' ')).toMatch(/decimal comma/);
		const tab = importCsv('time\tvalue\n2024-01-01T00:00:00Z\t3\n');
		expect(tab.delimiter).toBe('\t');
		expect(only(tab).v).toEqual([3]);
	});

	it('reads quoted fields holding delimiters, quotes and line breaks', () => {
		const result = importCsv('"time","value","note"\n"2024-01-01 00:00:00","1.5","a, ""b"""\n"2024-01-01 00:00:01","2","two\nlines"\n');
		expect(result.rejectedCount).toBe(0);
		expect(only(result)).toEqual({ t: [T0, T0 + 1000], v: [1.5, 2] });
		expect(result.notes.join(' ')).toMatch(/"note" is not numeric/);
	});

	it('makes one series per numeric column, named by the header', () => {
		const result = importCsv('ts,temp,humidity,site\n1700000000,20.5,40,a\n1700000060,21,,b\n');
		expect(result.columns.map((c) => c.name)).toEqual(['temp', 'humidity']);
		expect(Array.from(result.columns[0].v)).toEqual([20.5, 21]);
		expect(Array.from(result.columns[1].t)).toEqual([1_700_000_000_000]);
		expect(result.rejected).toEqual([{ reason: 'missing-value', line: 3, detail: '"humidity": empty' }]);
	});

	it('caps value columns and keeps notes short for very wide files', () => {
		const header = ['ts', ...Array.from({ length: 100 }, (_, i) => `n${i}`), ...Array.from({ length: 50 }, (_, i) => `s${i}`)];
		const row = ['1700000000', ...Array.from({ length: 100 }, (_, i) => String(i)), ...Array.from({ length: 50 }, () => 'x')];
		const result = importCsv(header.join(',') + '\n' + row.join(','));
		expect(result.columns).toHaveLength(64);
		expect(result.notes).toHaveLength(3);
		expect(result.notes.join(' ')).toMatch(/and 40 more are not numeric.*36 more numeric columns ignored/);
	});

	it('names headerless value columns value1, value2', () => {
		const result = importCsv('1700000000,1,2\n1700000060,3,4\n');
		expect(result.columns.map((c) => c.name)).toEqual(['value1', 'value2']);
	});

	it('gives the same result for any chunking, and from an async stream', async () => {
		const text = 'timestamp,value\r\n' + Array.from({ length: 300 }, (_, i) => `"2024-01-01 00:${String(i % 60).padStart(2, '0')}:00",${i}`).join('\r\n');
		const whole = importCsv(text);
		expect(importCsv(pieces(text, 5, 40))).toEqual(whole);
		async function* stream() {
			yield* pieces(text, 6, 300);
		}
		expect(await importCsvStream(stream())).toEqual(whole);
	});
});

describe('importCsv: time formats', () => {
	const cases: [string, string, string, number][] = [
		['NAB', '2024-01-01 00:00:00', 'nab', T0],
		['ISO Z with ms', '2024-01-01T00:00:00.250Z', 'iso', T0 + 250],
		['ISO with offset', '2024-01-01T01:00:00+01:00', 'iso', T0],
		['ISO without zone = UTC', '2024-01-01T00:00:00', 'iso', T0],
		['ISO date only', '2024-01-01', 'iso', T0],
		['epoch s', '1704067200', 's', T0],
		['epoch s with fraction', '1704067200.5', 's', T0 + 500],
		['epoch ms', '1704067200000', 'ms', T0],
		['epoch µs', '1704067200000000', 'us', T0],
		['epoch ns', '1704067200000000000', 'ns', T0]
	];
	for (const [what, cell, unit, expected] of cases) {
		it(`reads ${what} and reports ${unit}`, () => {
			const result = importCsv(`time,value\n${cell},7\n`);
			expect(result.timeUnit).toBe(unit);
			expect(only(result)).toEqual({ t: [expected], v: [7] });
		});
	}

	it('takes the unit a column name declares, even for small numbers', () => {
		expect(only(importCsv('time (s),value\n1.5,1\n')).t).toEqual([1500]);
		expect(importCsv('time (s),value\n1.5,1\n').timeUnit).toBe('s');
		expect(only(importCsv('epoch_ms,value\n12,1\n')).t).toEqual([12]);
	});

	it('prefers epoch_ms over an ISO column (exact sub-ms times) and does not import it as a value', () => {
		const result = importCsv('timestamp,value,epoch_ms\n2024-01-01T00:00:00.000Z,1,1704067200000.25\n');
		expect(result.timeColumn).toBe('epoch_ms');
		expect(only(result).t).toEqual([T0 + 0.25]);
	});

	it('finds an unnamed time column by content', () => {
		const result = importCsv('id,when,reading\nx,2024-01-01 00:00:00,5\ny,2024-01-01 00:00:01,6\n');
		expect(result.timeColumn).toBe('when');
		expect(only(result).v).toEqual([5, 6]);
	});

	it('honours a forced time column and unit', () => {
		const result = importCsv('a,b\n5,1000\n6,2000\n', { timeColumn: 'b', timeUnit: 'ms' });
		expect(only(result)).toEqual({ t: [1000, 2000], v: [5, 6] });
	});
});

describe('importCsv: bad and odd rows', () => {
	it('counts bad rows with reasons and lines, and keeps the good ones', () => {
		const text = [
			'timestamp,value',
			'2024-01-01 00:00:00,1',
			'yesterday,2',
			'2024-01-01 00:00:02,abc',
			'2024-01-01 00:00:03,',
			'2024-01-01 00:00:04,Infinity',
			'2024-01-01 00:00:05,NaN',
			'2024-01-01 00:00:06,0x1f',
			'2024-01-01 00:00:07,7'
		].join('\n');
		const result = importCsv(text);
		expect(only(result).v).toEqual([1, 7]);
		expect(result.rows).toBe(8);
		expect(result.rejectedCount).toBe(6);
		expect(result.rejected.map((r) => [r.reason, r.line])).toEqual([
			['bad-time', 3],
			['bad-value', 4],
			['missing-value', 5],
			['not-finite', 6],
			['not-finite', 7],
			['bad-value', 8]
		]);
		expect(result.rejected[0].detail).toBe('"yesterday"');
	});

	it('sorts rows out of time order, stably, and says so', () => {
		const result = importCsv('t,value\n1704067202,3\n1704067200,1\n1704067202,4\n1704067201,2\n');
		expect(only(result)).toEqual({ t: [T0, T0 + 1000, T0 + 2000, T0 + 2000], v: [1, 2, 3, 4] });
		expect(result.notes.join(' ')).toMatch(/2 rows out of time order; sorted/);
		expect(result.notes.join(' ')).toMatch(/1 row with the same time/);
	});

	it('keeps __proto__, constructor and prototype headers as plain names', () => {
		const result = importCsv('timestamp,__proto__,constructor,prototype\n2024-01-01 00:00:00,1,2,3\n');
		expect(result.columns.map((c) => c.name)).toEqual(['__proto__', 'constructor', 'prototype']);
		expect(result.columns.map((c) => c.v[0])).toEqual([1, 2, 3]);
		expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
		expect(Object.keys(Object.prototype)).toEqual([]);
	});

	it('reports a file without a time column instead of throwing', () => {
		const result = importCsv('a,b\n1,2\n3,4\n');
		expect(result.timeUnit).toBe('none');
		expect(result.columns[0].t).toHaveLength(0);
		expect(result.rejectedCount).toBe(2);
		expect(result.notes.join(' ')).toMatch(/No time column/);
	});

	it('stops keeping ticks at maxTicks and counts the rest', () => {
		const text = 'ts,value\n' + Array.from({ length: 100 }, (_, i) => `${1_700_000_000 + i},${i}`).join('\n');
		const result = importCsv(text, { maxTicks: 60 });
		expect(result.columns[0].v).toHaveLength(60);
		expect(result.rejectedCount).toBe(40);
		expect(result.rejected[0].reason).toBe('too-many-ticks');
		expect(result.rejected).toHaveLength(20);
	});

	it('survives empty text, a header alone and an unclosed quote', () => {
		expect(importCsv('').columns).toEqual([]);
		expect(importCsv('timestamp,value\n').notes.join(' ')).toMatch(/no data rows/);
		const result = importCsv('timestamp,value\n2024-01-01 00:00:00,"1\n' + '9'.repeat(70_000) + '\n2024-01-01 00:00:01,2\n');
		expect(only(result).v).toEqual([2]);
		expect(result.rejected[0].reason).toBe('record-too-long');
	});
});

describe('importCsv: labels in the file', () => {
	it('turns runs of a 0/1 label column into windows, in time order', () => {
		const rows = [0, 1, 1, 0, 0, 1, 0, 1].map((flag, i) => `${1_704_067_200 + i},${i},${flag}`);
		// Shuffled order: windows follow time, not file order.
		const result = importCsv('ts,value,label\n' + [rows[3], ...rows.slice(0, 3), ...rows.slice(4)].join('\n'));
		expect(result.columns.map((c) => c.name)).toEqual(['value']);
		expect(result.labelWindows).toEqual([
			{ t0: T0 + 1000, t1: T0 + 2000 },
			{ t0: T0 + 5000, t1: T0 + 5000 },
			{ t0: T0 + 7000, t1: T0 + 7000 }
		]);
	});

	it('reads true/false labels and counts unreadable ones', () => {
		const result = importCsv('timestamp,value,anomaly\n2024-01-01 00:00:00,1,false\n2024-01-01 00:00:01,1,TRUE\n2024-01-01 00:00:02,1,maybe\n');
		expect(result.labelWindows).toEqual([{ t0: T0 + 1000, t1: T0 + 1000 }]);
		expect(result.rejected.map((r) => r.reason)).toEqual(['bad-label']);
	});
});

describe('NAB fixture (realTraffic/speed_7578.csv)', () => {
	const text = readFileSync(new URL('speed_7578.csv', FIXTURES), 'utf8');
	const labels = readFileSync(new URL('speed_7578_windows.json', FIXTURES), 'utf8');

	it('parses every row with NAB times', () => {
		const result = importCsv(text);
		expect(result.rejectedCount).toBe(0);
		expect(result.timeUnit).toBe('nab');
		const { t, v } = result.columns[0];
		expect(t).toHaveLength(1127);
		expect(t[0]).toBe(parseNabTimestamp('2015-09-08 11:39:00'));
		expect(t[1126]).toBe(parseNabTimestamp('2015-09-17 14:05:00'));
		expect(v.reduce((a, b) => a + b, 0)).toBe(72183);
	});

	it('maps its labels to windows that start and end on its own ticks', () => {
		const { t } = importCsv(text).columns[0];
		const labelled = nabWindowsFor(labels, 'speed_7578.csv');
		expect(labelled.key).toBe('realTraffic/speed_7578.csv');
		expect(labelled.windows).toHaveLength(4);
		for (const w of labelled.windows) {
			expect(w.t0).toBeGreaterThanOrEqual(t[0]);
			expect(w.t1).toBeLessThanOrEqual(t[t.length - 1]);
			expect(w.t0).toBeLessThan(w.t1);
			expect(t.includes(w.t0) && t.includes(w.t1)).toBe(true);
		}
		expect(labelled.windows[0]).toEqual({ t0: parseNabTimestamp('2015-09-11 15:34:00'), t1: parseNabTimestamp('2015-09-11 17:54:00') });
	});
});
