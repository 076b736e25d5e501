import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { chartState, tickTotal } from './helpers';
import { inspectHistory, type HistoryReport } from './history-audit';

/**
 * The renderer is killed while the engine worker is writing its history, again and again: the
 * database must open every time, every flushed chunk must be all-or-nothing across the tables
 * one flush writes (chunks, summaries, blocks, series, counters, heads, candles), and no tick may
 * be stored twice. The history is read with the raw IndexedDB API (none of the app's code).
 */

const CYCLES = 20;
/** The crash comes this long (uniformly random, ms) after ticks are seen flowing. */
const MAX_CRASH_DELAY_MS = 1500;


/** A page of the app's origin that does not run the app: the history is quiet while it is read. */
async function inspect(context: BrowserContext): Promise<HistoryReport> {
	const page = await context.newPage();
	try {
		await page.goto('./robots.txt');
		return await page.evaluate(inspectHistory);
	} finally {
		await page.close();
	}
}

/** Small seeded generator (mulberry32), so a failing run can be repeated with CRASH_SEED. */
function random(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/**
 * Runs in the engine worker: reports on the console each read-write transaction that writes
 * chunks (when it issues its first write), the counters it writes, whether it deletes chunks (a
 * compaction) and how it ends. Only observes; every request goes through unchanged. (It hooks the
 * object stores' put and delete, looked up on every call: Dexie binds the database's
 * `transaction` method when it opens, so hooking that would miss a database opened first.)
 */
function watchWrites(): void {
	const scope = globalThis as unknown as { __crashSpecWatching?: boolean };
	if (scope.__crashSpecWatching) return;
	scope.__crashSpecWatching = true;
	const ids = new WeakMap<IDBTransaction, number>();
	let next = 0;
	const idOf = (tx: IDBTransaction): number | undefined => {
		let id = ids.get(tx);
		if (id === undefined && tx.mode === 'readwrite' && [...tx.objectStoreNames].includes('chunks')) {
			ids.set(tx, (id = ++next));
			console.log(`crash-spec tx ${id} open`);
			tx.addEventListener('complete', () => console.log(`crash-spec tx ${id} complete`));
			tx.addEventListener('abort', () => console.log(`crash-spec tx ${id} abort`));
		}
		return id;
	};
	const put = IDBObjectStore.prototype.put;
	IDBObjectStore.prototype.put = function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
		const id = idOf(this.transaction);
		const row = value as { key?: string; totalTicks?: number } | null;
		if (id && this.name === 'meta' && row?.key === 'counters') console.log(`crash-spec tx ${id} counters ${row.totalTicks}`);
		return put.call(this, value, key);
	};
	const remove = IDBObjectStore.prototype.delete;
	IDBObjectStore.prototype.delete = function (this: IDBObjectStore, query: IDBValidKey | IDBKeyRange) {
		const id = idOf(this.transaction);
		if (id && this.name === 'chunks') console.log(`crash-spec tx ${id} deletes`);
		return remove.call(this, query);
	};
}

interface WriteSeen {
	counters?: number;
	deletes: boolean;
	end?: 'complete' | 'abort';
}

type Kill = 'Page.crash' | 'chrome://kill';
/** When to kill: after a random delay, as a flush's transaction opens, or as a compaction deletes. */
type Moment = 'random' | 'write' | 'compaction';

/** The app in one page, its engine worker's writes as the worker reports them, and a way to kill it. */
class AppPage {
	readonly writes = new Map<number, WriteSeen>();
	private armed: { on: 'open' | 'deletes'; fire: () => void } | null = null;

	private constructor(readonly page: Page) {
		// The worker's first flush comes a second after it starts: long after this is in place.
		page.on('worker', (worker) => void worker.evaluate(watchWrites).catch(() => {}));
		page.on('console', (message) => this.heard(message.text()));
	}

	static async open(context: BrowserContext, url: string): Promise<AppPage> {
		const app = new AppPage(await context.newPage());
		await app.page.goto(url);
		return app;
	}

