import { describe, expect, it } from 'vitest';
import {
	parseNabCsv,
	parseNabResultsScores,
	parseNabTimestamp,
	parseNabWindowsJson,
	probationRows,
	windowRows
} from './nab-data';

describe('parseNabCsv', () => {
	const rows = ['2014-04-01 00:00:00,20', '2014-04-01 00:05:00,-3.5', '2014-04-01 00:10:00,1e3'];
	const expectParsed = (text: string) => {
		const s = parseNabCsv(text);
		expect(s.timestamps).toEqual(['2014-04-01 00:00:00', '2014-04-01 00:05:00', '2014-04-01 00:10:00']);
		expect(Array.from(s.values)).toEqual([20, -3.5, 1000]);
		// 2014-04-01T00:00:00Z = 1,396,310,400,000 ms; then +5 min steps of 300,000 ms.
		expect(Array.from(s.times)).toEqual([1_396_310_400_000, 1_396_310_700_000, 1_396_311_000_000]);
	};

	it('reads LF with a final newline', () => expectParsed(['timestamp,value', ...rows].join('\n') + '\n'));
	it('reads CRLF (realAdExchange, rogue_agent_key_*)', () => expectParsed(['timestamp,value', ...rows].join('\r\n') + '\r\n'));
	it('reads a file without a final newline (realTweets, artificialNoAnomaly)', () => {
		expectParsed(['timestamp,value', ...rows].join('\n'));
		expectParsed(['timestamp,value', ...rows].join('\r\n'));
	});

	it('keeps duplicated and backwards timestamps as rows, in file order', () => {
		const s = parseNabCsv('timestamp,value\n2014-01-01 00:05:00,1\n2014-01-01 00:05:00,2\n2014-01-01 00:00:00,3\n');
		expect(s.timestamps).toEqual(['2014-01-01 00:05:00', '2014-01-01 00:05:00', '2014-01-01 00:00:00']);
		expect(s.times[2] - s.times[0]).toBe(-300_000);
	});

	it('rejects a wrong header, a bad timestamp and an empty value, naming the line', () => {
		expect(() => parseNabCsv('time,value\n2014-01-01 00:00:00,1')).toThrow(/header/);
		expect(() => parseNabCsv('timestamp,value\n2014-01-01 00:00:00,1\n2014-01-01T00:05:00,2')).toThrow(/line 3/);
		expect(() => parseNabCsv('timestamp,value\n2014-01-01 00:00:00,')).toThrow(/line 2/);
		expect(() => parseNabCsv('timestamp,value\n2014-01-01 00:00:00,abc')).toThrow(/line 2/);
	});

	it('reads timestamps as UTC, whatever the machine’s zone', () => {
		expect(parseNabTimestamp('2015-03-08 02:30:00')).toBe(Date.UTC(2015, 2, 8, 2, 30, 0));
		expect(parseNabTimestamp('2015-03-08 02:30')).toBeNaN();
	});
});

describe('windowRows', () => {
	const stamps = [
		'2014-01-01 00:00:00', // 0
		'2014-01-01 00:05:00', // 1
		'2014-01-01 00:10:00', // 2
		'2014-01-01 00:10:00', // 3 duplicate of row 2
		'2014-01-01 00:15:00', // 4
		'2014-01-01 00:12:00', // 5 backwards step
		'2014-01-01 00:20:00', // 6
		'2014-01-01 00:25:00' //  7
	];

	it('drops the .000000 fraction and returns inclusive row ranges', () => {
		expect(windowRows(stamps, [['2014-01-01 00:05:00.000000', '2014-01-01 00:15:00.000000']])).toEqual([[1, 4]]);
	});

	it('resolves a duplicated timestamp to its FIRST row, for either bound', () => {
		expect(windowRows(stamps, [['2014-01-01 00:10:00.000000', '2014-01-01 00:20:00.000000']])).toEqual([[2, 6]]);
		expect(windowRows(stamps, [['2014-01-01 00:00:00.000000', '2014-01-01 00:10:00.000000']])).toEqual([[0, 2]]);
	});

	it('works by row index across a backwards step', () => {
		// 00:12 sorts before 00:15 in time but sits after it in the file: the window is rows 5…7.
		expect(windowRows(stamps, [['2014-01-01 00:12:00.000000', '2014-01-01 00:25:00.000000']])).toEqual([[5, 7]]);
	});

	it('handles several windows and rejects missing, reversed or overlapping ones', () => {
		expect(
			windowRows(stamps, [
				['2014-01-01 00:00:00.000000', '2014-01-01 00:05:00.000000'],
				['2014-01-01 00:20:00.000000', '2014-01-01 00:25:00.000000']
			])
		).toEqual([[0, 1], [6, 7]]);
		expect(() => windowRows(stamps, [['2014-01-01 00:01:00.000000', '2014-01-01 00:05:00.000000']])).toThrow(/not in the file/);
		expect(() => windowRows(stamps, [['2014-01-01 00:05:00.000000', '2014-01-01 00:00:00.000000']])).toThrow(/ends before/);
		expect(() =>
			windowRows(stamps, [
				['2014-01-01 00:00:00.000000', '2014-01-01 00:10:00.000000'],
				['2014-01-01 00:05:00.000000', '2014-01-01 00:20:00.000000']
			])
		).toThrow(/overlaps/);
	});
});

describe('parseNabWindowsJson', () => {
	it('reads the file → [start, end][] map, empty lists included', () => {
		const text = '{\n    "a/x.csv": [],\n    "b/y.csv": [\n        [\n            "2014-01-01 00:00:00.000000",\n            "2014-01-01 00:05:00.000000"\n        ]\n    ]\n}';
		expect(parseNabWindowsJson(text)).toEqual({
			'a/x.csv': [],
			'b/y.csv': [['2014-01-01 00:00:00.000000', '2014-01-01 00:05:00.000000']]
		});
	});

	it('rejects other shapes', () => {
		expect(() => parseNabWindowsJson('[]')).toThrow(/object/);
		expect(() => parseNabWindowsJson('{"a": [["x"]]}')).toThrow(/\[string, string\]/);
		expect(() => parseNabWindowsJson('{"a": 3}')).toThrow(/not a list/);
	});
});

describe('probationRows', () => {
	it('is floor(15 %) capped at 750', () => {
		expect(probationRows(6)).toBe(0); // 0.9 → 0
		expect(probationRows(100)).toBe(15);
		expect(probationRows(4032)).toBe(604); // 604.8 → 604
		expect(probationRows(5000)).toBe(750);
		expect(probationRows(22695)).toBe(750);
	});
});

describe('parseNabResultsScores', () => {
	it('reads the anomaly_score column wherever it is, CRLF or not', () => {
		const header = 'timestamp,value,anomaly_score,raw_score,label,S(t)_standard';
		const lines = [header, '2014-01-01 00:00:00,1,0.25,1.0,0,0.0', '2014-01-01 00:05:00,2,0.542187690735,0.5,1,-0.11'];
		expect(Array.from(parseNabResultsScores(lines.join('\r\n')))).toEqual([0.25, 0.542187690735]);
		expect(Array.from(parseNabResultsScores(lines.join('\n') + '\n'))).toEqual([0.25, 0.542187690735]);
	});

	it('rejects a file without the column or with a bad score', () => {
		expect(() => parseNabResultsScores('timestamp,value\n2014-01-01 00:00:00,1')).toThrow(/anomaly_score/);
		expect(() => parseNabResultsScores('timestamp,anomaly_score\n2014-01-01 00:00:00,')).toThrow(/line 2/);
	});
});
