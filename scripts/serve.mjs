// Serves the built site (build/) the way a static host does: files as they are, unknown paths
// under the base → 200.html (the SPA fallback), the service worker never cached by HTTP.
// Usage: node scripts/serve.mjs [--dir build] [--port 4173] [--base /sub] [--dev]
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import sirv from 'sirv';

/**
 * Starts a server; resolves once it listens. `dev` re-reads files on every request. `routes`
 * (benchmarks) may answer a request first: it returns true when it did.
 * @param {{ dir?: string, port?: number, host?: string, base?: string, dev?: boolean,
 *   routes?: (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => boolean }} [options]
 */
export function serveSite({ dir = 'build', port = 4173, host = '127.0.0.1', base = '', dev = false, routes = undefined } = {}) {
	const prefix = base.replace(/\/+$/, '');
	const files = sirv(dir, {
		dev,
		single: '200.html',
		etag: true,
		setHeaders(res, pathname) {
			// A stale sw.js would pin people to an old version (browsers cap this at 24 h anyway).
			if (pathname.endsWith('/sw.js') || pathname.endsWith('.webmanifest')) res.setHeader('Cache-Control', 'no-cache');
			else if (pathname.includes('/_app/immutable/')) res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
		}
	});
	const server = createServer((req, res) => {
		if (routes?.(req, res)) return;
		const url = req.url ?? '/';
		if (prefix && url === prefix) {
			res.writeHead(301, { Location: `${prefix}/` }).end();
			return;
		}
		if (prefix && !url.startsWith(`${prefix}/`)) {
			res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
			return;
		}
		req.url = url.slice(prefix.length) || '/';
		files(req, res, () => {
			res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
		});
	});
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => resolve(server));
	});
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const { values } = parseArgs({
		options: {
			dir: { type: 'string', default: 'build' },
			port: { type: 'string', default: process.env.PORT ?? '4173' },
			base: { type: 'string', default: process.env.BASE_PATH ?? '' },
			dev: { type: 'boolean', default: false }
		}
	});
	const port = Number(values.port);
	await serveSite({ dir: values.dir, port, base: values.base, dev: values.dev });
	console.log(`Tickscope is served at http://127.0.0.1:${port}${values.base.replace(/\/+$/, '')}/ (Ctrl+C stops it)`);
}
