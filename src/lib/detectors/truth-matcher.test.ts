import { describe, expect, it } from 'vitest';
import type { Truth } from '../domain/anomaly';
import { TruthMatcher } from './truth-matcher';

function truth(id: number, seriesId: number, t0: number, t1 = t0): Truth {
	return { id, seriesId, kind: 'spike', t0, t1, magnitude: 10 };
}

describe('TruthMatcher', () => {
	it('hits inside [t0, t1 + slack], both edges included', () => {
		const matcher = new TruthMatcher({ slackMs: 500 });
		const a = truth(1, 3, 1000, 1200);
		matcher.add(a);
		expect(matcher.match(3, 1000)).toBe(a);
		expect(matcher.match(3, 1700)).toBe(a);
		expect(a.detected).toBe(true);
	});

	it('calls a flag outside the window or on another series a false alarm', () => {
		const matcher = new TruthMatcher({ slackMs: 500 });
		const a = truth(1, 3, 1000, 1200);
		matcher.add(a);
		expect(matcher.match(3, 999)).toBeUndefined();
		expect(matcher.match(3, 1700.5)).toBeUndefined();
		expect(matcher.match(4, 1100)).toBeUndefined();
		expect(a.detected).toBeUndefined();
	});

	it('prefers the latest-starting truth when windows overlap', () => {
		const matcher = new TruthMatcher({ slackMs: 1000 });
		const a = truth(1, 0, 1000);
		const b = truth(2, 0, 1500);
		matcher.add(a);
		matcher.add(b);
		expect(matcher.match(0, 1600)).toBe(b);
		expect(matcher.match(0, 1200)).toBe(a);
	});

	it('expires only one series\' truths when asked (a replay runs on its own clock)', () => {
		const matcher = new TruthMatcher({ slackMs: 0 });
		const replayed = truth(1, 7, 1000);
		const live = truth(2, 3, 1000);
		matcher.add(replayed);
		matcher.add(live);
		expect(matcher.expire(5000, 7)).toEqual([replayed]);
		expect(matcher.openCount).toBe(1);
		expect(matcher.expire(5000)).toEqual([live]);
	});

	it('expires missed truths once, drops hit ones without counting them', () => {
		const matcher = new TruthMatcher({ slackMs: 100 });
		const hit = truth(1, 0, 1000);
		const missed = truth(2, 1, 1000);
		const later = truth(3, 2, 5000);
		matcher.add(hit);
		matcher.add(missed);
		matcher.add(later);
		matcher.match(0, 1050);
		expect(matcher.openCount).toBe(3);

		const none = matcher.expire(1100); // window edge: t1 + slack = 1100 is still open
		expect(none).toEqual([]);
		expect(Object.isFrozen(none)).toBe(true);
		expect(matcher.openCount).toBe(3);

		expect(matcher.expire(1101)).toEqual([missed]);
		expect(missed.detected).toBe(false);
		expect(hit.detected).toBe(true);
		expect(matcher.openCount).toBe(1);
		expect(matcher.expire(2000)).toEqual([]);
		expect(matcher.match(1, 1050)).toBeUndefined(); // expired truths no longer match

		expect(matcher.expire(6000)).toEqual([later]);
		expect(matcher.openCount).toBe(0);
	});
});
