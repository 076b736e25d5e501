/** Binary searches over ascending times (chart windows, history columns). */

/** First index with xs[i] >= t (xs ascending). */
export function lowerBound(xs: ArrayLike<number>, t: number): number {
	let lo = 0;
	let hi = xs.length;
	while (lo < hi) {
		const mid = (lo + hi) >>> 1;
		if (xs[mid] < t) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}

/** First index with xs[i] > t (xs ascending). */
export function upperBound(xs: ArrayLike<number>, t: number): number {
	let lo = 0;
	let hi = xs.length;
	while (lo < hi) {
		const mid = (lo + hi) >>> 1;
		if (xs[mid] <= t) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}
