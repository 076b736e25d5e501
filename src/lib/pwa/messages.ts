/** Messages between the page and the service worker (src/service-worker.ts). */

/** Page → waiting worker: activate now (workbox-window's `messageSkipWaiting` sends this type). */
export const SKIP_WAITING_MESSAGE = 'SKIP_WAITING';

/** Page → its controller, `{ type, version }`: this window runs `version` (keep its files). */
export const CLIENT_VERSION_MESSAGE = 'TICKSCOPE_CLIENT_VERSION';
