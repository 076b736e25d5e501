/** A touch point on the plot: its id and x position in CSS pixels from the plot's left edge. */
export interface TouchPoint {
	id: number;
	x: number;
}

/**
 * The time range a touch gesture asks for, from where it started: one finger drags the range
 * along (the time under the finger stays under it), two fingers pinch it (the two times under
 * the fingers stay under them, so spreading zooms in and closing zooms out). `width` is the
 * plot's width in CSS pixels. Returns null when the gesture cannot be read (e.g. the two
 * fingers meet).
 */
export function gestureRange(
	start: { min: number; max: number; touches: readonly TouchPoint[] },
	now: readonly TouchPoint[],
	width: number
): { min: number; max: number } | null {
	const span = start.max - start.min;
	if (!(span > 0) || !(width > 0)) return null;
	const valueAt = (x: number) => start.min + (x / width) * span;
	const current = (id: number) => now.find((t) => t.id === id);
	if (start.touches.length >= 2) {
		const [a0, b0] = start.touches;
		const a1 = current(a0.id);
		const b1 = current(b0.id);
		if (!a1 || !b1) return null;
		const gap = b1.x - a1.x;
		const gap0 = b0.x - a0.x;
		// Fingers closer than a few pixels (or crossed over) say nothing about a scale.
		if (Math.abs(gap) < 8 || Math.abs(gap0) < 8 || Math.sign(gap) !== Math.sign(gap0)) return null;
		const va = valueAt(a0.x);
		const vb = valueAt(b0.x);
		const nextSpan = ((vb - va) * width) / gap;
		const min = va - (a1.x / width) * nextSpan;
		return { min, max: min + nextSpan };
	}
	const [t0] = start.touches;
	const t1 = t0 ? current(t0.id) : undefined;
	if (!t0 || !t1) return null;
	const shift = ((t1.x - t0.x) / width) * span;
	return { min: start.min - shift, max: start.max - shift };
}

/**
 * Touch navigation on a chart's plot area: one finger drags the time range, two fingers pinch
 * it, vertical swipes still scroll the page (`touch-action: pan-y`). `shown` gives the range
 * drawn now; `ask` is called with the wanted one at most once per animation frame. Returns the
 * detach.
 */
export function attachTouch(over: HTMLElement, shown: () => { min: number; max: number } | null, ask: (min: number, max: number) => void): () => void {
	const touches = new Map<number, number>();
	let gesture: { min: number; max: number; touches: TouchPoint[] } | null = null;
	let pending: { min: number; max: number } | null = null;
	let frame = 0;
	const plotX = (event: PointerEvent) => event.clientX - over.getBoundingClientRect().left;
	const points = () => [...touches].map(([id, x]) => ({ id, x }));
	const restart = () => {
		const range = touches.size > 0 ? shown() : null;
		gesture = range ? { ...range, touches: points().slice(0, 2) } : null;
	};
	const apply = () => {
		frame = 0;
		if (pending) ask(pending.min, pending.max);
		pending = null;
	};
	const down = (event: PointerEvent) => {
		if (event.pointerType !== 'touch') return;
		over.setPointerCapture?.(event.pointerId);
		touches.set(event.pointerId, plotX(event));
		restart();
	};
	const move = (event: PointerEvent) => {
		if (event.pointerType !== 'touch' || !gesture || !touches.has(event.pointerId)) return;
		touches.set(event.pointerId, plotX(event));
		const next = gestureRange(gesture, points(), over.clientWidth);
		if (!next) return;
		pending = next;
		frame ||= requestAnimationFrame(apply);
	};
	const up = (event: PointerEvent) => {
		if (!touches.delete(event.pointerId)) return;
		// The fingers left start the next gesture from where this one brought the range.
		if (pending) apply();
		restart();
	};
	over.style.touchAction = 'pan-y';
	over.addEventListener('pointerdown', down);
	over.addEventListener('pointermove', move);
	over.addEventListener('pointerup', up);
	over.addEventListener('pointercancel', up);
	return () => {
		over.removeEventListener('pointerdown', down);
		over.removeEventListener('pointermove', move);
		over.removeEventListener('pointerup', up);
		over.removeEventListener('pointercancel', up);
		cancelAnimationFrame(frame);
	};
}
