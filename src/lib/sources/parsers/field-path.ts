/**
 * Dotted paths into untrusted JSON (`data.p`, `o.q`, `trace.sensors.0.value`).
 * Reads own properties only, so a feed can never steer a read onto `Object.prototype`.
 *
 * The prototype rule ("in any spelling"). A path is refused when any reading of it names
 * `__proto__`, `constructor` or `prototype`, where a reading is what a lenient path parser
 * could make of the text:
 * - escapes decoded, repeatedly (so double-encoded forms count too): JSON/JS `\u005f`,
 *   `\u{5f}`, `\x5f`, URL `%5F` (and `%255F`), HTML `&#95;` / `&#x5f;`;
 * - compatibility forms folded and case ignored: `＿＿ｐｒｏｔｏ＿＿`, `__PROTO__`, `Constructor`;
 * - invisible characters dropped: control and format characters (zero-width, BOM, soft
 *   hyphen), combining marks (`cónstructor`);
 * - every run of characters other than letters, digits and `_` is a separator, so bracket and
 *   quote syntax (`a["__proto__"]`, `a[constructor][prototype]`, `$..constructor`), slashes and
 *   spaces (` __proto__ `) all expose the name as a word; whitespace and backslashes are also
 *   tried removed (`proto type`, `\_\_proto\_\_`).
 * The price is a few false refusals (a field called `my-prototype` cannot be mapped; a
 * `prototype_id` or `constructorName` can). Look-alikes from other scripts (Cyrillic `о`) are not
 * folded: nothing downstream maps them to Latin letters.
 * Paths are never decoded or case-folded when read: `readPath` compares segments literally
 * against own keys and refuses the three exact names again, so a hand-built segment list is as
 * safe as a parsed one.
 */

/** Segments that reach prototypes; a path spelling one is invalid, not silently skipped. */
const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype']);
/** Rounds of unescaping: enough for double and triple encodings, bounded for hostile input. */
const UNESCAPE_ROUNDS = 4;
/** Text that may hide an escape; plain paths skip the decoding rounds. */
const MAY_ESCAPE = /[\\%&]/;
const ESCAPES =
	/\\u\{([0-9a-f]{1,6})\}|\\u([0-9a-f]{4})|\\x([0-9a-f]{2})|%([0-9a-f]{2})|&#x([0-9a-f]{1,6});?|&#(\d{1,7});?/gi;
/** Dropped before looking for words: controls, format characters, combining marks. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{M}]/gu;
/** Tried removed as well as taken as separators. */
const SQUEEZED = /[\s\\]/gu;
/** Word separators: anything but letters, digits and `_`. */
const SEPARATORS = /[^\p{L}\p{N}_]+/u;

function unescapeOnce(text: string): string {
	return text.replace(ESCAPES, (all, brace?: string, u4?: string, x2?: string, pct?: string, hex?: string, dec?: string) => {
		const code = dec !== undefined ? parseInt(dec, 10) : parseInt(brace ?? u4 ?? x2 ?? pct ?? hex ?? '', 16);
		return code <= 0x10ffff ? String.fromCodePoint(code) : all;
	});
}

/** URL decoding as a browser does it (multi-byte forms like `%EF%BC%BF`, a fullwidth `_`). */
function decodeUrl(text: string): string {
	if (!text.includes('%')) return text;
	try {
		return decodeURIComponent(text);
	} catch {
		return text;
	}
}

function fold(text: string): string {
	return text.normalize('NFKD').replace(INVISIBLE, '').toLowerCase().normalize('NFKD').replace(INVISIBLE, '');
}

function hasForbiddenWord(text: string): boolean {
	for (const word of text.split(SEPARATORS)) if (FORBIDDEN_SEGMENTS.has(word)) return true;
	return false;
}

/**
 * True when some reading of `text` names `__proto__`, `constructor` or `prototype` (the rule
 * above). Meant for path text from mappings and feed keys, not for the per-tick hot loop.
 */
export function spellsPrototypeKey(text: string): boolean {
	let decoded = text;
	if (MAY_ESCAPE.test(decoded)) {
		for (let round = 0; round < UNESCAPE_ROUNDS; round++) {
			const next = unescapeOnce(decodeUrl(decoded));
			if (next === decoded) break;
			decoded = next;
		}
	}
	const folded = fold(decoded);
	return hasForbiddenWord(folded) || hasForbiddenWord(folded.replace(SQUEEZED, ''));
}

/** Longest accepted path text; real feed paths are < 40 chars, 200 leaves room for long names. */
const MAX_PATH_CHARS = 200;
/** Deepest accepted path; real feeds nest 2–4 levels. */
const MAX_PATH_SEGMENTS = 16;
/** Array indices as canonical decimal integers only (`0`, `12`, not `01`, `1e1`, `-1`). */
const INDEX = /^(?:0|[1-9]\d{0,8})$/;

/**
 * Splits `a.b.0.c` into segments. `''` is the empty path (the value itself).
 * Returns null for empty segments (`a..b`), over-long paths, and any path that spells a
 * prototype key in any reading (see the rule at the top).
 */
export function parsePath(text: string): string[] | null {
	if (typeof text !== 'string' || text.length > MAX_PATH_CHARS) return null;
	if (text === '') return [];
	const segments = text.split('.');
	if (segments.length > MAX_PATH_SEGMENTS) return null;
	for (const segment of segments) if (segment === '') return null;
	return spellsPrototypeKey(text) ? null : segments;
}

/** True when the segment is one `parsePath` would accept as a whole path. */
export function isSafeSegment(segment: string): boolean {
	return (
		typeof segment === 'string' &&
		segment !== '' &&
		segment.length <= MAX_PATH_CHARS &&
		!segment.includes('.') &&
		!spellsPrototypeKey(segment)
	);
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
