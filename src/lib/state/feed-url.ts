/**
 * What is wrong with a feed URL, in plain words, or null when it can be tried. Browsers refuse
 * a ws:// socket from an https:// page (mixed content) without saying why: say it here.
 */
export function feedUrlProblem(url: string, pageProtocol: string): string | null {
	if (!url) return 'Paste the address of a WebSocket feed (ws://… or wss://…).';
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return `“${url.slice(0, 80)}” is not an address. A feed address looks like wss://example.com/stream.`;
	}
	if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') {
		return `A feed address starts with ws:// or wss://, not ${parsed.protocol}//.`;
	}
	if (parsed.protocol === 'ws:' && pageProtocol === 'https:') {
		return 'This page is served over https, and browsers block unencrypted ws:// feeds from it. Use the wss:// address of the feed, or open Tickscope over http (for example the local copy from npm start).';
	}
	return null;
}

/** A feed to connect at start from the address bar: `?feed=<url>&subscribe=<message>`. */
export function feedFromQuery(query: URLSearchParams): { url: string; subscribe?: string } | null {
	const url = query.get('feed');
	if (!url) return null;
	const subscribe = query.get('subscribe') ?? undefined;
	return { url, subscribe };
}
