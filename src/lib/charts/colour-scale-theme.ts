/**
 * Colours around the scale (labels, outlines, backgrounds) come from the page's theme, so a
 * heatmap reads in light and dark alike. They are read once and again only when the theme can
 * have changed, not per frame: getComputedStyle per frame would force a style pass.
 */
export interface ThemeColours {
	text: string;
	muted: string;
	surface: string;
	/** Empty cells (no ticks there) and the unloaded part of a sensor outline. */
	surface2: string;
	/** Flagged cells: a thick outline (or marker) in this, beside a text cue. */
	flag: string;
}

/** Fallbacks match the dark theme in app.css, for a node not yet styled. */
const FALLBACK: ThemeColours = { text: '#e6edf3', muted: '#8b98a5', surface: '#161d24', surface2: '#1f2933', flag: '#ff6b4a' };

export function readThemeColours(node: Element): ThemeColours {
	const css = getComputedStyle(node);
	const read = (name: string, fallback: string): string => css.getPropertyValue(name).trim() || fallback;
	return {
		text: read('--text', FALLBACK.text),
		muted: read('--muted', FALLBACK.muted),
		surface: read('--surface', FALLBACK.surface),
		surface2: read('--surface-2', FALLBACK.surface2),
		// The app's flag orange (Okabe–Ito), a hue cividis's blue–grey–yellow never takes.
		flag: read('--heatmap-flag', read('--false-alarm', FALLBACK.flag))
	};
}

/**
 * Calls `listener` when the theme may have changed: the system setting flips, or the page's
 * root element changes its class, style or data-theme (how a chosen theme is applied).
 * Returns the unsubscribe.
 */
export function watchTheme(listener: () => void): () => void {
	const media = matchMedia('(prefers-color-scheme: dark)');
	media.addEventListener('change', listener);
	const observer = new MutationObserver(listener);
	observer.observe(document.documentElement, { attributes: true, attributeFilter: ['class', 'style', 'data-theme'] });
	return () => {
		media.removeEventListener('change', listener);
		observer.disconnect();
	};
}
