/** How a series moved over its window: the figures a big-number tile shows. */
export interface WindowChange {
	/** Newest finite value. */
	last: number;
	/** Oldest finite value. */
	first: number;
	/** last − first. */
	change: number;
	/** change / |first|; null when the window starts at 0 (no percentage of nothing). */
	fraction: number | null;
	/** As shown at `decimals` places: a change that rounds to zero is flat, not up or down. */
	direction: 'up' | 'down' | 'flat';
}

/** The change from the oldest to the newest finite value of `ys`; null with no finite value. */
export function windowChange(ys: ArrayLike<number>, decimals: number): WindowChange | null {
	let first = NaN;
	let last = NaN;
	for (let i = 0; i < ys.length; i++) {
		if (Number.isFinite(ys[i])) {
			first = ys[i];
			break;
		}
	}
	for (let i = ys.length - 1; i >= 0; i--) {
		if (Number.isFinite(ys[i])) {
			last = ys[i];
			break;
		}
	}
	if (Number.isNaN(first)) return null;
	const change = last - first;
	// Half a unit in the last shown place: less than that reads ±0.00.
	const shown = Math.abs(change) >= 0.5 * 10 ** -decimals;
	return {
		last,
		first,
		change,
		fraction: first !== 0 ? change / Math.abs(first) : null,
		direction: !shown ? 'flat' : change > 0 ? 'up' : 'down'
	};
}
