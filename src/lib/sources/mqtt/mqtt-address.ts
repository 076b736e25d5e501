/** Broker addresses and topic filters as a person types them, checked in plain words. */
import { utf8Bytes } from '../websocket/connection-text';

export type BrokerAddress =
	| { ok: true; wsUrl: string; username?: string; password?: string }
	| { ok: false; problem: string };

/** MQTT caps a topic (filter) at 65,535 bytes of UTF-8: its length field is 16 bits. */
const MAX_TOPIC_BYTES = 65_535;

const EXAMPLE = 'mqtt+wss://broker.example.com:8884/mqtt';

/** True for addresses only MQTT can open: mqtt+ws(s):// and the TCP schemes a browser cannot. */
export function isMqttUrl(url: string): boolean {
	return /^\s*(mqtt\+wss?|mqtts?|tcp|ssl|tls):\/\//i.test(url);
}

/**
 * `mqtt+ws://host:port/path` → `ws://host:port/path` (likewise wss; ws:// and wss:// pass
 * through). A `user:password@` part is taken out of the URL and returned apart, so it reaches
 * the broker in the CONNECT packet only. Problems never quote the address: it may hold a password.
 */
export function parseBrokerUrl(text: string): BrokerAddress {
	let url: URL;
	try {
		url = new URL(text.trim());
	} catch {
		return { ok: false, problem: `the broker address is not a web address; it looks like ${EXAMPLE}` };
	}
	const scheme = url.protocol.toLowerCase().replace(/:$/, '');
	const ws = { 'mqtt+ws': 'ws', 'mqtt+wss': 'wss', ws: 'ws', wss: 'wss' }[scheme];
	if (!ws) {
		const tcp = ['mqtt', 'mqtts', 'tcp', 'ssl', 'tls'].includes(scheme);
		return {
			ok: false,
			problem: tcp
				? `${scheme}:// is MQTT over plain TCP, which a browser cannot open: use the broker's WebSocket port, as in ${EXAMPLE}`
				: `the broker address must start with mqtt+wss://, mqtt+ws://, wss:// or ws://, as in ${EXAMPLE}`
		};
	}
	if (!url.hostname) return { ok: false, problem: `the broker address has no host name, as in ${EXAMPLE}` };
	let wsUrl: string;
	try {
		// Rebuilt, not re-schemed: URL refuses to switch a non-special scheme (mqtt+ws) to ws.
		// Parsed again as ws(s) so the host is normalised (case, IDN) as for any web address.
		wsUrl = new URL(`${ws}://${url.host}${url.pathname || '/'}${url.search}`).href;
	} catch {
		return { ok: false, problem: `the broker address has no valid host name, as in ${EXAMPLE}` };
	}
	const address: BrokerAddress = { ok: true, wsUrl };
	try {
		if (url.username) address.username = decodeURIComponent(url.username);
		if (url.password) address.password = decodeURIComponent(url.password);
	} catch {
		return { ok: false, problem: 'the user name or password in the broker address is not properly encoded' };
	}
	return address;
}

/** Null when `filter` is a valid MQTT topic filter, else why not in plain words. */
export function topicFilterProblem(filter: string): string | null {
	if (filter === '') return 'a topic filter is empty: give one such as sensors/+/pressure or markets/#';
	if (filter.includes('\u0000')) return `the topic filter "${filter}" contains a NUL character`;
	if (utf8Bytes(filter) > MAX_TOPIC_BYTES) return 'a topic filter is longer than MQTT allows (65,535 bytes)';
	const levels = filter.split('/');
	for (let i = 0; i < levels.length; i++) {
		const level = levels[i];
		if (level.includes('#') && (level !== '#' || i !== levels.length - 1)) {
			return `in "${filter}", # must be a whole level and the last one, as in markets/#`;
		}
		if (level.includes('+') && level !== '+') {
			return `in "${filter}", + must stand for a whole level between slashes, as in sensors/+/pressure`;
		}
	}
	return null;
}

/** Null when there is at least one filter and every filter is valid. */
export function topicsProblem(topics: readonly string[]): string | null {
	if (topics.length === 0) return 'give at least one topic filter, such as sensors/+/pressure or markets/#';
	for (const topic of topics) {
		const problem = topicFilterProblem(topic);
		if (problem) return problem;
	}
	return null;
}
