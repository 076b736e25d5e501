/**
 * Series colours: the Okabe–Ito palette, whose eight colours stay apart for the common kinds of
 * colour blindness. A theme may set its own as `--series-1` … `--series-8`; otherwise the order
 * below suits the page's background (Okabe–Ito's black is unreadable on a dark page and its
 * yellow on a light one, so each goes last there).
 */
export const OKABE_ITO_ON_DARK = ['#56B4E9', '#E69F00', '#009E73', '#F0E442', '#D55E00', '#CC79A7', '#0072B2', '#BBBBBB'] as const;
export const OKABE_ITO_ON_LIGHT = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#000000', '#F0E442'] as const;

/** From the fifth series on, lines are dashed too: a second cue besides colour when many share a chart. */
export const SERIES_DASHES: readonly (number[] | null)[] = [null, null, null, null, [6, 3], [2, 3], [8, 3, 2, 3], [4, 4]];

/** Whether a computed `rgb(…)`/`rgba(…)` colour is light (relative luminance above the middle). */
export function isLight(rgb: string): boolean | null {
	const m = /rgba?\(\s*([\d.]+)[ ,]+([\d.]+)[ ,]+([\d.]+)(?:\s*[,/]\s*([\d.]+%?))?/.exec(rgb);
	if (!m) return null;
	const alpha = m[4] === undefined ? 1 : m[4].endsWith('%') ? parseFloat(m[4]) / 100 : parseFloat(m[4]);
	if (alpha === 0) return null;
	const [r, g, b] = [m[1], m[2], m[3]].map((c) => {
		const s = Number(c) / 255;
		return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
	});
	return 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.18;
}

/** The background a node is drawn on: the first ancestor (or itself) that paints one. */
function backgroundIsLight(node: Element): boolean {
	for (let el: Element | null = node; el; el = el.parentElement) {
		const light = isLight(getComputedStyle(el).backgroundColor);
		if (light !== null) return light;
	}
	return !matchMedia('(prefers-color-scheme: dark)').matches;
}

/** `n` series colours for charts inside `node` (read once per chart, not per frame). */
export function seriesColours(node: Element, n: number): string[] {
	const css = getComputedStyle(node);
	const fallback = backgroundIsLight(node) ? OKABE_ITO_ON_LIGHT : OKABE_ITO_ON_DARK;
	return Array.from({ length: n }, (_, i) => css.getPropertyValue(`--series-${(i % 8) + 1}`).trim() || fallback[i % 8]);
}
