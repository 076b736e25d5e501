import { describe, expect, it } from 'vitest';
import { ChunkIndex, type IndexOp } from './chunk-index';
import type { SummaryRow } from './db';

const row = (seriesId: number, t0: number, n: number): SummaryRow => ({
	seriesId,
	t0,
	tFirst: t0,
	t1: t0 + n - 1,
	n,
	vLast: 0,
	min: 0,
	iMin: 0,
	tMin: t0,
	max: 0,
	iMax: 0,
	tMax: t0
});

describe('ChunkIndex', () => {
	it('ends in the same state whichever prefix of the queued changes the stored read saw', async () => {
		// The true history: rows 0, 10, 20 committed; then a queued write replaces 10…20 by one row
		// under 10, and while the read runs a new row 30 comes and retention drops row 0.
		const queued: IndexOp[] = [{ del: [1, 20, 20] }, { put: row(1, 10, 20) }];
		const committed = [row(1, 0, 10), row(1, 10, 10), row(1, 20, 10)];
		const afterQueued = [row(1, 0, 10), row(1, 10, 20)];
		for (const seen of [committed, afterQueued]) {
			const index = new ChunkIndex();
			let finish: (rows: SummaryRow[]) => void = () => {};
			const loaded = index.ensure(() => new Promise((resolve) => (finish = resolve)), () => queued);
			index.record({ put: row(1, 30, 5) });
			index.record({ del: [1, 0, 0] });
			finish(seen);
			await loaded;
			expect(index.series(1)?.rows.map((r) => [r.t0, r.n])).toEqual([
				[10, 20],
				[30, 5]
			]);
			expect([index.ticks, index.rows]).toEqual([25, 2]);
		}
	});

	it('finds rows by key and by time', async () => {
		const index = new ChunkIndex();
		await index.ensure(async () => [], () => []);
		for (const t0 of [0, 100, 200]) index.record({ put: row(2, t0, 50) });
		const s = index.series(2)!;
		expect(s.lowerKey(100)).toBe(1);
		expect(s.firstEndingFrom(149)).toBe(1);
		expect(s.firstEndingFrom(150)).toBe(2);
		expect(s.endStartingBy(199)).toBe(2);
		expect(s.endStartingBy(200)).toBe(3);
	});
});
