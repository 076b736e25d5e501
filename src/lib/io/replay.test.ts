import { describe, expect, it } from 'vitest';
import { Replay } from './replay';

/** Ticks one second apart from 2024-01-01, the way an imported NAB-like file looks. */
const T0 = Date.UTC(2024, 0, 1);
const SECOND = 1000;
const t = Float64Array.from({ length: 100 }, (_, i) => T0 + i * SECOND);
/** The fake wall clock's start: an hour after the data, so shifted and original times differ. */
const NOW = T0 + 3_600_000;

function range(replay: Replay): [number, number] {
	return [replay.step.start, replay.step.end];
}

describe('Replay at 10×', () => {
	it('hands out the ticks whose replayed time has come, each once', () => {
		const replay = new Replay({ t, speed: 10, now: NOW });
		// Elapsed 0: the first tick is due at once (inclusive edge).
		expect(replay.take(NOW, 1000)).toBe(1);
		expect(range(replay)).toEqual([0, 1]);
		expect(replay.take(NOW + 99, 1000)).toBe(0);
		// 100 ms of wall time = 1 s of data: tick 1, exactly on its edge.
		expect(replay.take(NOW + 100, 1000)).toBe(1);
		expect(range(replay)).toEqual([1, 2]);
		// 450 ms = 4.5 s: ticks 2, 3, 4.
		expect(replay.take(NOW + 450, 1000)).toBe(3);
		expect(range(replay)).toEqual([2, 5]);
		expect(replay.replayedTime(NOW + 450)).toBe(T0 + 4500);
	});

	it('stamps ticks in the present and keeps the original times', () => {
		const replay = new Replay({ t, speed: 10, now: NOW });
		replay.take(NOW + 250, 1000);
		const { start, end, offsetMs } = replay.step;
		expect(offsetMs).toBe(NOW - T0);
		expect(t[start] + offsetMs).toBe(NOW);
		expect(t[end - 1]).toBe(T0 + 2 * SECOND);
	});

	it('leaves ticks beyond maxTicks due for the next call', () => {
		const replay = new Replay({ t, speed: 10, now: NOW });
		expect(replay.take(NOW + 1000, 4)).toBe(4);
		expect(replay.take(NOW + 1000, 4)).toBe(4);
		expect(replay.take(NOW + 1000, 4)).toBe(3);
		expect(replay.position).toBe(11);
		expect(replay.take(NOW + 1000, 0)).toBe(0);
	});

	it('reuses one step object (no allocation per call) and reports done', () => {
		const replay = new Replay({ t, speed: 10, now: NOW });
		const step = replay.step;
		replay.take(NOW + 5_000, 1000);
		expect(replay.step).toBe(step);
		expect(replay.done).toBe(false);
		replay.take(NOW + 9_900, 1000);
		expect(replay.done).toBe(true);
		expect(replay.take(NOW + 20_000, 1000)).toBe(0);
		expect(range(replay)).toEqual([100, 100]);
	});
});

describe("Replay at 'max'", () => {
	it('ignores the clock and returns at most maxTicks per call', () => {
		const replay = new Replay({ t, speed: 'max', now: NOW });
		const sizes: number[] = [];
		while (!replay.done) sizes.push(replay.take(NOW, 30));
		expect(sizes).toEqual([30, 30, 30, 10]);
		expect(replay.replayedTime(NOW)).toBe(t[99]);
	});
});

describe('Replay controls', () => {
	it('pause freezes replayed time; resume carries on and moves stamps by the pause', () => {
		const replay = new Replay({ t, speed: 1, now: NOW });
		replay.take(NOW + 2500, 1000); // ticks 0..2
		replay.pause(NOW + 2500);
		expect(replay.paused).toBe(true);
		expect(replay.take(NOW + 60_000, 1000)).toBe(0);
		replay.resume(NOW + 60_000);
		expect(replay.take(NOW + 60_499, 1000)).toBe(0);
		expect(replay.take(NOW + 60_500, 1000)).toBe(1);
		expect(replay.step.start).toBe(3);
		// At 1× the stamp equals the wall clock at which the tick fell due.
		expect(t[3] + replay.step.offsetMs).toBe(NOW + 60_500);
	});

	it('seek jumps to the first tick at or after a time, and never stamps backwards', () => {
		const replay = new Replay({ t, speed: 10, now: NOW });
		replay.take(NOW + 5_000, 1000); // 0..50 handed out, stamped up to NOW + 50 s
		const lastStamp = t[50] + replay.step.offsetMs;
		replay.seek(T0 + 10_500, NOW + 5_000);
		expect(replay.take(NOW + 5_000, 1000)).toBe(0);
		expect(replay.take(NOW + 5_050, 1000)).toBe(1);
		expect(replay.step.start).toBe(11);
		expect(t[11] + replay.step.offsetMs).toBeGreaterThanOrEqual(lastStamp);
		replay.seek(T0 + 95 * SECOND, NOW + 5_100);
		expect(replay.take(NOW + 5_100, 1000)).toBe(1);
		expect(replay.step.start).toBe(95);
		replay.seek(T0 + 1e9, NOW);
		expect(replay.done).toBe(true);
	});

	it('setSpeed keeps the replayed time continuous', () => {
		const replay = new Replay({ t, speed: 1, now: NOW });
		replay.setSpeed(100, NOW + 2000);
		expect(replay.replayedTime(NOW + 2000)).toBe(T0 + 2000);
		expect(replay.replayedTime(NOW + 2010)).toBe(T0 + 3000);
		expect(() => replay.setSpeed(0, NOW)).toThrow(RangeError);
		expect(() => new Replay({ t, speed: NaN, now: NOW })).toThrow(RangeError);
	});

	it('replays nothing from empty data', () => {
		const replay = new Replay({ t: new Float64Array(0), speed: 1, now: NOW });
		expect(replay.done).toBe(true);
		expect(replay.take(NOW, 10)).toBe(0);
	});
});
