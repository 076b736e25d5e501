import { sveltekit } from '@sveltejs/kit/vite';
import { SvelteKitPWA } from '@vite-pwa/sveltekit';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

const base = (process.env.BASE_PATH ?? '').replace(/\/+$/, '');

/**
 * TICKSCOPE_BUILD_SALT=<text> (tests/e2e/update.spec.ts only) appends a comment to every script
 * chunk, page and worker, so each one's hashed file name changes as in a real deploy. Added after
 * minification (`postFooter`): the minifier would strip it otherwise. Unset, it does nothing.
 */
function saltChunks(): Plugin {
	const salt = process.env.TICKSCOPE_BUILD_SALT?.replace(/\*\//g, '');
	return {
		name: 'tickscope:salt-chunks',
		apply: () => !!salt,
		outputOptions: (options) => ({ ...options, postFooter: `/* build ${salt} */` })
	};
}

export default defineConfig({
	plugins: [
		saltChunks(),
		sveltekit(),
		SvelteKitPWA({
			// Our own worker, src/service-worker.ts (built by SvelteKit, precache list injected here,
			// published as sw.js): Workbox's generated one deletes the previous version's chunks on
			// activation, and a tab still running that version then fails to lazy-load them.
			strategies: 'injectManifest',
			filename: 'sw.js',
			// Registered by src/lib/pwa with workbox-window, so the page can prompt before updating.
			injectRegister: false,
			registerType: 'prompt',
			scope: `${base}/`,
			base: `${base}/`,
			manifest: {
				id: `${base}/`,
				name: 'Tickscope — live ticks and anomalies',
				short_name: 'Tickscope',
				description:
					'Live-data dashboard in the browser: simulator or any WebSocket feed, online anomaly detection, rolling history that works offline.',
				start_url: `${base}/`,
				scope: `${base}/`,
				display: 'standalone',
				background_color: '#0f1419',
				theme_color: '#0f1419',
				icons: [
					{ src: `${base}/icons/icon-192.png`, sizes: '192x192', type: 'image/png' },
					{ src: `${base}/icons/icon-512.png`, sizes: '512x512', type: 'image/png' },
					{
						src: `${base}/icons/icon-maskable-512.png`,
						sizes: '512x512',
						type: 'image/png',
						purpose: 'maskable'
					}
				]
			},
			injectManifest: {
				// sw.js (the worker itself, in client/) is no asset of the app.
				globPatterns: ['client/**/*.{js,css,ico,png,svg,webp,webmanifest}', 'prerendered/**/*.html'],
				globIgnores: ['server/**', 'client/sw.js', 'client/service-worker.js']
			},
			devOptions: { enabled: false }
		})
	],
	worker: { format: 'es', plugins: () => [saltChunks()] },
	test: {
		include: ['src/**/*.test.ts'],
		benchmark: { include: ['bench/**/*.bench.ts'] },
		environment: 'node'
	}
});
