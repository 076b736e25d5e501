import { readPath } from './field-path';
import type { FeedMapping } from './mapping';

export interface FeedPreset {
	name: string;
	title: string;
	/** True when one parsed message has this feed's shape. */
	matches(sample: unknown): boolean;
	mapping: FeedMapping;
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function field(sample: unknown, path: string): unknown {
	return readPath(sample, path.split('.'));
}

type Inner = Omit<FeedMapping, 'format' | 'records' | 'filter'>;

/**
 * A Binance event as sent on `/ws/<stream>` and wrapped as `{stream, data}` on
 * `/stream?streams=…`; both variants filter on the event type `e`.
 */
function binance(name: string, title: string, event: string, required: string, inner: Inner): FeedPreset[] {
	const isEvent = (v: unknown): boolean => isRecord(v) && v.e === event && field(v, required) !== undefined;
	return [
		{
			name: `binance-${name}`,
			title: `Binance ${title}`,
			matches: isEvent,
			mapping: { format: 'json', records: '', ...inner, filter: { path: 'e', equals: event } }
		},
		{
			name: `binance-${name}-combined`,
			title: `Binance ${title} (combined stream)`,
			matches: (v) => isRecord(v) && typeof v.stream === 'string' && isEvent(v.data),
			mapping: { format: 'json', records: 'data', ...inner, filter: { path: 'data.e', equals: event } }
		}
	];
}

function coinbase(type: string, title: string, size: string): FeedPreset {
	return {
		name: `coinbase-${type}`,
		title: `Coinbase Exchange ${title}`,
		matches: (v) => isRecord(v) && v.type === type && typeof v.product_id === 'string' && Object.hasOwn(v, 'price'),
		mapping: {
			format: 'json',
			records: '',
			time: 'time',
			timeUnit: 'iso',
			keys: ['product_id'],
			values: ['price', size],
			filter: { path: 'type', equals: type }
		}
	};
}

export const PRESETS: readonly FeedPreset[] = [
	...binance('trade', 'trades', 'trade', 'p', { time: 'T', timeUnit: 'ms', keys: ['s'], values: ['p', 'q'] }),
	...binance('aggtrade', 'aggregate trades', 'aggTrade', 'p', {
		time: 'T',
		timeUnit: 'ms',
		keys: ['s'],
		values: ['p', 'q']
	}),
	...binance('kline', 'klines', 'kline', 'k.c', {
		time: 'k.t',
		timeUnit: 'ms',
		keys: ['s'],
		values: ['k.o', 'k.h', 'k.l', 'k.c', 'k.v']
	}),
	// Side (o.S) is not a key: liquidations are sparse (~1 a second over all symbols) and
	// splitting each symbol by side halves the history a detector learns from. Add 'o.S' to split.
	...binance('forceorder', 'liquidations', 'forceOrder', 'o.p', {
		time: 'o.T',
		timeUnit: 'ms',
		keys: ['o.s'],
		values: ['o.p', 'o.q']
	}),
	coinbase('ticker', 'ticker', 'last_size'),
	coinbase('match', 'matches', 'size'),
	{
		name: 'finnhub-trade',
		title: 'Finnhub trades',
		matches: (v) => isRecord(v) && v.type === 'trade' && Array.isArray(v.data),
		mapping: {
			format: 'json',
			records: 'data',
			time: 't',
			timeUnit: 'ms',
			keys: ['s'],
			values: ['p', 'v'],
			filter: { path: 'type', equals: 'trade' }
		}
	},
	{
		name: 'foot-pressure',
		title: 'Foot-pressure sensors',
		matches: (v) => {
			const sensors = field(v, 'trace.sensors');
			const first: unknown = Array.isArray(sensors) ? sensors[0] : undefined;
			return isRecord(first) && Object.hasOwn(first, 'value') && Object.hasOwn(first, 'id');
		},
		// Keyed by patient ($.id) then sensor: two patients interleave in one stream, and a
		// series mixing them would alternate between two people's pressure patterns.
		mapping: {
			format: 'json',
			records: 'trace.sensors',
			time: '',
			timeUnit: 'auto',
			keys: ['$.id', 'id'],
			values: ['value'],
			truth: 'anomaly'
		}
	}
];

/** A fresh copy, so editing a detected mapping never changes the preset. */
export function copyMapping(mapping: FeedMapping): FeedMapping {
	return {
		...mapping,
		keys: [...mapping.keys],
		values: [...mapping.values],
		...(mapping.filter ? { filter: { ...mapping.filter } } : {})
	};
}
