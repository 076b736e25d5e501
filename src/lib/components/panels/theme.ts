import { createSubscriber } from 'svelte/reactivity';

let version = 0;

// The page applies a theme through the root's data-theme or class (see app.css), and "system"
// follows prefers-color-scheme: either can change the colours canvases were drawn with.
const subscribe = createSubscriber((update) => {
	const root = document.documentElement;
	const media = matchMedia('(prefers-color-scheme: dark)');
	const current = () => `${root.dataset.theme ?? ''}|${root.className}|${media.matches}`;
	let seen = current();
	const changed = () => {
		// The page sets data-theme again on every workspace change, to the same value: a mutation
		// but no new colours, and rebuilding every chart for it would also re-watch their series.
		const now = current();
		if (now === seen) return;
		seen = now;
		version++;
		update();
	};
	const observer = new MutationObserver(changed);
	observer.observe(root, { attributes: true, attributeFilter: ['data-theme', 'class'] });
	media.addEventListener('change', changed);
	return () => {
		observer.disconnect();
		media.removeEventListener('change', changed);
	};
});

/**
 * A number that changes whenever the page's theme does. Canvas panels read it where they read
 * their colours from CSS, so they are rebuilt with the new ones (colours are read once per
 * chart, never per frame: getComputedStyle in a frame forces a style pass).
 */
export function themeVersion(): number {
	subscribe();
	return version;
}
