import { describe, expect, it } from 'vitest';
import { timeName } from './time-column';

describe('timeName', () => {
	it('knows time column names and the units they declare', () => {
		expect(timeName('timestamp')).toEqual({ rank: 100, unit: undefined });
		expect(timeName(' Date Time ')?.unit).toBeUndefined();
		expect(timeName('epoch_ms')?.unit).toBe('ms');
		expect(timeName('Time (s)')?.unit).toBe('s');
		expect(timeName('unix_time_ns')?.unit).toBe('ns');
		expect(timeName('timestamp_utc')?.unit).toBeUndefined();
		expect(timeName('ts-µs')?.unit).toBe('us');
	});

	it('ranks declared units first, then timestamp before date', () => {
		const rank = (name: string) => timeName(name)?.rank ?? Infinity;
		expect(rank('epoch_ms')).toBeLessThan(rank('timestamp'));
		expect(rank('timestamp')).toBeLessThan(rank('date'));
	});

	it('rejects look-alikes', () => {
		for (const name of ['times', 'timeout', 'time_zone', 'value', 'update', '__proto__', 'constructor']) {
			expect(timeName(name)).toBeNull();
		}
	});
});
