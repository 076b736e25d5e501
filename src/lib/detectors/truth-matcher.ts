import type { Truth } from '../domain/anomaly';

export interface TruthMatcherOptions {
	/** A flag within [t0, t1 + slackMs] of a truth on the same series is a hit. */
	slackMs: number;
}

/** Returned by expire() when nothing expired; frozen so a caller cannot fill it by mistake. */
const NONE_EXPIRED: Truth[] = [];
Object.freeze(NONE_EXPIRED);

/**
 * Matches detector flags against open ground-truth events. Open truths are few (an injection per
 * series every few minutes, each open for about a second), so one flat array scanned per flag
 * is simpler and faster than an index.
 */
export class TruthMatcher {
	private readonly slackMs: number;
	private open: Truth[] = [];

	constructor(options: TruthMatcherOptions) {
		this.slackMs = options.slackMs;
	}

	get openCount(): number {
		return this.open.length;
	}

	/** Track a truth; its id is already assigned by the caller. */
	add(truth: Truth): void {
		this.open.push(truth);
	}

	/**
	 * A detector flagged (seriesId, t): returns the matched Truth (and sets detected = true) or
	 * undefined for a false alarm. When windows overlap, the latest-starting truth wins: it is
	 * the likelier cause of what the detector just saw.
	 */
	match(seriesId: number, t: number): Truth | undefined {
		let best: Truth | undefined;
		for (const truth of this.open) {
			// Both edges inclusive: a flag on the injected tick itself and one exactly slackMs after t1 both hit.
			if (truth.seriesId !== seriesId || t < truth.t0 || t > truth.t1 + this.slackMs) continue;
			if (best === undefined || truth.t0 > best.t0) best = truth;
		}
		if (best !== undefined) best.detected = true;
		return best;
	}

	/**
	 * Drop truths whose window closed (t1 + slackMs < now). Those never hit get detected = false
	 * and are returned (the caller counts them as missed); hit ones are dropped silently. The
	 * returned array is shared and frozen when empty.
	 */
	expire(now: number, seriesId = -1): Truth[] {
		let missed: Truth[] | undefined;
		let kept = 0;
		const open = this.open;
		for (let k = 0; k < open.length; k++) {
			const truth = open[k];
			if (truth.t1 + this.slackMs >= now || (seriesId >= 0 && truth.seriesId !== seriesId)) {
				open[kept++] = truth;
				continue;
			}
			if (truth.detected !== true) {
				truth.detected = false;
				(missed ??= []).push(truth);
			}
		}
		open.length = kept;
		return missed ?? NONE_EXPIRED;
	}
}
