import { describe, expect, it } from 'vitest';
import { createDecoder, decodeFrame, MAX_FRAME_BYTES, utf8Bytes } from './decoder';
import { RecordingSink } from './decode-testing';
import type { FeedMapping } from './mapping';

const ARRIVAL = Date.UTC(2026, 10, 20, 14, 0, 5);
const T0 = Date.UTC(2026, 10, 20, 14);
const flat: FeedMapping = { format: 'json', records: '', time: 't', timeUnit: 'auto', keys: ['s'], values: ['p'] };

function decode(frame: string | ArrayBuffer, mapping: FeedMapping = flat): RecordingSink {
	const sink = new RecordingSink();
	decodeFrame(frame, mapping, ARRIVAL, sink);
	return sink;
}

describe('decodeFrame: values', () => {
	it('reads numbers and numeric strings; one tick per value field', () => {
		const sink = decode(`{"s":"BTCUSDT","t":${T0},"p":"43274.93","q":0.5}`, { ...flat, values: ['p', 'q'] });
		expect(sink.ticks).toEqual([
			{ key: 'BTCUSDT/p', t: T0, v: 43274.93, truth: undefined },
			{ key: 'BTCUSDT/q', t: T0, v: 0.5, truth: undefined }
		]);
	});

	it('rejects missing, non-numeric and non-finite values by reason', () => {
		const frames = ['{"p":null}', '{"p":""}', '{"p":" "}', '{"p":"0x1f"}', '{"p":true}', '{"p":{}}', '{}'];
		for (const f of frames) expect(decode(f).reasons(), f).toEqual(['no-number']);
		for (const f of ['{"p":"NaN"}', '{"p":"-Infinity"}', '{"p":1e999}', '{"p":"1e999"}']) {
			expect(decode(f).reasons(), f).toEqual(['not-finite']);
		}
	});

	it('keeps other value fields when one is bad', () => {
		const sink = decode('{"p":"x","q":"2"}', { ...flat, values: ['p', 'q'] });
		expect(sink.reasons()).toEqual(['no-number']);
		expect(sink.ticks.map((t) => t.v)).toEqual([2]);
	});

	it('refuses a record once, with its first bad value, however many are bad', () => {
		const pq: FeedMapping = { ...flat, values: ['p', 'q', 'r'] };
		expect(decode('{"p":"x","q":"NaN","r":null}', pq).rejects).toEqual([{ reason: 'no-number', detail: 'p' }]);
		expect(decode('{"p":1e400,"q":"x","r":2}', pq).reasons()).toEqual(['not-finite']);
		// One per record: two bad NDJSON lines are two refusals.
		expect(decode('{"p":"x"}\n{"p":"y","q":"z"}', pq).reasons()).toEqual(['no-number', 'no-number']);
		const csv: FeedMapping = { format: 'csv', records: '', time: '', timeUnit: 'auto', keys: [], values: [] };
		expect(decode('x,NaN,3\n1,2,y', csv).reasons()).toEqual(['no-number', 'no-number']);
	});

	it('stores -0 as 0, from numbers, strings and underflow', () => {
		for (const p of ['-0', '"-0"', '"-0.00"', '-1e-400', '"-0e5"', '0']) {
			const ticks = decode(`{"p":${p}}`).ticks;
			expect(ticks, p).toHaveLength(1);
			expect(Object.is(ticks[0].v, 0), p).toBe(true);
		}
		const csv: FeedMapping = { format: 'number', records: '', time: '', timeUnit: 'auto', keys: [], values: [] };
		expect(Object.is(decode('-0.0', csv).ticks[0].v, 0)).toBe(true);
	});

	it('counts blank frames instead of dropping them silently', () => {
		for (const blank of ['', ' ', '\n', ' \n\t\n']) expect(decode(blank).reasons(), JSON.stringify(blank)).toEqual(['invalid-json']);
		const number: FeedMapping = { format: 'number', records: '', time: '', timeUnit: 'auto', keys: [], values: [] };
		expect(decode('\n \n', number).reasons()).toEqual(['no-number']);
	});
});

