import type { TimeLink } from './series-source';

/** The time range linked chart panels share; null follows the newest ticks. */
export class LinkedTime implements TimeLink {
	range: { from: number; to: number } | null = null;
	private readonly listeners = new Set<() => void>();

	set(range: { from: number; to: number } | null): void {
		if (range && !(Number.isFinite(range.from) && Number.isFinite(range.to) && range.to > range.from)) return;
		if (range === this.range || (range && this.range && range.from === this.range.from && range.to === this.range.to)) return;
		this.range = range;
		for (const listener of [...this.listeners]) listener();
	}

	onChange(listener: () => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}
}
