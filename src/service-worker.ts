/// <reference types="@sveltejs/kit" />
// The service worker (SvelteKit builds this file; vite-plugin-pwa injects the precache list and
// names it sw.js; src/lib/pwa/app-update.svelte.ts registers it). Kept small and hand-written
// instead of Workbox's precaching because of one rule Workbox breaks for us: a tab still running
// the previous build must keep loading that build's lazy chunks (the feed code, exports, the CSV
// import...) after a newer worker took over, even though the server has deleted them. Workbox
// deletes every precached file the new manifest does not list as soon as the new worker activates.
//
// Caches (all named per scope, so two builds under different paths of one origin stay apart):
// - immutable: every `_app/immutable/` file of the kept versions. Those files are named by their
//   content, so one cache serves all versions, an unchanged chunk is never downloaded twice, and
//   serving an old one is always correct. Pruned by `planRetention` (src/lib/pwa/sw-retention.ts).
// - shell-<version>: everything else precached (the app shell `/`, manifest, icons) for this build.
// - meta: JSON bookkeeping: which files each version has, which version each open tab runs.
import { base, version } from '$service-worker';
import { planRetention, upsertRecord, type VersionRecord } from '$lib/pwa/sw-retention';
import { CLIENT_VERSION_MESSAGE, SKIP_WAITING_MESSAGE } from '$lib/pwa/messages';

const sw = self as unknown as ServiceWorkerGlobalScope;

interface ManifestEntry {
	url: string;
	revision: string | null;
}
// Replaced at build time by workbox-build's injectManifest (the literal `self.__WB_MANIFEST`).
const manifest = (self as unknown as { __WB_MANIFEST: ManifestEntry[] }).__WB_MANIFEST;

const scope = sw.registration.scope;
const IMMUTABLE_CACHE = `tickscope-immutable@${scope}`;
const SHELL_PREFIX = `tickscope-shell@${scope}#`;
const SHELL_CACHE = `${SHELL_PREFIX}${version}`;
const META_CACHE = `tickscope-meta@${scope}`;
const VERSIONS_KEY = new URL('__tickscope/versions.json', scope).href;
const CLIENTS_KEY = new URL('__tickscope/clients.json', scope).href;
/** Caches the Workbox-generated worker of earlier releases left behind (migrated on install). */
const WORKBOX_PRECACHE = 'workbox-precache';

const IMMUTABLE_PREFIX = `${base}/_app/immutable/`;
const entries = manifest.map((entry) => ({ url: new URL(entry.url, scope).href, revision: entry.revision }));
const hashedFiles = entries.filter((e) => isImmutable(e.url)).map((e) => e.url);
const shellFiles = entries.filter((e) => !isImmutable(e.url)).map((e) => e.url);
const shellSet = new Set(shellFiles);
/** The app shell every navigation gets (the prerendered `/`, as Workbox's navigateFallback did). */
const SHELL_URL = new URL(`${base}/`, scope).href;

function isImmutable(url: string): boolean {
	return new URL(url).pathname.startsWith(IMMUTABLE_PREFIX);
}

// One queue for every read-modify-write of the bookkeeping in this worker.
let queue: Promise<unknown> = Promise.resolve();
function serial<T>(task: () => Promise<T>): Promise<T> {
	const run = queue.then(task, task);
	queue = run.catch(() => undefined);
	return run;
}

async function readJson<T>(key: string, fallback: T): Promise<T> {
	const response = await (await caches.open(META_CACHE)).match(key);
	if (!response) return fallback;
	try {
		return (await response.json()) as T;
	} catch {
		return fallback;
	}
}

async function writeJson(key: string, value: unknown): Promise<void> {
	const body = JSON.stringify(value);
	await (await caches.open(META_CACHE)).put(key, new Response(body, { headers: { 'Content-Type': 'application/json' } }));
}

/** Fetches a file to precache; anything but a 2xx fails the install (the old version stays). */
async function fetchOk(request: Request): Promise<Response> {
	const response = await fetch(request);
	if (!response.ok) throw new Error(`Precaching ${request.url} failed: HTTP ${response.status}`);
	// A redirected response cannot answer a navigation: keep the body, drop the redirect flag.
	if (!response.redirected) return response;
	return new Response(await response.blob(), { status: response.status, statusText: response.statusText, headers: response.headers });
}

/** Copies the hashed files an earlier Workbox worker precached, as the record of that version. */
async function adoptWorkboxPrecache(immutable: Cache): Promise<VersionRecord[]> {
	const adopted: VersionRecord[] = [];
	for (const name of await caches.keys()) {
		if (!name.startsWith(WORKBOX_PRECACHE) || !name.endsWith(scope)) continue;
		const cache = await caches.open(name);
		const files: string[] = [];
		for (const request of await cache.keys()) {
			const url = new URL(request.url);
			url.searchParams.delete('__WB_REVISION__');
			if (!isImmutable(url.href)) continue;
			const response = await cache.match(request);
			if (!response) continue;
			await immutable.put(url.href, response);
			files.push(url.href);
		}
		adopted.push({ version: `workbox:${name}`, files, installedAt: 0 });
	}
	return adopted;
}

