const timeFormat = new Intl.DateTimeFormat(undefined, {
	hour: '2-digit',
	minute: '2-digit',
	second: '2-digit',
	fractionalSecondDigits: 3,
	hour12: false
});

/** `14:03:07.125` in local time. */
export function formatTime(t: number): string {
	return timeFormat.format(t);
}

/** A value with sensible precision for its size. */
export function formatValue(v: number): string {
	if (!Number.isFinite(v)) return String(v);
	const abs = Math.abs(v);
	const digits = abs >= 1000 ? 2 : abs >= 1 ? 2 : 4;
	return v.toLocaleString(undefined, { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function formatSigned(v: number): string {
	return (v > 0 ? '+' : v < 0 ? '−' : '±') + formatValue(Math.abs(v));
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
