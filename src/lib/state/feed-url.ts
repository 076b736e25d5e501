/**
 * What is wrong with a feed URL, in plain words, or null when it can be tried. Browsers refuse
 * a ws:// socket from an https:// page (mixed content) without saying why: say it here.
 */
export function feedUrlProblem(url: string, pageProtocol: string): string | null {
	if (!url) return 'Paste the address of a WebSocket feed (ws://… or wss://…) or of an MQTT broker (mqtt+wss://…).';
	// An MQTT broker over WebSockets: mqtt+ws:// and mqtt+wss:// name the protocol in the address.
	const socketUrl = url.replace(/^mqtt\+(wss?):\/\//i, '$1://');
	let parsed: URL;
	try {
		parsed = new URL(socketUrl);
	} catch {
		return `“${url.slice(0, 80)}” is not an address. A feed address looks like wss://example.com/stream.`;
	}
	if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') {
		return `A feed address starts with ws://, wss://, mqtt+ws:// or mqtt+wss://, not ${parsed.protocol}//.`;
	}
	if (parsed.protocol === 'ws:' && pageProtocol === 'https:') {
		return 'This page is served over https, and browsers block unencrypted ws:// feeds from it. Use the wss:// address of the feed, or open Tickscope over http (for example the local copy from npm start).';
	}
	return null;
}

/** Whether an address names an MQTT broker (mqtt+ws:// or mqtt+wss://). */
export function isMqttAddress(url: string): boolean {
	return /^mqtt\+wss?:\/\//i.test(url.trim());
}

/** Topic filters typed as a list: one per line or comma-separated, blanks dropped. */
export function parseTopics(text: string): string[] {
	return text
		.split(/[\n,]/)
		.map((t) => t.trim())
		.filter(Boolean);
}

/**
 * A feed to connect at start from the address bar: `?feed=<url>&subscribe=<message>`, or for an
 * MQTT broker `?feed=mqtt+wss://…&topics=a/+/b,c/#&qos=1` (credentials never go in a link).
 */
export function feedFromQuery(query: URLSearchParams): { url: string; subscribe?: string; topics?: string[]; qos?: 0 | 1 } | null {
	const url = query.get('feed');
	if (!url) return null;
	const subscribe = query.get('subscribe') ?? undefined;
	const topics = query.get('topics');
	if (topics !== null || isMqttAddress(url)) return { url, topics: parseTopics(topics ?? '#'), qos: query.get('qos') === '1' ? 1 : 0 };
	return { url, subscribe };
}

export { redactUrl } from '../sources/redact-url';