describe('decodeFrame: time', () => {
	const at = (time: string): number[] => decode(`{"p":1,"t":${time}}`).ticks.map((t) => t.t);

	it('detects s, ms, µs and ns epochs by magnitude', () => {
		expect(at(String(T0 / 1000))).toEqual([T0]);
		expect(at(String(T0))).toEqual([T0]);
		expect(at(`${T0}123`)).toEqual([T0 + 0.123]);
		// ns lose the sub-µs digits to double precision at this magnitude.
		expect(at(`"${T0}123456"`)[0]).toBeCloseTo(T0 + 0.123456, 3);
		expect(at(`${T0 / 1000}.5`)).toEqual([T0 + 500]);
	});

	it('honours an explicit unit', () => {
		const sink = decode(`{"p":1,"t":${T0 * 1000}}`, { ...flat, timeUnit: 'us' });
		expect(sink.ticks[0].t).toBe(T0);
	});

	it('parses ISO strings, with fraction, zone or none (read as UTC)', () => {
		expect(at('"2026-11-20T14:00:00.000123Z"')).toEqual([T0]);
		expect(at('"2026-11-20T15:00:01+01:00"')).toEqual([T0 + 1000]);
		expect(at('"2026-11-20 14:00:02"')).toEqual([T0 + 2000]);
		expect(at('"2026-11-20T14:00:03.5"')).toEqual([T0 + 3500]);
		expect(decode('{"p":1,"t":"20 Nov 2026"}').reasons()).toEqual(['no-number']);
		// "1" is 1 s after the epoch (Date.parse would have made it the year 2001).
		expect(decode('{"p":1,"t":"1"}').reasons()).toEqual(['time-out-of-range']);
	});

	it('rejects stamps more than a day ahead or ten years back', () => {
		const day = 86_400_000;
		expect(decode(`{"p":1,"t":${ARRIVAL + day - 1}}`).ticks).toHaveLength(1);
		expect(decode(`{"p":1,"t":${ARRIVAL + day + 1}}`).reasons()).toEqual(['time-out-of-range']);
		expect(decode(`{"p":1,"t":${ARRIVAL - 3653 * day - 1}}`).reasons()).toEqual(['time-out-of-range']);
		expect(decode('{"p":1,"t":3211000000}').reasons()).toEqual(['time-out-of-range']);
	});

	it('uses and reports arrival time when the stamp is missing or unmapped', () => {
		const missing = decode('{"s":"A","p":1}');
		expect(missing.ticks[0].t).toBe(ARRIVAL);
		expect(missing.arrivals).toBe(1);
		const unmapped = decode('{"p":1,"t":5}', { ...flat, time: '' });
		expect(unmapped.ticks[0].t).toBe(ARRIVAL);
		expect(unmapped.arrivals).toBe(1);
	});
});

