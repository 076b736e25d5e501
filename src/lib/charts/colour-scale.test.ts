import { describe, expect, it } from 'vitest';
import { contrastRatio, relativeLuminance, SCALE_CSS, SCALE_RGB, SCALE_RGBA32, SCALE_SIZE, SCALE_TEXT, scaleGradientCss, scaleIndex } from './colour-scale';

const rgb = (i: number): [number, number, number] => [SCALE_RGB[3 * i], SCALE_RGB[3 * i + 1], SCALE_RGB[3 * i + 2]];

/** Machado, Oliveira & Fernandes (2009) at full severity, applied to linear RGB. */
const CVD: Record<string, number[][]> = {
	protanopia: [
		[0.152286, 1.052583, -0.204868],
		[0.114503, 0.786281, 0.099216],
		[-0.003882, -0.048116, 1.051998]
	],
	deuteranopia: [
		[0.367322, 0.860646, -0.227968],
		[0.280085, 0.672501, 0.047413],
		[-0.01182, 0.04294, 0.968881]
	],
	tritanopia: [
		[1.255528, -0.076749, -0.178779],
		[-0.078411, 0.930809, 0.147602],
		[0.004733, 0.691367, 0.3039]
	]
};

const linear = (c: number): number => {
	const s = c / 255;
	return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
};

/** Luminance of entry `i` as someone with `kind` colour blindness sees it. */
function seenLuminance(i: number, kind: string): number {
	const lin = rgb(i).map(linear);
	const m = CVD[kind];
	const [r, g, b] = m.map((row) => Math.min(1, Math.max(0, row[0] * lin[0] + row[1] * lin[1] + row[2] * lin[2])));
	return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** CIE L* (perceived lightness, 0–100) of a luminance. */
const lightness = (y: number): number => (y > 216 / 24389 ? 116 * Math.cbrt(y) - 16 : (24389 / 27) * y);

describe('colour scale', () => {
	it('is cividis with 256 entries', () => {
		expect(SCALE_RGB.length).toBe(3 * SCALE_SIZE);
		expect(SCALE_CSS).toHaveLength(SCALE_SIZE);
		// matplotlib's ends: (0, 0.135, 0.305) and (0.996, 0.909, 0.218).
		expect(SCALE_CSS[0]).toBe('#00224e');
		expect(SCALE_CSS[255]).toBe('#fee838');
		expect(SCALE_CSS.every((c) => /^#[0-9a-f]{6}$/.test(c))).toBe(true);
	});

	it('packs the table as opaque pixels in the byte order of an ImageData', () => {
		const bytes = new Uint8Array(SCALE_RGBA32.buffer);
		for (let i = 0; i < SCALE_SIZE; i++) expect(Array.from(bytes.subarray(4 * i, 4 * i + 4))).toEqual([...rgb(i), 255]);
	});

	it('gets lighter along its length, so order reads in grey', () => {
		// 8-bit rounding leaves a neighbour a hair darker here and there; four steps never are.
		for (let i = 4; i < SCALE_SIZE; i++) {
			expect(relativeLuminance(...rgb(i)), `entry ${i}`).toBeGreaterThan(relativeLuminance(...rgb(i - 4)));
			expect(relativeLuminance(...rgb(i)), `entry ${i}`).toBeGreaterThan(relativeLuminance(...rgb(i - 1)) - 0.001);
		}
	});

	it('keeps eighths of the scale apart for protanopia, deuteranopia and tritanopia', () => {
		for (const kind of Object.keys(CVD)) {
			for (let i = 32; i < SCALE_SIZE; i += 32) {
				const [a, b] = [lightness(seenLuminance(i - 32, kind)), lightness(seenLuminance(i, kind))];
				// Lighter by at least 5 L* (of 100) at every eighth of the scale: a visible step.
				expect(b - a, `${kind} at ${i}`).toBeGreaterThan(5);
			}
		}
	});

	it('maps values onto entries, clamped, with the top value on the last entry', () => {
		expect(scaleIndex(0, 0, 1023)).toBe(0);
		expect(scaleIndex(1023, 0, 1023)).toBe(255);
		expect(scaleIndex(-5, 0, 1023)).toBe(0);
		expect(scaleIndex(5000, 0, 1023)).toBe(255);
		expect(scaleIndex(511.5, 0, 1023)).toBe(128);
		expect(scaleIndex(0.999, 0, 1)).toBe(255);
		expect(scaleIndex(0.5 / 256, 0, 1)).toBe(0);
		expect(scaleIndex(1 / 256, 0, 1)).toBe(1);
		expect(scaleIndex(Number.NaN, 0, 1)).toBe(-1);
		expect(scaleIndex(Infinity, 0, 1)).toBe(255);
		// A flat row: the middle, not an end.
		expect(scaleIndex(7, 7, 7)).toBe(128);
		expect(scaleIndex(7, Number.NaN, Number.NaN)).toBe(128);
	});

	it('picks a text colour readable on every entry (WCAG AA, 4.5:1)', () => {
		for (let i = 0; i < SCALE_SIZE; i++) {
			const text = SCALE_TEXT[i];
			const t = [1, 3, 5].map((k) => parseInt(text.slice(k, k + 2), 16)) as [number, number, number];
			expect(contrastRatio(relativeLuminance(...rgb(i)), relativeLuminance(...t)), `entry ${i}`).toBeGreaterThanOrEqual(4.5);
		}
		expect(SCALE_TEXT[0]).toBe('#ffffff');
		expect(SCALE_TEXT[255]).not.toBe('#ffffff');
	});

	it('makes a legend gradient from its ends', () => {
		const css = scaleGradientCss(4);
		expect(css.startsWith('linear-gradient(to right, #00224e,')).toBe(true);
		expect(css.endsWith('#fee838)')).toBe(true);
	});
});
