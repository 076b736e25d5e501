import { describe, expect, it } from 'vitest';
import { feedFromQuery, feedUrlProblem, isMqttAddress, parseTopics, redactUrl } from './feed-url';

describe('feed URLs', () => {
	it('accepts ws and wss, explains everything else in plain words', () => {
		expect(feedUrlProblem('wss://stream.example.com/ws', 'https:')).toBeNull();
		expect(feedUrlProblem('ws://127.0.0.1:9001', 'http:')).toBeNull();
		expect(feedUrlProblem('', 'http:')).toMatch(/Paste the address/);
		expect(feedUrlProblem('not a url', 'http:')).toMatch(/is not an address/);
		expect(feedUrlProblem('https://example.com', 'http:')).toMatch(/starts with ws:\/\/, wss:\/\/, mqtt\+ws:\/\/ or mqtt\+wss:\/\//);
		expect(feedUrlProblem('ws://example.com/feed', 'https:')).toMatch(/browsers block unencrypted ws:\/\//);
	});

	it('accepts MQTT brokers over WebSockets, with the same mixed-content rule', () => {
		expect(feedUrlProblem('mqtt+wss://broker.example.com/mqtt', 'https:')).toBeNull();
		expect(feedUrlProblem('mqtt+ws://127.0.0.1:9001/mqtt', 'http:')).toBeNull();
		expect(feedUrlProblem('mqtt+ws://broker.example.com/mqtt', 'https:')).toMatch(/browsers block unencrypted ws:\/\//);
		expect(isMqttAddress(' MQTT+WSS://b/x')).toBe(true);
		expect(isMqttAddress('wss://b/x')).toBe(false);
		expect(parseTopics('sensors/+/pressure, markets/#\n\n a/b ')).toEqual(['sensors/+/pressure', 'markets/#', 'a/b']);
	});

	it('reads an MQTT feed with topics and QoS from the address bar, never credentials', () => {
		const q = new URLSearchParams(`feed=${encodeURIComponent('mqtt+ws://h:1/mqtt')}&topics=${encodeURIComponent('a/+/b,c/#')}&qos=1`);
		expect(feedFromQuery(q)).toEqual({ url: 'mqtt+ws://h:1/mqtt', topics: ['a/+/b', 'c/#'], qos: 1 });
		expect(feedFromQuery(new URLSearchParams(`feed=${encodeURIComponent('mqtt+wss://h/mqtt')}`))).toEqual({ url: 'mqtt+wss://h/mqtt', topics: ['#'], qos: 0 });
	});

	it('reads a feed and its subscribe message from the address bar', () => {
		const q = new URLSearchParams(`feed=${encodeURIComponent('ws://h:1/x')}&subscribe=${encodeURIComponent('{"a":1}')}`);
		expect(feedFromQuery(q)).toEqual({ url: 'ws://h:1/x', subscribe: '{"a":1}' });
		expect(feedFromQuery(new URLSearchParams(''))).toBeNull();
	});

	it('hides secret-looking query values and passwords wherever an address is shown', () => {
		expect(redactUrl('wss://x.example/ws?symbol=btc&token=abc123&apiKey=K&signature=S&listenKey=L&auth=A')).toBe(
			'wss://x.example/ws?symbol=btc&token=•••&apiKey=•••&signature=•••&listenKey=•••&auth=•••'
		);
		expect(redactUrl('mqtt+wss://user:hunter2@broker.example/mqtt')).toBe('mqtt+wss://user:•••@broker.example/mqtt');
		expect(redactUrl('wss://x.example/ws?channel=trades')).toBe('wss://x.example/ws?channel=trades');
		expect(redactUrl('not a url')).toBe('not a url');
		for (const shown of [redactUrl('wss://h/?access_token=t0p&SECRET=s3c&x-api-key=k3y')]) {
			expect(shown).not.toMatch(/t0p|s3c|k3y/);
		}
	});
});
