import { sveltekit } from '@sveltejs/kit/vite';
import { SvelteKitPWA } from '@vite-pwa/sveltekit';
import { defineConfig } from 'vitest/config';

const base = (process.env.BASE_PATH ?? '').replace(/\/+$/, '');

export default defineConfig({
	plugins: [
		sveltekit(),
		SvelteKitPWA({
			strategies: 'generateSW',
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
			workbox: {
				globPatterns: ['client/**/*.{js,css,ico,png,svg,webp,webmanifest}', 'prerendered/**/*.html'],
				navigateFallback: `${base}/`,
				cleanupOutdatedCaches: true
			},
			devOptions: { enabled: false }
		})
	],
	worker: { format: 'es' },
	test: {
		include: ['src/**/*.test.ts'],
		benchmark: { include: ['bench/**/*.bench.ts'] },
		environment: 'node'
	}
});
