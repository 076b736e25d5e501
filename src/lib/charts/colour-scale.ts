/**
 * The colour scale every heatmap shares: cividis (Nuñez, Anderton & Renslow 2018, as shipped in
 * matplotlib), dark blue through grey to yellow. Its lightness rises steadily from end to end,
 * so the order of values reads the same in grey and to people with red–green or blue–yellow
 * colour blindness; it was built to look alike with and without deuteranomaly.
 * The scale's own colours are theme-independent (cells carry their own text colour); lines and
 * labels around them take the page's CSS variables (see colour-scale-theme.ts).
 */

/** Entries in the lookup table: one per 8-bit level. */
export const SCALE_SIZE = 256;

/** Cividis, 256 entries of rrggbb (matplotlib's _cividis_data, rounded to 8 bits). */
const CIVIDIS_HEX =
	'00224e00234f00245100255300255400265600275800285900285b00295d002a5f002a61002b62002c64002c66002d68002e6a002e6c002f6d00306f0030700031700031710132710533710833700c34700f357012357014367016377018376f' +
	'1a386f1c396f1e3a6f203a6f213b6e233c6e243c6e263d6e273e6e293f6e2a3f6d2b406d2d416d2e416d2f426d31436d32436d33446d34456c35456c36466c38476c39486c3a486c3b496c3c4a6c3d4a6c3e4b6c3f4c6c404c6c414d6c424e6c' +
	'434e6c444f6c45506c46516c47516c48526c49536c4a536c4b546c4c556c4d556c4e566c4f576c50576c51586d52596d535a6d545a6d555b6d555c6d565c6d575d6d585e6d595e6e5a5f6e5b606e5c616e5d616e5e626e5e636f5f636f60646f' +
	'61656f62656f636670646770656870656870666970676a71686a71696b716a6c716b6d726c6d726c6e726d6f726e6f736f70737071737172747272747273747374757474757575757676767777767777777878777979777a7a787b7a787c7b78' +
	'7d7c787e7c787e7d787f7e78807f78817f788280798381798482798582798683798784788885788985788a86788b87788c88788d88788e89788f8a78908b78918b78928c78928d78938e78948e77958f779690779791779892779992779a9376' +
	'9b94769c95769d95769e96769f9775a09875a19975a29975a39a74a49b74a59c74a69c74a79d73a89e73a99f73aaa073aba072aca172ada272aea371afa471b0a571b1a570b3a670b4a76fb5a86fb6a96fb7a96eb8aa6eb9ab6dbaac6dbbad6d' +
	'bcae6cbdae6cbeaf6bbfb06bc0b16ac1b26ac2b369c3b369c4b468c5b568c6b667c7b767c8b866c9b965cbb965ccba64cdbb63cebc63cfbd62d0be62d1bf61d2c060d3c05fd4c15fd5c25ed6c35dd7c45cd9c55cdac65bdbc75adcc859ddc858' +
	'dec958dfca57e0cb56e1cc55e2cd54e4ce53e5cf52e6d051e7d150e8d24fe9d34eead34cebd44bedd54aeed649efd748f0d846f1d945f2da44f3db42f5dc41f6dd3ff7de3ef8df3cf9e03afbe138fce236fde334fee434fee535fee636fee838';

/** The table as bytes: r, g, b per entry (768 bytes), for ImageData writes. */
export const SCALE_RGB: Uint8Array = (() => {
	const rgb = new Uint8Array(SCALE_SIZE * 3);
	for (let i = 0; i < rgb.length; i++) rgb[i] = parseInt(CIVIDIS_HEX.slice(2 * i, 2 * i + 2), 16);
	return rgb;
})();

/**
 * The table as opaque RGBA pixels, one 32-bit word per entry, for writing an ImageData through a
 * Uint32Array view of its bytes: one store per pixel instead of four. Filled byte by byte
 * through a view of the same buffer, so it matches the machine's byte order.
 */
export const SCALE_RGBA32: Uint32Array = (() => {
	const words = new Uint32Array(SCALE_SIZE);
	const bytes = new Uint8Array(words.buffer);
	for (let i = 0; i < SCALE_SIZE; i++) {
		bytes.set(SCALE_RGB.subarray(3 * i, 3 * i + 3), 4 * i);
		bytes[4 * i + 3] = 255;
	}
	return words;
})();

/** The table as CSS colours (`#rrggbb`), made once so a redraw builds no strings. */
export const SCALE_CSS: readonly string[] = Array.from({ length: SCALE_SIZE }, (_, i) => '#' + CIVIDIS_HEX.slice(6 * i, 6 * i + 6));

/**
 * The entry for `v` on a scale from `lo` to `hi` (clamped to its ends); -1 for a value that is
 * not a number. A flat scale (`hi <= lo`) puts everything in the middle: no change is no news.
 */
export function scaleIndex(v: number, lo: number, hi: number): number {
	if (Number.isNaN(v)) return -1;
	if (!(hi > lo)) return SCALE_SIZE >> 1;
	const f = (v - lo) / (hi - lo);
	if (f <= 0) return 0;
	// f = 1 lands on the last entry, not one past it.
	if (f >= 1) return SCALE_SIZE - 1;
	return Math.floor(f * SCALE_SIZE);
}

/** WCAG relative luminance of an sRGB colour given as 0–255 channels. */
export function relativeLuminance(r: number, g: number, b: number): number {
	const lin = (c: number): number => {
		const s = c / 255;
		return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
	};
	return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** WCAG contrast ratio of two luminances (1 to 21). */
export function contrastRatio(a: number, b: number): number {
	return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}

/**
 * Black and white text that the scale's cells choose between. Pure black, not the theme's
 * near-black: the scale's mid-grey (luminance ~0.18) reaches 4.5:1 only against the extremes.
 */
export const DARK_TEXT = '#000000';
export const LIGHT_TEXT = '#ffffff';
const DARK_TEXT_LUMINANCE = 0;

/** Text colour for a label drawn on entry `index`: whichever of dark and light contrasts more. */
export const SCALE_TEXT: readonly string[] = Array.from({ length: SCALE_SIZE }, (_, i) => {
	const l = relativeLuminance(SCALE_RGB[3 * i], SCALE_RGB[3 * i + 1], SCALE_RGB[3 * i + 2]);
	return contrastRatio(l, DARK_TEXT_LUMINANCE) >= contrastRatio(l, 1) ? DARK_TEXT : LIGHT_TEXT;
});

/** A CSS gradient of the scale, left (low) to right (high), for legends. */
export function scaleGradientCss(stops = 16): string {
	const parts: string[] = [];
	for (let k = 0; k < stops; k++) parts.push(SCALE_CSS[Math.round((k * (SCALE_SIZE - 1)) / (stops - 1))]);
	return `linear-gradient(to right, ${parts.join(', ')})`;
}
