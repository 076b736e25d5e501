import { describe, expect, it } from 'vitest';
import { isMqttUrl, parseBrokerUrl, topicFilterProblem, topicsProblem } from './mqtt-address';
import { payloadData, withoutSecrets } from './mqtt-text';

describe('parseBrokerUrl', () => {
	it('turns mqtt+ws(s):// into the ws(s):// URL mqtt.js opens, keeping host, port, path and query', () => {
		for (const [input, wsUrl] of [
			['mqtt+ws://127.0.0.1:9001/mqtt', 'ws://127.0.0.1:9001/mqtt'],
			['mqtt+wss://broker.example.com:8884/mqtt?x=1', 'wss://broker.example.com:8884/mqtt?x=1'],
			['MQTT+WSS://Broker.example.com', 'wss://broker.example.com/'],
			['  mqtt+ws://host:1883  ', 'ws://host:1883/'],
			['ws://host:9001/', 'ws://host:9001/'],
			['wss://host/mqtt#frag', 'wss://host/mqtt']
		]) {
			expect(parseBrokerUrl(input), input).toEqual({ ok: true, wsUrl });
		}
	});

	it('takes user:password@ out of the URL and returns them apart, decoded', () => {
		expect(parseBrokerUrl('mqtt+wss://ann:p%40ss%3Aword@host:8884/mqtt')).toEqual({
			ok: true,
			wsUrl: 'wss://host:8884/mqtt',
			username: 'ann',
			password: 'p@ss:word'
		});
		expect(parseBrokerUrl('wss://ann@host/')).toEqual({ ok: true, wsUrl: 'wss://host/', username: 'ann' });
	});

	it('explains what is wrong, never quoting the address (it may hold a password)', () => {
		const cases: [string, RegExp][] = [
			['mqtt://ann:hunter22@host:1883', /plain TCP.*WebSocket port/],
			['mqtts://host:8883', /plain TCP/],
			['http://ann:hunter22@host/mqtt', /must start with mqtt\+wss:\/\//],
			['ann:hunter22@host', /must start with/],
			['', /not a web address/],
			['mqtt+ws://ann:hunter22@', /not a web address|no host/]
		];
		for (const [input, pattern] of cases) {
			const address = parseBrokerUrl(input);
			expect(address.ok, input).toBe(false);
			if (address.ok) continue;
			expect(address.problem, input).toMatch(pattern);
			expect(address.problem).not.toContain('hunter22');
		}
	});

	it('recognises addresses only MQTT can open', () => {
		expect(isMqttUrl('mqtt+wss://host/mqtt')).toBe(true);
		expect(isMqttUrl(' MQTT+WS://host')).toBe(true);
		expect(isMqttUrl('mqtt://host:1883')).toBe(true);
		expect(isMqttUrl('wss://host/stream')).toBe(false); // could be either: the person chooses
		expect(isMqttUrl('https://host')).toBe(false);
	});
});

describe('topic filters', () => {
	it('accepts whole-level + anywhere and # as the whole last level', () => {
		for (const filter of ['sensors/+/pressure', 'markets/#', '#', '+', '+/+', 'a//b', '/a', 'a/+/#', '$SYS/#', 'tête/ü']) {
			expect(topicFilterProblem(filter), filter).toBeNull();
		}
		expect(topicsProblem(['a/b', 'c/#'])).toBeNull();
	});

	it('rejects misplaced wildcards and empty filters in plain words', () => {
		const cases: [string, RegExp][] = [
			['', /empty/],
			['sensors/p+/x', /\+ must stand for a whole level/],
			['sensors+', /\+ must stand for a whole level/],
			['markets/#/x', /# must be a whole level and the last one/],
			['markets#', /# must be a whole level/],
			['a/b#', /# must be a whole level/],
			['a\u0000b', /NUL/],
			['x'.repeat(65_536), /longer than MQTT allows/]
		];
		for (const [filter, pattern] of cases) expect(topicFilterProblem(filter), filter).toMatch(pattern);
		expect(topicsProblem([])).toMatch(/at least one topic filter/);
		expect(topicsProblem(['ok/#', 'bad/#/x'])).toContain('"bad/#/x"');
	});
});

describe('payloads', () => {
	it('hands over UTF-8 text as a string and anything else as a copied ArrayBuffer', () => {
		expect(payloadData(new TextEncoder().encode('{"p":1013.2,"u":"hPa"}\n'))).toBe('{"p":1013.2,"u":"hPa"}\n');
		expect(payloadData(new TextEncoder().encode('héllo\t€'))).toBe('héllo\t€');
		expect(payloadData(new Uint8Array(0))).toBe('');
		const pool = new Uint8Array([9, 9, 0xff, 0xfe, 0x01, 9]);
		const binary = payloadData(pool.subarray(2, 5));
		expect(binary).toBeInstanceOf(ArrayBuffer);
		expect([...new Uint8Array(binary as ArrayBuffer)]).toEqual([0xff, 0xfe, 0x01]); // its own bytes only
		// Valid UTF-8 but control bytes: a small binary message, not text.
		expect(payloadData(new Uint8Array([0x08, 0x05, 0x10]))).toBeInstanceOf(ArrayBuffer);
		expect(payloadData(new Uint8Array([0xc3, 0x28]))).toBeInstanceOf(ArrayBuffer); // broken UTF-8
	});

	it('keeps credentials out of reasons', () => {
		expect(withoutSecrets('bad hunter22 here', ['hunter22', 'ann'])).toBe('bad ••• here');
		expect(withoutSecrets('a broker said no', ['a', undefined])).toBe('a broker said no');
	});
});
