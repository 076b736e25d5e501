import { describe, expect, it } from 'vitest';
import { SimClock } from './sim-clock';

describe('SimClock', () => {
	it('runs at its speed from its start, and stays continuous across speed changes and pauses', () => {
		const clock = new SimClock({ simStart: 1_000_000, wallNow: 50 });
		expect(clock.now(50)).toBe(1_000_000);
		expect(clock.now(1050)).toBe(1_001_000);
		clock.setSpeed(60, 1050);
		expect(clock.now(1050)).toBe(1_001_000);
		expect(clock.now(2050)).toBe(1_061_000);
		clock.setPaused(true, 2050);
		expect(clock.now(99_999)).toBe(1_061_000);
		clock.setPaused(false, 100_050);
		expect(clock.now(101_050)).toBe(1_121_000);
	});

	it('never goes backwards when the wall clock does', () => {
		const clock = new SimClock({ simStart: 500, wallNow: 1000 });
		expect(clock.now(900)).toBe(500);
	});
});
