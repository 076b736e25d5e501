import { describe, expect, it } from 'vitest';
import { decodeFrame } from './decoder';
import { feedFiles, feedFrames, RecordingSink, SAMPLE_ARRIVAL_MS, SAMPLE_START_MS } from './decode-testing';
import { detectMapping } from './detect';
import type { FeedMapping } from './mapping';

/** The fields the counts below read from sample messages. */
interface Json {
	s: string;
	type: string;
	product_id: string;
	device: string;
	id: number;
	o: Json;
	/** Finnhub: an array of trades; Binance combined stream: the event. */
	data: Json & Json[];
	trace: { sensors: Json[] };
}
type Counts = Record<string, number>;

/** Counted straight from the parsed files, without the decoder's path code. */
function count(file: string, per: (msg: Json, add: (key: string) => void) => void): Counts {
	const out: Counts = {};
	for (const line of feedFrames(file)) per(JSON.parse(line) as Json, (key) => (out[key] = (out[key] ?? 0) + 1));
	return out;
}

function each(names: string[], prefix: string, add: (key: string) => void): void {
	for (const n of names) add(`${prefix}/${n}`);
}

const KLINE = ['o', 'h', 'l', 'c', 'v'];
const COINBASE_AUTO = ['price', 'volume_24h', 'best_bid', 'best_bid_size', 'best_ask', 'best_ask_size', 'last_size'];

interface Case {
	preset?: string;
	/** Mapping expected from structural detection (presets off). */
	auto: FeedMapping;
	presetCounts?: () => Counts;
	autoCounts: () => Counts;
	/** Frames that are acks or pings and must be rejected as 'filtered'. */
	filtered?: number;
	/** Frames decoded with arrival time (one per record without a stamp). */
	arrivals?: number;
}

const lines = (file: string): number => feedFrames(file).length;
const json = (m: Partial<FeedMapping>): FeedMapping => ({ format: 'json', records: '', time: '', timeUnit: 'auto', keys: [], values: [], ...m });

const CASES: Record<string, Case> = {
	'binance-trade.jsonl': {
		preset: 'binance-trade',
		auto: json({ time: 'T', timeUnit: 'ms', keys: ['s'], values: ['p', 'q'], filter: { path: 'e', equals: 'trade' } }),
		autoCounts: () => count('binance-trade.jsonl', (m, add) => each(['p', 'q'], m.s, add))
	},
	'binance-aggtrade-combined.jsonl': {
		preset: 'binance-aggtrade-combined',
		auto: json({ records: 'data', time: 'T', timeUnit: 'ms', keys: ['s'], values: ['p', 'q'], filter: { path: 'data.e', equals: 'aggTrade' } }),
		autoCounts: () => count('binance-aggtrade-combined.jsonl', (m, add) => each(['p', 'q'], String(m.data.s), add))
	},
	'binance-forceorder.jsonl': {
		preset: 'binance-forceorder',
		auto: json({ time: 'o.T', timeUnit: 'ms', keys: ['o.s'], values: ['o.q', 'o.p'], filter: { path: 'e', equals: 'forceOrder' } }),
		autoCounts: () => count('binance-forceorder.jsonl', (m, add) => each(['q', 'p'], String(m.o.s), add))
	},
	'binance-kline.jsonl': {
		preset: 'binance-kline',
		auto: json({
			time: 'k.t',
			timeUnit: 'ms',
			keys: ['s'],
			values: ['k.o', 'k.c', 'k.h', 'k.l', 'k.v', 'k.n', 'k.q', 'k.V', 'k.Q'],
			filter: { path: 'e', equals: 'kline' }
		}),
		presetCounts: () => count('binance-kline.jsonl', (m, add) => each(KLINE, String(m.s), add)),
		autoCounts: () => count('binance-kline.jsonl', (m, add) => each([...KLINE, 'n', 'q', 'V', 'Q'], String(m.s), add))
	},
	'coinbase-ticker.jsonl': {
		preset: 'coinbase-ticker',
		auto: json({ time: 'time', timeUnit: 'iso', keys: ['product_id'], values: COINBASE_AUTO, filter: { path: 'type', equals: 'ticker' } }),
		presetCounts: () =>
			count('coinbase-ticker.jsonl', (m, add) => m.type === 'ticker' && each(['price', 'last_size'], String(m.product_id), add)),
		autoCounts: () => count('coinbase-ticker.jsonl', (m, add) => m.type === 'ticker' && each(COINBASE_AUTO, String(m.product_id), add)),
		filtered: feedFrames('coinbase-ticker.jsonl').filter((l) => !l.includes('"type":"ticker"')).length
	},
	'finnhub-trade.jsonl': {
		preset: 'finnhub-trade',
		auto: json({ records: 'data', time: 't', timeUnit: 'ms', keys: ['s'], values: ['p', 'v'], filter: { path: 'type', equals: 'trade' } }),
		autoCounts: () => count('finnhub-trade.jsonl', (m, add) => m.type === 'trade' && m.data.forEach((d) => each(['p', 'v'], String(d.s), add))),
		filtered: feedFrames('finnhub-trade.jsonl').filter((l) => l.includes('"ping"')).length
	},
	'foot-pressure.jsonl': {
		preset: 'foot-pressure',
		auto: json({ records: 'trace.sensors', keys: ['$.id', 'id'], values: ['value'], truth: 'anomaly' }),
		autoCounts: () => count('foot-pressure.jsonl', (m, add) => m.trace.sensors.forEach((s) => add(`${m.id}/${s.id}/value`))),
		arrivals: 6 * lines('foot-pressure.jsonl')
	},
	'iot-flat.jsonl': {
		auto: json({ time: 'ts', timeUnit: 'iso', keys: ['device'], values: ['temperature', 'humidity'] }),
		autoCounts: () => count('iot-flat.jsonl', (m, add) => each(['temperature', 'humidity'], String(m.device), add))
	},
	'plain-csv-lines.txt': {
		auto: { format: 'csv', records: '', time: 'first', timeUnit: 'auto', keys: [], values: ['value'] },
		autoCounts: () => ({ value: lines('plain-csv-lines.txt') })
	},
	'bare-numbers.txt': {
		auto: { format: 'number', records: '', time: '', timeUnit: 'auto', keys: [], values: ['value'] },
		autoCounts: () => ({ value: lines('bare-numbers.txt') }),
		arrivals: lines('bare-numbers.txt')
	}
};

