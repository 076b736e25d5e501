import { describe, expect, it } from 'vitest';
import { compareFlags } from './compare';
import { anomaly } from './io-testing';

describe('compareFlags', () => {
	const old = [anomaly({ t: 300 }), anomaly({ t: 100 }), anomaly({ t: 200 }), anomaly({ t: 200, detector: 'ewma' })];
	const fresh = [anomaly({ t: 200, detector: 'ewma' }), anomaly({ t: 100 }), anomaly({ t: 250 }), anomaly({ t: 400 })];

	it('pairs flags on the same tick time and counts the rest on each side', () => {
		const result = compareFlags(old, fresh);
		expect(result.counts).toEqual({ old: 4, new: 4, matched: 2, otherDetector: 0, onlyOld: 2, onlyNew: 2 });
		expect(result.matched.map((p) => [p.old.t, p.old.detector, p.new.detector])).toEqual([
			[100, 'zscore', 'zscore'],
			[200, 'ewma', 'ewma']
		]);
		expect(result.onlyOld.map((a) => a.t)).toEqual([200, 300]);
		expect(result.onlyNew.map((a) => a.t)).toEqual([250, 400]);
	});

	it('pairs a tick flagged by another detector unless sameDetector is set', () => {
		const a = [anomaly({ t: 5, detector: 'zscore' })];
		const b = [anomaly({ t: 5, detector: 'ewma' })];
		expect(compareFlags(a, b).counts).toMatchObject({ matched: 1, otherDetector: 1, onlyOld: 0, onlyNew: 0 });
		expect(compareFlags(a, b, { sameDetector: true }).counts).toMatchObject({ matched: 0, onlyOld: 1, onlyNew: 1 });
	});

	it('keeps to [from, to], both ends inclusive, and leaves the inputs unsorted', () => {
		const result = compareFlags(old, fresh, { from: 200, to: 300 });
		expect(result.counts).toEqual({ old: 3, new: 2, matched: 1, otherDetector: 0, onlyOld: 2, onlyNew: 1 });
		expect(old.map((a) => a.t)).toEqual([300, 100, 200, 200]);
	});

	it('handles empty sides and ignores NaN times', () => {
		expect(compareFlags([], fresh).counts).toMatchObject({ matched: 0, onlyNew: 4 });
		expect(compareFlags(old, []).counts).toMatchObject({ matched: 0, onlyOld: 4 });
		expect(compareFlags([anomaly({ t: NaN })], [anomaly({ t: NaN })]).counts).toMatchObject({ old: 0, new: 0 });
	});
});
