import { describe, expect, it } from 'vitest';
import { Random } from '../simulator/random';
import { createDecoder, decodeFrame, type DecodeSink } from './decoder';
import { feedFiles, feedFrames, RecordingSink, SAMPLE_ARRIVAL_MS, SAMPLE_START_MS } from './decode-testing';
import { detectMapping } from './detect';
import type { FeedMapping } from './mapping';
import { PRESETS } from './presets';

/** Fragments spliced into frames: JSON syntax, prototype names, odd numbers, lone surrogates. */
const PIECES = [
	...['{', '}', '[', ']', '"', ':', ',', '\\', '\n', ' ', '-', '.', 'e'],
	...['__proto__', 'constructor', 'toString', 'NaN', '1e999', '0x1', 'null', 'true', '\u0000', '\ud800', '€']
];

const HOSTILE_KEYS = ['{"toString":1}', '"\\u0000"', '[1]', 'null', `"${'x'.repeat(500)}"`];
const HOSTILE_VALUES = ['"NaN"', '1e999', '"1e999"', '{}', '"-0"', '""'];
const HOSTILE_TIMES = ['"x"', '1e300', '-1', 'null', '[]'];

function junk(rng: Random, valid: string[]): string | ArrayBuffer {
	const base = valid[rng.int(valid.length)];
	switch (rng.int(6)) {
		case 0: // truncated
			return base.slice(0, rng.int(base.length));
		case 1: {
			// pieces spliced in
			let s = base;
			for (let i = rng.int(5) + 1; i > 0; i--) {
				const at = rng.int(s.length + 1);
				s = s.slice(0, at) + PIECES[rng.int(PIECES.length)] + s.slice(at + rng.int(3));
			}
			return s;
		}
		case 2: // random bytes, often invalid UTF-8
			return new Uint8Array(Array.from({ length: rng.int(200) }, () => rng.int(256))).buffer;
		case 3: // random pieces
			return Array.from({ length: rng.int(40) }, () => PIECES[rng.int(PIECES.length)]).join('');
		case 4: // deep nesting (a dedicated test goes to 500k levels)
			return '['.repeat(rng.int(2000)) + '{"p":1}' + ']'.repeat(rng.int(2000));
		default: {
			// Hostile values in a valid shape.
			const s = HOSTILE_KEYS[rng.int(HOSTILE_KEYS.length)];
			const p = HOSTILE_VALUES[rng.int(HOSTILE_VALUES.length)];
			const t = HOSTILE_TIMES[rng.int(HOSTILE_TIMES.length)];
			return `{"e":"trade","s":${s},"p":${p},"T":${t},"q":"1"}`;
		}
	}
}

describe('decoder fuzz', () => {
	it('never throws on broken frames and passes every valid tick through (seeded)', () => {
		const rng = new Random(20261120);
		const mapping: FeedMapping = {
			format: 'json',
			records: '',
			time: 'T',
			timeUnit: 'auto',
			keys: ['s'],
			values: ['p', 'q'],
			filter: { path: 'e', equals: 'trade' }
		};
		const decoder = createDecoder({ mapping });
		const templates: string[] = [];
		let frameIndex = -1;
		const ticksByFrame = new Map<number, [string, number, number][]>();
		const sink: DecodeSink = {
			tick: (key, t, v, truth) => {
				expect(Number.isFinite(v) && Number.isFinite(t) && truth === undefined && key.length <= 100).toBe(true);
				const list = ticksByFrame.get(frameIndex) ?? [];
				list.push([key, t, v]);
				ticksByFrame.set(frameIndex, list);
			},
			reject: () => undefined,
			usedArrivalTime: () => undefined
		};
		const expected = new Map<number, [string, number, number][]>();
		for (frameIndex = 0; frameIndex < 5000; frameIndex++) {
			if (templates.length === 0 || rng.next() < 0.4) {
				const symbol = `SYM${rng.int(20)}`;
				const t = SAMPLE_START_MS + rng.int(3_600_000);
				const p = Math.round(rng.next() * 1e6) / 100;
				const q = rng.int(1000) / 1000;
				const frame = `{"e":"trade","E":${t + 1},"s":"${symbol}","p":"${p}","q":"${q}","T":${t}}`;
				templates.push(frame);
				expected.set(frameIndex, [
					[`${symbol}/p`, t, p],
					[`${symbol}/q`, t, q]
				]);
				decoder.decode(rng.next() < 0.2 ? new TextEncoder().encode(frame).buffer : frame, SAMPLE_ARRIVAL_MS, sink);
			} else {
				expect(() => decoder.decode(junk(rng, templates), SAMPLE_ARRIVAL_MS, sink)).not.toThrow();
			}
		}
		expect(expected.size).toBeGreaterThan(1500);
		for (const [index, ticks] of expected) expect(ticksByFrame.get(index), `frame ${index}`).toEqual(ticks);
	});

	it('never throws with detected and preset mappings over mutated sample frames', () => {
		const rng = new Random(7);
		const mappings = [
			...PRESETS.map((p) => p.mapping),
			...feedFiles().map((f) => detectMapping(feedFrames(f).slice(0, 50), { usePresets: false }).mapping)
		];
		const frames = feedFiles().flatMap((f) => feedFrames(f).slice(0, 40));
		const sink = new RecordingSink();
		for (let i = 0; i < 4000; i++) {
			const mapping = mappings[rng.int(mappings.length)];
			expect(() => decodeFrame(junk(rng, frames), mapping, SAMPLE_ARRIVAL_MS, sink)).not.toThrow();
		}
		for (let i = 0; i < 200; i++) {
			const samples = Array.from({ length: rng.int(10) + 1 }, () => junk(rng, frames));
			expect(() => detectMapping(samples)).not.toThrow();
		}
		expect(sink.rejects.length).toBeGreaterThan(0);
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});

	it('survives 500k levels of nesting', () => {
		const sink = new RecordingSink();
		const mapping = detectMapping(feedFrames('iot-flat.jsonl')).mapping;
		const deep = '['.repeat(500_000) + ']'.repeat(500_000);
		expect(() => decodeFrame(deep, mapping, SAMPLE_ARRIVAL_MS, sink)).not.toThrow();
		expect(() => decodeFrame('{"a":'.repeat(200_000), mapping, SAMPLE_ARRIVAL_MS, sink)).not.toThrow();
		expect(() => detectMapping([deep])).not.toThrow();
	});
});
