const timeFormat = new Intl.DateTimeFormat(undefined, {
	hour: '2-digit',
	minute: '2-digit',
	second: '2-digit',
	fractionalSecondDigits: 3,
	hour12: false
});

const dateTimeFormat = new Intl.DateTimeFormat(undefined, {
	month: 'short',
	day: 'numeric',
	hour: '2-digit',
	minute: '2-digit',
	second: '2-digit',
	hour12: false
});

/** `14:03:07.125` in local time; with the date (`Nov 25, 14:03:07`) when `span` covers more than a day. */
export function formatTime(t: number, span = 0): string {
	return span > 86_400_000 ? dateTimeFormat.format(t) : timeFormat.format(t);
}

/** Most decimals shown for a value. */
const MAX_DECIMALS = 6;

/**
 * Decimals a series is quoted in, read off its values: 0 for counts, 1 for 0.1-resolution
 * sensors, 2 for cents. Feeds do not say, so this looks at the numbers themselves.
 */
export function decimalsOf(values: ArrayLike<number>, limit = 50): number {
	let decimals = 0;
	for (let i = Math.max(0, values.length - limit); i < values.length; i++) {
		const v = values[i];
		if (!Number.isFinite(v)) continue;
		let d = decimals;
		while (d < MAX_DECIMALS && Math.abs(v * 10 ** d - Math.round(v * 10 ** d)) > 1e-6) d++;
		decimals = d;
	}
	return decimals;
}

/** A value with `decimals` places, or sensible precision for its size when not given. */
export function formatValue(v: number, decimals?: number): string {
	if (!Number.isFinite(v)) return String(v);
	const abs = Math.abs(v);
	const digits = decimals ?? (abs >= 1 ? 2 : 4);
	return v.toLocaleString(undefined, { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function formatSigned(v: number, decimals?: number): string {
	const magnitude = formatValue(Math.abs(v), decimals);
	// The sign of what is shown: −0.004 at two places reads ±0.00, not −0.00.
	const shownZero = !/[1-9]/.test(magnitude);
	return (shownZero ? '±' : v > 0 ? '+' : '−') + magnitude;
}

/** A detector score: in [0, 1] with two places (older raw scores: past 1,000 only "huge"). */
export function formatScore(score: number): string {
	if (score <= 1) return score.toFixed(2);
	return score >= 1000 ? '>1,000' : score.toFixed(1);
}

export function formatCount(n: number): string {
	return Math.round(n).toLocaleString();
}

export function formatBytes(bytes: number | null): string {
	if (bytes === null) return 'unknown';
	const units = ['B', 'kB', 'MB', 'GB', 'TB'];
	let value = bytes;
	let unit = 0;
	while (value >= 1000 && unit < units.length - 1) {
		value /= 1000;
		unit++;
	}
	return `${value.toFixed(value >= 100 || unit === 0 ? 0 : 1)} ${units[unit]}`;
}

export function formatDuration(ms: number): string {
	if (ms < 60_000) return `${Math.max(0, Math.round(ms / 1000))} s`;
	const minutes = ms / 60_000;
	if (minutes < 60) return `${Math.round(minutes)} min`;
	const hours = minutes / 60;
	return hours < 48 ? `${Math.round(hours)} h` : `${Math.round(hours / 24)} days`;
}

/** `+1.23%` */
export function formatPercent(fraction: number): string {
	const pct = fraction * 100;
	return `${pct > 0 ? '+' : pct < 0 ? '−' : '±'}${Math.abs(pct).toFixed(2)}%`;
}

/** `0 ms`, `350 ms`, `1.2 s`, `3 min`. */
export function formatDelay(ms: number): string {
	if (ms < 1000) return `${Math.round(ms)} ms`;
	if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
	return `${Math.round(ms / 60_000)} min`;
}
