import type { ImportedColumn } from '../io/csv-import';
import { Replay, type ReplaySpeed } from '../io/replay';
import type { TimeWindow } from '../io/tick-columns';

/** Ticks one column may replay per engine step (10 ms): 'max' runs at up to 2M ticks/s per column. */
export const MAX_REPLAY_TICKS_PER_STEP = 20_000;

/** What the page shows of an import while it replays. */
export interface ImportStatus {
	id: string;
	name: string;
	/** Series keys it feeds, one per value column. */
	keys: string[];
	speed: ReplaySpeed;
	/** Ticks replayed so far, of `total`, over all columns. */
	replayed: number;
	total: number;
	/** Labelled windows (truth) the file brought. */
	windows: number;
	done: boolean;
}

/** Where a replayed tick goes: the engine's pipeline, as for any source. */
export interface ImportSink {
	/** A labelled window starts: stamped times [t0, t1] are truth for this series. */
	truth(seriesId: number, t0: number, t1: number): void;
	tick(seriesId: number, t: number, v: number): void;
	/** Everything up to stamped time `t` of this series has been replayed. */
	reached(seriesId: number, t: number): void;
}

/**
 * One imported file replaying through the pipeline: each value column on its own Replay (columns
 * may have dropped different rows), stamped in the present at the chosen speed, with the file's
 * labelled windows handed over as truth just before the first tick they cover.
 */
export class ImportRun {
	readonly id: string;
	readonly name: string;
	readonly keys: string[];
	readonly speed: ReplaySpeed;
	private readonly columns: ImportedColumn[];
	private readonly seriesIds: number[];
	private readonly replays: Replay[];
	private readonly windows: TimeWindow[];
	/** Per column: the next labelled window not yet handed over. */
	private readonly nextWindow: number[];
	private replayed = 0;
	private readonly total: number;

	constructor(options: {
		id: string;
		name: string;
		keys: string[];
		columns: ImportedColumn[];
		seriesIds: number[];
		windows: TimeWindow[];
		speed: ReplaySpeed;
		now: number;
	}) {
		this.id = options.id;
		this.name = options.name;
		this.keys = options.keys;
		this.columns = options.columns;
		this.seriesIds = options.seriesIds;
		this.windows = [...options.windows].sort((a, b) => a.t0 - b.t0);
		this.speed = options.speed;
		this.replays = options.columns.map((column) => new Replay({ t: column.t, speed: options.speed, now: options.now }));
		this.nextWindow = options.columns.map(() => 0);
		this.total = options.columns.reduce((sum, column) => sum + column.t.length, 0);
	}

	get done(): boolean {
		return this.replays.every((replay) => replay.done);
	}

	/** Replays what is due at wall time `now`. */
	step(now: number, sink: ImportSink): void {
		for (let c = 0; c < this.columns.length; c++) {
			const replay = this.replays[c];
			if (replay.done) continue;
			replay.take(now, MAX_REPLAY_TICKS_PER_STEP);
			const { start, end, offsetMs } = replay.step;
			if (end === start) continue;
			const { t, v } = this.columns[c];
			const id = this.seriesIds[c];
			let w = this.nextWindow[c];
			for (let i = start; i < end; i++) {
				while (w < this.windows.length && this.windows[w].t0 <= t[i]) {
					const window = this.windows[w++];
					// A window that ended before this tick covered no replayed tick: still truth (missed).
					sink.truth(id, window.t0 + offsetMs, window.t1 + offsetMs);
				}
				sink.tick(id, t[i] + offsetMs, v[i]);
			}
			this.nextWindow[c] = w;
			this.replayed += end - start;
			sink.reached(id, t[end - 1] + offsetMs);
		}
	}

	status(): ImportStatus {
		return {
			id: this.id,
			name: this.name,
			keys: this.keys,
			speed: this.speed,
			replayed: this.replayed,
			total: this.total,
			windows: this.windows.length,
			done: this.done
		};
	}
}
