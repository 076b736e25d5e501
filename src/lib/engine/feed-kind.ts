import type { SeriesKind } from '../domain/series';

/** Field names that carry a traded price (Binance p/o/h/l/c/ap, Coinbase price, Finnhub p, …). */
const PRICE_FIELDS = new Set(['p', 'price', 'ap', 'o', 'h', 'l', 'c', 'open', 'high', 'low', 'close', 'last', 'bid', 'ask', 'best_bid', 'best_ask', 'mid']);
/** Field names that carry a size (quantities and volumes are log-normal, and judged on a log scale). */
const SIZE_FIELDS = new Set(['q', 'qty', 'quantity', 'v', 'volume', 'size', 'last_size', 'amount', 'z', 'l_q', 'n', 'count', 'V', 'Q']);

/**
 * The kind of a feed series, from its value field's name (the last part of its key): a price is
 * judged on its steps, a size on a log scale, anything else (sensors, metrics) on its level.
 * The NAB-tuned `value` ensemble stays for data whose nature is unknown to the person's choice.
 */
export function feedSeriesKind(key: string): SeriesKind {
	const field = key.slice(key.lastIndexOf('/') + 1).split('.').pop() ?? '';
	if (PRICE_FIELDS.has(field)) return 'price';
	if (SIZE_FIELDS.has(field)) return 'volume';
	return 'sensor';
}
