/** Payload conversion and plain-words reasons for MqttConnection. */
import { errorText } from '../websocket/connection-text';

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * The payload as a string when it is UTF-8 text, else a copy of its bytes (mqtt.js hands out
 * views into larger pooled buffers, which must not leak to the decoder or be transferred).
 * Control bytes other than tab, LF and CR make it binary even when they are valid UTF-8: small
 * binary messages (protobuf, packed ints) often are, and as text they would only fail to parse.
 */
export function payloadData(payload: Uint8Array): string | ArrayBuffer {
	let text = true;
	for (let i = 0; i < payload.length; i++) {
		const byte = payload[i];
		if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) {
			text = false;
			break;
		}
	}
	if (text) {
		try {
			return decoder.decode(payload);
		} catch {
			// Not UTF-8: binary.
		}
	}
	return payload.buffer.slice(payload.byteOffset, payload.byteOffset + payload.byteLength) as ArrayBuffer;
}

/** Why the broker or the network ended an attempt, from an mqtt.js error. */
export function mqttErrorText(error: unknown, wasLive: boolean): string {
	const code = (error as { code?: unknown } | null)?.code;
	// CONNACK return codes (MQTT 3.1.1) and reason codes (MQTT 5) that mean "who are you?".
	if (code === 4 || code === 134) return 'the broker refused the user name or password';
	if (code === 5 || code === 135) return 'the broker refused the connection: not authorised';
	const message = errorText(error);
	if (/^Connection refused/i.test(message)) return `the broker refused the connection (${message})`;
	return wasLive
		? `the connection to the broker failed (${message})`
		: `could not connect to the broker (${message})`;
}

/**
 * Takes credentials out of text from libraries before it reaches a status. Neither mqtt.js nor
 * ws puts them in messages today, and the URL they see has none; this keeps it so. Values under
 * 3 characters are left alone: replacing "a" everywhere would garble every reason.
 */
export function withoutSecrets(text: string, secrets: readonly (string | undefined)[]): string {
	let out = text;
	for (const secret of secrets) if (secret && secret.length >= 3) out = out.split(secret).join('•••');
	return out;
}

/** tickscope- plus 8 hex digits from the crypto source: two tabs must never share an id. */
export function randomClientId(): string {
	const bytes = crypto.getRandomValues(new Uint8Array(4));
	return `tickscope-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
