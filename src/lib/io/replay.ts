/**
 * Paces stored or imported ticks as if they arrived live. Pure: the caller passes the wall clock
 * (`now`, ms) and drives `take` from its own timer or frame loop; nothing here reads a clock.
 *
 * Replayed time = anchor time + (now − anchor wall time) × speed; the anchors start at
 * (first tick time, startedAt) and move on pause/resume/seek/setSpeed. Ticks must be sorted by
 * time (the importer sorts); a tick earlier than the one before it is simply due at once.
 */

/** 1×, 10×, 100× as offered in the UI; any finite positive factor works. 'max' ignores the clock. */
export type ReplaySpeed = number | 'max';
export const REPLAY_SPEEDS: readonly ReplaySpeed[] = [1, 10, 100, 'max'];

/** The ticks due in one `take`, reused between calls: copy the numbers, not the object. */
export interface ReplayStep {
	/** First index due (inclusive). */
	start: number;
	/** One past the last index due (exclusive); end === start when nothing is due. */
	end: number;
	/**
	 * Add to t[i] to stamp the tick in the present (startedAt − first tick time, moved on
	 * resume and seek). At speeds above 1× the stamps run ahead of the wall clock by
	 * elapsed × (speed − 1): intervals between ticks are kept, the clock is not.
	 */
	offsetMs: number;
}

export interface ReplayOptions {
	/** Original tick times, epoch ms; read, never changed. */
	t: Float64Array;
	/** Ticks to replay (default t.length). */
	n?: number;
	speed: ReplaySpeed;
	/** Wall-clock start, ms. */
	now: number;
}

function checkSpeed(speed: ReplaySpeed): ReplaySpeed {
	if (speed !== 'max' && !(Number.isFinite(speed) && speed > 0)) throw new RangeError(`replay speed ${speed}`);
	return speed;
}

/** First index with t[i] ≥ time, in [0, n]. */
function lowerBound(t: Float64Array, n: number, time: number): number {
	let lo = 0;
	let hi = n;
	while (lo < hi) {
		const mid = (lo + hi) >>> 1;
		if (t[mid] < time) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}

export class Replay {
	readonly step: ReplayStep = { start: 0, end: 0, offsetMs: 0 };
	private readonly t: Float64Array;
	private readonly n: number;
	private speed: ReplaySpeed;
	private next = 0;
	private anchorTime: number;
	private anchorWall: number;
	private pausedAt = NaN;
	private offset: number;
	/** Stamp of the last tick handed out; seeks never stamp a later tick before it. */
	private lastStamp = -Infinity;

	constructor(options: ReplayOptions) {
		this.t = options.t;
		this.n = Math.max(0, Math.min(options.n ?? options.t.length, options.t.length));
		this.speed = checkSpeed(options.speed);
		this.anchorTime = this.n > 0 ? this.t[0] : 0;
		this.anchorWall = options.now;
		this.offset = options.now - this.anchorTime;
		this.step.offsetMs = this.offset;
	}

	get done(): boolean {
		return this.next >= this.n;
	}

	get paused(): boolean {
		return this.pausedAt === this.pausedAt;
	}

	/** Index of the next tick to hand out; progress = position / length. */
	get position(): number {
		return this.next;
	}

	get length(): number {
		return this.n;
	}

	/** Where the replay is in the data's own time; for 'max', the last tick handed out. */
	replayedTime(now: number): number {
		if (this.speed === 'max') return this.next > 0 ? this.t[this.next - 1] : this.anchorTime;
		if (this.paused) return this.anchorTime;
		return this.anchorTime + (now - this.anchorWall) * this.speed;
	}

	/**
	 * Fills `step` with the ticks due since the last call, at most maxTicks of them (the rest
	 * stay due for the next call), and returns how many. Allocates nothing.
	 */
	take(now: number, maxTicks: number): number {
		const step = this.step;
		const start = this.next;
		step.start = start;
		step.end = start;
		step.offsetMs = this.offset;
		if (this.paused || start >= this.n || !(maxTicks >= 1)) return 0;
		const limit = Math.min(this.n, start + Math.floor(maxTicks));
		let end = start;
		if (this.speed === 'max') {
			end = limit;
		} else {
			const due = this.replayedTime(now);
			// Inclusive: the first tick is due at startedAt itself (elapsed 0).
			while (end < limit && this.t[end] <= due) end++;
		}
		if (end > start) this.lastStamp = this.t[end - 1] + this.offset;
		step.end = end;
		this.next = end;
		return end - start;
	}

	pause(now: number): void {
		if (this.paused) return;
		this.anchorTime = this.replayedTime(now);
		this.pausedAt = now;
	}

	/** Continues where it paused; stamps move on by the pause so they stay in the present. */
	resume(now: number): void {
		if (!this.paused) return;
		this.offset += now - this.pausedAt;
		this.anchorWall = now;
		this.pausedAt = NaN;
	}

	setSpeed(speed: ReplaySpeed, now: number): void {
		checkSpeed(speed);
		if (!this.paused) {
			this.anchorTime = this.replayedTime(now);
			this.anchorWall = now;
		}
		this.speed = speed;
	}

	/**
	 * Jumps to the first tick at or after `time` (original time), due at once. Stamps restart
	 * at `now`, but never before the last one handed out, so a stored series stays in order.
	 */
	seek(time: number, now: number): void {
		this.next = lowerBound(this.t, this.n, time);
		this.anchorTime = time;
		this.anchorWall = now;
		if (this.paused) this.pausedAt = now;
		this.offset = Math.max(now - time, this.lastStamp - time);
	}
}
