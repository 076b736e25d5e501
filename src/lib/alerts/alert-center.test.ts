import { describe, expect, it } from 'vitest';
import {
	AlertCenter,
	groupBody,
	groupSummary,
	groupTitle,
	MAX_GROUPS,
	MAX_NAMED_SERIES,
	MAX_TRACKED_SERIES,
	shortName,
	type AlertFlag
} from './alert-center';

const INTERVAL_MS = 30_000;

/** A fake clock the center reads; tests move it by hand. */
function clock(start = 1_000_000) {
	let now = start;
	return { now: () => now, advance: (ms: number) => (now += ms), set: (t: number) => (now = t) };
}

function flag(label: string, t = 0, seriesId = label.charCodeAt(0)): AlertFlag {
	return { seriesId, seriesKey: `sim/${label}`, label, t };
}

function setup(options: { minIntervalMs?: number; series?: string[] } = {}) {
	const time = clock();
	const center = new AlertCenter({ now: time.now, minIntervalMs: options.minIntervalMs ?? INTERVAL_MS, series: options.series });
	return { time, center };
}

describe('AlertCenter rate limit', () => {
	it('delivers the first flag at once', () => {
		const { center } = setup();
		const group = center.push([flag('BTC', 5)]);
		expect(group).toMatchObject({ id: 1, count: 1, seriesCount: 1, from: 5, to: 5 });
		expect(center.pending).toBeNull();
		expect(center.dueAt).toBeNull();
	});

	it('collects flags while cooling down and delivers them as one group when the interval has passed', () => {
		const { time, center } = setup();
		center.push([flag('BTC')]);
		const sentAt = time.now();
		for (let i = 0; i < 7; i++) {
			time.advance(1000);
			expect(center.push([flag(i % 2 ? 'ETH' : 'SOL', i)])).toBeNull();
		}
		expect(center.pending).toEqual({ count: 7, seriesCount: 2 });
		expect(center.dueAt).toBe(sentAt + INTERVAL_MS);
		time.set(sentAt + INTERVAL_MS - 1);
		expect(center.poll()).toBeNull();
		// Exactly the interval after the last delivery: due.
		time.set(sentAt + INTERVAL_MS);
		const group = center.poll();
		expect(group).toMatchObject({ id: 2, count: 7, seriesCount: 2, from: 0, to: 6 });
		expect(center.poll()).toBeNull();
		expect(center.groups.map((g) => g.id)).toEqual([2, 1]);
	});

	it('a burst in one push is one group', () => {
		const { center } = setup();
		const burst = Array.from({ length: 500 }, (_, i) => flag(['A', 'B', 'C'][i % 3], i));
		const group = center.push(burst);
		expect(group).toMatchObject({ count: 500, seriesCount: 3 });
		expect(center.groups).toHaveLength(1);
	});

	it('a steady stream of flags gives at most one group per interval', () => {
		const { time, center } = setup({ minIntervalMs: 10_000 });
		const delivered: number[] = [];
		// 10 minutes, a flag every 250 ms, the caller polling every 250 ms like a timer would.
		for (let ms = 0; ms <= 600_000; ms += 250) {
			const group = center.push([flag('BTC', ms)]);
			if (group) delivered.push(time.now());
			time.advance(250);
		}
		expect(delivered).toHaveLength(61);
		for (let i = 1; i < delivered.length; i++) expect(delivered[i] - delivered[i - 1]).toBeGreaterThanOrEqual(10_000);
		expect(center.groups.reduce((n, g) => n + g.count, 0)).toBeLessThanOrEqual(2401);
	});

	it('a flag after a quiet period goes at once, not at the next interval boundary', () => {
		const { time, center } = setup();
		center.push([flag('BTC')]);
		time.advance(INTERVAL_MS * 3 + 123);
		expect(center.push([flag('ETH')])).toMatchObject({ count: 1, id: 2 });
	});

	it('a flag exactly one interval after the last group goes at once; one ms earlier it waits', () => {
		const { time, center } = setup();
		center.push([flag('BTC')]);
		time.advance(INTERVAL_MS - 1);
		expect(center.push([flag('ETH')])).toBeNull();
		time.advance(1);
		expect(center.push([flag('SOL')])).toMatchObject({ count: 2, seriesCount: 2 });
	});

	it('a late poll delivers the collected flags with the new ones in one group', () => {
		const { time, center } = setup();
		center.push([flag('BTC')]);
		time.advance(1000);
		center.push([flag('ETH')]);
		time.advance(INTERVAL_MS * 2);
		expect(center.push([flag('SOL')])).toMatchObject({ count: 2, seriesCount: 2 });
		expect(center.pending).toBeNull();
	});

	it('the interval counts from the last delivery, so a group delivered late starts a new cooldown', () => {
		const { time, center } = setup();
		center.push([flag('BTC')]);
		time.advance(INTERVAL_MS + 5000);
		center.push([flag('ETH')]);
		const second = time.now();
		time.advance(1000);
		expect(center.push([flag('SOL')])).toBeNull();
		expect(center.dueAt).toBe(second + INTERVAL_MS);
	});

	it('a clock set back does not silence alerts until it catches up', () => {
		const { time, center } = setup();
		center.push([flag('BTC')]);
		time.advance(-3_600_000);
		expect(center.push([flag('ETH')])).toMatchObject({ count: 1 });
	});

	it('a longer interval applies to what is collected', () => {
		const { time, center } = setup({ minIntervalMs: 5000 });
		center.push([flag('BTC')]);
		center.push([flag('ETH')]);
		center.configure({ minIntervalMs: 60_000, series: [] });
		time.advance(5000);
		expect(center.poll()).toBeNull();
		time.advance(55_000);
		expect(center.poll()).toMatchObject({ count: 1 });
	});
});

