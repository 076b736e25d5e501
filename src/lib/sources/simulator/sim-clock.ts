/**
 * Simulated time: runs at `speed` × wall-clock time, can pause, and never goes backwards.
 * Changing speed or pausing re-bases it at the current instant, so time stays continuous.
 */
export class SimClock {
	private simBase: number;
	private wallBase: number;
	speed: number;
	paused: boolean;

	constructor(options: { simStart: number; wallNow: number; speed?: number; paused?: boolean }) {
		this.simBase = options.simStart;
		this.wallBase = options.wallNow;
		this.speed = options.speed ?? 1;
		this.paused = options.paused ?? false;
	}

	/** Simulated epoch ms at wall-clock time `wall`. */
	now(wall: number): number {
		if (this.paused) return this.simBase;
		return this.simBase + Math.max(0, wall - this.wallBase) * this.speed;
	}

	setSpeed(speed: number, wall: number): void {
		this.rebase(wall);
		this.speed = speed;
	}

	setPaused(paused: boolean, wall: number): void {
		this.rebase(wall);
		this.paused = paused;
	}

	/** The source could not keep up: simulated time is `sim` at `wall` and goes on from there. */
	holdAt(sim: number, wall: number): void {
		this.simBase = sim;
		this.wallBase = wall;
	}

	private rebase(wall: number): void {
		this.simBase = this.now(wall);
		this.wallBase = wall;
	}
}
