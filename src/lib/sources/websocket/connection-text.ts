/** Plain-words reasons and small helpers for WsConnection. */
import { redactUrl } from '../redact-url';

export function urlProblem(url: string): string | null {
	let protocol: string;
	try {
		protocol = new URL(url.trim()).protocol;
	} catch {
		return `"${redactUrl(url)}" is not a web address; a feed address looks like wss://example.com/stream`;
	}
	if (protocol === 'ws:' || protocol === 'wss:') return null;
	return `"${redactUrl(url)}" is not a WebSocket address: it must start with ws:// or wss://`;
}

export function closeText(event: { code: number; reason: string }, wasLive: boolean): string {
	const why = event.reason ? `: ${event.reason}` : '';
	return wasLive
		? `the server closed the connection (code ${event.code}${why})`
		: `could not connect to the server (code ${event.code}${why})`;
}

export function errorText(err: unknown): string {
	return err instanceof Error ? err.message : String(err);
}

/** UTF-8 length without allocating an encoded copy: this runs once per frame. */
export function utf8Bytes(text: string): number {
	let bytes = text.length;
	for (let i = 0; i < text.length; i++) {
		const code = text.charCodeAt(i);
		if (code >= 0xd800 && code <= 0xdbff) {
			bytes += 2; // a surrogate pair: 2 code units, 4 bytes
			i++;
		} else if (code >= 0x800) bytes += 2;
		else if (code >= 0x80) bytes += 1;
	}
	return bytes;
}
