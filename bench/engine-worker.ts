// Worker side of bench/lib/engine-throughput.mjs: the app's Engine (simulator, default
// detectors, windowed aggregation, truth matching, history writer) driven flat out on a fake
// clock in a dedicated Worker, as the app runs it in one. Bundled by Vite; started by
// bench/engine-page.ts with one job, answers with one message of figures (never pass/fail).
import { Engine, STEP_MS } from '../src/lib/engine/engine';
import type { SimulatorSettings } from '../src/lib/sources/simulator/settings';
import { MAX_TICKS_PER_ADVANCE } from '../src/lib/sources/simulator/simulator-source';
import { TickscopeDb } from '../src/lib/storage/db';
import { HistoryStore } from '../src/lib/storage/history-store';
import type { WriteBatch } from '../src/lib/storage/write-batch';

/**
 * off: history writes off (append, putCandles and flush stubbed to discard); buffered: the real
 * HistoryStore buffers, swaps and builds its batches, but its IndexedDB transaction is replaced
 * by a no-op (a diagnostic: the store's in-memory cost without IndexedDB); persisted: the real
 * HistoryStore writing to IndexedDB.
 */
export type EngineMode = 'off' | 'buffered' | 'persisted';

export interface EngineJob {
	mode: EngineMode;
	warmupMs: number;
	measureMs: number;
	simulator: Partial<SimulatorSettings>;
	/** Wall time the loop steps before it yields to the event loop (IndexedDB callbacks, flushes). */
	sliceMs?: number;
	/** Wall time between flushes (the app flushes once a second). */
	flushEveryMs?: number;
}

export interface EngineResult {
	mode: EngineMode;
	series: number;
	/** Ticks the engine accepted while measuring (ingested: detector, aggregation, store.append). */
	accepted: number;
	/** Wall seconds of stepping (persisted: up to the end of the loop, before the final flush). */
	stepSeconds: number;
	/** Persisted and buffered: wall seconds from the start of measuring to the end of the final flush. */
	totalSeconds: number;
	/** Persisted only: ticks counted back from IndexedDB (summary rows' n) gained while measuring. */
	committed: number | null;
	/** Persisted only: the counters row's totalTicks gained while measuring (same transactions). */
	committedCounter: number | null;
	/** Persisted only: chunk rows in IndexedDB at the end. */
	chunkRows: number | null;
	steps: number;
	/** Largest number of ticks one step produced (the simulator caps it at MAX_TICKS_PER_ADVANCE). */
	maxTicksPerStep: number;
	maxTicksPerAdvance: number;
	/** Simulated seconds covered while measuring (the fake clock moves STEP_MS per step). */
	simSeconds: number;
	flushes: number;
	/** Persisted and buffered: wall seconds the final flush took (persisted: the backlog IndexedDB had not written yet). */
	finalFlushSeconds: number | null;
	/** The engine's own rate: accepted ticks per simulated second (its clock is the fake one). */
	engineReportedTicksPerSimSecond: number;
	rejected: Record<string, number>;
	problems: string[];
	injected: number;
	flags: number;
	flushErrors: string[];
	/** Persisted only: each IndexedDB transaction of ticks while measuring (one per flush batch). */
	writes: { ticks: number; rows: number; deletes: number; startS: number; ms: number }[];
	/** Persisted only: ticks whose transactions committed before the loop stopped stepping. */
	committedWhileStepping: number | null;
}

const DB_NAME = 'bench-engine';

/** A macrotask without setTimeout's ≥ 4 ms clamp for nested timers. */
const channel = new MessageChannel();
const wakers: (() => void)[] = [];
channel.port1.onmessage = () => wakers.shift()?.();
function yieldToEventLoop(): Promise<void> {
	return new Promise((resolve) => {
		wakers.push(resolve);
		channel.port2.postMessage(0);
	});
}

