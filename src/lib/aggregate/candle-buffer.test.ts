import { expect, it } from 'vitest';
import { CandleBuffer } from './candle-buffer';

function filled(n: number, capacity = 2): CandleBuffer {
	const buffer = new CandleBuffer(capacity);
	for (let k = 0; k < n; k++) buffer.push(k * 1000, k, k + 2, k - 1, k + 1, 3, 3 * k, k % 2 ? NaN : k);
	return buffer;
}

it('keeps every window through growth, oldest first', () => {
	const c = filled(9).copyLast(Infinity);
	expect(Array.from(c.t)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8].map((k) => k * 1000));
	expect(Array.from(c.high)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
	expect(Array.from(c.volume)).toEqual([0, NaN, 2, NaN, 4, NaN, 6, NaN, 8]);
});

it('copyLast copies the newest n, or all of them when fewer are held', () => {
	const buffer = filled(5);
	expect(Array.from(buffer.copyLast(2).close)).toEqual([4, 5]);
	expect(buffer.copyLast(10).t.length).toBe(5);
	expect(buffer.copyLast(0).t.length).toBe(0);
	expect(buffer.length).toBe(5);
});

it('drain hands over exact-length columns with buffers of their own and starts empty', () => {
	const buffer = filled(3, 16);
	const drained = buffer.drain();
	expect(drained.sum.length).toBe(3);
	expect(drained.sum.buffer.byteLength).toBe(3 * 8);
	expect(buffer.length).toBe(0);
	buffer.push(9000, 1, 1, 1, 1, 1, 1, NaN);
	// The buffer reuses its columns: what was handed over must not change.
	expect(Array.from(drained.t)).toEqual([0, 1000, 2000]);
	expect(Array.from(buffer.drain().t)).toEqual([9000]);
});
