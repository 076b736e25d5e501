import { describe, expect, it } from 'vitest';
import { feedFromQuery, feedUrlProblem } from './feed-url';

describe('feed URLs', () => {
	it('accepts ws and wss, explains everything else in plain words', () => {
		expect(feedUrlProblem('wss://stream.example.com/ws', 'https:')).toBeNull();
		expect(feedUrlProblem('ws://127.0.0.1:9001', 'http:')).toBeNull();
		expect(feedUrlProblem('', 'http:')).toMatch(/Paste the address/);
		expect(feedUrlProblem('not a url', 'http:')).toMatch(/is not an address/);
		expect(feedUrlProblem('https://example.com', 'http:')).toMatch(/starts with ws:\/\/ or wss:\/\//);
		expect(feedUrlProblem('ws://example.com/feed', 'https:')).toMatch(/browsers block unencrypted ws:\/\//);
	});

	it('reads a feed and its subscribe message from the address bar', () => {
		const q = new URLSearchParams(`feed=${encodeURIComponent('ws://h:1/x')}&subscribe=${encodeURIComponent('{"a":1}')}`);
		expect(feedFromQuery(q)).toEqual({ url: 'ws://h:1/x', subscribe: '{"a":1}' });
		expect(feedFromQuery(new URLSearchParams(''))).toBeNull();
	});
});
