import { describe, expect, it } from 'vitest';
import { Random } from '../simulator/random';
import { decodeFrame } from './decoder';
import { RecordingSink } from './decode-testing';
import { detectMapping } from './detect';
import type { FeedMapping } from './mapping';

const T0 = Date.UTC(2026, 10, 20, 14);
const ARRIVAL = T0 + 5000;
/** T0 + 123.456789 ms in ns: 19 digits, far beyond 2^53. */
const TS_NS = `${T0 + 123}456789`;
const TS_MS = Number(`${T0 + 123}.456789`);

/** 19, 20 and 21 digits; each pair below becomes one double under JSON.parse. */
const IDS = ['1234567890123456789', '12345678901234567891', '123456789012345678901'];
const NEIGHBOURS = ['1234567890123456788', '12345678901234567892', '123456789012345678902'];

const byDevice: FeedMapping = { format: 'json', records: '', time: 'ts', timeUnit: 'auto', keys: ['device'], values: ['v'] };

/**
 * Decodes with a fresh copy of the mapping, so each frame takes the first-frame path (plain
 * parse, then an exact one when a key or time came rounded), and again with a mapping that has
 * seen such a frame (exact parse at once): both must give the same ticks.
 */
function decode(frame: string, mapping: FeedMapping = byDevice): RecordingSink {
	const sink = new RecordingSink();
	decodeFrame(frame, { ...mapping }, ARRIVAL, sink);
	expect(sink.rejects, frame).toEqual([]);
	// The first decode warms the mapping (when the frame needs an exact parse at all).
	decodeFrame(frame, mapping, ARRIVAL, new RecordingSink());
	const warmed = new RecordingSink();
	decodeFrame(frame, mapping, ARRIVAL, warmed);
	expect(warmed.ticks, frame).toEqual(sink.ticks);
	return sink;
}

const record = (id: string, v: number, ts = TS_NS) => `{"device": ${id}, "ts": ${ts}, "v": ${v}}`;

describe('large integer ids keep their digits', () => {
	it('in a JSON object: the series name is the exact id, the time exact to the µs', () => {
		for (const id of [...IDS, ...NEIGHBOURS.map((n) => `-${n}`)]) {
			const sink = decode(record(id, 1.5));
			expect(sink.ticks).toEqual([{ key: `${id}/v`, t: TS_MS, v: 1.5, truth: undefined }]);
		}
	});

	it('ids one apart (the same double) stay two series', () => {
		expect(Number(IDS[2])).toBe(Number(NEIGHBOURS[2]));
		const sink = decode(`[${[...IDS, ...NEIGHBOURS].map((id, i) => record(id, i)).join(',')}]`);
		expect(Object.keys(sink.counts()).sort()).toEqual([...IDS, ...NEIGHBOURS].map((id) => `${id}/v`).sort());
	});

	it('in arrays of records, under a records path, and from the message root', () => {
		const array = decode(`[${IDS.map((id, i) => record(id, i)).join(', ')}]`);
		expect(array.ticks.map((t) => t.key)).toEqual(IDS.map((id) => `${id}/v`));
		const nested = decode(`{"gateway": ${IDS[2]}, "data": [${IDS.map((id, i) => record(id, i)).join(',')}]}`, {
			...byDevice,
			records: 'data',
			keys: ['$.gateway', 'device']
		});
		expect(nested.ticks.map((t) => t.key)).toEqual(IDS.map((id) => `${IDS[2]}/${id}/v`));
		expect(nested.ticks.every((t) => t.t === TS_MS)).toBe(true);
	});

	it('a record with a big id after ordinary ones: each record ticks once, in order', () => {
		const ids = ['7', '8', IDS[1], '9', IDS[2]];
		const sink = decode(`[${ids.map((id, i) => record(id, i, String(T0 + i))).join(',')}]`);
		expect(sink.ticks.map((t) => [t.key, t.v, t.t])).toEqual(ids.map((id, i) => [`${id}/v`, i, T0 + i]));
	});

	it('a 400-digit key is no id: read as a number (Infinity), once, as before', () => {
		const sink = decode(record('9'.repeat(400), 1));
		expect(sink.ticks.map((t) => t.key)).toEqual(['Infinity/v']);
	});

	it('in NDJSON, also after a broken line with an open string', () => {
		const sink = new RecordingSink();
		decodeFrame(['{"device": "open', ...IDS.map((id, i) => record(id, i))].join('\n'), byDevice, ARRIVAL, sink);
		expect(sink.reasons()).toEqual(['invalid-json']);
		expect(sink.ticks.map((t) => t.key)).toEqual(IDS.map((id) => `${id}/v`));
		expect(sink.ticks.every((t) => t.t === TS_MS)).toBe(true);
	});

	it('ids inside strings are left exactly as sent, escapes and all', () => {
		const sink = decode(`{"device": "a\\"${IDS[1]}\\\\", "note": "${IDS[2]}", "ts": "${TS_NS}", "v": 2}`);
		expect(sink.ticks).toEqual([{ key: `a"${IDS[1]}\\/v`, t: TS_MS, v: 2, truth: undefined }]);
	});

	it('a filter on a big id matches that id only, not its double-neighbour', () => {
		const mapping: FeedMapping = { ...byDevice, keys: [], filter: { path: 'device', equals: IDS[2] } };
		expect(decode(record(IDS[2], 1), mapping).ticks).toHaveLength(1);
		const other = new RecordingSink();
		decodeFrame(record(NEIGHBOURS[2], 1), mapping, ARRIVAL, other);
		expect(other.reasons()).toEqual(['filtered']);
	});

	it('a big integer in a value field reads as its nearest double, as a number always did', () => {
		const sink = decode(record('7', Number.MAX_SAFE_INTEGER).replace(String(Number.MAX_SAFE_INTEGER), IDS[2]));
		expect(sink.ticks[0].v).toBe(123456789012345680000);
		// 400 digits are no id: still a non-finite number, refused as before.
		const huge = new RecordingSink();
		decodeFrame(record('7', 1).replace('"v": 1', `"v": ${'9'.repeat(400)}`), byDevice, ARRIVAL, huge);
		expect(huge.reasons()).toEqual(['not-finite']);
	});
});

