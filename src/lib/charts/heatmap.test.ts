import { describe, expect, it } from 'vitest';
import { SCALE_RGB } from './colour-scale';
import { densestGapMs, ensureGrid, fillGrid, liveBuckets, liveSpan, niceStepMs, type HeatmapRow } from './heatmap';
import { lowerBound, upperBound } from './sorted-search';
import { paintGrid } from './heatmap-paint';
import { seeded as random } from '../storage/test-support';

function row(ts: number[], vs: number[], flags: number[] = []): HeatmapRow {
	return { window: { xs: Float64Array.from(ts), ys: Float64Array.from(vs) }, anomalies: flags.map((t) => ({ t })) };
}

/** The grid the slow way: for every cell, every tick of its row. */
function bruteForce(rows: (HeatmapRow | undefined)[], from: number, bucketMs: number, cols: number) {
	return rows.map((r) => {
		const cells = [];
		for (let k = 0; k < cols; k++) {
			const a = from + k * bucketMs;
			const b = from + (k + 1) * bucketMs;
			const vs: number[] = [];
			let flagged = 0;
			if (r) {
				for (let i = 0; i < r.window.xs.length; i++) if (r.window.xs[i] >= a && r.window.xs[i] < b && !Number.isNaN(r.window.ys[i])) vs.push(r.window.ys[i]);
				flagged = r.anomalies.some((f) => f.t >= a && f.t < b) ? 1 : 0;
			}
			cells.push({ mean: vs.length ? vs.reduce((s, v) => s + v, 0) / vs.length : Number.NaN, count: vs.length, flagged });
		}
		const means = cells.map((c) => c.mean).filter((m) => !Number.isNaN(m));
		return { cells, lo: means.length ? Math.min(...means) : Number.NaN, hi: means.length ? Math.max(...means) : Number.NaN };
	});
}

describe('time heatmap grid', () => {
	it('buckets half-open: a tick on an edge goes to the later bucket, one at `to` is left out', () => {
		const grid = fillGrid(ensureGrid(null, 1, 4), [row([0, 10, 19, 20, 39, 40], [1, 2, 3, 4, 5, 6], [20, 40])], 0, 10, 4);
		expect(Array.from(grid.values.subarray(0, 4))).toEqual([1, 2.5, 4, 5]);
		expect(Array.from(grid.counts.subarray(0, 4))).toEqual([1, 2, 1, 1]);
		expect(Array.from(grid.flags.subarray(0, 4))).toEqual([0, 0, 1, 0]);
		expect([grid.lo[0], grid.hi[0]]).toEqual([1, 5]);
	});

	it('leaves empty buckets, NaN ticks and missing rows as NaN', () => {
		const grid = fillGrid(ensureGrid(null, 2, 3), [row([5, 25], [Number.NaN, 7]), undefined], 0, 10, 3);
		expect(Array.from(grid.values.subarray(0, 3))).toEqual([Number.NaN, Number.NaN, 7]);
		expect(Array.from(grid.values.subarray(3, 6))).toEqual([Number.NaN, Number.NaN, Number.NaN]);
		expect(grid.lo[1]).toBeNaN();
	});

	it('matches the brute-force grid on random rows, ranges and shapes, reusing its arrays', () => {
		const rand = random(20261120);
		let grid = ensureGrid(null, 5, 40);
		const values = grid.values;
		const mismatches: string[] = [];
		for (let trial = 0; trial < 300; trial++) {
			const rows: (HeatmapRow | undefined)[] = [];
			for (let r = 0; r < 5; r++) {
				if (rand() < 0.1) {
					rows.push(undefined);
					continue;
				}
				const n = Math.floor(rand() * 200);
				const ts: number[] = [];
				let t = 1_700_000_000_000 + rand() * 1000;
				for (let i = 0; i < n; i++) ts.push((t += rand() < 0.2 ? 0 : rand() * 30));
				const vs = ts.map(() => (rand() < 0.05 ? Number.NaN : Math.round(rand() * 2046) - 1023));
				const flags = ts.filter(() => rand() < 0.05);
				rows.push(row(ts, vs, flags));
			}
			const from = 1_700_000_000_000 + rand() * 2000;
			const bucketMs = 1 + rand() * 200;
			const cols = 1 + Math.floor(rand() * 40);
			grid = fillGrid(grid, rows, from, bucketMs, cols);
			const slow = bruteForce(rows, from, bucketMs, cols);
			const same = (a: number, b: number): boolean => (Number.isNaN(a) ? Number.isNaN(b) : Math.abs(a - b) < 1e-9);
			for (let r = 0; r < 5; r++) {
				for (let k = 0; k < cols; k++) {
					const at = r * grid.capacity + k;
					const want = slow[r].cells[k];
					if (!same(want.mean, grid.values[at]) || want.count !== grid.counts[at] || want.flagged !== grid.flags[at]) {
						mismatches.push(`trial ${trial} cell ${r}/${k}: ${JSON.stringify(want)} vs ${grid.values[at]} ×${grid.counts[at]} flag ${grid.flags[at]}`);
					}
				}
				if (!same(slow[r].lo, grid.lo[r]) || !same(slow[r].hi, grid.hi[r])) mismatches.push(`trial ${trial} row ${r} range`);
			}
			const flagged = slow.reduce((n, r) => n + r.cells.filter((c) => c.flagged).length, 0);
			if (flagged !== grid.flagged) mismatches.push(`trial ${trial}: ${grid.flagged} flagged, not ${flagged}`);
		}
		// One assertion for all 300 trials: an expect per cell would take seconds.
		expect(mismatches).toEqual([]);
		expect(grid.values).toBe(values);
	});

	it('makes a new grid only when its shape changes', () => {
		const grid = ensureGrid(null, 3, 10);
		expect(ensureGrid(grid, 3, 10)).toBe(grid);
		expect(ensureGrid(grid, 4, 10)).not.toBe(grid);
		expect(ensureGrid(grid, 3, 11).values).toHaveLength(33);
	});

	it('searches sorted times', () => {
		const xs = [1, 2, 2, 2, 5];
		expect([lowerBound(xs, 2), upperBound(xs, 2), lowerBound(xs, 0), upperBound(xs, 9), lowerBound([], 1)]).toEqual([1, 4, 0, 5, 0]);
	});
});

