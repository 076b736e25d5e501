import { describe, expect, it } from 'vitest';
import type { SeriesInfo } from '../domain/series';
import { decodeFrame } from '../sources/parsers/decoder';
import { feedFrames, RecordingSink, SAMPLE_ARRIVAL_MS } from '../sources/parsers/decode-testing';
import { detectMapping } from '../sources/parsers/detect';
import { defaultSensorGroup, deviceGroup, deviceGroups, sensorLayout } from './sensor-layout';
import { FLAG_RECENT_MS, isStale, sensorDomain, sensorReading, STALE_MS } from './sensor-layout-readings';
import { closedCurvePath, deviceShapes, packTiles } from './sensor-layout-shapes';

const GAIT = ['left-heel', 'left-midfoot', 'left-toe', 'right-heel', 'right-midfoot', 'right-toe'];
const gaitKeys = (patient: string): string[] => GAIT.map((s) => `sim/gait/${patient}/${s}`);
/** What the engine makes of the foot-pressure feed: `feed/<feed>/<patient>/<sensor>/value`. */
const feedKeys = (patient: number, feed = 'f1'): string[] => [0, 1, 2, 3, 4, 5].map((s) => `feed/${feed}/${patient}/${s}/value`);

const infos = (keys: string[]): SeriesInfo[] => keys.map((key, id) => ({ id, key, label: key, source: 'test', unit: '', kind: 'sensor' }));

describe('sensorLayout', () => {
	it('lays a gait patient out as two feet of heel, midfoot and toe', () => {
		const [device, ...rest] = sensorLayout(gaitKeys('P01'));
		expect(rest).toEqual([]);
		expect(device.name).toBe('P01');
		expect(device.kind).toBe('feet');
		expect(device.cells.map((c) => `${c.index}:${c.side}-${c.region}:${c.label}`)).toEqual([
			'0:left-heel:heel',
			'1:left-midfoot:midfoot',
			'2:left-toe:toe',
			'3:right-heel:heel',
			'4:right-midfoot:midfoot',
			'5:right-toe:toe'
		]);
	});

	it('keeps patients apart, in the order their keys come, whatever order the sensors are in', () => {
		const keys = [...gaitKeys('P02').reverse(), ...gaitKeys('P01')];
		const devices = sensorLayout(keys);
		expect(devices.map((d) => `${d.name}:${d.kind}:${d.cells.length}`)).toEqual(['P02:feet:6', 'P01:feet:6']);
		expect(devices[0].cells[0]).toMatchObject({ index: 0, side: 'right', region: 'toe' });
		expect(devices[1].cells[0]).toMatchObject({ index: 6, side: 'left', region: 'heel' });
	});

	it('draws part of a gait device as feet too', () => {
		const devices = sensorLayout(gaitKeys('P01').slice(0, 3));
		expect(devices[0].kind).toBe('feet');
		expect(devices[0].cells.map((c) => c.side)).toEqual(['left', 'left', 'left']);
	});

	it('reads the foot-pressure feed ids 0–2 as the left heel, midfoot, toe and 3–5 as the right', () => {
		const devices = sensorLayout([...feedKeys(12), ...feedKeys(7)]);
		expect(devices.map((d) => `${d.name}:${d.kind}`)).toEqual(['12:feet', '7:feet']);
		expect(devices[1].cells.map((c) => `${c.index}:${c.side}-${c.region}`)).toEqual([
			'6:left-heel',
			'7:left-midfoot',
			'8:left-toe',
			'9:right-heel',
			'10:right-midfoot',
			'11:right-toe'
		]);
	});

	it('takes the keys the decoder makes of the real foot-pressure sample as two patients', () => {
		const frames = feedFrames('foot-pressure.jsonl');
		const sink = new RecordingSink();
		const { mapping } = detectMapping(frames.slice(0, 50), { now: SAMPLE_ARRIVAL_MS });
		for (const frame of frames) decodeFrame(frame, mapping, SAMPLE_ARRIVAL_MS, sink);
		// The engine names a feed's series `feed/<feed id>/<decoder key>` (engine.ts, onFeedTick).
		const keys = Object.keys(sink.counts()).map((k) => `feed/f1/${k}`);
		const devices = sensorLayout(keys);
		expect(devices.map((d) => `${d.name}:${d.kind}:${d.cells.length}`).sort()).toEqual(['12:feet:6', '7:feet:6']);
		const all = infos(keys);
		expect(deviceGroup(all, keys[0]).series).toHaveLength(6);
	});

	it('falls back to a grid in series order for anything else', () => {
		const markets = sensorLayout(['sim/ACME', 'sim/BOLT', 'sim/CRUX']);
		expect(markets).toEqual([
			{
				name: 'sim',
				kind: 'grid',
				cells: [
					{ index: 0, label: 'ACME' },
					{ index: 1, label: 'BOLT' },
					{ index: 2, label: 'CRUX' }
				]
			}
		]);
		// Four numbered channels are not a pair of feet, nor is a repeated or a seventh sensor.
		expect(sensorLayout(feedKeys(3).slice(0, 4))[0].kind).toBe('grid');
		expect(sensorLayout([...gaitKeys('P01'), 'sim/gait/P01/left-heel'])[0].kind).toBe('grid');
		expect(sensorLayout([...gaitKeys('P01'), 'sim/gait/P01/left-arch'])[0].kind).toBe('grid');
		expect(sensorLayout(['station/7/temperature', 'station/7/humidity'])).toMatchObject([{ name: '7', kind: 'grid' }]);
		expect(sensorLayout([])).toEqual([]);
	});

	it('takes hostile names as plain labels', () => {
		const devices = sensorLayout(['feed/x/<img src=x onerror=alert(1)>/a', 'feed/x/<img src=x onerror=alert(1)>/b']);
		expect(devices[0].name).toBe('<img src=x onerror=alert(1)>');
		expect(devices[0].cells.map((c) => c.label)).toEqual(['a', 'b']);
	});
});

