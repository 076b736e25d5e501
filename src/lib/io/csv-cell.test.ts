import { describe, expect, it } from 'vitest';
import { Random } from '$lib/sources/simulator/random';
import { isoTime, numberText, textCell } from './csv-cell';

describe('isoTime', () => {
	it('writes what toISOString writes, for any time a Date can hold', () => {
		const random = new Random(11);
		const edges = [0, -0, 0.5, -0.5, -1, -1.5, 999.999, 86_399_999.9, -86_400_000, 8.64e15, -8.64e15, 253402300799999, 253402300800000];
		const times = [...edges];
		for (let i = 0; i < 20_000; i++) {
			const scale = [1e3, 1e9, 1e12, 1e15][i % 4];
			times.push((random.uint32() / 4294967296 - 0.5) * 2 * scale * (i % 3 === 0 ? 1 : 1.0000001));
		}
		for (const t of times) {
			if (isoTime(t) !== new Date(t).toISOString()) expect.fail(`${t}: ${isoTime(t)} !== ${new Date(t).toISOString()}`);
		}
	});

	it('is empty, not a throw, outside the Date range', () => {
		expect([NaN, Infinity, -Infinity, 8.64e15 + 1].map(isoTime)).toEqual(['', '', '', '']);
	});
});

describe('numberText and textCell', () => {
	it('keeps the sign of zero', () => {
		expect(numberText(-0)).toBe('-0');
		expect(Object.is(Number(numberText(-0)), -0)).toBe(true);
	});

	it('leaves plain text alone', () => {
		expect(textCell('sim/ACME')).toBe('sim/ACME');
		expect(textCell('a b')).toBe('a b');
	});
});
