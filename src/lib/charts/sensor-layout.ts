import type { SeriesInfo } from '../domain/series';

/**
 * How a sensor heatmap lays out a group of series, from their keys alone (pure: no DOM).
 *
 * Two devices are recognised as a pair of feet, three regions each:
 * - the gait simulator: `sim/gait/<patient>/<left|right>-<heel|midfoot|toe>`;
 * - the foot-pressure feed, whose decoder keys a reading `<patient id>/<sensor id>/value`
 *   (the engine puts `feed/<feed id>/` in front). The feed does not say where sensors 0–5 sit;
 *   this assumes 0–2 are the left heel, midfoot and toe and 3–5 the right (see FEED_SENSORS).
 *   Its sample data loads them in the order 0, 5, 4, 3, 2, 1 around each stride, which fits no
 *   one assignment better than another.
 * Any other group is a grid of cells in series order.
 */

export type FootSide = 'left' | 'right';
export type FootRegion = 'heel' | 'midfoot' | 'toe';
export const FOOT_SIDES: readonly FootSide[] = ['left', 'right'];
export const FOOT_REGIONS: readonly FootRegion[] = ['heel', 'midfoot', 'toe'];

export interface SensorCell {
	/** Position of the series in the keys given. */
	index: number;
	/** Short name shown in the cell: `heel`, or the key's last distinct part for a grid. */
	label: string;
	/** Feet only. */
	side?: FootSide;
	region?: FootRegion;
}

export interface SensorDevice {
	/** The device (patient) name: the part of the keys that tells devices apart. */
	name: string;
	kind: 'feet' | 'grid';
	cells: SensorCell[];
}

/** Assumed positions of the foot-pressure feed's sensor ids 0–5 (the feed documents none). */
const FEED_SENSORS: readonly { side: FootSide; region: FootRegion }[] = [
	{ side: 'left', region: 'heel' },
	{ side: 'left', region: 'midfoot' },
	{ side: 'left', region: 'toe' },
	{ side: 'right', region: 'heel' },
	{ side: 'right', region: 'midfoot' },
	{ side: 'right', region: 'toe' }
];

const GAIT_SENSOR = /^(left|right)-(heel|midfoot|toe)$/;

/** `a/b/c` → `a/b`; a key without `/` is its own prefix-less device (''). */
function parent(key: string): string {
	const cut = key.lastIndexOf('/');
	return cut < 0 ? '' : key.slice(0, cut);
}

function lastPart(key: string): string {
	return key.slice(key.lastIndexOf('/') + 1);
}

/**
 * The device a key belongs to, and the part naming the sensor within it. Usually the prefix up
 * to the last `/` (one gait patient). A key that is the only one under its prefix, shaped
 * `<device>/<sensor>/<field>` with siblings `<device>/<other>/<field>` (the foot-pressure feed's
 * `<patient>/<sensor id>/value`), belongs one level up.
 */
function deviceOf(key: string, siblings: (prefix: string) => number, cousins: (prefix: string, field: string) => number): { prefix: string; sensor: string } {
	const p1 = parent(key);
	if (siblings(p1) >= 2 || p1 === '') return { prefix: p1, sensor: lastPart(key) };
	const p2 = parent(p1);
	const field = lastPart(key);
	if (p1.includes('/') && cousins(p2, field) >= 2) return { prefix: p2, sensor: lastPart(p1) };
	return { prefix: p1, sensor: field };
}

/** Counts of keys per parent and per (grandparent, field), for deviceOf. */
function census(keys: readonly string[]): { siblings: (prefix: string) => number; cousins: (prefix: string, field: string) => number } {
	const byParent = new Map<string, number>();
	const byGrandparent = new Map<string, number>();
	for (const key of keys) {
		const p1 = parent(key);
		byParent.set(p1, (byParent.get(p1) ?? 0) + 1);
		// '\n' cannot occur in a series key (names are cleaned of control characters).
		const g = `${parent(p1)}\n${lastPart(key)}`;
		byGrandparent.set(g, (byGrandparent.get(g) ?? 0) + 1);
	}
	return {
		siblings: (prefix) => byParent.get(prefix) ?? 0,
		cousins: (prefix, field) => byGrandparent.get(`${prefix}\n${field}`) ?? 0
	};
}