describe('decodeFrame: framing', () => {
	it('decodes NDJSON, top-level arrays, records paths and $.-paths', () => {
		expect(decode('{"p":1}\n{"p":2}\n\nnot json\n{"p":3}').ticks.map((t) => t.v)).toEqual([1, 2, 3]);
		expect(decode('{"p":1}\n{"p":2}\n\nnot json').reasons()).toEqual(['invalid-json']);
		expect(decode('[{"p":1},{"p":2}]').ticks.map((t) => t.v)).toEqual([1, 2]);
		const nested: FeedMapping = { ...flat, records: 'd.list', keys: ['$.dev', 'id'], time: '$.t', values: ['v'] };
		const sink = decode(`{"dev":"x","t":${T0},"d":{"list":[{"id":1,"v":5},{"id":2,"v":6}]}}`, nested);
		expect(sink.ticks).toEqual([
			{ key: 'x/1/v', t: T0, v: 5, truth: undefined },
			{ key: 'x/2/v', t: T0, v: 6, truth: undefined }
		]);
		expect(decode('{"other":1}', nested).reasons()).toEqual(['no-number']);
	});

	it('decodes binary frames as UTF-8', () => {
		const bytes = new TextEncoder().encode('{"s":"€UR","p":"1.5"}');
		expect(decode(bytes.buffer as ArrayBuffer).ticks[0]).toMatchObject({ key: '€UR/p', v: 1.5 });
		expect(decode(new Uint8Array([0xff, 0xfe, 0x7b]).buffer).reasons()).toEqual(['invalid-json']);
	});

	it('rejects oversized frames before parsing', () => {
		const big = `{"p":1,"pad":"${'x'.repeat(MAX_FRAME_BYTES)}"}`;
		expect(decode(big).reasons()).toEqual(['oversized']);
		expect(decode(new ArrayBuffer(MAX_FRAME_BYTES + 1)).reasons()).toEqual(['oversized']);
		const sink = new RecordingSink();
		decodeFrame('{"p":1}', flat, ARRIVAL, sink, { maxFrameBytes: 4 });
		expect(sink.reasons()).toEqual(['oversized']);
	});

	it('measures text frames in UTF-8 bytes, as they came over the wire', () => {
		// 400k euro signs: 400k UTF-16 units (under the limit) but 1.2 MB of UTF-8 (over it).
		const euros = `{"p":1,"pad":"${'€'.repeat(400_000)}"}`;
		expect(euros.length).toBeLessThan(MAX_FRAME_BYTES);
		expect(decode(euros).reasons()).toEqual(['oversized']);
		// Exactly at the limit is accepted, one byte more is not; text and binary agree.
		const frameOf = (bytes: number): string => {
			const head = '{"p":1,"pad":"';
			const room = bytes - head.length - 2;
			// Emoji (4 bytes, a surrogate pair), euros (3), ß (2) and ASCII to fill the rest.
			const emoji = Math.floor(room / 12);
			const euro = Math.floor((room - emoji * 4) / 6);
			const sharp = Math.floor((room - emoji * 4 - euro * 3) / 4);
			const ascii = room - emoji * 4 - euro * 3 - sharp * 2;
			return head + '😀'.repeat(emoji) + '€'.repeat(euro) + 'ß'.repeat(sharp) + 'x'.repeat(ascii) + '"}';
		};
		for (const [bytes, reasons] of [
			[MAX_FRAME_BYTES, []],
			[MAX_FRAME_BYTES + 1, ['oversized']],
			[MAX_FRAME_BYTES + 3, ['oversized']]
		] as const) {
			const text = frameOf(bytes);
			const encoded = new TextEncoder().encode(text);
			expect(encoded.byteLength).toBe(bytes);
			// Well under the limit in UTF-16 units: the old length check let all of these through.
			expect(text.length).toBeLessThan(MAX_FRAME_BYTES * 0.6);
			expect(decode(text).reasons()).toEqual(reasons);
			expect(decode(encoded.buffer as ArrayBuffer).reasons()).toEqual(reasons);
		}
	});

	it('utf8Bytes counts like TextEncoder and stops once over the limit', () => {
		const samples = ['', 'abc', 'ß€😀', '\ud800x', 'x\udc00', '\ud83d', '😀\ud83d\ude00\ud83d', 'é'.repeat(1000)];
		for (const text of samples) {
			const exact = new TextEncoder().encode(text).byteLength;
			// Both ways of counting: the scratch buffer (limits up to 4 MB) and the loop (above).
			for (const limit of [exact, exact + 1, 8 << 20]) expect(utf8Bytes(text, limit), JSON.stringify(text)).toBe(exact);
			if (exact > 0) {
				expect(utf8Bytes(text, exact - 1)).toBe(exact);
				expect(utf8Bytes(text + '€'.repeat(3_000_000), 8 << 20)).toBe((8 << 20) + 1);
			}
		}
		expect(utf8Bytes('x'.repeat(11), 10)).toBe(11);
		expect(utf8Bytes('€'.repeat(4), 10)).toBe(11);
	});

	it('filters messages and reports bad mappings', () => {
		const filtered: FeedMapping = { ...flat, filter: { path: 'type', equals: 'trade' } };
		expect(decode('{"type":"ping"}', filtered).reasons()).toEqual(['filtered']);
		expect(decode('{"type":"trade","p":1}', filtered).ticks).toHaveLength(1);
		expect(decode('{"p":1}', { ...flat, values: ['a..b'] }).reasons()).toEqual(['bad-path']);
		expect(decode('{"p":1}', { ...flat, format: 'xml' as 'json' }).reasons()).toEqual(['bad-path']);
	});

	it('sanitises keys: no control characters, at most 100 chars, objects named ?', () => {
		expect(decode('{"s":"A\\u0000B\\nC","p":1}').ticks[0].key).toBe('ABC/p');
		expect(decode(`{"s":"${'x'.repeat(300)}","p":1}`).ticks[0].key).toHaveLength(100);
		expect(decode('{"s":{"toString":1},"p":1}').ticks[0].key).toBe('?/p');
	});

	it('passes ground truth from booleans, 0/1 and strings', () => {
		const m: FeedMapping = { ...flat, truth: 'a' };
		const truths = ['true', 'false', '1', '"true"', '"maybe"'].map((a) => decode(`{"p":1,"a":${a}}`, m).ticks[0].truth);
		expect(truths).toEqual([true, false, true, true, undefined]);
	});

	it('caps distinct series across frames', () => {
		const decoder = createDecoder({ mapping: flat, maxSeries: 3 });
		const sink = new RecordingSink();
		for (let i = 0; i < 5; i++) decoder.decode(`{"s":"S${i}","p":1}`, ARRIVAL, sink);
		decoder.decode('{"s":"S0","p":2}', ARRIVAL, sink);
		expect(sink.ticks.map((t) => t.key)).toEqual(['S0/p', 'S1/p', 'S2/p', 'S0/p']);
		expect(sink.reasons()).toEqual(['too-many-series', 'too-many-series']);
		expect(decoder.seriesKeys.size).toBe(3);
	});
});

