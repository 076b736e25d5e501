// `npm run bench`: the engine's per-tick hot path against the obvious naive version, in one run,
// so the ratio (printed by vitest as "N× faster than") is what to compare across machines.
// Nothing here is asserted in tests.
import { bench, describe } from 'vitest';
import type { Truth } from '../src/lib/domain/anomaly';
import { TickBatch } from '../src/lib/domain/tick-batch';
import { zscoreFactory } from '../src/lib/detectors/zscore';
import { MarketsScenario } from '../src/lib/sources/simulator/markets';
import { SeriesBuffer } from '../src/lib/storage/series-buffer';

/** 50 instruments: a price and a volume series each. */
const SERIES = 100;
const TICKS_PER_SECOND = 10;
/** Simulated seconds per benchmark iteration: 100 series × 10/s × 10 s = 10,000 ticks. */
const SPAN_MS = 10_000;
const WINDOW = 200;

// One recorded stream, replayed by both contenders, so only the processing differs.
const stream = new TickBatch(SERIES * TICKS_PER_SECOND * (SPAN_MS / 1000) + SERIES);
new MarketsScenario({ seed: 1, count: SERIES / 2, ticksPerSecond: TICKS_PER_SECOND, startTime: 0, anomalyRates: {} }).advance(
	SPAN_MS,
	stream,
	[] as Truth[]
);

describe(`detect + buffer ${stream.n.toLocaleString()} ticks of ${SERIES} series`, () => {
	// The same rolling z-score (200-tick window) the naive version recomputes per tick.
	const detectors = Array.from({ length: SERIES }, () => zscoreFactory.create({ kind: 'value' }));
	const buffers = Array.from({ length: SERIES }, () => new SeriesBuffer(4096));
	bench('engine: O(1) rolling z-score, columnar buffers', () => {
		let flags = 0;
		for (let i = 0; i < stream.n; i++) {
			const id = stream.ids[i];
			const detector = detectors[id];
			if (detector.update(stream.t[i], stream.v[i]) >= detector.threshold) flags++;
			buffers[id].append(stream.t[i], stream.v[i]);
		}
		for (const b of buffers) b.pendN = 0;
		if (flags < 0) throw new Error('unreachable');
	});

	// The obvious version: an object per tick, arrays of objects, mean and std recomputed over
	// the window for every tick.
	const windows: number[][] = Array.from({ length: SERIES }, () => []);
	const last: number[] = new Array(SERIES).fill(NaN);
	let rows: { seriesId: number; t: number; v: number }[] = [];
	bench('naive: window rescan per tick, object per tick', () => {
		let flags = 0;
		for (let i = 0; i < stream.n; i++) {
			const tick = { seriesId: stream.ids[i], t: stream.t[i], v: stream.v[i] };
			const w = windows[tick.seriesId];
			const step = Number.isNaN(last[tick.seriesId]) ? 0 : tick.v - last[tick.seriesId];
			last[tick.seriesId] = tick.v;
			if (w.length >= 50) {
				const mean = w.reduce((a, b) => a + b, 0) / w.length;
				const std = Math.sqrt(w.reduce((a, b) => a + (b - mean) ** 2, 0) / (w.length - 1));
				if (std > 0 && Math.abs(step - mean) / std >= 6) flags++;
			}
			w.push(step);
			if (w.length > WINDOW) w.shift();
			rows.push(tick);
		}
		rows = [];
		if (flags < 0) throw new Error('unreachable');
	});
});
