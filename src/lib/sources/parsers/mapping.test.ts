import { describe, expect, it } from 'vitest';
import { sanitizeKey } from './mapping';

describe('sanitizeKey', () => {
	it('keeps ordinary names as they are', () => {
		expect(sanitizeKey('BTCUSDT/p')).toBe('BTCUSDT/p');
		expect(sanitizeKey('Zürich 温度')).toBe('Zürich 温度');
	});

	it('drops control and invisible formatting characters a feed could use to spoof a name', () => {
		expect(sanitizeKey('a\u0000b\u001fc\u007f')).toBe('abc');
		// A right-to-left override would show "BTC" + reversed text; zero-width joins are invisible.
		expect(sanitizeKey('BTC\u202eDSU\u202c')).toBe('BTCDSU');
		expect(sanitizeKey('E\u200bTH\u2066x\u2069\ufeff')).toBe('ETHx');
	});

	it('cuts names to a bounded length', () => {
		expect(sanitizeKey('x'.repeat(1000)).length).toBeLessThanOrEqual(100);
	});
});
