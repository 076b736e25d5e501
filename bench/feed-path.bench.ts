// Where a feed message's time goes in the worker's JavaScript (Node, no browser): parsing alone,
// decoding into ticks, and decoding into the engine (detectors, history buffers). The browser
// figure next to the raw socket is `npm run bench:feed`.
import 'fake-indexeddb/auto';
import { bench, describe } from 'vitest';
import { decodeFrame, type DecodeSink } from '../src/lib/sources/parsers/decoder';
import { detectMapping } from '../src/lib/sources/parsers/detect';
import { Engine } from '../src/lib/engine/engine';
import { HistoryStore } from '../src/lib/storage/history-store';
import { TickscopeDb } from '../src/lib/storage/db';

const N = 20_000;
const start = Date.now();
const trade = (k: number, t: number) =>
	`{"e":"trade","E":${t},"s":"BTCUSDT","t":${k},"p":"${(43000 + (k % 997) / 100).toFixed(2)}","q":"0.0${1 + (k % 9)}","T":${t},"m":false,"M":true}`;
const frames = Array.from({ length: N }, (_, k) => trade(k, start + Math.floor(k / 10)));
const { mapping } = detectMapping(frames.slice(0, 5));
const nullSink: DecodeSink = { tick() {}, reject() {}, usedArrivalTime() {} };

const clock = { now: start };
const engine = new Engine({ store: new HistoryStore(new TickscopeDb('bench-feed-path')), now: () => clock.now, autoRun: false });
await engine.init({ simulator: { enabled: false } });
// The engine's feed entry point, as FeedHub calls it (private: feeds normally arrive by socket).
const onFeedTick = (engine as unknown as { onFeedTick: DecodeSink['tick'] extends (...a: infer A) => void ? (id: string, ...a: A) => void : never }).onFeedTick.bind(engine);
const engineSink: DecodeSink = { tick: (key, t, v, truth) => onFeedTick('f1', key, t, v, truth), reject() {}, usedArrivalTime() {} };
let round = 0;

describe(`${N.toLocaleString('en')} Binance trade messages`, () => {
	bench('JSON.parse only', () => {
		for (const frame of frames) JSON.parse(frame);
	});
	bench('decodeFrame into a sink that drops the ticks', () => {
		for (const frame of frames) decodeFrame(frame, mapping, start, nullSink);
	});
	// Times must keep rising across rounds (the engine refuses going back), so each round builds
	// its messages afresh: the building is part of this figure.
	bench('decodeFrame into the engine (detectors + history buffers)', () => {
		const base = start + ++round * N;
		for (let k = 0; k < N; k++) {
			clock.now = base + k;
			decodeFrame(trade(k, base + k), mapping, clock.now, engineSink);
		}
	});
});
