import type { Anomaly } from '$lib/domain/anomaly';

/**
 * Old flags of a stored range against new flags from running the detectors over the same ticks
 * again. Two flags match when they sit on the same tick time (original time, not a replay's
 * shifted stamp). Matching is one-to-one: where several detectors flagged one tick, flags of the
 * same detector pair first, then the rest in order.
 */

export interface FlagPair {
	old: Anomaly;
	new: Anomaly;
}

export interface FlagComparison {
	matched: FlagPair[];
	onlyOld: Anomaly[];
	onlyNew: Anomaly[];
	counts: {
		old: number;
		new: number;
		matched: number;
		/** Matched pairs whose detectors differ (only when sameDetector is off). */
		otherDetector: number;
		onlyOld: number;
		onlyNew: number;
	};
}

export interface CompareOptions {
	/** Only flags with from ≤ t ≤ to take part (both ends inclusive); default all. */
	from?: number;
	to?: number;
	/** Pair only flags of the same detector. */
	sameDetector?: boolean;
}

function inRange(flags: readonly Anomaly[], from: number, to: number): Anomaly[] {
	// Sorted by time, then detector, so equal ticks group together and runs are repeatable.
	return flags
		.filter((a) => a.t >= from && a.t <= to)
		.sort((a, b) => a.t - b.t || (a.detector < b.detector ? -1 : a.detector > b.detector ? 1 : 0));
}

/** Pairs one tick's group of old and new flags; leftovers go to the only-lists. */
function pairGroup(olds: Anomaly[], news: Anomaly[], sameDetector: boolean, out: FlagComparison): void {
	const used = new Array<boolean>(news.length).fill(false);
	const unpaired: Anomaly[] = [];
	for (const o of olds) {
		const j = news.findIndex((n, k) => !used[k] && n.detector === o.detector);
		if (j >= 0) {
			used[j] = true;
			out.matched.push({ old: o, new: news[j] });
		} else {
			unpaired.push(o);
		}
	}
	for (const o of unpaired) {
		const j = sameDetector ? -1 : used.indexOf(false);
		if (j >= 0) {
			used[j] = true;
			out.matched.push({ old: o, new: news[j] });
			out.counts.otherDetector++;
		} else {
			out.onlyOld.push(o);
		}
	}
	news.forEach((n, k) => used[k] || out.onlyNew.push(n));
}

export function compareFlags(oldFlags: readonly Anomaly[], newFlags: readonly Anomaly[], options: CompareOptions = {}): FlagComparison {
	const olds = inRange(oldFlags, options.from ?? -Infinity, options.to ?? Infinity);
	const news = inRange(newFlags, options.from ?? -Infinity, options.to ?? Infinity);
	const out: FlagComparison = {
		matched: [],
		onlyOld: [],
		onlyNew: [],
		counts: { old: olds.length, new: news.length, matched: 0, otherDetector: 0, onlyOld: 0, onlyNew: 0 }
	};
	let i = 0;
	let j = 0;
	while (i < olds.length || j < news.length) {
		const t = Math.min(i < olds.length ? olds[i].t : Infinity, j < news.length ? news[j].t : Infinity);
		const i0 = i;
		const j0 = j;
		while (i < olds.length && olds[i].t === t) i++;
		while (j < news.length && news[j].t === t) j++;
		pairGroup(olds.slice(i0, i), news.slice(j0, j), options.sameDetector ?? false, out);
	}
	out.counts.matched = out.matched.length;
	out.counts.onlyOld = out.onlyOld.length;
	out.counts.onlyNew = out.onlyNew.length;
	return out;
}
