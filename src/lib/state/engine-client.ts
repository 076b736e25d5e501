import * as Comlink from 'comlink';
import type { EngineApi } from '../engine/types';

export interface EngineClient {
	api: Comlink.Remote<EngineApi>;
	dispose(): void;
}

/** Starts the engine worker; `dispose` releases the Comlink proxy and terminates the worker. */
export function connectEngine(): EngineClient {
	const worker = new Worker(new URL('../engine/engine.worker.ts', import.meta.url), {
		type: 'module',
		name: 'tickscope-engine'
	});
	const api = Comlink.wrap<EngineApi>(worker);
	return {
		api,
		dispose() {
			api[Comlink.releaseProxy]();
			worker.terminate();
		}
	};
}