	/** Kills the renderer (page and engine worker) at the given moment; resolves once it is dead. */
	async kill(kind: Kill, moment: Moment, delayMs: number): Promise<{ shown: number; open: WriteSeen | null }> {
		const { page } = this;
		const cdp = await page.context().newCDPSession(page);
		const crashed = new Promise<void>((resolve) => page.once('crash', () => resolve()));
		// Fire and forget: the target dies, so the command never answers.
		const fire = () => {
			if (kind === 'Page.crash') void cdp.send('Page.crash').catch(() => {});
			else void cdp.send('Page.navigate', { url: 'chrome://kill', transitionType: 'address_bar' }).catch(() => {});
		};
		if (moment === 'random') await page.waitForTimeout(delayMs);
		// What the page showed last (a compaction or flush kill comes a little after this).
		const shown = await tickTotal(page);
		if (moment === 'random') fire();
		else this.armed = { on: moment === 'write' ? 'open' : 'deletes', fire };
		await Promise.race([
			crashed,
			new Promise((_, reject) => setTimeout(() => reject(new Error(`${kind} (${moment}) did not end the renderer`)), 20_000))
		]);
		this.armed = null;
		await page.close().catch(() => {});
		// A write the worker had begun and not yet seen end, as far as its last words tell.
		const open = [...this.writes.values()].filter((w) => !w.end);
		return { shown, open: open.at(-1) ?? null };
	}

	private heard(text: string): void {
		const m = /^crash-spec tx (\d+) (\w+)(?: (\d+))?$/.exec(text);
		if (!m) return;
		const id = Number(m[1]);
		let write = this.writes.get(id);
		if (!write) this.writes.set(id, (write = { deletes: false }));
		if (m[2] === 'counters') write.counters = Number(m[3]);
		else if (m[2] === 'deletes') write.deletes = true;
		else if (m[2] === 'complete' || m[2] === 'abort') write.end = m[2];
		if (this.armed && m[2] === this.armed.on) {
			this.armed.fire();
			this.armed = null;
		}
	}
}

/** Every kind of problem 0: nothing torn, nothing stored twice, nothing out of order. */
function expectHealthy(report: HistoryReport) {
	expect(report.problems, report.examples.join('\n')).toEqual({});
	expect(report.duplicates).toBe(0);
	expect(report.overlaps).toBe(0);
}

/** 20 instruments (price and volume: 40 series) at 50 ticks/s: about 2,000 ticks a second. */
const MANY_SERIES = './?count=20&rate=50';
/**
 * One instrument at 1,000 ticks/s (2 series, again about 2,000 ticks a second): a series fills
 * COMPACT_TICKS (2048) within a session, so its small rows are compacted within seconds, and a
 * kill can land in the transaction that deletes them and writes the merged rows.
 */
const FAST_SERIES = './?count=1&rate=1000';
/**
 * A kill loses what was not flushed yet: about the last second (FLUSH_INTERVAL_MS), a little more
 * when it lands in a write (that batch and the ticks since). Allowed here: 3 s of ticks at ~2,000/s.
 */
const MAX_LOST_TICKS = 6000;

/**
 * The plan: 13 kills at random moments (few land in a write: a flush takes milliseconds), then 3
 * aimed at a flush (as it issues its first write) and 4 at a compaction (as it deletes the small
 * rows); Page.crash and chrome://kill (the browser kills the renderer process) take turns.
 */
function plan(cycle: number): { url: string; moment: Moment; kind: Kill } {
	const kind: Kill = cycle % 2 === 1 ? 'Page.crash' : 'chrome://kill';
	if (cycle <= 13) return { url: MANY_SERIES, moment: 'random', kind };
	if (cycle <= 16) return { url: MANY_SERIES, moment: 'write', kind };
	return { url: FAST_SERIES, moment: 'compaction', kind };
}

