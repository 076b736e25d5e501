// Helpers for scenario tests (imported only by *.test.ts files).
import type { Truth } from '../../domain/anomaly';
import { TickBatch } from '../../domain/tick-batch';
import type { SimScenario } from './scenario';

/** Runs a scenario from its start for `spanMs` of simulated time, in `chunks` uneven calls. */
export function runScenario(scenario: SimScenario, startTime: number, spanMs: number, chunks = 1) {
	const out = new TickBatch(1024);
	const truths: Truth[] = [];
	for (let k = 1; k <= chunks; k++) {
		// Uneven cut points, so chunking bugs cannot hide behind round numbers.
		const cut = chunks === 1 ? 1 : Math.min(1, (k * k) / (chunks * chunks) + 0.0137 * (k % 3));
		scenario.advance(startTime + (k === chunks ? spanMs : spanMs * cut), out, truths);
	}
	return { out, truths };
}

/** FNV-1a over the bytes of the first `limit` ticks (ids, times, values). */
export function hashTicks(batch: TickBatch, limit = batch.n): string {
	const n = Math.min(limit, batch.n);
	let h = 0x811c9dc5;
	const feed = (bytes: Uint8Array) => {
		for (let k = 0; k < bytes.length; k++) h = Math.imul(h ^ bytes[k], 0x01000193);
	};
	feed(new Uint8Array(batch.ids.buffer, 0, n * 4));
	feed(new Uint8Array(batch.t.buffer, 0, n * 8));
	feed(new Uint8Array(batch.v.buffer, 0, n * 8));
	return `${n}:${(h >>> 0).toString(16)}`;
}

export interface AlteredCheck {
	/** Ticks whose value differs from the clean run, or that the clean run has and this one lacks. */
	altered: number;
	/** Altered ticks outside every truth window of their series (should be 0). */
	unexplained: { seriesId: number; t: number }[];
	/** Truths with no altered tick at all (should be empty). */
	silent: Truth[];
}

/**
 * Compares a run with injections against the same seed without (the clean model is identical
 * because the injector has its own random stream). Every difference must fall inside a truth's
 * [t0, t1] on its series, or after it where the kind persists (level shift, drift on prices), and
 * every truth must have altered something.
 */
export function checkAlterations(
	clean: TickBatch,
	injected: TickBatch,
	truths: readonly Truth[],
	persistsAfter: (truth: Truth) => boolean
): AlteredCheck {
	const key = (id: number, t: number) => `${id}@${t}`;
	const shown = new Map<string, number>();
	for (let k = 0; k < injected.n; k++) shown.set(key(injected.ids[k], injected.t[k]), injected.v[k]);
	const bySeries = new Map<number, Truth[]>();
	for (const truth of truths) {
		const list = bySeries.get(truth.seriesId) ?? [];
		list.push(truth);
		bySeries.set(truth.seriesId, list);
	}
	const hit = new Set<Truth>();
	const unexplained: { seriesId: number; t: number }[] = [];
	let altered = 0;
	for (let k = 0; k < clean.n; k++) {
		const id = clean.ids[k];
		const t = clean.t[k];
		const v = shown.get(key(id, t));
		if (v === clean.v[k]) continue;
		altered++;
		const explaining = (bySeries.get(id) ?? []).filter(
			(truth) => t >= truth.t0 && (t <= truth.t1 || persistsAfter(truth))
		);
		if (explaining.length === 0) unexplained.push({ seriesId: id, t });
		// The latest-starting truth is the one responsible when several could be.
		else hit.add(explaining.reduce((a, b) => (b.t0 > a.t0 ? b : a)));
	}
	return { altered, unexplained, silent: truths.filter((truth) => !hit.has(truth)) };
}

/**
 * checkAlterations compares with the clean run, so an injection that happens to cancel an
 * earlier persistent shift (a −10-cent spike on a price 10 cents up since a level shift) looks
 * silent. Such a truth still changed the series: somewhere in its window the deviation from
 * the clean run differs from the deviation on the tick before it. Returns the truly silent ones.
 */
export function silentDespiteOffsets(clean: TickBatch, injected: TickBatch, silent: readonly Truth[]): Truth[] {
	const cleanValue = new Map<string, number>();
	for (let k = 0; k < clean.n; k++) cleanValue.set(`${clean.ids[k]}@${clean.t[k]}`, clean.v[k]);
	return silent.filter((truth) => {
		let before = 0;
		for (let k = 0; k < injected.n; k++) {
			if (injected.ids[k] !== truth.seriesId || injected.t[k] > truth.t1) continue;
			const deviation = injected.v[k] - (cleanValue.get(`${injected.ids[k]}@${injected.t[k]}`) ?? NaN);
			if (injected.t[k] < truth.t0) before = deviation;
			else if (deviation !== before) return false;
		}
		return true;
	});
}
