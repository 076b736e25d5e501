import { expect, it } from 'vitest';
import type { Truth } from '../domain/anomaly';
import { TickBatch } from '../domain/tick-batch';
import { MarketSimulator } from '../sources/simulator/market-simulator';
import { RollingZScore } from './rolling-zscore';
import { TruthMatcher } from './truth-matcher';

const START_MS = 1_700_000_000_000;
const SPAN_MS = 10 * 60_000;
/** One second of slack: a flag up to 10 ticks after the injection still counts. */
const SLACK_MS = 1000;

it('finds the simulator’s injections with the default z-score (100 series, 10 min)', () => {
	const sim = new MarketSimulator({ seed: 2024, seriesCount: 100, startTime: START_MS });
	const detectors = sim.series.map(() => new RollingZScore({ mode: 'delta' }));
	const matcher = new TruthMatcher({ slackMs: SLACK_MS });
	const out = new TickBatch(2048);
	const fresh: Truth[] = [];
	const all: Truth[] = [];
	let hits = 0;
	let falseAlarms = 0;
	let missed = 0;
	// One-second steps, as the engine would drive it.
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
		missed += matcher.expire(now).length;
	}
	const closed = all.filter((tr) => tr.t1 + SLACK_MS < START_MS + SPAN_MS);
	const detected = closed.filter((tr) => tr.detected === true).length;
	// ~100 series × (600 s − 25 s warm-up) × 10/h ≈ 160 injections.
	expect(closed.length).toBeGreaterThan(100);
	expect(missed).toBe(closed.length - detected);
	expect(detected / closed.length).toBeGreaterThanOrEqual(0.9);
	expect(falseAlarms).toBeLessThan(hits);
});
