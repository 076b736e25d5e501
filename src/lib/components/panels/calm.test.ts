import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { calm } from './calm';

describe('calm', () => {
	beforeEach(() => vi.useFakeTimers());
	afterEach(() => vi.useRealTimers());
	const clock = () => Date.now();

	it('runs at once, then at most once an interval, the last request late rather than lost', () => {
		const run = vi.fn();
		const request = calm(run, 250, clock);
		request();
		expect(run).toHaveBeenCalledTimes(1);
		// A frame's worth of requests (60 a second) inside one interval: one trailing run.
		for (let i = 0; i < 14; i++) {
			vi.advanceTimersByTime(16);
			request();
		}
		expect(run).toHaveBeenCalledTimes(1);
		vi.advanceTimersByTime(250);
		expect(run).toHaveBeenCalledTimes(2);
		vi.advanceTimersByTime(1000);
		expect(run).toHaveBeenCalledTimes(2);
		request();
		expect(run).toHaveBeenCalledTimes(3);
	});
	it('drops a pending run when cancelled', () => {
		const run = vi.fn();
		const request = calm(run, 250, clock);
		request();
		request();
		request.cancel();
		vi.advanceTimersByTime(1000);
		expect(run).toHaveBeenCalledTimes(1);
	});
	it('runs at most 4 times a second under a steady stream', () => {
		const run = vi.fn();
		const request = calm(run, 250, clock);
		for (let t = 0; t < 10_000; t += 16) {
			request();
			vi.advanceTimersByTime(16);
		}
		expect(run.mock.calls.length).toBeLessThanOrEqual(41);
		expect(run.mock.calls.length).toBeGreaterThanOrEqual(39);
	});
});
