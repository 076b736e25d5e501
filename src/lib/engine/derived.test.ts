import { describe, expect, it } from 'vitest';
import { derivedInfo, derivedKey, derivedValue, normalizeDerived } from './derived';

describe('derived series', () => {
	it('names itself after its source, window and statistic', () => {
		const spec = { sourceKey: 'feed/f1/BTCUSDT/p', resolution: '1m' as const, stat: 'count' as const };
		expect(derivedKey(spec)).toBe('feed/f1/BTCUSDT/p@1m.count');
		const info = derivedInfo(7, { id: 1, key: spec.sourceKey, label: 'BTCUSDT/p', source: 'feed:f1', unit: '', kind: 'price' }, spec);
		expect(info).toMatchObject({ id: 7, key: 'feed/f1/BTCUSDT/p@1m.count', label: 'BTCUSDT/p ticks per window /1m', kind: 'volume' });
	});

	it('computes each statistic of a window', () => {
		expect(derivedValue('count', 5, 1, 4, 10, 3)).toBe(4);
		expect(derivedValue('mean', 5, 1, 4, 10, 3)).toBe(2.5);
		expect(derivedValue('range', 5, 1, 4, 10, 3)).toBe(4);
		expect(derivedValue('volume', 5, 1, 4, 10, 3)).toBe(3);
	});

	it('keeps only well-formed, distinct specs from storage', () => {
		const specs = normalizeDerived([
			{ sourceKey: 'a', resolution: '1m', stat: 'count' },
			{ sourceKey: 'a', resolution: '1m', stat: 'count' },
			{ sourceKey: 'a', resolution: '2m', stat: 'count' },
			{ sourceKey: 'a', resolution: '1s', stat: 'eval' },
			{ resolution: '1s', stat: 'mean' },
			null,
			'x'
		]);
		expect(specs).toEqual([{ sourceKey: 'a', resolution: '1m', stat: 'count' }]);
		expect(normalizeDerived({})).toEqual([]);
	});
});
