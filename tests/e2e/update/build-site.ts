// Builds the site into a directory of its own, in a private copy of the project (sources and
// configs copied, node_modules linked): `vite build` writes .svelte-kit/output first, and a build
// in the working tree would race with anyone else building there.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../../..');
const COPIED = ['src', 'static', 'package.json', 'svelte.config.js', 'vite.config.ts', 'tsconfig.json'];

/** A copy of the project to build in; `dispose` removes it. */
export function projectCopy(): { dir: string; dispose: () => void } {
	const dir = mkdtempSync(join(tmpdir(), 'tickscope-project-'));
	for (const name of COPIED) cpSync(join(ROOT, name), join(dir, name), { recursive: true, filter: (src) => !src.endsWith('.test.ts') });
	symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
	return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * `vite build` in `project` into `outDir` (absolute). `salt` changes every chunk's content and so
 * every hashed file name (vite.config.ts, TICKSCOPE_BUILD_SALT), as a release with code changes would.
 * Run at low priority: the browser tests running beside it must not starve.
 */
export function buildSite({ project, outDir, salt }: { project: string; outDir: string; salt?: string }): void {
	execFileSync('nice', ['-n', '15', join(ROOT, 'node_modules/.bin/vite'), 'build', '--logLevel', 'error'], {
		cwd: project,
		stdio: ['ignore', 'ignore', 'inherit'],
		env: { ...process.env, BUILD_DIR: outDir, BASE_PATH: '', TICKSCOPE_BUILD_SALT: salt ?? '' }
	});
}

/** `build/` (what `npm run build` made, and the other browser tests serve) if it has this service worker. */
export function currentBuild(): string | null {
	const dir = join(ROOT, 'build');
	const sw = join(dir, 'sw.js');
	const index = join(dir, 'index.html');
	if (!existsSync(sw) || !existsSync(index)) return null;
	// The marker is a cache name of src/service-worker.ts: an older build has Workbox's worker.
	const ours = readFileSync(sw, 'utf8').includes('tickscope-immutable@');
	// Built for the site root (not a BASE_PATH), where the test serves it.
	const atRoot = readFileSync(index, 'utf8').includes('"/_app/immutable/');
	return ours && atRoot ? dir : null;
}