describe('deviceGroup', () => {
	const all = infos([...gaitKeys('P01'), ...gaitKeys('P02'), ...feedKeys(12), ...feedKeys(7), 'sim/ACME', 'feed/f1/BTCUSDT/p', 'feed/f1/BTCUSDT/q']);

	it('finds one gait patient from any of its sensors', () => {
		const group = deviceGroup(all, 'sim/gait/P02/right-toe');
		expect(group.name).toBe('P02');
		expect(group.series.map((s) => s.key)).toEqual(gaitKeys('P02'));
	});

	it('finds a foot-pressure patient one level up from its sensors', () => {
		const group = deviceGroup(all, 'feed/f1/7/3/value');
		expect(group.name).toBe('7');
		expect(group.series.map((s) => s.key)).toEqual(feedKeys(7));
		expect(sensorLayout(group.series.map((s) => s.key))[0].kind).toBe('feet');
	});

	it('keeps a gait group of six with many patients (siblings before cousins)', () => {
		const many = infos(Array.from({ length: 10 }, (_, p) => gaitKeys(`P${String(p + 1).padStart(2, '0')}`)).flat());
		expect(deviceGroup(many, 'sim/gait/P07/left-toe').series).toHaveLength(6);
	});

	it('groups other series by their prefix', () => {
		expect(deviceGroup(all, 'feed/f1/BTCUSDT/q').series.map((s) => s.key)).toEqual(['feed/f1/BTCUSDT/p', 'feed/f1/BTCUSDT/q']);
		expect(deviceGroup(all, 'sim/ACME').series.map((s) => s.key)).toEqual(['sim/ACME']);
		expect(deviceGroup(all, 'nope')).toEqual({ name: '', series: [] });
	});

	it('starts an unnamed sensor panel on the first pair of feet', () => {
		expect(defaultSensorGroup(all).map((s) => s.key)).toEqual(gaitKeys('P01'));
		expect(defaultSensorGroup(infos(['x/a', 'x/b', ...feedKeys(4)])).map((s) => s.key)).toEqual(feedKeys(4));
		expect(defaultSensorGroup(infos(['x/a', 'x/b'])).map((s) => s.key)).toEqual(['x/a', 'x/b']);
		expect(defaultSensorGroup([])).toEqual([]);
	});

	it('lists every group of two or more', () => {
		expect(deviceGroups(all).map((g) => `${g.name}:${g.series.length}`)).toEqual(['P01:6', 'P02:6', '12:6', '7:6', 'BTCUSDT:2']);
	});
});

