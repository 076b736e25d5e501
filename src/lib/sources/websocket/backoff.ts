/** How long to wait before the next reconnect attempt, and when to forget past failures. */
export interface BackoffOptions {
	/** Wait before the first retry. */
	initialMs?: number;
	/** No wait is ever longer than this, jitter included. */
	maxMs?: number;
	/** Each consecutive failure multiplies the wait by this. */
	factor?: number;
	/** Share of the wait drawn at random either way (0.3 = ±30 %). */
	jitter?: number;
	/** A connection that stayed up this long resets the failure count. */
	healthyMs?: number;
}

/** Half a second: a blip (server restart, Wi-Fi hand-over) is bridged almost unnoticed. */
const INITIAL_BACKOFF_MS = 500;
/** 30 s: a feed that is down for long is retried twice a minute, not hammered. */
const MAX_BACKOFF_MS = 30_000;
const BACKOFF_FACTOR = 2;
/** ±30 %: tabs that lost the same server at once do not all come back in the same instant. */
const BACKOFF_JITTER = 0.3;
/** 10 s up counts as healthy: a server that accepts then drops at once keeps backing off. */
const HEALTHY_CONNECTION_MS = 10_000;

export function resolveBackoff(options: BackoffOptions = {}): Required<BackoffOptions> {
	return {
		initialMs: options.initialMs ?? INITIAL_BACKOFF_MS,
		maxMs: options.maxMs ?? MAX_BACKOFF_MS,
		factor: options.factor ?? BACKOFF_FACTOR,
		jitter: options.jitter ?? BACKOFF_JITTER,
		healthyMs: options.healthyMs ?? HEALTHY_CONNECTION_MS
	};
}

/**
 * Wait before retry number `attempt` (1 = first retry): initialMs · factor^(attempt − 1),
 * jittered by ±jitter, never above maxMs. `random` returns [0, 1).
 */
export function backoffDelayMs(
	attempt: number,
	backoff: Required<BackoffOptions>,
	random: () => number
): number {
	// factor^n overflows to Infinity after ~1000 failures; min() still yields maxMs.
	const base = Math.min(backoff.maxMs, backoff.initialMs * backoff.factor ** Math.max(0, attempt - 1));
	const jittered = base * (1 + backoff.jitter * (2 * random() - 1));
	return Math.max(0, Math.min(backoff.maxMs, Math.round(jittered)));
}