describe('timestamps of every unit, as numbers and as text', () => {
	const ms = T0 + 123;
	const stamps: [string, string, number][] = [
		['ns number', TS_NS, TS_MS],
		['ns text', `"${TS_NS}"`, TS_MS],
		['µs number', `${ms}456`, ms + 0.456],
		['µs text', `"${ms}456"`, ms + 0.456],
		['ms number', `${ms}`, ms],
		['ms text', `"${ms}"`, ms],
		['s number', `${ms / 1000}`, ms],
		['s text with µs', `"${(ms - 123) / 1000}.123456"`, ms + 0.456]
	];

	it('auto and explicit units give the same epoch ms', () => {
		for (const [label, stamp, expected] of stamps) {
			const unit = label.split(' ')[0].replace('µs', 'us') as FeedMapping['timeUnit'];
			for (const timeUnit of ['auto', unit] as const) {
				const sink = decode(record(IDS[0], 1, stamp), { ...byDevice, timeUnit });
				expect(sink.ticks[0].t, `${label} as ${timeUnit}`).toBe(expected);
			}
		}
	});

	it('1,000 random ns stamps through the decoder: the double nearest the exact ms, not Number(ns) / 1e6', () => {
		const rng = new Random(21);
		let twiceRounded = 0;
		for (let i = 0; i < 1000; i++) {
			const ms = T0 + rng.int(3_600_000);
			const sub = String(rng.int(1_000_000)).padStart(6, '0');
			const sink = decode(record(IDS[i % 3], 1, rng.int(2) === 0 ? `${ms}${sub}` : `"${ms}${sub}"`));
			expect(sink.ticks[0].t, `${ms}${sub}`).toBe(Number(`${ms}.${sub}`));
			if (Number(`${ms}${sub}`) / 1e6 !== Number(`${ms}.${sub}`)) twiceRounded++;
		}
		// The naive conversion would have been off by a step (~0.24 µs) this often.
		expect(twiceRounded).toBeGreaterThan(100);
	});

	it('CSV: a ns first column is exact too', () => {
		const sink = new RecordingSink();
		decodeFrame(`${TS_NS},1.5\n`, { format: 'csv', records: '', time: 'first', timeUnit: 'auto', keys: [], values: ['value'] }, ARRIVAL, sink);
		expect(sink.ticks).toEqual([{ key: 'value', t: TS_MS, v: 1.5, truth: undefined }]);
	});
});

describe('detection', () => {
	const frames = Array.from({ length: 20 }, (_, k) => {
		const id = IDS[k % 3];
		// order and trace are 20-digit integers that vary (no counter): ids, never value fields.
		return `{"device": ${id}, "ts": ${T0 + k}${String(k).padStart(3, '0')}000, "order": ${98765432109876543210n + BigInt(((k * 7919) % 101) * 1000)}, "trace": ${11111111111111111111n * BigInt(1 + (k % 5))}, "temp": ${20 + (k % 4) / 2}}`;
	});

	it('names series by a 20-digit device id, reads ns time, and takes no long integer as a value', () => {
		const { mapping, notes } = detectMapping(frames, { now: ARRIVAL });
		expect(mapping).toMatchObject({ time: 'ts', timeUnit: 'ns', keys: ['device'], values: ['temp'] });
		expect(notes).toContain('time from "ts" (ns)');
		const sink = new RecordingSink();
		for (const frame of frames) decodeFrame(frame, mapping, ARRIVAL, sink);
		expect(Object.keys(sink.counts()).sort()).toEqual(IDS.map((id) => `${id}/temp`).sort());
		expect(sink.ticks[1].t).toBe(Number(`${T0 + 1}.001`));
	});

	it('a 16-digit stamp (no scanning needed) is read as µs', () => {
		const us = detectMapping([0, 1, 2].map((k) => `{"ts": ${T0 + k}123, "v": ${k}}`), { now: ARRIVAL });
		expect(us.mapping.timeUnit).toBe('us');
	});
});