test('renderer killed mid-write 20 times: the history opens every time, flushes are all-or-nothing, no tick is stored twice', async ({ context }) => {
	test.setTimeout(150_000);
	const seed = Number(process.env.CRASH_SEED ?? Date.now() % 1_000_000);
	const rand = random(seed);
	const started = Date.now();
	let app = await AppPage.open(context, plan(1).url);
	await expect.poll(() => tickTotal(app.page)).toBeGreaterThan(0);
	let persisted = 0;
	const kinds = { 'Page.crash': 0, 'chrome://kill': 0 };
	const inWrite = { flush: 0, compaction: 0, committed: 0, rolledBack: 0 };
	let opened = 0;
	let rowsChecked = 0;
	let maxLost = 0;
	const cycles: string[] = [];
	for (let cycle = 1; cycle <= CYCLES; cycle++) {
		const { moment, kind } = plan(cycle);
		const delay = Math.round(rand() * MAX_CRASH_DELAY_MS);
		const { shown, open } = await app.kill(kind, moment, delay);
		kinds[kind]++;

		// The history, read while nothing runs: whole and consistent.
		const report = await inspect(context);
		expectHealthy(report);
		expect(report.version).toBe(30);
		rowsChecked += report.chunkRows;
		const stored = report.totalTicks ?? 0;
		expect(stored).toBeGreaterThanOrEqual(persisted);
		if (moment === 'random') {
			// Shown just before the kill, minus stored: the ticks the kill lost (unflushed).
			maxLost = Math.max(maxLost, shown - stored);
			expect(shown - stored).toBeLessThanOrEqual(MAX_LOST_TICKS);
		}
		let outcome = '';
		if (open) {
			inWrite[open.deletes ? 'compaction' : 'flush']++;
			// The counters row is written last but one: stored as that write had it = it committed.
			const committed = open.counters !== undefined && open.counters === stored;
			inWrite[committed ? 'committed' : 'rolledBack']++;
			outcome = `, in a ${open.deletes ? 'compaction' : 'flush'}: ${committed ? 'committed' : 'rolled back'}`;
		}
		cycles.push(`${cycle} ${kind === 'Page.crash' ? 'crash' : 'kill'} ${moment === 'random' ? `${delay}ms` : `on ${moment}`}${outcome}`);
		persisted = stored;

		// The app starts again on the same history: the total carries on from what was stored, the
		// chart draws, nothing is reported wrong, and this tab owns the history (the lock died too).
		app = await AppPage.open(context, plan(Math.min(cycle + 1, CYCLES)).url);
		await expect.poll(() => tickTotal(app.page), { timeout: 15_000 }).toBeGreaterThan(0);
		const first = await tickTotal(app.page);
		expect(first).toBeGreaterThanOrEqual(persisted);
		await expect.poll(() => tickTotal(app.page)).toBeGreaterThan(first);
		await expect.poll(async () => (await chartState(app.page)).points).toBeGreaterThan(0);
		await expect(app.page.locator('p.problem')).toHaveCount(0);
		await expect(app.page.getByTestId('owner-notice')).toHaveCount(0);
		opened++;
	}
	await app.page.close();
	const final = await inspect(context);
	expectHealthy(final);
	const landed = inWrite.flush + inWrite.compaction;
	console.log(
		`crash test: ${CYCLES} renderer kills (${kinds['Page.crash']} Page.crash, ${kinds['chrome://kill']} chrome://kill; seed ${seed}); ` +
			`app reopened the history ${opened}/${CYCLES}; ${landed} kills landed in an open write (${inWrite.flush} flush, ${inWrite.compaction} compaction): ` +
			`${inWrite.committed} committed whole, ${inWrite.rolledBack} rolled back whole; ${rowsChecked} chunk rows checked over ${CYCLES} checks, ` +
			`final ${final.chunkRows} rows = ${final.ticks} ticks in ${final.series} series = counters ${final.totalTicks}, ` +
			`${final.summaryRows} summaries, ${final.blockRows} blocks, ${final.candleRows} candle rows (${final.windows} windows); duplicate ticks found: ${final.duplicates}, ` +
			`overlapping rows: ${final.overlaps}; most ticks lost by a random kill: ${maxLost}; ${((Date.now() - started) / 1000).toFixed(1)} s [${cycles.join('; ')}]`
	);
});

/** Runs in a page of the app's origin: spoils the stored history in one way (see the test below). */
async function spoil(kind: string): Promise<void> {
	const db = await new Promise<IDBDatabase>((resolve, reject) => {
		const open = indexedDB.open('tickscope');
		open.onsuccess = () => resolve(open.result);
		open.onerror = () => reject(open.error);
	});
	type Chunk = { seriesId: number; t0: number; t1: number; n: number; t: Float64Array; v: Float64Array };
	const done = <T>(request: IDBRequest<T>) =>
		new Promise<T>((resolve, reject) => {
			request.onsuccess = () => resolve(request.result);
			request.onerror = () => reject(request.error);
		});
	try {
		const tx = db.transaction(['chunks', 'summaries', 'blocks', 'meta'], 'readwrite');
		const chunks = tx.objectStore('chunks');
		const summaries = tx.objectStore('summaries');
		const blocks = tx.objectStore('blocks');
		const rows = (await done(chunks.getAll())) as Chunk[];
		// Two consecutive rows of one series.
		const i = rows.findIndex((row, k) => k + 1 < rows.length && rows[k + 1].seriesId === row.seriesId);
		const [a, b] = [rows[i], rows[i + 1]];
		const keyA: IDBValidKey = [a.seriesId, a.t0];
		if (kind === 'n') {
			// A row whose count disagrees with its columns.
			await done(chunks.put({ ...a, n: a.n + 1 }));
		} else if (kind === 'torn') {
			// Half a flush: the chunk without its summary.
			await done(summaries.delete(keyA));
		} else if (kind === 'copy') {
			// The same row again under another key (a flush written twice), with its summary and blocks.
			const t0 = a.t0 + 0.5;
			await done(chunks.put({ ...a, t0 }));
			await done(summaries.put({ ...(await done(summaries.get(keyA))), t0 }));
			await done(blocks.put({ ...(await done(blocks.get(keyA))), t0 }));
		} else if (kind === 'half-compaction') {
			// A compaction whose delete was lost: the merged row under the first key, the small row still there.
			const n = a.n + b.n;
			const t = new Float64Array(n);
			const v = new Float64Array(n);
			t.set(a.t);
			t.set(b.t, a.n);
			v.set(a.v);
			v.set(b.v, a.n);
			await done(chunks.put({ ...a, n, t, v, t1: b.t1 }));
			await done(summaries.put({ ...(await done(summaries.get(keyA))), n, t1: b.t1 }));
		} else if (kind === 'counters') {
			const counters = (await done(tx.objectStore('meta').get('counters'))) as { totalTicks: number };
			await done(tx.objectStore('meta').put({ ...counters, totalTicks: counters.totalTicks + 1 }));
		}
	} finally {
		db.close();
	}
}

