import { describe, expect, it } from 'vitest';
import { gestureRange } from './touch-gesture';

const start = (touches: { id: number; x: number }[]) => ({ min: 1000, max: 2000, touches });

describe('touch gestures on a chart', () => {
	it('one finger drags the range along: the time under it stays under it', () => {
		// 100 px right on a 500 px plot of 1000 ms: 200 ms earlier.
		expect(gestureRange(start([{ id: 1, x: 250 }]), [{ id: 1, x: 350 }], 500)).toEqual({ min: 800, max: 1800 });
		expect(gestureRange(start([{ id: 1, x: 250 }]), [{ id: 1, x: 150 }], 500)).toEqual({ min: 1200, max: 2200 });
	});

	it('two fingers spread zoom in around them, closing zooms out, and the times under them stay', () => {
		const zoomIn = gestureRange(start([{ id: 1, x: 200 }, { id: 2, x: 300 }]), [{ id: 1, x: 100 }, { id: 2, x: 400 }], 500)!;
		expect(zoomIn.max - zoomIn.min).toBeCloseTo(1000 / 3);
		// The times first under the fingers (1400 and 1600) are under them again.
		const at = (x: number) => zoomIn.min + (x / 500) * (zoomIn.max - zoomIn.min);
		expect(at(100)).toBeCloseTo(1400);
		expect(at(400)).toBeCloseTo(1600);
		const zoomOut = gestureRange(start([{ id: 1, x: 100 }, { id: 2, x: 400 }]), [{ id: 1, x: 200 }, { id: 2, x: 300 }], 500)!;
		expect(zoomOut.max - zoomOut.min).toBeCloseTo(3000);
	});

	it('reads nothing from fingers that meet or cross, a lost finger or an empty range', () => {
		expect(gestureRange(start([{ id: 1, x: 200 }, { id: 2, x: 300 }]), [{ id: 1, x: 250 }, { id: 2, x: 252 }], 500)).toBeNull();
		expect(gestureRange(start([{ id: 1, x: 200 }, { id: 2, x: 300 }]), [{ id: 1, x: 350 }, { id: 2, x: 300 }], 500)).toBeNull();
		expect(gestureRange(start([{ id: 1, x: 200 }]), [{ id: 3, x: 250 }], 500)).toBeNull();
		expect(gestureRange({ min: 5, max: 5, touches: [{ id: 1, x: 1 }] }, [{ id: 1, x: 2 }], 500)).toBeNull();
	});
});
