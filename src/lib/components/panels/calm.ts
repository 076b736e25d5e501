/**
 * Figures and rows in panels change at most this often (4 times a second): a number that
 * changes 60 times a second cannot be read, and every change re-lays the page out (see
 * SUMMARY_INTERVAL_MS in dashboard.svelte.ts). Canvases still redraw every frame.
 */
export const CALM_INTERVAL_MS = 250;

export interface Calm {
	/** Asks for `run`: now if it has not run for an interval, else once at the end of it. */
	(): void;
	/** Drops a pending run (the panel is going away). */
	cancel(): void;
}

/** `run` at most once per `intervalMs`, the last request never lost (it runs late instead). */
export function calm(run: () => void, intervalMs = CALM_INTERVAL_MS, now: () => number = () => performance.now()): Calm {
	let last = -Infinity;
	let timer: ReturnType<typeof setTimeout> | null = null;
	const fire = () => {
		timer = null;
		last = now();
		run();
	};
	const request = (() => {
		if (timer !== null) return;
		const wait = last + intervalMs - now();
		if (wait <= 0) fire();
		else timer = setTimeout(fire, wait);
	}) as Calm;
	request.cancel = () => {
		if (timer !== null) clearTimeout(timer);
		timer = null;
	};
	return request;
}
