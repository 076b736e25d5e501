/**
 * Dotted paths into untrusted JSON (`data.p`, `o.q`, `trace.sensors.0.value`).
 * Reads own properties only, so a feed can never steer a read onto `Object.prototype`.
 */

/** Segments that reach prototypes; a path containing one is invalid, not silently skipped. */
const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype']);
/** Longest accepted path text; real feed paths are < 40 chars, 200 leaves room for long names. */
const MAX_PATH_CHARS = 200;
/** Deepest accepted path; real feeds nest 2–4 levels. */
const MAX_PATH_SEGMENTS = 16;
/** Array indices as canonical decimal integers only (`0`, `12`, not `01`, `1e1`, `-1`). */
const INDEX = /^(?:0|[1-9]\d{0,8})$/;

/**
 * Splits `a.b.0.c` into segments. `''` is the empty path (the value itself).
 * Returns null for empty segments (`a..b`), forbidden segments or over-long paths.
 */
export function parsePath(text: string): string[] | null {
	if (typeof text !== 'string' || text.length > MAX_PATH_CHARS) return null;
	if (text === '') return [];
	const segments = text.split('.');
	if (segments.length > MAX_PATH_SEGMENTS) return null;
	for (const segment of segments) {
		if (segment === '' || FORBIDDEN_SEGMENTS.has(segment)) return null;
	}
	return segments;
}

/** True when the segment is one `parsePath` would accept. */
export function isSafeSegment(segment: string): boolean {
	return segment !== '' && !segment.includes('.') && !FORBIDDEN_SEGMENTS.has(segment);
}

/** Reads a path from parsed JSON; undefined when any step is missing or not a container. */
export function readPath(value: unknown, segments: readonly string[]): unknown {
	let current = value;
	for (let i = 0; i < segments.length; i++) {
		const segment = segments[i];
		if (current === null || typeof current !== 'object') return undefined;
		if (Array.isArray(current)) {
			if (!INDEX.test(segment)) return undefined;
			const index = Number(segment);
			if (index >= current.length) return undefined;
			current = current[index];
		} else {
			// Checked again here so hand-built segment arrays are as safe as parsed ones.
			if (FORBIDDEN_SEGMENTS.has(segment) || !Object.hasOwn(current, segment)) return undefined;
			current = (current as Record<string, unknown>)[segment];
		}
	}
	return current;
}
