import { describe, expect, it } from 'vitest';
import { feedSeriesKind } from './feed-kind';

describe('feedSeriesKind', () => {
	it('reads the kind off the value field', () => {
		expect(feedSeriesKind('BTCUSDT/p')).toBe('price');
		expect(feedSeriesKind('ETH-USD/price')).toBe('price');
		expect(feedSeriesKind('BTCUSDT/o.q')).toBe('volume');
		expect(feedSeriesKind('AAPL/v')).toBe('volume');
		expect(feedSeriesKind('sensor-1/temperature')).toBe('sensor');
		expect(feedSeriesKind('value')).toBe('sensor');
	});
});
