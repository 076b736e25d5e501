import { describe, expect, it } from 'vitest';
import { decodeFrame } from './decoder';
import { RecordingSink, SAMPLE_ARRIVAL_MS } from './decode-testing';
import { detectMapping } from './detect';
import { parsePath, readPath } from './field-path';
import type { FeedMapping } from './mapping';

describe('parsePath', () => {
	it('splits dotted paths and accepts the empty path', () => {
		expect(parsePath('data.p')).toEqual(['data', 'p']);
		expect(parsePath('trace.sensors.0.value')).toEqual(['trace', 'sensors', '0', 'value']);
		expect(parsePath('')).toEqual([]);
	});

	it('refuses prototype segments, empty segments and over-long paths', () => {
		for (const bad of ['__proto__', 'a.__proto__.b', 'constructor', 'x.constructor.prototype', 'prototype', 'a..b', '.a', 'a.']) {
			expect(parsePath(bad), bad).toBeNull();
		}
		expect(parsePath('a.'.repeat(16) + 'a')).toBeNull();
		expect(parsePath('a'.repeat(201))).toBeNull();
	});
});

describe('readPath', () => {
	const doc = JSON.parse('{"data":{"p":"1.5","list":[{"v":1},{"v":2}]},"n":null}') as unknown;

	it('reads nested own properties and array indices', () => {
		expect(readPath(doc, ['data', 'p'])).toBe('1.5');
		expect(readPath(doc, ['data', 'list', '1', 'v'])).toBe(2);
		expect(readPath(doc, [])).toBe(doc);
	});

	it('returns undefined past missing steps, primitives and bad indices', () => {
		expect(readPath(doc, ['data', 'missing', 'x'])).toBeUndefined();
		expect(readPath(doc, ['n', 'x'])).toBeUndefined();
		expect(readPath(doc, ['data', 'p', 'length'])).toBeUndefined();
		expect(readPath(doc, ['data', 'list', '2'])).toBeUndefined();
		expect(readPath(doc, ['data', 'list', '01'])).toBeUndefined();
		expect(readPath(doc, ['data', 'list', 'length'])).toBeUndefined();
	});

	it('never reads inherited properties, even with hand-built segments', () => {
		expect(readPath({}, ['toString'])).toBeUndefined();
		expect(readPath({}, ['constructor'])).toBeUndefined();
		expect(readPath({}, ['__proto__'])).toBeUndefined();
		expect(readPath(JSON.parse('{"__proto__":{"x":1}}'), ['__proto__', 'x'])).toBeUndefined();
	});
});

describe('prototype pollution', () => {
	const crafted = [
		'{"__proto__":{"polluted":"yes","p":"1"},"constructor":{"prototype":{"polluted":"yes"}},"s":"X","p":"2"}',
		'[{"__proto__":{"polluted":"yes"}},{"s":{"__proto__":{"polluted":"yes"}},"p":3}]',
		'{"data":[{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},"id":1,"v":4}]}'
	];

	it('a mapping through __proto__ is a bad path, not a read', () => {
		const sink = new RecordingSink();
		const mapping: FeedMapping = { format: 'json', records: '', time: '', timeUnit: 'auto', keys: [], values: [] };
		decodeFrame(crafted[0], { ...mapping, values: ['__proto__.p'] }, SAMPLE_ARRIVAL_MS, sink);
		decodeFrame(crafted[0], { ...mapping, values: ['p'], keys: ['constructor.prototype.polluted'] }, SAMPLE_ARRIVAL_MS, sink);
		expect(sink.reasons()).toEqual(['bad-path', 'bad-path']);
		expect(sink.ticks).toEqual([]);
	});

	it('decoding and detecting crafted frames leaves Object.prototype clean', () => {
		const sink = new RecordingSink();
		const result = detectMapping(crafted, { usePresets: false });
		for (const frame of crafted) {
			decodeFrame(frame, result.mapping, SAMPLE_ARRIVAL_MS, sink);
			decodeFrame(frame, { format: 'json', records: '', time: '', timeUnit: 'auto', keys: ['s'], values: ['p'] }, SAMPLE_ARRIVAL_MS, sink);
		}
		expect(JSON.stringify(result.mapping)).not.toMatch(/__proto__|constructor|prototype/);
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
		expect(Object.prototype).not.toHaveProperty('polluted');
		// An object-valued key is named '?', never stringified.
		expect(sink.ticks.map((t) => t.key)).toContain('?/p');
	});
});
