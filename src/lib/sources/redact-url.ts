/** Query parameters whose values are credentials: never shown, logged or exported as they are. */
const SECRET_PARAM = /token|key|secret|signature|sig$|auth|passw|pwd|credential|session/i;

/**
 * The address as it may be shown: values of secret-looking query parameters (token, apiKey,
 * signature, listenKey, auth…) and any password in the address replaced by `•••`. Text that
 * is not an address comes back unchanged.
 */
export function redactUrl(url: string): string {
	const scheme = /^mqtt\+/i.exec(url)?.[0] ?? '';
	let parsed: URL;
	try {
		parsed = new URL(url.slice(scheme.length));
	} catch {
		return url;
	}
	if (parsed.password) parsed.password = '•••';
	for (const name of [...new Set(parsed.searchParams.keys())]) {
		if (SECRET_PARAM.test(name)) parsed.searchParams.set(name, '•••');
	}
	// URLSearchParams re-encodes the mask; show it as typed.
	return scheme + parsed.toString().replaceAll(encodeURIComponent('•••'), '•••');
}