describe('live range', () => {
	it('runs from where every row has ticks to the newest tick', () => {
		const rows = [row([100, 200, 300], [0, 0, 0]), row([150, 250, 400], [0, 0, 0]), row([], []), undefined];
		expect(liveSpan(rows, 10)).toEqual({ from: 150, to: 400 });
		expect(liveSpan([undefined, row([], [])], 10)).toBeNull();
	});

	it('widens a range a fresh series would squeeze to nothing', () => {
		expect(liveSpan([row([0, 1000], [0, 0]), row([999], [0])], 100)).toEqual({ from: 0, to: 1000 });
		expect(liveSpan([row([500], [0])], 100)).toEqual({ from: 400, to: 500 });
	});

	it('takes round bucket widths no finer than the ticks, ending past the newest tick', () => {
		expect([niceStepMs(0.3), niceStepMs(1), niceStepMs(13), niceStepMs(20), niceStepMs(201), niceStepMs(600)]).toEqual([1, 1, 20, 20, 500, 1000]);
		// 20 s over 200 columns: 100 ms buckets; the newest tick (at 30,050) lies in the last.
		const b = liveBuckets({ from: 10_050, to: 30_050 }, 200, 20);
		expect(b).toEqual({ from: 10_100, bucketMs: 100, cols: 200 });
		expect(b.from + b.cols * b.bucketMs).toBeGreaterThan(30_050);
		// 2 s of 50-per-second ticks over 600 columns: no bucket finer than the 20 ms spacing.
		const fine = liveBuckets({ from: 0, to: 2000 }, 600, 20);
		expect(fine.bucketMs).toBe(20);
		expect(fine.cols).toBe(101);
	});

	it('finds the densest row', () => {
		expect(densestGapMs([row([0, 10, 20, 30], [0, 0, 0, 0]), row([0, 5, 10], [0, 0, 0]), undefined], 0, 30)).toBe(5);
		expect(densestGapMs([row([0, 10, 20, 30], [0, 0, 0, 0])], 15, 30)).toBe(10);
		expect(densestGapMs([row([0], [0])], 0, 30)).toBe(Infinity);
	});
});

describe('painting the grid', () => {
	it('colours each cell by its row min–max and leaves empty cells transparent', () => {
		const grid = fillGrid(ensureGrid(null, 2, 4), [row([0, 10, 20], [5, 10, 15]), row([0, 10], [3, 3])], 0, 10, 3);
		const data = new Uint8ClampedArray(4 * 2 * 4).fill(9);
		paintGrid(grid, new Uint32Array(data.buffer));
		const px = (r: number, k: number) => Array.from(data.subarray(4 * (r * 4 + k), 4 * (r * 4 + k) + 4));
		expect(px(0, 0)).toEqual([SCALE_RGB[0], SCALE_RGB[1], SCALE_RGB[2], 255]);
		expect(px(0, 2)).toEqual([SCALE_RGB[765], SCALE_RGB[766], SCALE_RGB[767], 255]);
		// A flat row sits mid-scale; its empty third bucket is see-through.
		expect(px(1, 0)).toEqual([SCALE_RGB[384], SCALE_RGB[385], SCALE_RGB[386], 255]);
		expect(px(1, 2)).toEqual([0, 0, 0, 0]);
		// Columns past `cols` are not touched.
		expect(px(0, 3)).toEqual([9, 9, 9, 9]);
	});
});