describe('AlertCenter series filter', () => {
	it('only chosen series alert', () => {
		const { center } = setup({ series: ['sim/ETH'] });
		expect(center.push([flag('BTC'), flag('SOL')])).toBeNull();
		expect(center.pending).toBeNull();
		const group = center.push([flag('BTC'), flag('ETH'), flag('ETH')]);
		expect(group).toMatchObject({ count: 2, seriesCount: 1 });
		expect(group?.series.map((s) => s.label)).toEqual(['ETH']);
	});

	it('an empty choice means every series', () => {
		const { center } = setup({ series: [] });
		expect(center.push([flag('BTC'), flag('SOL')])).toMatchObject({ count: 2, seriesCount: 2 });
	});

	it('narrowing the choice drops collected flags of series no longer chosen', () => {
		const { time, center } = setup();
		center.push([flag('BTC')]);
		center.push([flag('ETH'), flag('SOL'), flag('SOL')]);
		center.configure({ minIntervalMs: INTERVAL_MS, series: ['sim/SOL'] });
		expect(center.pending).toEqual({ count: 2, seriesCount: 1 });
		center.configure({ minIntervalMs: INTERVAL_MS, series: ['sim/BTC'] });
		expect(center.pending).toBeNull();
		time.advance(INTERVAL_MS);
		expect(center.poll()).toBeNull();
	});

	it('series are told apart by id, matched by key', () => {
		const { center } = setup({ series: ['feed/x'] });
		const group = center.push([
			{ seriesId: 1, seriesKey: 'feed/x', label: 'same name', t: 1 },
			{ seriesId: 2, seriesKey: 'feed/y', label: 'same name', t: 2 }
		]);
		expect(group).toMatchObject({ count: 1, latestSeriesId: 1, latestLabel: 'same name' });
	});
});