/**
 * The device group `key` belongs to among `all` series, in their order: one gait patient's six
 * sensors, one foot-pressure patient's six readings, or the series sharing its prefix.
 * Empty when `key` is not among them. For the board's "Sensor heatmap of <name>".
 */
export function deviceGroup(all: readonly SeriesInfo[], key: string): { name: string; series: SeriesInfo[] } {
	if (!all.some((s) => s.key === key)) return { name: '', series: [] };
	const c = census(all.map((s) => s.key));
	const own = deviceOf(key, c.siblings, c.cousins).prefix;
	const series = all.filter((s) => deviceOf(s.key, c.siblings, c.cousins).prefix === own);
	return { name: lastPart(own) || key, series };
}

/** Every device group of two or more series among `all`, in order of first appearance. */
export function deviceGroups(all: readonly SeriesInfo[]): { name: string; series: SeriesInfo[] }[] {
	const c = census(all.map((s) => s.key));
	const groups = new Map<string, SeriesInfo[]>();
	for (const s of all) {
		const prefix = deviceOf(s.key, c.siblings, c.cousins).prefix;
		let list = groups.get(prefix);
		if (!list) groups.set(prefix, (list = []));
		list.push(s);
	}
	return [...groups].filter(([, series]) => series.length >= 2).map(([prefix, series]) => ({ name: lastPart(prefix) || prefix, series }));
}

/**
 * The devices to draw for `keys` (a panel's series, in order). Keys of one device stay
 * together; devices come in order of their first key.
 */
export function sensorLayout(keys: readonly string[]): SensorDevice[] {
	const c = census(keys);
	const devices = new Map<string, { sensors: string[]; indices: number[] }>();
	keys.forEach((key, index) => {
		const { prefix, sensor } = deviceOf(key, c.siblings, c.cousins);
		let device = devices.get(prefix);
		if (!device) devices.set(prefix, (device = { sensors: [], indices: [] }));
		device.sensors.push(sensor);
		device.indices.push(index);
	});
	return [...devices].map(([prefix, { sensors, indices }]) => {
		const name = lastPart(prefix);
		const feet = feetOf(sensors);
		if (feet) return { name, kind: 'feet', cells: feet.map((place, k) => ({ index: indices[k], label: place.region, ...place })) };
		return { name, kind: 'grid', cells: sensors.map((label, k) => ({ index: indices[k], label })) };
	});
}

/**
 * Each sensor's place on the feet, or null when the names are not a foot device: gait names
 * (`left-heel`, each at most once), or exactly the ids 0–5 of the foot-pressure feed.
 */
function feetOf(sensors: readonly string[]): { side: FootSide; region: FootRegion }[] | null {
	if (sensors.length > FEED_SENSORS.length || new Set(sensors).size !== sensors.length) return null;
	if (sensors.every((s) => GAIT_SENSOR.test(s))) {
		return sensors.map((s) => {
			const [, side, region] = GAIT_SENSOR.exec(s) as RegExpExecArray;
			return { side: side as FootSide, region: region as FootRegion };
		});
	}
	// All six: a feed whose devices have a few numbered channels is not thereby a pair of feet.
	if (sensors.length === FEED_SENSORS.length && sensors.every((s) => /^[0-5]$/.test(s))) return sensors.map((s) => FEED_SENSORS[Number(s)]);
	return null;
}

/**
 * The group a sensor heatmap shows when it names no series: the first device laid out as feet,
 * else the first group of sensor series, else the first group of any series.
 */
export function defaultSensorGroup(all: readonly SeriesInfo[]): SeriesInfo[] {
	const groups = deviceGroups(all);
	const feet = groups.find((g) => sensorLayout(g.series.map((s) => s.key)).every((d) => d.kind === 'feet'));
	return (feet ?? groups.find((g) => g.series.every((s) => s.kind === 'sensor')) ?? groups[0])?.series ?? [];
}
