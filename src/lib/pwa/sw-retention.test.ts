import { describe, expect, it } from 'vitest';
import { planRetention, upsertRecord, type VersionRecord } from './sw-retention';

const v = (version: string, installedAt: number, files: string[] = [`/_app/immutable/${version}.js`]): VersionRecord => ({ version, files, installedAt });
const names = (records: VersionRecord[]) => records.map((r) => r.version);

describe('planRetention', () => {
	const a = v('a', 1);
	const b = v('b', 2);
	const c = v('c', 3);
	const d = v('d', 4);

	it('keeps the active version and the one before it', () => {
		const { keep, drop } = planRetention([a, b, c], 'c', new Set());
		expect(names(keep)).toEqual(['b', 'c']);
		expect(names(drop)).toEqual(['a']);
	});

	it('keeps an older version while a window still runs it', () => {
		expect(names(planRetention([a, b, c, d], 'd', new Set(['a'])).keep)).toEqual(['a', 'c', 'd']);
	});

	it('keeps versions installed after the active one (waiting or installing)', () => {
		expect(names(planRetention([d, c, b, a], 'b', new Set()).keep)).toEqual(['a', 'b', 'c', 'd']);
	});

	it('keeps everything when the active version has no record', () => {
		expect(names(planRetention([a, b, c], 'x', new Set()).keep)).toEqual(['a', 'b', 'c']);
	});

	it('orders by install time, a migrated Workbox cache (0) first', () => {
		const legacy = v('workbox:old', 0);
		expect(names(planRetention([b, legacy, a], 'a', new Set()).keep)).toEqual(['workbox:old', 'a', 'b']);
		expect(names(planRetention([b, legacy, a], 'b', new Set()).keep)).toEqual(['a', 'b']);
	});
});

describe('upsertRecord', () => {
	it('adds a new version and replaces a reinstalled one in its original place', () => {
		const records = upsertRecord([v('a', 1), v('b', 2)], v('c', 3));
		expect(names(records)).toEqual(['a', 'b', 'c']);
		const again = upsertRecord(records, v('a', 9, ['/_app/immutable/a2.js']));
		expect(again.find((r) => r.version === 'a')).toEqual({ version: 'a', installedAt: 1, files: ['/_app/immutable/a2.js'] });
	});
});
