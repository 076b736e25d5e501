import { RESOLUTIONS, type Resolution } from '../domain/candles';
import type { SeriesInfo } from '../domain/series';

/** What a derived series carries per closed window of its source series. */
export type DerivedStat = 'count' | 'mean' | 'high' | 'low' | 'range' | 'volume';

export const DERIVED_STATS: readonly { name: DerivedStat; title: string }[] = [
	{ name: 'count', title: 'ticks per window' },
	{ name: 'mean', title: 'mean' },
	{ name: 'high', title: 'high' },
	{ name: 'low', title: 'low' },
	{ name: 'range', title: 'high − low' },
	{ name: 'volume', title: 'volume' }
];

/** A series made of one statistic of another series' windows, e.g. trades per minute. */
export interface DerivedSpec {
	sourceKey: string;
	resolution: Resolution;
	stat: DerivedStat;
}

/** Derived series per person-made choice; more would only be a runaway script. */
export const MAX_DERIVED = 200;

export function derivedKey(spec: DerivedSpec): string {
	return `${spec.sourceKey}@${spec.resolution}.${spec.stat}`;
}

/** The derived series' description, given its source's. */
export function derivedInfo(id: number, source: SeriesInfo, spec: DerivedSpec): SeriesInfo {
	const title = DERIVED_STATS.find((s) => s.name === spec.stat)?.title ?? spec.stat;
	return {
		id,
		key: derivedKey(spec),
		label: `${source.label} ${title} /${spec.resolution}`,
		source: 'aggregate',
		unit: spec.stat === 'count' ? 'ticks' : spec.stat === 'volume' ? 'volume' : source.unit,
		// A count or a volume is a size (judged on a log scale); the others follow the source.
		kind: spec.stat === 'count' || spec.stat === 'volume' ? 'volume' : source.kind === 'volume' ? 'volume' : 'value'
	};
}

/** The statistic of one window (columns as the aggregator reports them). */
export function derivedValue(stat: DerivedStat, high: number, low: number, count: number, sum: number, volume: number): number {
	switch (stat) {
		case 'count':
			return count;
		case 'mean':
			return sum / count;
		case 'high':
			return high;
		case 'low':
			return low;
		case 'range':
			return high - low;
		case 'volume':
			return volume;
	}
}

/** Stored or requested specs, kept only where every field is known (they come from IndexedDB). */
export function normalizeDerived(input: unknown): DerivedSpec[] {
	if (!Array.isArray(input)) return [];
	const out: DerivedSpec[] = [];
	const seen = new Set<string>();
	for (const item of input) {
		if (typeof item !== 'object' || item === null) continue;
		const { sourceKey, resolution, stat } = item as Record<string, unknown>;
		if (typeof sourceKey !== 'string' || sourceKey.length === 0) continue;
		if (!RESOLUTIONS.some((r) => r.name === resolution)) continue;
		if (!DERIVED_STATS.some((s) => s.name === stat)) continue;
		const spec = { sourceKey, resolution: resolution as Resolution, stat: stat as DerivedStat };
		if (seen.has(derivedKey(spec)) || out.length >= MAX_DERIVED) continue;
		seen.add(derivedKey(spec));
		out.push(spec);
	}
	return out;
}
