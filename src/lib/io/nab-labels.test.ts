import { describe, expect, it } from 'vitest';
import { nabWindowsFor } from './nab-labels';

const ms = (text: string) => Date.parse(text.replace(' ', 'T') + 'Z');

describe('nabWindowsFor', () => {
	const labels = JSON.stringify({
		'realTraffic/a.csv': [['2015-09-11 15:34:00.000000', '2015-09-11 17:54:00.000000']],
		'realTweets/b.csv': [],
		'one/dup.csv': [],
		'two/dup.csv': []
	});

	it('finds the entry by full key or by base name, Windows paths included', () => {
		const window = { t0: ms('2015-09-11 15:34:00'), t1: ms('2015-09-11 17:54:00') };
		expect(nabWindowsFor(labels, 'realTraffic/a.csv').windows).toEqual([window]);
		expect(nabWindowsFor(labels, 'a.csv')).toMatchObject({ key: 'realTraffic/a.csv', windows: [window] });
		expect(nabWindowsFor(labels, 'C:\\data\\a.csv').key).toBe('realTraffic/a.csv');
		expect(nabWindowsFor(labels, 'b.csv')).toMatchObject({ key: 'realTweets/b.csv', windows: [] });
	});

	it('refuses an ambiguous or missing name with a note', () => {
		expect(nabWindowsFor(labels, 'dup.csv')).toMatchObject({ key: null, windows: [] });
		expect(nabWindowsFor(labels, 'dup.csv').notes[0]).toMatch(/2 label entries/);
		expect(nabWindowsFor(labels, 'c.csv').notes[0]).toMatch(/No label entry/);
	});

	it('skips malformed pairs and sorts the rest', () => {
		const text = JSON.stringify({
			'x.csv': [['2015-01-02 00:00:00.000000', '2015-01-03 00:00:00.000000'], ['2015-01-01 00:00:00', '2015-01-01 01:00:00'], ['late', 'x'], [1, 2], 'ab', ['2015-02-02 00:00:00', '2015-02-01 00:00:00']]
		});
		const result = nabWindowsFor(text, 'x.csv');
		expect(result.windows.map((w) => w.t0)).toEqual([ms('2015-01-01 00:00:00'), ms('2015-01-02 00:00:00')]);
		expect(result.rejectedCount).toBe(4);
	});

	it('never throws on broken or hostile files', () => {
		expect(nabWindowsFor('{', 'a.csv').notes).toEqual(['Label file is not JSON.']);
		expect(nabWindowsFor('[1]', 'a.csv').notes[0]).toMatch(/not an object/);
		expect(nabWindowsFor('{"a.csv": 5}', 'a.csv').notes[0]).toMatch(/not a list/);
		const hostile = '{"__proto__": [["2015-01-01 00:00:00", "2015-01-01 01:00:00"]], "constructor": 1}';
		expect(nabWindowsFor(hostile, '__proto__').windows).toHaveLength(1);
		expect(nabWindowsFor(hostile, 'constructor').notes[0]).toMatch(/not a list/);
		expect(nabWindowsFor(hostile, 'prototype').key).toBeNull();
		expect(nabWindowsFor('{}', 'toString').key).toBeNull();
		expect(({} as Record<string, unknown>)[0]).toBeUndefined();
		expect(nabWindowsFor(' '.repeat((1 << 24) + 1), 'a.csv').notes[0]).toMatch(/not read/);
	});
});
