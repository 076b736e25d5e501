/**
 * An audit of the stored history with the raw IndexedDB API (none of the app's code): runs in a
 * page of the app's origin, through `page.evaluate(inspectHistory)`.
 */

/** What one look at the stored history found. Runs in a page of the app's origin. */
export interface HistoryReport {
	/** IndexedDB version (Dexie stores schema version × 10). */
	version: number;
	series: number;
	chunkRows: number;
	ticks: number;
	summaryRows: number;
	blockRows: number;
	candleRows: number;
	/** Candle windows stored. */
	windows: number;
	/** counters.totalTicks, or null before the first flush. */
	totalTicks: number | null;
	/** Ticks whose (time, value) is already stored earlier in the same series. */
	duplicates: number;
	/** Rows whose first tick is before the previous row's last tick (same series). */
	overlaps: number;
	/** Problems by kind; every kind must be 0 for a healthy history. */
	problems: Record<string, number>;
	/** The first few problems, described. */
	examples: string[];
}

/** Reads everything in one read-only transaction (a consistent snapshot) and checks it. */
export async function inspectHistory(): Promise<HistoryReport> {
	const db = await new Promise<IDBDatabase>((resolve, reject) => {
		const open = indexedDB.open('tickscope');
		// Never create the database: a missing one is a failure, not something to make here.
		open.onupgradeneeded = () => open.transaction?.abort();
		open.onsuccess = () => resolve(open.result);
		open.onerror = () => reject(new Error(`tickscope did not open: ${open.error?.name} ${open.error?.message}`));
		open.onblocked = () => reject(new Error('tickscope open blocked'));
	});
	const problems: Record<string, number> = {};
	const examples: string[] = [];
	const problem = (kind: string, text: string) => {
		problems[kind] = (problems[kind] ?? 0) + 1;
		if (examples.length < 12) examples.push(`${kind}: ${text}`);
	};
	type Chunk = { seriesId: number; t0: number; t1: number; n: number; t: Float64Array; v: Float64Array };
	type Summary = { seriesId: number; t0: number; tFirst: number; t1: number; n: number };
	type Block = { seriesId: number; t0: number; b: Float64Array };
	type Candle = { seriesId: number; res: string; t0: number; t1: number; n: number; t: Float64Array; open: Float64Array; close: Float64Array };
	try {
		const tx = db.transaction(['chunks', 'summaries', 'blocks', 'series', 'meta', 'candles'], 'readonly');
		const all = <T>(request: IDBRequest<T>) =>
			new Promise<T>((resolve, reject) => {
				request.onsuccess = () => resolve(request.result);
				request.onerror = () => reject(request.error);
			});
		const [chunks, summaries, blocks, series, counters, heads, candles, candleHeads] = await Promise.all([
			all(tx.objectStore('chunks').getAll()) as Promise<Chunk[]>,
			all(tx.objectStore('summaries').getAll()) as Promise<Summary[]>,
			all(tx.objectStore('blocks').getAll()) as Promise<Block[]>,
			all(tx.objectStore('series').getAll()) as Promise<{ id: number }[]>,
			all(tx.objectStore('meta').get('counters')) as Promise<{ totalTicks: number } | undefined>,
			all(tx.objectStore('meta').get('heads')) as Promise<{ heads: [number, number, number, number][] } | undefined>,
			all(tx.objectStore('candles').getAll()) as Promise<Candle[]>,
			all(tx.objectStore('meta').get('candleHeads')) as Promise<{ heads: [number, string, number][] } | undefined>
		]);
		const key = (seriesId: number, t0: number) => `${seriesId}|${t0}`;
		const summaryByKey = new Map(summaries.map((s) => [key(s.seriesId, s.t0), s]));
		const blockKeys = new Set(blocks.map((b) => key(b.seriesId, b.t0)));
		const chunkKeys = new Set<string>();
		const seriesIds = new Set(series.map((s) => s.id));
		const lastOf = new Map<number, { t0: number; t: number; v: number }>();
		let ticks = 0;
		let duplicates = 0;
		let overlaps = 0;
		// getAll returns rows in key order: by series, then by key time.
		let seen = new Set<string>();
		let current = NaN;
		let prevLast = -Infinity;
		for (const row of chunks) {
			const where = `series ${row.seriesId} row ${row.t0}`;
			chunkKeys.add(key(row.seriesId, row.t0));
			if (row.seriesId !== current) {
				current = row.seriesId;
				seen = new Set();
				prevLast = -Infinity;
				if (!seriesIds.has(row.seriesId)) problem('series', `${where}: no series row`);
			}
			const { n, t, v } = row;
			if (!(t instanceof Float64Array) || !(v instanceof Float64Array)) {
				problem('shape', `${where}: columns are not Float64Arrays`);
				continue;
			}
			if (!Number.isInteger(n) || n < 1 || t.length !== n || v.length !== n) {
				problem('shape', `${where}: n ${n}, ${t.length} times, ${v.length} values`);
				continue;
			}
			ticks += n;
			for (let i = 1; i < n; i++) {
				if (!(t[i] >= t[i - 1])) {
					problem('order', `${where}: tick ${i} at ${t[i]} before ${t[i - 1]}`);
					break;
				}
			}
			// The key is the first tick's time, nudged up by a few KEY_EPSILON_MS (1/1024 ms) at most
			// when it would collide with the previous key (history-store.ts): never below it.
			if (!(row.t0 >= t[0] && row.t0 - t[0] < 1)) problem('key', `${where}: key ${row.t0}, first tick ${t[0]}`);
			if (row.t1 !== t[n - 1]) problem('key', `${where}: t1 ${row.t1}, last tick ${t[n - 1]}`);
			// A row may start at the instant the previous one ended (same-instant trades are kept), not
			// before it; a tick written twice is caught below whatever its row, as a repeated (t, v).
			if (t[0] < prevLast) {
				overlaps++;
				problem('overlap', `${where}: starts at ${t[0]}, before the previous row's last tick ${prevLast}`);
			}
			prevLast = Math.max(prevLast, t[n - 1]);
			for (let i = 0; i < n; i++) {
				const tick = `${t[i]}|${v[i]}`;
				if (seen.has(tick)) duplicates++;
				else seen.add(tick);
			}
			lastOf.set(row.seriesId, { t0: row.t0, t: t[n - 1], v: v[n - 1] });
			const summary = summaryByKey.get(key(row.seriesId, row.t0));
			if (!summary) problem('summary', `${where}: no summary row`);
			else if (summary.n !== n || summary.t1 !== row.t1 || summary.tFirst !== t[0]) {
				problem('summary', `${where}: summary n ${summary.n} t ${summary.tFirst}..${summary.t1}, chunk n ${n} t ${t[0]}..${row.t1}`);
			}
			if (!blockKeys.has(key(row.seriesId, row.t0))) problem('blocks', `${where}: no blocks row`);
		}
		if (duplicates > 0) problem('duplicates', `${duplicates} ticks stored twice`);
		for (const s of summaries) if (!chunkKeys.has(key(s.seriesId, s.t0))) problem('summary', `summary ${s.seriesId}|${s.t0} without its chunk`);
		for (const b of blocks) if (!chunkKeys.has(key(b.seriesId, b.t0))) problem('blocks', `blocks ${b.seriesId}|${b.t0} without its chunk`);
		// Every tick ever counted is stored: retention (1 h, 500 MB) deletes nothing in this test, and
		// the counters row is written in the same transaction as the chunks it counts.
		const totalTicks = counters ? counters.totalTicks : null;
		if ((totalTicks ?? 0) !== ticks) problem('counters', `counters.totalTicks ${totalTicks}, ${ticks} ticks stored`);
		// The heads row (same transaction) names every series' newest tick. Its key may be above the
		// newest row's (a compaction deletes the small row it names) but never below.
		const headOf = new Map((heads?.heads ?? []).map(([id, k, t, v]) => [id, { k, t, v }]));
		for (const [id, last] of lastOf) {
			const head = headOf.get(id);
			if (!head) problem('heads', `series ${id}: no head`);
			else if (!(head.k >= last.t0) || head.t !== last.t || !Object.is(head.v, last.v)) {
				problem('heads', `series ${id}: head ${head.k} ${head.t} ${head.v}, newest row ${last.t0} ${last.t} ${last.v}`);
			}
		}
		for (const id of headOf.keys()) if (!lastOf.has(id)) problem('heads', `series ${id}: head without rows`);
		// Closed windows (candles) are written in the same flushes: each window once, in order.
		let windows = 0;
		const newestWindow = new Map<string, number>();
		for (const row of candles) {
			const pair = `${row.seriesId}/${row.res}`;
			const where = `candles ${pair} row ${row.t0}`;
			if (!(row.t instanceof Float64Array) || row.t.length !== row.n || row.open.length !== row.n || row.close.length !== row.n) {
				problem('candles', `${where}: n ${row.n}, ${row.t?.length} windows`);
				continue;
			}
			windows += row.n;
			if (row.t[0] !== row.t0 || row.t[row.n - 1] !== row.t1) problem('candles', `${where}: keys ${row.t0}..${row.t1}, windows ${row.t[0]}..${row.t[row.n - 1]}`);
			let prev = newestWindow.get(pair) ?? -Infinity;
			for (let i = 0; i < row.n; i++) {
				if (!(row.t[i] > prev)) problem('candles', `${where}: window ${row.t[i]} not after ${prev}`);
				prev = row.t[i];
			}
			newestWindow.set(pair, prev);
		}
		const candleHeadOf = new Map((candleHeads?.heads ?? []).map(([id, res, t]) => [`${id}/${res}`, t]));
		for (const [pair, newest] of newestWindow) {
			const head = candleHeadOf.get(pair);
			if (head === undefined || head < newest) problem('candles', `${pair}: newest window ${newest}, head ${head}`);
		}
		return {
			version: db.version,
			series: lastOf.size,
			chunkRows: chunks.length,
			ticks,
			summaryRows: summaries.length,
			blockRows: blocks.length,
			candleRows: candles.length,
			windows,
			totalTicks,
			duplicates,
			overlaps,
			problems,
			examples
		};
	} finally {
		// Never hold the database open: it would block the app's own upgrades.
		db.close();
	}
}