describe('sensor shapes', () => {
	it('packs tiles as large as the box allows', () => {
		expect(packTiles(2, 400, 200, 1)).toEqual({ cols: 2, rows: 1, w: 200, h: 200 });
		expect(packTiles(2, 200, 400, 1)).toEqual({ cols: 1, rows: 2, w: 200, h: 200 });
		expect(packTiles(6, 300, 200, 1)).toMatchObject({ cols: 3, rows: 2, h: 100 });
	});

	it('draws a closed outline', () => {
		const d = closedCurvePath([
			[0, 0],
			[10, 0],
			[10, 10]
		]);
		expect(d.startsWith('M0 0C')).toBe(true);
		expect(d.match(/C/g)).toHaveLength(3);
		expect(d.endsWith('0 0Z')).toBe(true);
	});

	it('places each foot region inside the box, left foot on the left, heel below toe', () => {
		const [device] = deviceShapes(sensorLayout(gaitKeys('P01')), 400, 300);
		expect(device.feet.map((f) => f.side)).toEqual(['left', 'right']);
		const byName = new Map(device.cells.map((c) => [`${c.side}-${c.label}`, c]));
		for (const c of device.cells) {
			expect(c.cx - c.w / 2).toBeGreaterThanOrEqual(0);
			expect(c.cx + c.w / 2).toBeLessThanOrEqual(400);
			expect(c.cy - c.h / 2).toBeGreaterThanOrEqual(0);
			expect(c.cy + c.h / 2).toBeLessThanOrEqual(300);
			expect(c.font).toBeGreaterThanOrEqual(10);
		}
		expect(byName.get('left-heel')!.cx).toBeLessThan(200);
		expect(byName.get('right-heel')!.cx).toBeGreaterThan(200);
		expect(byName.get('left-heel')!.cy).toBeGreaterThan(byName.get('left-toe')!.cy);
		// Mirror images: the regions sit at the same height on both feet.
		expect(byName.get('right-midfoot')!.cy).toBeCloseTo(byName.get('left-midfoot')!.cy);
	});

	it('lays a grid out row by row without overlaps', () => {
		const [device] = deviceShapes(sensorLayout(['a/1', 'a/2', 'a/3', 'a/4', 'a/5']), 500, 200);
		const cells = device.cells;
		expect(cells.map((c) => c.index)).toEqual([0, 1, 2, 3, 4]);
		for (let i = 0; i < cells.length; i++) {
			for (let j = i + 1; j < cells.length; j++) {
				const apart = Math.abs(cells[i].cx - cells[j].cx) >= (cells[i].w + cells[j].w) / 2 || Math.abs(cells[i].cy - cells[j].cy) >= (cells[i].h + cells[j].h) / 2;
				expect(apart, `${i} and ${j}`).toBe(true);
			}
		}
		expect(deviceShapes([], 100, 100)).toEqual([]);
		expect(deviceShapes(sensorLayout(['a/1']), 0, 100)).toEqual([]);
	});
});

describe('sensor readings', () => {
	const series = (ts: number[], vs: number[], flags: number[] = []) => ({ window: { xs: ts, ys: vs }, anomalies: flags.map((t) => ({ t })) });

	it('reads the newest tick', () => {
		expect(sensorReading(series([1, 2, 3], [10, 20, 30]))).toEqual({ value: 30, t: 3, flagged: false });
		expect(sensorReading(series([], []))).toMatchObject({ flagged: false });
		expect(sensorReading(undefined).value).toBeNaN();
	});

	it('outlines a flag on the newest tick or within the last 2 s of ticks, by tick time', () => {
		const t = 1_700_000_000_000;
		expect(sensorReading(series([t - 10, t], [1, 2], [t])).flagged).toBe(true);
		expect(sensorReading(series([t - 5000, t], [1, 2], [t - FLAG_RECENT_MS])).flagged).toBe(true);
		expect(sensorReading(series([t - 5000, t], [1, 2], [t - FLAG_RECENT_MS - 1])).flagged).toBe(false);
		// Oldest first: an old flag before a recent one does not hide it.
		expect(sensorReading(series([t - 9000, t], [1, 2], [t - 9000, t - 100])).flagged).toBe(true);
	});

	it('calls a sensor stale when its device ticks on without it', () => {
		const r = sensorReading(series([1000, 5000], [1, 2]));
		expect(isStale(r, 5000)).toBe(false);
		expect(isStale(r, 5000 + STALE_MS)).toBe(false);
		expect(isStale(r, 5001 + STALE_MS)).toBe(true);
		expect(isStale(sensorReading(undefined), 9e12)).toBe(false);
	});

	it('scales a group from its lowest to its highest value, or from 0 for pressure', () => {
		const group = [series([1, 2], [100, 900]), series([1], [1023]), undefined];
		expect(sensorDomain(group, true)).toEqual({ lo: 0, hi: 1023 });
		expect(sensorDomain(group)).toEqual({ lo: 100, hi: 1023 });
		expect(sensorDomain([series([1, 2], [-5, 3])], true)).toEqual({ lo: -5, hi: 3 });
		expect(sensorDomain([series([1, 2], [Number.NaN, 7])])).toEqual({ lo: 7, hi: 8 });
		expect(sensorDomain([series([1, 2], [Number.NaN, 0])], true)).toEqual({ lo: 0, hi: 1 });
		expect(sensorDomain([])).toEqual({ lo: 0, hi: 1 });
	});
});
