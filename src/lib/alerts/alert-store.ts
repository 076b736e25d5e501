import type { AlertSettings } from '../workspace/workspace';

/** Where alert settings are loaded from and saved to: the page passes the workspace's. */
export interface AlertStore {
	load(): AlertSettings;
	save(settings: AlertSettings): void;
	/** Settings changed elsewhere (another tab); returns the stop. */
	watch?(apply: (settings: AlertSettings) => void): () => void;
}
