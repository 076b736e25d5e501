import { describe, expect, it } from 'vitest';
import { cleanViewName, parseNamedView } from './named-view';

describe('parseNamedView', () => {
	it('keeps a well-formed view as it is', () => {
		const view = { seriesKey: 'sim/markets/ABC/price', range: { from: 1, to: 2 }, windowSize: 500, aggregation: '1m', detection: { detector: 'zscore', sensitivity: 0.8 } };
		expect(parseNamedView(view)).toEqual(view);
	});

	it('refuses a view without a series and repairs the rest with defaults', () => {
		expect(parseNamedView({ range: null })).toBeNull();
		expect(parseNamedView('x')).toBeNull();
		const parsed = parseNamedView({ seriesKey: 'k', range: { from: 5, to: 1 }, aggregation: '7m', detection: { sensitivity: 9 } });
		expect(parsed).toEqual({ seriesKey: 'k', range: null, windowSize: 400, aggregation: null, detection: { detector: 'ensemble', sensitivity: 1 } });
	});

	it('is not fooled by prototype keys', () => {
		const hostile = JSON.parse('{"seriesKey":"k","__proto__":{"polluted":true},"detection":{"constructor":{"prototype":{"x":1}}}}');
		const parsed = parseNamedView(hostile);
		expect(parsed?.seriesKey).toBe('k');
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
		expect(({} as Record<string, unknown>).x).toBeUndefined();
	});
});

describe('cleanViewName', () => {
	it('trims, collapses spaces and caps the length', () => {
		expect(cleanViewName('  morning   spike ')).toBe('morning spike');
		expect(cleanViewName('x'.repeat(200))).toHaveLength(80);
	});
});