describe('decodeFrame: csv and number', () => {
	const csv: FeedMapping = { format: 'csv', records: '', time: 'first', timeUnit: 'auto', keys: [], values: ['value'] };

	it('reads time,value lines and single values', () => {
		expect(decode(`${T0 / 1000},1.5`, csv).ticks).toEqual([{ key: 'value', t: T0, v: 1.5, truth: undefined }]);
		expect(decode(`${T0},1.5,2\r\n${T0 + 1},3,4`, csv).ticks.map((t) => [t.key, t.t, t.v])).toEqual([
			['value', T0, 1.5],
			['value2', T0, 2],
			['value', T0 + 1, 3],
			['value2', T0 + 1, 4]
		]);
		const single = decode('7.25', csv);
		expect(single.ticks[0]).toMatchObject({ t: ARRIVAL, v: 7.25 });
		expect(single.arrivals).toBe(1);
		expect(decode('time,value', csv).reasons()).toEqual(['no-number']);
	});

	it('reads bare numbers with arrival time', () => {
		const number: FeedMapping = { ...csv, format: 'number', time: '' };
		const sink = decode(' 105.859 ', number);
		expect(sink.ticks).toEqual([{ key: 'value', t: ARRIVAL, v: 105.859, truth: undefined }]);
		expect(sink.arrivals).toBe(1);
		expect(decode('1,2', number).reasons()).toEqual(['no-number']);
		expect(decode('Infinity', number).reasons()).toEqual(['not-finite']);
	});
});