async function install(): Promise<void> {
	const immutable = await caches.open(IMMUTABLE_CACHE);
	// The record goes first: a worker pruning meanwhile then spares the files being downloaded.
	const adopted = await adoptWorkboxPrecache(immutable);
	await serial(async () => {
		let records = await readJson<VersionRecord[]>(VERSIONS_KEY, []);
		for (const record of adopted) records = upsertRecord(records, record);
		await writeJson(VERSIONS_KEY, upsertRecord(records, { version, files: hashedFiles, installedAt: Date.now() }));
	});
	await Promise.all(
		hashedFiles.map(async (url) => {
			// Same name, same bytes: a chunk an earlier version already had is not fetched again.
			if (await immutable.match(url, { ignoreVary: true })) return;
			await immutable.put(url, await fetchOk(new Request(url)));
		})
	);
	const shell = await caches.open(SHELL_CACHE);
	// `reload`: these names do not change between builds, so the HTTP cache may hold older bytes.
	await Promise.all(shellFiles.map(async (url) => shell.put(url, await fetchOk(new Request(url, { cache: 'reload' })))));
}

/** Versions some open window still runs (as the windows reported them), forgetting closed ones. */
async function versionsInUse(): Promise<Set<string>> {
	const reported = await readJson<Record<string, string>>(CLIENTS_KEY, {});
	const windows = await sw.clients.matchAll({ type: 'window', includeUncontrolled: true });
	const open = new Set(windows.map((w) => w.id));
	const alive = Object.fromEntries(Object.entries(reported).filter(([id]) => open.has(id)));
	if (Object.keys(alive).length !== Object.keys(reported).length) await writeJson(CLIENTS_KEY, alive);
	return new Set(Object.values(alive));
}

/** Drops versions no one needs any more (see planRetention) and every file none of the rest has. */
function prune(): Promise<void> {
	return serial(async () => {
		const records = await readJson<VersionRecord[]>(VERSIONS_KEY, []);
		const { keep } = planRetention(records, version, await versionsInUse());
		if (keep.length !== records.length) await writeJson(VERSIONS_KEY, keep);
		const needed = new Set(keep.flatMap((r) => r.files));
		const immutable = await caches.open(IMMUTABLE_CACHE);
		for (const request of await immutable.keys()) {
			if (!needed.has(request.url)) await immutable.delete(request);
		}
	});
}

async function activate(): Promise<void> {
	// Pages opened before the first install (the very first visit) are served from now on too, so
	// their lazy chunks survive a later deploy. Pages of an older version are already switched over.
	await sw.clients.claim();
	// Our own record, in case bookkeeping was lost (the cache cleared by hand, a race).
	await serial(async () => {
		const records = await readJson<VersionRecord[]>(VERSIONS_KEY, []);
		if (!records.some((r) => r.version === version)) await writeJson(VERSIONS_KEY, upsertRecord(records, { version, files: hashedFiles, installedAt: Date.now() }));
	});
	for (const name of await caches.keys()) {
		const oldShell = name.startsWith(SHELL_PREFIX) && name !== SHELL_CACHE;
		const oldWorkbox = name.startsWith(WORKBOX_PRECACHE) && name.endsWith(scope);
		if (oldShell || oldWorkbox) await caches.delete(name);
	}
	await prune();
}

async function fromCache(cacheName: string, request: Request | string): Promise<Response | undefined> {
	return (await caches.open(cacheName)).match(request, { ignoreVary: true });
}

sw.addEventListener('install', (event) => event.waitUntil(install()));
sw.addEventListener('activate', (event) => event.waitUntil(activate()));

sw.addEventListener('message', (event) => {
	const data = event.data as { type?: string; version?: unknown } | null;
	if (data?.type === SKIP_WAITING_MESSAGE) {
		void sw.skipWaiting();
	} else if (data?.type === CLIENT_VERSION_MESSAGE && typeof data.version === 'string') {
		const source = event.source as Client | null;
		if (!source) return;
		const reported = data.version;
		event.waitUntil(
			serial(async () => {
				const clients = await readJson<Record<string, string>>(CLIENTS_KEY, {});
				if (clients[source.id] !== reported) await writeJson(CLIENTS_KEY, { ...clients, [source.id]: reported });
			}).then(
				// A tab (re)loaded: an older version may have lost its last window meanwhile.
				() => (sw.registration.active === sw.serviceWorker ? prune() : undefined)
			)
		);
	}
});

sw.addEventListener('fetch', (event) => {
	const { request } = event;
	if (request.method !== 'GET') return;
	const url = new URL(request.url);
	if (url.origin !== location.origin) return;
	if (request.mode === 'navigate') {
		if (!url.pathname.startsWith(`${base}/`)) return;
		// Offline first: every navigation gets this version's shell; the app routes on the client.
		event.respondWith(fromCache(SHELL_CACHE, SHELL_URL).then((cached) => cached ?? fetch(request)));
	} else if (url.pathname.startsWith(IMMUTABLE_PREFIX)) {
		// Any kept version's copy: a tab of the previous version may ask for a file the server no
		// longer has. Not cached (a file of no kept version): the network, as without a worker.
		event.respondWith(fromCache(IMMUTABLE_CACHE, request).then((cached) => cached ?? fetch(request)));
	} else if (shellSet.has(url.href)) {
		event.respondWith(fromCache(SHELL_CACHE, request).then((cached) => cached ?? fetch(request)));
	}
});
