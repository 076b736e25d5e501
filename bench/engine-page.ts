// Page side of bench/lib/engine-throughput.mjs: starts bench/engine-worker.ts (bundled next to
// this file as /engine-worker.js) as a dedicated module Worker with one job and resolves with
// its figures. The page itself does nothing else while the worker runs.
import type { EngineJob, EngineResult } from './engine-worker';

export function runEngine(job: EngineJob): Promise<EngineResult & { userAgent: string; cores: number }> {
	const worker = new Worker('/engine-worker.js', { type: 'module' });
	return new Promise((resolve, reject) => {
		worker.onmessage = (event: MessageEvent<{ result?: EngineResult; error?: string }>) => {
			worker.terminate();
			if (event.data.error !== undefined || !event.data.result) reject(new Error(event.data.error ?? 'no result'));
			else resolve({ ...event.data.result, userAgent: navigator.userAgent, cores: navigator.hardwareConcurrency });
		};
		worker.onerror = (event) => {
			worker.terminate();
			reject(new Error(`worker error: ${event.message}`));
		};
		worker.postMessage(job);
	});
}