function decodeAll(file: string, mapping: FeedMapping): RecordingSink {
	const sink = new RecordingSink();
	for (const frame of feedFrames(file)) decodeFrame(frame, mapping, SAMPLE_ARRIVAL_MS, sink);
	return sink;
}

function expectClean(sink: RecordingSink, c: Case): void {
	expect(sink.reasons()).toEqual(Array(c.filtered ?? 0).fill('filtered'));
	expect(sink.arrivals).toBe(c.arrivals ?? 0);
	for (const t of sink.ticks) {
		expect(Number.isFinite(t.v)).toBe(true);
		if (!c.arrivals) expect(t.t).toBeGreaterThanOrEqual(SAMPLE_START_MS);
	}
}

describe('sample feeds', () => {
	it('has a case for every fixture file', () => {
		expect(feedFiles().sort()).toEqual(Object.keys(CASES).sort());
	});

	for (const [file, c] of Object.entries(CASES)) {
		describe(file, () => {
			const samples = feedFrames(file).slice(0, 50);

			it('is detected structurally and decodes every record', () => {
				const result = detectMapping(samples, { usePresets: false, now: SAMPLE_ARRIVAL_MS });
				expect(result.preset).toBeUndefined();
				expect(result.mapping).toEqual(c.auto);
				const sink = decodeAll(file, result.mapping);
				expect(sink.counts()).toEqual(c.autoCounts());
				expectClean(sink, c);
			});

			it(c.preset ? `matches preset ${c.preset}` : 'matches no preset', () => {
				const result = detectMapping(samples, { now: SAMPLE_ARRIVAL_MS });
				expect(result.preset).toBe(c.preset);
				const sink = decodeAll(file, result.mapping);
				expect(sink.counts()).toEqual((c.presetCounts ?? c.autoCounts)());
				expectClean(sink, c);
			});
		});
	}

	it('reads the values and stamps themselves, not just the counts', () => {
		const trade = decodeAll('binance-trade.jsonl', detectMapping(feedFrames('binance-trade.jsonl')).mapping).ticks[0];
		expect(trade).toEqual({ key: 'BTCUSDT/p', t: SAMPLE_START_MS, v: 43274.93, truth: undefined });
		const csv = decodeAll('plain-csv-lines.txt', detectMapping(feedFrames('plain-csv-lines.txt')).mapping).ticks[0];
		expect(csv).toEqual({ key: 'value', t: SAMPLE_START_MS, v: 105.859, truth: undefined });
		const coinbase = decodeAll('coinbase-ticker.jsonl', detectMapping(feedFrames('coinbase-ticker.jsonl')).mapping).ticks[0];
		expect(coinbase.t).toBe(SAMPLE_START_MS);
	});

	it('carries the foot-pressure ground truth', () => {
		const sink = decodeAll('foot-pressure.jsonl', detectMapping(feedFrames('foot-pressure.jsonl')).mapping);
		let anomalies = 0;
		for (const line of feedFrames('foot-pressure.jsonl')) anomalies += line.split('"anomaly":true').length - 1;
		expect(anomalies).toBeGreaterThan(0);
		expect(sink.ticks.filter((t) => t.truth === true)).toHaveLength(anomalies);
		expect(sink.ticks.every((t) => t.truth !== undefined)).toBe(true);
	});
});

describe('detectMapping edge cases', () => {
	it('never throws and explains itself on empty or unusable samples', () => {
		for (const samples of [[], [''], ['<html>'], ['{"a":"b"}'], [new ArrayBuffer(3)], ['[]', 'null', '1,x']]) {
			const result = detectMapping(samples);
			expect(result.notes.length).toBeGreaterThan(0);
		}
	});

	it('accepts binary samples and NDJSON frames', () => {
		const frame = '{"device":"a","t":1795183200,"x":1}\n{"device":"b","t":1795183201,"x":2}';
		const result = detectMapping([new TextEncoder().encode(frame).buffer as ArrayBuffer], { now: SAMPLE_ARRIVAL_MS });
		expect(result.mapping).toMatchObject({ time: 't', timeUnit: 's', keys: ['device'], values: ['x'] });
	});
});
