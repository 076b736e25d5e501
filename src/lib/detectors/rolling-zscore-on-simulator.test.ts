import { expect, it } from 'vitest';
import type { AnomalyKind, Truth } from '../domain/anomaly';
import { TickBatch } from '../domain/tick-batch';
import { MarketsScenario } from '../sources/simulator/markets';
import { detectorFor } from './detector-for';
import { TruthMatcher } from './truth-matcher';

const START_MS = 1_700_000_000_000;
const SPAN_MS = 20 * 60_000;
const SLACK_MS = 2000;

it('the default detectors find the market simulator’s spikes, shifts and bursts (50 instruments, 20 min)', () => {
	const sim = new MarketsScenario({
		seed: 2024,
		count: 50,
		ticksPerSecond: 10,
		startTime: START_MS,
		anomalyRates: { spike: 6, 'level-shift': 6, 'variance-burst': 6 }
	});
	const detectors = sim.series.map((s) => detectorFor(s.kind));
	const matcher = new TruthMatcher({ slackMs: SLACK_MS });
	const out = new TickBatch(2048);
	const fresh: Truth[] = [];
	const all: Truth[] = [];
	let hits = 0;
	let falseAlarms = 0;
	// One-second steps, as the engine would drive it (it steps every 10 ms; the result is the same).
	for (let now = START_MS; now <= START_MS + SPAN_MS; now += 1000) {
		out.clear();
		fresh.length = 0;
		sim.advance(now, out, fresh);
		for (const truth of fresh) {
			truth.id = all.length + 1;
			all.push(truth);
			matcher.add(truth);
		}
		for (let k = 0; k < out.n; k++) {
			const detector = detectors[out.ids[k]];
			if (detector.update(out.t[k], out.v[k]) < detector.threshold) continue;
			if (matcher.match(out.ids[k], out.t[k])) hits++;
			else falseAlarms++;
		}
		matcher.expire(now);
	}
	const closed = all.filter((tr) => tr.t1 + SLACK_MS < START_MS + SPAN_MS);
	const recall = (kind: AnomalyKind, kindOfSeries: 'price' | 'volume') => {
		const some = closed.filter((tr) => tr.kind === kind && sim.series[tr.seriesId].kind === kindOfSeries);
		expect(some.length).toBeGreaterThan(10);
		return some.filter((tr) => tr.detected).length / some.length;
	};
	expect(recall('spike', 'price')).toBeGreaterThanOrEqual(0.9);
	expect(recall('level-shift', 'price')).toBeGreaterThanOrEqual(0.9);
	expect(recall('variance-burst', 'price')).toBeGreaterThanOrEqual(0.8);
	// Volume spikes multiply a trade 25–400×, i.e. 3.5–7σ of log volume: the z-score baseline
	// (threshold 6) catches about half (0.56 seen); better detectors are issue 4's.
	expect(recall('spike', 'volume')).toBeGreaterThanOrEqual(0.45);
	expect(falseAlarms).toBeLessThan(hits * 0.25);
});
