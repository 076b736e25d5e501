import { detectJson } from './detect-json';
import { parseJsonExact } from './exact-integers';
import type { FeedMapping } from './mapping';
import { copyMapping, PRESETS } from './presets';
import { readNumber, toEpochMs } from './values';

export interface DetectResult {
	mapping: FeedMapping;
	/** Name of the preset used, when one matched. */
	preset?: string;
	/** What was chosen and why, for the person editing the mapping. */
	notes: string[];
}

export interface DetectOptions {
	/** Try presets first (default true); false forces the structural detection. */
	usePresets?: boolean;
	/** Reference for "plausible timestamp" (default Date.now()). */
	now?: number;
}

/** First messages looked at; the shape of a feed shows within a few dozen frames. */
const MAX_SAMPLES = 100;
/** Samples larger than this are skipped: detection must stay instant in the UI. */
const MAX_SAMPLE_CHARS = 1 << 20;
/** A preset wins when it matches at least half the messages (acks and pings are the rest). */
const PRESET_SHARE = 0.5;
/** First CSV column counts as time when within ten years of now. */
const PLAUSIBLE_MS = 3653 * 86_400_000;

const utf8 = new TextDecoder('utf-8');

function toText(sample: string | ArrayBuffer): string {
	if (typeof sample === 'string') return sample;
	return sample instanceof ArrayBuffer && sample.byteLength <= MAX_SAMPLE_CHARS ? utf8.decode(sample) : '';
}

function parseJson(text: string, out: unknown[]): void {
	try {
		out.push(parseJsonExact(text));
	} catch {
		for (const line of text.split('\n')) {
			try {
				if (line.trim() !== '') out.push(parseJsonExact(line));
			} catch {
				// Broken lines are skipped here; the decoder reports them as 'invalid-json'.
			}
		}
	}
}

function detectLines(lines: string[], now: number, notes: string[]): FeedMapping | null {
	if (lines.every((l) => Number.isFinite(readNumber(l)))) {
		notes.push('a bare number per frame: arrival time is used');
		return { format: 'number', records: '', time: '', timeUnit: 'auto', keys: [], values: ['value'] };
	}
	const rows = lines.map((l) => l.split(','));
	const columns = rows[0].length;
	if (columns < 2 || !rows.every((r) => r.length === columns && r.every((f) => Number.isFinite(readNumber(f))))) {
		return null;
	}
	const hasTime = rows.every((r) => Math.abs(toEpochMs(r[0].trim(), 'auto') - now) < PLAUSIBLE_MS);
	const count = hasTime ? columns - 1 : columns;
	const values = Array.from({ length: count }, (_, i) => (i === 0 ? 'value' : `value${i + 1}`));
	notes.push(
		hasTime ? `CSV: epoch time then ${count} value column(s)` : `CSV: ${count} value columns, arrival time is used`
	);
	return { format: 'csv', records: '', time: hasTime ? 'first' : '', timeUnit: 'auto', keys: [], values };
}

/**
 * Proposes a mapping from the first frames of a feed: a preset when one fits, else a
 * mapping inferred from the messages' structure. Never throws.
 */
export function detectMapping(samples: (string | ArrayBuffer)[], options: DetectOptions = {}): DetectResult {
	const now = options.now ?? Date.now();
	const notes: string[] = [];
	const texts = samples
		.slice(0, MAX_SAMPLES)
		.map(toText)
		.filter((t) => t.length <= MAX_SAMPLE_CHARS && t.trim() !== '');
	const lines = texts.flatMap((t) => t.split('\n')).map((l) => l.trim()).filter((l) => l !== '');
	if (lines.length > 0) {
		const plain = detectLines(lines, now, notes);
		if (plain) return { mapping: plain, notes };
	}
	const messages: unknown[] = [];
	for (const text of texts) parseJson(text, messages);
	if (messages.length === 0) {
		notes.push(lines.length === 0 ? 'no samples yet' : 'samples are neither JSON, CSV nor bare numbers');
		return { mapping: { format: 'json', records: '', time: '', timeUnit: 'auto', keys: [], values: [] }, notes };
	}
	if (options.usePresets !== false) {
		let best: { name: string; mapping: FeedMapping; hits: number } | null = null;
		for (const preset of PRESETS) {
			const hits = messages.filter((m) => preset.matches(m)).length;
			if (hits > (best?.hits ?? 0)) best = { name: preset.name, mapping: preset.mapping, hits };
		}
		if (best && best.hits >= messages.length * PRESET_SHARE) {
			notes.push(`preset ${best.name}: matches ${best.hits} of ${messages.length} messages`);
			return { mapping: copyMapping(best.mapping), preset: best.name, notes };
		}
	}
	return { mapping: detectJson(messages, now, notes), notes };
}
