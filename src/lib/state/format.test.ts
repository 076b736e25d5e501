import { describe, expect, it } from 'vitest';
import { decimalsOf, formatScore, formatSigned, formatValue } from './format';

describe('format', () => {
	it('reads the decimals a series is quoted in from its values', () => {
		expect(decimalsOf([0, 512, 1023])).toBe(0);
		expect(decimalsOf([4.8, 5, 4.7])).toBe(1);
		expect(decimalsOf([44.2, 44.21, 44.17])).toBe(2);
		expect(decimalsOf([0.1 + 0.2])).toBe(1);
		expect(decimalsOf([Math.PI])).toBe(6);
	});

	it('formats values, changes and scores', () => {
		expect(formatValue(4.8, 1)).toMatch(/^4.8$/);
		expect(formatSigned(-0.1, 1)).toBe('−0.1');
		expect(formatSigned(0, 0)).toBe('±0');
		expect(formatSigned(-0.3, 0)).toBe('±0');
		expect(formatSigned(-0.004, 2)).toBe('±0.00');
		expect(formatSigned(0.5, 0)).toMatch(/^\+[01]$/);
		expect(formatScore(0.973)).toBe('0.97');
		expect(formatScore(7.25)).toBe('7.3');
		expect(formatScore(1e12)).toBe('>1,000');
	});
});
