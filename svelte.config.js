import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/**
 * BASE_PATH publishes the site under a sub-path (e.g. `/tickscope` for project pages).
 * It must start with `/` and not end with one; empty means the site root.
 */
const base = /** @type {'' | `/${string}`} */ ((process.env.BASE_PATH ?? '').replace(/\/+$/, ''));

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		// 200.html is what static hosts serve for unknown paths (see README, "Hosting").
		adapter: adapter({
			pages: process.env.BUILD_DIR ?? 'build',
			assets: process.env.BUILD_DIR ?? 'build',
			fallback: '200.html'
		}),
		paths: {
			base,
			// Absolute asset URLs: relative ones break the offline shell under a deep path.
			relative: false
		},
		// src/service-worker.ts is built by Kit and registered by src/lib/pwa (workbox-window), which
		// prompts before updating: Kit's own registration would activate updates unasked.
		serviceWorker: { register: false },
		// Feed data is untrusted: no inline script runs but Kit's own start-up (hashed), no eval,
		// no plugins, no <base> tricks. Sockets to any ws:/wss: feed or broker the person pastes.
		// Static hosts cannot send headers, so Kit writes it as a <meta> tag into every page.
		csp: {
			mode: 'hash',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'connect-src': ['self', 'ws:', 'wss:'],
				'img-src': ['self', 'data:'],
				// Svelte and uPlot set element styles; a style cannot run code.
				'style-src': ['self', 'unsafe-inline'],
				'worker-src': ['self'],
				'manifest-src': ['self'],
				'object-src': ['none'],
				'base-uri': ['none'],
				'form-action': ['none']
			}
		}
	}
};

export default config;
