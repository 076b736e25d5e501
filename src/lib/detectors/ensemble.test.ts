import { expect, it } from 'vitest';
import type { Truth } from '../domain/anomaly';
import { TickBatch } from '../domain/tick-batch';
import { MarketsScenario } from '../sources/simulator/markets';
import { firstFlag, flagged, noise, scoresOf, shiftFrom, walk, widenFrom } from './detector-testing';
import { ensembleFactory } from './ensemble';
import { TruthMatcher } from './truth-matcher';

it('flags a spike, a level shift and a widening on a sensor, each on or right after its tick', () => {
	const values = noise(6000, 1);
	values[2000] += 9;
	shiftFrom(values, 3000, 10);
	widenFrom(values, 5000, 4, 110);
	const detector = ensembleFactory.create({ kind: 'sensor' });
	const scores = scoresOf(detector, values);
	expect(firstFlag(detector, scores, 1000)).toBe(2000);
	expect(firstFlag(detector, scores, 2001)).toBe(3000);
	const widened = firstFlag(detector, scores, 4000);
	expect(widened).toBeGreaterThanOrEqual(5000);
	expect(widened).toBeLessThan(5030);
});

it('is nearly quiet on clean sensor noise; NAB-tuned plain values flag a new record now and then', () => {
	const sensor = ensembleFactory.create({ kind: 'sensor' });
	expect(flagged(sensor, scoresOf(sensor, noise(20_000, 2)), 1000).length).toBeLessThan(5);
	// Plain values: records by > 1.3% of the range count (~1.3 per 1,000 ticks of white noise).
	const value = ensembleFactory.create({ kind: 'value' });
	expect(flagged(value, scoresOf(value, noise(20_000, 2)), 1000).length).toBeLessThan(40);
});

it('on a price flags a spike once (not its return) and a level shift on its step', () => {
	const values = walk(3000, 3, 100, 0.05);
	values[1500] += 0.6;
	shiftFrom(values, 2200, -0.6);
	const detector = ensembleFactory.create({ kind: 'price' });
	const scores = scoresOf(detector, values);
	expect(flagged(detector, scores, 200)).toEqual([1500, 2200]);
	expect(detector.expected).toBeCloseTo(values[2999], 0);
	expect(detector.lower).toBeLessThan(values[2999]);
	expect(detector.upper).toBeGreaterThan(values[2999]);
});

it('finds the market simulator’s price spikes and level shifts: F1 ≥ 0.9, median delay ≤ 3 ticks', () => {
	const start = 1_700_000_000_000;
	const slackMs = 2000;
	const spanMs = 10 * 60_000;
	const sim = new MarketsScenario({ seed: 7, count: 40, ticksPerSecond: 10, startTime: start, anomalyRates: { spike: 6, 'level-shift': 6 } });
	const detectors = sim.series.map((s) => ensembleFactory.create({ kind: s.kind }));
	const matcher = new TruthMatcher({ slackMs });
	const out = new TickBatch(2048);
	const fresh: Truth[] = [];
	const all: Truth[] = [];
	const firstHit = new Map<Truth, number>();
	let hits = 0;
	let falseAlarms = 0;
	for (let now = start; now <= start + spanMs; now += 1000) {
		out.clear();
		fresh.length = 0;
		sim.advance(now, out, fresh);
		for (const truth of fresh) {
			all.push(truth);
			matcher.add(truth);
		}
		for (let k = 0; k < out.n; k++) {
			const id = out.ids[k];
			const detector = detectors[id];
			if (detector.update(out.t[k], out.v[k]) < detector.threshold || sim.series[id].kind !== 'price') continue;
			const truth = matcher.match(id, out.t[k]);
			if (truth === undefined) falseAlarms++;
			else {
				hits++;
				if (!firstHit.has(truth)) firstHit.set(truth, out.t[k]);
			}
		}
		matcher.expire(now);
	}
	const closed = all.filter((tr) => tr.t1 + slackMs < start + spanMs && sim.series[tr.seriesId].kind === 'price');
	expect(closed.length).toBeGreaterThan(50);
	const precision = hits / (hits + falseAlarms);
	for (const kind of ['spike', 'level-shift']) {
		const some = closed.filter((tr) => tr.kind === kind);
		const recall = some.filter((tr) => tr.detected).length / some.length;
		expect((2 * precision * recall) / (precision + recall), kind).toBeGreaterThanOrEqual(0.9);
		// 100 ms per tick at 10 ticks/s.
		const delays = some.filter((tr) => tr.detected).map((tr) => (firstHit.get(tr)! - tr.t0) / 100).sort((a, b) => a - b);
		expect(delays[delays.length >> 1], kind).toBeLessThanOrEqual(3);
	}
});
