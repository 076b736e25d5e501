/**
 * Why a feed cannot be opened from this page, in plain words, or null if it can.
 * Browsers block unencrypted ws:// from a page served over https:// ("mixed content").
 * Chrome and Firefox exempt ws://localhost and ws://127.0.0.1, Safari does not, so loopback
 * addresses are reported too rather than failing silently in one browser.
 */
export function mixedContentProblem(pageProtocol: string, url: string): string | null {
	const securePage = pageProtocol.replace(/:$/, '').toLowerCase() === 'https';
	if (!securePage || !/^ws:\/\//i.test(url.trim())) return null;
	return (
		'This page was opened over https://, and browsers block unencrypted ws:// feeds from ' +
		'secure pages. Use the feed\'s wss:// address (the same feed over TLS), or open Tickscope ' +
		'over http:// (for example from a local copy) to use ws:// feeds.'
	);
}
