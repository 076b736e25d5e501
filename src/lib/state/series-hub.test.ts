import { describe, expect, it } from 'vitest';
import type { SeriesInfo } from '../domain/series';
import type { SeriesFrame } from '../engine/types';
import { SeriesHub } from './series-hub';

const info = (id: number): SeriesInfo => ({ id, key: `s/${id}`, label: `S${id}`, source: 'test', unit: '', kind: 'value' });

function frame(id: number, t: number[], replace = false): SeriesFrame {
	const col = (xs: number[]) => Float64Array.from(xs);
	return { id, t: col(t), v: col(t.map((x) => x * 2)), lo: col(t.map(() => NaN)), hi: col(t.map(() => NaN)), replace, anomalies: replace ? [] : undefined };
}

describe('SeriesHub', () => {
	it('watches a series once for many panels, with the largest window, and lets go when the last leaves', () => {
		const watched: number[] = [];
		const hub = new SeriesHub((id) => watched.push(id), info);
		let calls = 0;
		const offs = Array.from({ length: 10 }, (_, i) => hub.subscribe([1, 2], 100 + i, () => calls++));
		expect(hub.sizeOf(1)).toBe(109);
		// Asked again only when a subscriber needs a bigger window: 10 growing sizes → 10 rewatches each.
		expect(watched.filter((id) => id === 1)).toHaveLength(10);
		hub.apply(frame(1, [1, 2, 3], true));
		hub.apply(frame(2, [1, 2], true));
		hub.apply(frame(1, [4]));
		hub.flush();
		// Ten panels, three series updates in the frame: each panel called once.
		expect(calls).toBe(10);
		expect([...hub.view(1)!.window.xs]).toEqual([1, 2, 3, 4]);
		hub.flush();
		expect(calls).toBe(10);
		watched.length = 0;
		for (const off of offs.slice(0, 9)) off();
		expect(hub.view(1)).toBeDefined();
		offs[9]();
		expect(hub.view(1)).toBeUndefined();
		expect(hub.sizeOf(1)).toBe(0);
		expect(watched).toContain(1);
		// Unsubscribing twice is harmless.
		offs[9]();
	});

	it('ignores appends before the first window and routes flags to their series', () => {
		const hub = new SeriesHub(() => {}, info);
		let calls = 0;
		hub.subscribe([1], 10, () => calls++);
		hub.apply(frame(1, [5]));
		hub.flush();
		expect(calls).toBe(0);
		expect(hub.view(1)!.ready).toBe(false);
		hub.apply(frame(1, [1, 2, 3], true));
		hub.addAnomalies([{ id: 1, seriesId: 1, t: 3, v: 6, score: 9, detector: 'z', expected: 0, lower: 0, upper: 1 }]);
		hub.addAnomalies([{ id: 2, seriesId: 7, t: 3, v: 6, score: 9, detector: 'z', expected: 0, lower: 0, upper: 1 }]);
		hub.flush();
		expect(calls).toBe(1);
		expect(hub.view(1)!.anomalies.map((a) => a.id)).toEqual([1]);
		// Flags older than the window go with their ticks.
		for (let t = 4; t < 20; t++) hub.apply(frame(1, [t]));
		expect(hub.view(1)!.anomalies).toEqual([]);
	});
});
