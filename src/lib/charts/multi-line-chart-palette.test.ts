import { describe, expect, it } from 'vitest';
import { isLight, OKABE_ITO_ON_DARK, OKABE_ITO_ON_LIGHT, SERIES_DASHES } from './multi-line-chart-palette';

describe('isLight', () => {
	it('reads computed rgb() and rgba() colours', () => {
		expect(isLight('rgb(255, 255, 255)')).toBe(true);
		expect(isLight('rgb(243, 245, 247)')).toBe(true);
		expect(isLight('rgb(22, 29, 36)')).toBe(false);
		expect(isLight('rgba(15, 20, 25, 0.9)')).toBe(false);
		expect(isLight('rgb(255 255 255 / 50%)')).toBe(true);
	});
	it('has no answer for a transparent background or another syntax', () => {
		expect(isLight('rgba(0, 0, 0, 0)')).toBeNull();
		expect(isLight('transparent')).toBeNull();
		expect(isLight('#fff')).toBeNull();
	});
});

describe('palettes', () => {
	it('hold the same eight Okabe–Ito colours apart from black and its stand-in, and dash from the fifth series', () => {
		expect(OKABE_ITO_ON_DARK).toHaveLength(8);
		expect(OKABE_ITO_ON_LIGHT).toHaveLength(8);
		expect(new Set(OKABE_ITO_ON_DARK).size).toBe(8);
		const shared = OKABE_ITO_ON_DARK.filter((c) => (OKABE_ITO_ON_LIGHT as readonly string[]).includes(c));
		expect(shared).toHaveLength(7);
		expect(SERIES_DASHES.slice(0, 4).every((d) => d === null)).toBe(true);
		expect(SERIES_DASHES.slice(4).every((d) => d !== null)).toBe(true);
	});
});
