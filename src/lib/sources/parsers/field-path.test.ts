import { describe, expect, it } from 'vitest';
import { decodeFrame } from './decoder';
import { RecordingSink, SAMPLE_ARRIVAL_MS } from './decode-testing';
import { detectMapping } from './detect';
import { isSafeSegment, parsePath, readPath, spellsPrototypeKey } from './field-path';
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

	// Every way a path could spell a prototype key for some lenient reader (the rule in field-path.ts).
	const SPELLINGS = [
		// case
		'__PROTO__', 'Constructor', 'PROTOTYPE', 'a.ConStructor.b',
		// escapes: JSON/JS, URL (also double-encoded and multi-byte), HTML
		'__pro\\u0074o__', '\\u005f\\u005fproto\\u005f\\u005f', '\\u{63}onstructor', 'proto\\x74ype', '\\\\u005f_proto__',
		'%5F%5Fproto%5F%5F', '%255F%255Fproto%255F%255F', 'constructo%72', '%EF%BC%BF%EF%BC%BFproto__',
		'&#95;&#95;proto&#95;&#95;', 'proto&#x74;ype', '&#x63onstructor',
		// bracket and quote syntax
		'a["__proto__"]', "a['constructor']['prototype']", 'a[constructor]', '["prototype"]', '$..constructor', 'a/__proto__/b',
		// whitespace, invisible and look-alike forms
		' __proto__ ', '\tconstructor\n', 'proto type', 'con structor', '\\_\\_proto\\_\\_',
		'constru\u200bctor', '\ufeffprototype', 'proto\u00adtype', 'co\u0301nstructor', '__pro\u0000to__', 'pro\\u0000totype',
		'＿＿ｐｒｏｔｏ＿＿', 'ｃｏｎｓｔｒｕｃｔｏｒ', 'ℙrototype', 'my-prototype'
	];

	it('refuses __proto__, constructor and prototype in any spelling', () => {
		for (const path of SPELLINGS) {
			expect(spellsPrototypeKey(path), JSON.stringify(path)).toBe(true);
			expect(parsePath(path), JSON.stringify(path)).toBeNull();
			expect(parsePath(`data.${path}.p`), JSON.stringify(path)).toBeNull();
			expect(parsePath(`$.${path}`), JSON.stringify(path)).toBeNull();
		}
		// Detection never proposes a feed key that spells one either.
		for (const key of ['__PROTO__', 'Constructor', '%5F%5Fproto%5F%5F', ' prototype']) expect(isSafeSegment(key), key).toBe(false);
	});

	it('still accepts names that only contain the words inside a longer word, or look-alikes', () => {
		for (const path of ['prototype_id', 'constructorName', 'proto', 'data.__pro.to__', 'proto-type', 'prоto', 'Прототип', 'a.%41', 'x\\y', 'BTC€', 'a["b"]']) {
			expect(parsePath(path), JSON.stringify(path)).not.toBeNull();
		}
		expect(parsePath('data.list.0.v')).toEqual(['data', 'list', '0', 'v']);
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