const SPOILED_STORES = ['chunks', 'summaries', 'blocks', 'meta'];

/** Runs in the checking page: keeps a copy of the tables `spoil` touches (in the page's memory). */
async function backUp(stores: string[]): Promise<void> {
	const db = await new Promise<IDBDatabase>((resolve, reject) => {
		const open = indexedDB.open('tickscope');
		open.onsuccess = () => resolve(open.result);
		open.onerror = () => reject(open.error);
	});
	try {
		const tx = db.transaction(stores, 'readonly');
		const copy: Record<string, unknown[]> = {};
		await Promise.all(
			stores.map(
				(name) =>
					new Promise<void>((resolve, reject) => {
						const request = tx.objectStore(name).getAll();
						request.onsuccess = () => resolve(void (copy[name] = request.result));
						request.onerror = () => reject(request.error);
					})
			)
		);
		(globalThis as unknown as { __backup: Record<string, unknown[]> }).__backup = copy;
	} finally {
		db.close();
	}
}

/** Puts the copy back, table by table, in one transaction. */
async function restore(): Promise<void> {
	const copy = (globalThis as unknown as { __backup: Record<string, unknown[]> }).__backup;
	const db = await new Promise<IDBDatabase>((resolve, reject) => {
		const open = indexedDB.open('tickscope');
		open.onsuccess = () => resolve(open.result);
		open.onerror = () => reject(open.error);
	});
	try {
		const tx = db.transaction(Object.keys(copy), 'readwrite');
		for (const [name, rows] of Object.entries(copy)) {
			const store = tx.objectStore(name);
			store.clear();
			for (const row of rows) store.put(row);
		}
		await new Promise<void>((resolve, reject) => {
			tx.oncomplete = () => resolve();
			tx.onerror = () => reject(tx.error);
		});
	} finally {
		db.close();
	}
}

test('the checks catch a torn or doubled write', async ({ context }) => {
	// A few flushes, then the renderer dies: a healthy history to spoil, one way at a time, in copies.
	const app = await AppPage.open(context, MANY_SERIES);
	await expect.poll(() => tickTotal(app.page)).toBeGreaterThan(0);
	// (The database may not exist yet on the first looks.)
	await expect.poll(async () => (await inspect(context).catch(() => null))?.chunkRows ?? 0, { timeout: 15_000 }).toBeGreaterThanOrEqual(80);
	await app.kill('Page.crash', 'random', 0);
	const healthy = await inspect(context);
	expectHealthy(healthy);
	const checker = await context.newPage();
	await checker.goto('./robots.txt');
	const expected: Record<string, string[]> = {
		n: ['shape', 'counters'],
		torn: ['summary'],
		copy: ['overlap', 'duplicates', 'counters'],
		'half-compaction': ['overlap', 'duplicates', 'counters'],
		counters: ['counters']
	};
	// Each spoiling is undone (a copy of the healthy tables is put back) before the next.
	await checker.evaluate(backUp, SPOILED_STORES);
	for (const [kind, problems] of Object.entries(expected)) {
		await checker.evaluate(spoil, kind);
		const report = await checker.evaluate(inspectHistory);
		expect(Object.keys(report.problems).sort(), `${kind}: ${report.examples.join('; ')}`).toEqual([...problems].sort());
		if (kind === 'copy' || kind === 'half-compaction') expect(report.duplicates).toBeGreaterThan(0);
		await checker.evaluate(restore);
		expectHealthy(await checker.evaluate(inspectHistory));
	}
});
