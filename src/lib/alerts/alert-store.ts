import { DEFAULT_ALERTS, parseWorkspace, type AlertSettings } from '../workspace/workspace';

/** Where alert settings are loaded from and saved to. The workspace will be one; this file's is a stop-gap. */
export interface AlertStore {
	load(): AlertSettings;
	save(settings: AlertSettings): void;
	/** Settings changed elsewhere (another tab); returns the stop. */
	watch?(apply: (settings: AlertSettings) => void): () => void;
}

/** The localStorage key, until alert settings live in the workspace (IndexedDB). */
export const ALERTS_STORAGE_KEY = 'tickscope.alerts';

/**
 * Alert settings in localStorage. Stored text is untrusted like any workspace: it goes through
 * the workspace's own check (so the limits, e.g. 5 s to 1 h between notifications, are one rule).
 */
export function localAlertStore(storage: Storage = localStorage): AlertStore {
	const parse = (text: string | null): AlertSettings | null => {
		if (!text) return null;
		try {
			return parseWorkspace({ format: 'tickscope-workspace', version: 1, alerts: JSON.parse(text) })?.workspace.alerts ?? null;
		} catch {
			return null;
		}
	};
	return {
		load: () => parse(read(storage)) ?? { ...DEFAULT_ALERTS },
		save: (settings) => {
			try {
				storage.setItem(ALERTS_STORAGE_KEY, JSON.stringify(settings));
			} catch {
				// Storage full or disabled: the settings hold for this page only.
			}
		},
		watch: (apply) => {
			const onstorage = (event: StorageEvent) => {
				if (event.key !== ALERTS_STORAGE_KEY) return;
				const settings = parse(event.newValue);
				if (settings) apply(settings);
			};
			addEventListener('storage', onstorage);
			return () => removeEventListener('storage', onstorage);
		}
	};
}

function read(storage: Storage): string | null {
	try {
		return storage.getItem(ALERTS_STORAGE_KEY);
	} catch {
		return null;
	}
}
