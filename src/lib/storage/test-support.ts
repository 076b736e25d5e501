// Builders shared by the storage tests (import 'fake-indexeddb/auto' in the test first).
import type { SeriesInfo } from '../domain/series';
import { TickscopeDb } from './db';

/** Databases opened by a test, closed and deleted by `dropDbs` in afterEach. */
export class TestDbs {
	private dbs: TickscopeDb[] = [];
	private count = 0;

	fresh(name = `test-${Math.random().toString(36).slice(2)}-${++this.count}`): TickscopeDb {
		return this.reopen(name);
	}

	/** Another connection to a database (closed and deleted with the rest). */
	reopen(name: string): TickscopeDb {
		const db = new TickscopeDb(name);
		this.dbs.push(db);
		return db;
	}

	async drop(): Promise<void> {
		for (const db of this.dbs) {
			db.close();
			await db.delete();
		}
		this.dbs = [];
	}
}

export const seriesInfo = (id: number): SeriesInfo => ({
	id,
	key: `sim/S${id}`,
	label: `S${id}`,
	source: 'simulator',
	unit: 'USD',
	kind: 'price'
});

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32). */
export function seeded(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}
