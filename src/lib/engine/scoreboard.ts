import type { Truth } from '../domain/anomaly';
import { TruthMatcher } from '../detectors/truth-matcher';

/** A flag up to this long after an injection's last tick still counts as catching it. */
export const MATCH_SLACK_MS = 2000;
/** Detection delays kept for the median: the most recent ones. */
const DELAYS_KEPT = 1024;

export interface Counters {
	/** Flags that matched an injected anomaly. */
	hits: number;
	/** Flags with no injected anomaly behind them. */
	falseAlarms: number;
	/** Injections whose window closed with no flag. */
	missed: number;
	/** Injections flagged at least once. */
	caught: number;
	injected: number;
}

/**
 * Keeps score of flags against ground truth: assigns truth ids, judges each flag as a hit or a
 * false alarm, and settles injections whose window closed unflagged as missed.
 */
export class Scoreboard {
	counters: Counters = { hits: 0, falseAlarms: 0, missed: 0, caught: 0, injected: 0 };
	private readonly matcher = new TruthMatcher({ slackMs: MATCH_SLACK_MS });
	/** Open injections caught so far → when their window closes (then the id is forgotten). */
	private readonly caught = new Map<number, number>();
	private nextTruthId = 1;
	/** Ring of the most recent delays from an injection's start to its first flag, ms. */
	private readonly delays = new Float64Array(DELAYS_KEPT);
	private delayCount = 0;

	/** Continues from a stored state: counters, the last truth id, truths left open. */
	restore(counters: Counters, lastTruthId: number, open: readonly Truth[]): void {
		this.counters = { ...counters };
		this.nextTruthId = lastTruthId + 1;
		// Truths left open by the last session can no longer be caught: `settle` closes them.
		for (const truth of open) this.matcher.add(truth);
	}

	/** A source injected an anomaly: gives it an id and starts watching for a flag inside it. */
	injected(truth: Truth): Truth {
		truth.id = this.nextTruthId++;
		this.matcher.add(truth);
		this.counters.injected++;
		return truth;
	}

	/**
	 * Judges a flag. Returns the truth it caught (and whether this is the first flag that did,
	 * when the truth's new state should be stored), or undefined for a false alarm.
	 */
	judge(seriesId: number, t: number): { truth: Truth; first: boolean } | undefined {
		const truth = this.matcher.match(seriesId, t);
		if (!truth) {
			this.counters.falseAlarms++;
			return undefined;
		}
		this.counters.hits++;
		const first = !this.caught.has(truth.id);
		if (first) {
			this.caught.set(truth.id, truth.t1 + MATCH_SLACK_MS);
			this.counters.caught++;
			this.delays[this.delayCount++ % DELAYS_KEPT] = t - truth.t0;
		}
		return { truth, first };
	}

	/** Median delay from an injection's first tick to its first flag (recent ones), or null. */
	medianDelayMs(): number | null {
		const n = Math.min(this.delayCount, DELAYS_KEPT);
		if (n === 0) return null;
		const sorted = this.delays.slice(0, n).sort();
		return n % 2 === 1 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
	}

	/** Closes injections whose window ended before `now` unflagged; returns them (now missed). */
	/** Closes truths whose window ended before `now` (only `seriesId`'s, when given: a replay runs on its own clock). */
	settle(now: number, seriesId = -1): Truth[] {
		const missed = this.matcher.expire(now, seriesId);
		this.counters.missed += missed.length;
		if (this.caught.size > 0) for (const [id, closesAt] of this.caught) if (closesAt < now) this.caught.delete(id);
		return missed;
	}
}
