import { describe, expect, it } from 'vitest';
import type { Truth } from '../domain/anomaly';
import { MATCH_SLACK_MS, Scoreboard } from './scoreboard';

const truth = (seriesId: number, t0: number, t1 = t0): Truth => ({ id: 0, seriesId, kind: 'spike', t0, t1, magnitude: 10 });

describe('Scoreboard', () => {
	it('counts hits, false alarms, catches, misses and the median delay', () => {
		const board = new Scoreboard();
		const a = board.injected(truth(1, 1000, 1500));
		const b = board.injected(truth(2, 2000));
		board.injected(truth(3, 3000));
		expect([a.id, b.id]).toEqual([1, 2]);

		expect(board.judge(1, 1200)?.first).toBe(true);
		expect(board.judge(1, 1300)?.first).toBe(false);
		expect(board.judge(2, 2000 + MATCH_SLACK_MS)?.truth.id).toBe(2);
		expect(board.judge(5, 2000)).toBeUndefined();

		// Truth 3 closes unflagged.
		expect(board.settle(3000 + MATCH_SLACK_MS + 1).map((t) => t.seriesId)).toEqual([3]);
		expect(board.counters).toEqual({ hits: 3, falseAlarms: 1, missed: 1, caught: 2, injected: 3 });
		// Delays 200 ms and 2000 ms: the median of two is their mean.
		expect(board.medianDelayMs()).toBe(1100);
	});

	it('has no median before anything was caught', () => {
		expect(new Scoreboard().medianDelayMs()).toBeNull();
	});
});
