import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DecodeSink, RejectReason } from './decoder';

/** Test helpers: a sink that records everything, and the sample feed fixtures. */

export interface RecordedTick {
	key: string;
	t: number;
	v: number;
	truth: boolean | undefined;
}

export class RecordingSink implements DecodeSink {
	ticks: RecordedTick[] = [];
	rejects: { reason: RejectReason; detail: string }[] = [];
	arrivals = 0;

	tick(key: string, t: number, v: number, truth: boolean | undefined): void {
		this.ticks.push({ key, t, v, truth });
	}
	reject(reason: RejectReason, detail: string): void {
		this.rejects.push({ reason, detail });
	}
	usedArrivalTime(): void {
		this.arrivals++;
	}
	/** Tick count per series key. */
	counts(): Record<string, number> {
		const out: Record<string, number> = {};
		for (const { key } of this.ticks) out[key] = (out[key] ?? 0) + 1;
		return out;
	}
	reasons(): RejectReason[] {
		return this.rejects.map((r) => r.reason);
	}
}

export const FEEDS_DIR = fileURLToPath(new URL('../../../../tests/fixtures/feeds/', import.meta.url));

/** Sample files: one WebSocket frame per line. */
export function feedFiles(): string[] {
	return readdirSync(FEEDS_DIR).filter((f) => f.endsWith('.jsonl') || f.endsWith('.txt'));
}

export function feedFrames(file: string): string[] {
	return readFileSync(FEEDS_DIR + file, 'utf8')
		.split('\n')
		.filter((line) => line !== '');
}

/** Samples start at 2026-11-20T14:00:00Z; arrival an hour later keeps every stamp in range. */
export const SAMPLE_START_MS = Date.UTC(2026, 10, 20, 14);
export const SAMPLE_ARRIVAL_MS = SAMPLE_START_MS + 3_600_000;