async function run(job: EngineJob): Promise<EngineResult> {
	const sliceMs = job.sliceMs ?? 4;
	const flushEveryMs = job.flushEveryMs ?? 1000;
	const clock = { now: Date.now() };
	const store = new HistoryStore(new TickscopeDb(DB_NAME));
	let discarded = 0;
	const persist = job.mode === 'persisted';
	if (job.mode === 'off') {
		// History writes off: ticks and closed windows are dropped at the store's door (counted, so
		// accepted ticks are known), and a flush writes nothing. Flags, truths and counters still
		// queue in the store as usual (a handful per second; never written).
		store.append = () => {
			discarded++;
		};
		store.putCandles = () => 0;
		store.flush = () => Promise.resolve();
	}
	// Each batch's transaction timed (the store's private writer, wrapped; nothing else changes);
	// buffered: the transaction itself left out.
	const writes: EngineResult['writes'] = [];
	let origin = performance.now();
	if (job.mode !== 'off') {
		const writer = store as unknown as { write(batch: WriteBatch): Promise<void> };
		const write = persist ? writer.write.bind(store) : () => Promise.resolve();
		writer.write = async (batch) => {
			const started = performance.now();
			await write(batch);
			writes.push({ ticks: batch.ticks, rows: batch.rows.length, deletes: batch.deletes.length, startS: (started - origin) / 1000, ms: performance.now() - started });
		};
	}
	const engine = new Engine({ store, now: () => clock.now, autoRun: false });
	const snapshot = await engine.init({ simulator: job.simulator });
	const series = snapshot.series.length;
	const accepted = () => (job.mode === 'off' ? discarded : store.totalTicks);

	let steps = 0;
	let maxTicksPerStep = 0;
	let flushes = 0;
	const flushErrors: string[] = [];
	const pending = new Set<Promise<void>>();
	/** Steps flat out for `ms` of wall time, yielding every `sliceMs`, flushing every `flushEveryMs`. */
	async function drive(ms: number): Promise<void> {
		const start = performance.now();
		const end = start + ms;
		let nextFlush = start + flushEveryMs;
		for (let now = start; now < end; now = performance.now()) {
			const sliceEnd = Math.min(end, now + sliceMs);
			do {
				const before = accepted();
				clock.now += STEP_MS;
				engine.step();
				steps++;
				const ticks = accepted() - before;
				if (ticks > maxTicksPerStep) maxTicksPerStep = ticks;
			} while (performance.now() < sliceEnd);
			if (performance.now() >= nextFlush) {
				// As the app's timer does: started, not awaited; the store writes one batch at a time.
				flushes++;
				const flush = engine.flush().catch((error: unknown) => {
					flushErrors.push(String(error));
				});
				pending.add(flush);
				void flush.finally(() => pending.delete(flush));
				nextFlush += flushEveryMs;
			}
			await yieldToEventLoop();
		}
	}

	/** Ticks in IndexedDB as read on a connection of its own: summary rows' n, the counters row. */
	async function countStored(): Promise<{ ticks: number; counter: number; rows: number }> {
		const check = new TickscopeDb(DB_NAME);
		await check.open();
		let ticks = 0;
		await check.summaries.each((row) => {
			ticks += row.n;
		});
		const counters = (await check.meta.get('counters')) as { totalTicks?: number } | undefined;
		const rows = await check.chunks.count();
		check.close();
		return { ticks, counter: counters?.totalTicks ?? 0, rows };
	}

	await drive(job.warmupMs);
	// Measuring starts with nothing buffered or queued: everything so far is written (untimed).
	await Promise.all(pending);
	await engine.flush();
	const before = persist ? await countStored() : null;
	const acceptedBefore = accepted();
	const stepsBefore = steps;
	const flushesBefore = flushes;
	maxTicksPerStep = 0;
	const simBefore = engine.stats().simulator?.time ?? clock.now;

	const start = performance.now();
	origin = start;
	writes.length = 0;
	await drive(job.measureMs);
	const stepped = performance.now();
	const acceptedInRun = accepted() - acceptedBefore;
	const simSeconds = ((engine.stats().simulator?.time ?? clock.now) - simBefore) / 1000;
	const stats = engine.stats();
	let finalFlushSeconds: number | null = null;
	let totalSeconds = (stepped - start) / 1000;
	if (job.mode !== 'off') {
		await Promise.all(pending);
		await engine.flush();
		const done = performance.now();
		finalFlushSeconds = (done - stepped) / 1000;
		totalSeconds = (done - start) / 1000;
	}
	const after = persist ? await countStored() : null;
	store.stop();
	store.db.close();

	return {
		mode: job.mode,
		series,
		accepted: acceptedInRun,
		stepSeconds: (stepped - start) / 1000,
		totalSeconds,
		committed: after && before ? after.ticks - before.ticks : null,
		committedCounter: after && before ? after.counter - before.counter : null,
		chunkRows: after ? after.rows : null,
		steps: steps - stepsBefore,
		maxTicksPerStep,
		maxTicksPerAdvance: MAX_TICKS_PER_ADVANCE,
		simSeconds,
		flushes: flushes - flushesBefore + (job.mode === 'off' ? 0 : 1),
		finalFlushSeconds,
		engineReportedTicksPerSimSecond: stats.ticksPerSecond,
		rejected: stats.rejected,
		problems: stats.problems,
		injected: stats.injected,
		flags: stats.hits + stats.falseAlarms,
		flushErrors,
		writes: writes.map((w) => ({ ...w, startS: Math.round(w.startS * 1000) / 1000, ms: Math.round(w.ms) })),
		committedWhileStepping: persist ? writes.filter((w) => w.startS + w.ms / 1000 <= (stepped - start) / 1000).reduce((sum, w) => sum + w.ticks, 0) : null
	};
}

/** The dedicated worker's global, typed without depending on which lib (DOM or WebWorker) wins. */
const scope = self as unknown as { onmessage: ((event: MessageEvent<EngineJob>) => void) | null; postMessage(message: unknown): void };
scope.onmessage = (event) => {
	run(event.data).then(
		(result) => scope.postMessage({ result }),
		(error: unknown) => scope.postMessage({ error: String((error as Error)?.stack ?? error) })
	);
};