describe('AlertCenter groups', () => {
	it('names the most flagged series first and points at the newest flag', () => {
		const { center } = setup();
		const group = center.push([flag('A', 1), flag('B', 2), flag('B', 3), flag('C', 9), flag('B', 4)]);
		expect(group?.series.map((s) => [s.label, s.count])).toEqual([
			['B', 3],
			['C', 1],
			['A', 1]
		]);
		expect(group?.latestSeriesId).toBe('C'.charCodeAt(0));
		expect(group).toMatchObject({ from: 1, to: 9 });
	});

	it('flags at the same tick time: the one that came last is the newest', () => {
		const { center } = setup();
		expect(center.push([flag('A', 5), flag('C', 5), flag('B', 5)])?.latestSeriesId).toBe('B'.charCodeAt(0));
	});

	it('narrowing the choice points the group at the newest flag left', () => {
		const { time, center } = setup();
		center.push([flag('X')]);
		center.push([flag('A', 1), flag('B', 3), flag('A', 2), flag('C', 9)]);
		center.configure({ minIntervalMs: INTERVAL_MS, series: ['sim/A', 'sim/B'] });
		time.advance(INTERVAL_MS);
		expect(center.poll()).toMatchObject({ count: 3, latestSeriesId: 'B'.charCodeAt(0), from: 1, to: 3 });
	});

	it('keeps at most MAX_GROUPS, newest first, and dismisses by id', () => {
		const { time, center } = setup();
		for (let i = 0; i < MAX_GROUPS + 15; i++) {
			center.push([flag('BTC', i)]);
			time.advance(INTERVAL_MS);
		}
		expect(center.groups).toHaveLength(MAX_GROUPS);
		expect(center.groups[0].id).toBe(MAX_GROUPS + 15);
		expect(center.groups.at(-1)?.id).toBe(16);
		center.dismiss(MAX_GROUPS + 15);
		expect(center.groups[0].id).toBe(MAX_GROUPS + 14);
		center.dismissAll();
		expect(center.groups).toEqual([]);
		// Ids keep increasing after a dismissal: the strip tells new from old by them.
		expect(center.push([flag('BTC')])?.id).toBe(MAX_GROUPS + 16);
	});

	it('names at most MAX_NAMED_SERIES series per group', () => {
		const { center } = setup();
		const flags = Array.from({ length: 50 }, (_, i) => flag(`S${i}`, i, i));
		const group = center.push(flags);
		expect(group?.seriesCount).toBe(50);
		expect(group?.series).toHaveLength(MAX_NAMED_SERIES);
	});

	it('memory stays bounded: flags of series past MAX_TRACKED_SERIES are only counted', () => {
		const { time, center } = setup();
		center.push([flag('first')]);
		time.advance(1);
		// A hostile feed: 100,000 series flagged while cooling down.
		for (let chunk = 0; chunk < 100; chunk++) {
			center.push(Array.from({ length: 1000 }, (_, i) => flag(`S${chunk * 1000 + i}`, chunk, chunk * 1000 + i)));
		}
		expect(center.pending).toEqual({ count: 100_000, seriesCount: MAX_TRACKED_SERIES });
		time.advance(INTERVAL_MS);
		const group = center.poll();
		expect(group).toMatchObject({ count: 100_000, seriesCount: MAX_TRACKED_SERIES, moreSeries: true, from: 0, to: 99 });
		expect(group?.series).toHaveLength(MAX_NAMED_SERIES);
		expect(groupTitle(group!)).toBe('100,000 anomalies on 1,000+ series');
		expect(center.pending).toBeNull();
	});
});

describe('alert text', () => {
	const time = (t: number) => `t${t}`;

	it('one series', () => {
		const { center } = setup();
		const group = center.push([flag('BTC price', 5)])!;
		expect(groupTitle(group)).toBe('1 anomaly on BTC price');
		expect(groupSummary(group)).toBe('1 anomaly on BTC price');
		expect(groupBody(group, time)).toBe('BTC price\nt5');
	});

	it('several series, with counts in the body', () => {
		const { center } = setup();
		const flags = [
			...Array.from({ length: 4 }, (_, i) => flag('BTC price', i)),
			flag('ETH price', 7),
			flag('ETH price', 8),
			flag('SOL price', 9)
		];
		const group = center.push(flags)!;
		expect(groupTitle(group)).toBe('7 anomalies on 3 series');
		expect(groupSummary(group)).toBe('7 anomalies on 3 series: BTC price, ETH price, SOL price');
		expect(groupBody(group, time)).toBe('BTC price (4), ETH price (2), SOL price (1)\nt0 – t9');
	});

	it('many series: the first few and how many more', () => {
		const { center } = setup();
		const group = center.push(Array.from({ length: 12 }, (_, i) => flag(`S${i}`, 0, i)))!;
		expect(groupSummary(group)).toBe('12 anomalies on 12 series: S0, S1, S2 and 9 more');
		expect(groupBody(group, time)).toMatch(/^(S\d+ \(1\), ){7}S\d+ \(1\) and 4 more\nt0$/);
	});

	it('long names are cut, whole characters only', () => {
		expect(shortName('x'.repeat(40))).toBe('x'.repeat(40));
		expect(shortName('x'.repeat(41))).toBe(`${'x'.repeat(39)}…`);
		expect(shortName('😀'.repeat(50), 3)).toBe('😀😀…');
		const { center } = setup();
		const group = center.push([flag('y'.repeat(500))])!;
		expect(groupTitle(group).length).toBeLessThan(60);
	});
});
