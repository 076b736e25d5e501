import type { Anomaly } from '../domain/anomaly';
import type { SeriesInfo } from '../domain/series';
import { DETECTORS } from '../detectors/registry';
import type { HistoryStore } from '../storage/history-store';
import { DEFAULT_SETTINGS, emptyStats } from './engine';
import type { LiveBatch } from './live-tap';
import { MirrorLink, type LinkMessage } from './tab-link';
import type { EngineFrame, EngineSettings, EngineSnapshot, EngineStats, SeriesFrame } from './types';
import { WatchBuffer } from './watch-buffer';

/** Flags a chart's first window carries (as the engine's watch). */
const WATCH_ANOMALIES = 500;
const SNAPSHOT_ANOMALIES = 200;
/** How long a first window waits for the recording tab before it is read from storage alone. */
const WINDOW_CALL_MS = 1500;

/**
 * A tab that does not record: it shows what the recording tab streams over the BroadcastChannel
 * (ticks with their bands, flags, new series, stats, settings) through the same frames the page
 * gets from an engine, reads history straight from IndexedDB (never writes it), and asks the
 * recording tab to make every change.
 */
export class Mirror {
	readonly link: MirrorLink;
	private readonly watches: (WatchBuffer | undefined)[] = [];
	private anomalies: Anomaly[] = [];
	private seriesAdded: SeriesInfo[] = [];
	private readonly known = new Set<number>();
	private activeSeries: number[] | null = null;
	private stats: EngineStats = emptyStats();
	private settings: EngineSettings | null = null;
	private settingsSeen = '';
	private settingsChanged = false;

	constructor(
		readonly store: HistoryStore,
		channelName: string,
		tabId: string
	) {
		this.link = new MirrorLink(channelName, tabId, (message) => this.onLive(message));
	}

	/**
	 * The first screen: series, settings and flags from storage, refreshed from the recording tab
	 * when it answers (it knows series not yet written, and which series are live).
	 */
	async init(): Promise<EngineSnapshot> {
		const { series, settings } = await this.store.open();
		const stored = series.map((head) => head.info);
		for (const info of stored) this.known.add(info.id);
		const base: EngineSnapshot = {
			role: 'mirror',
			detectors: DETECTORS.map(({ name, title, description }) => ({ name, title, description })),
			series: stored,
			activeSeries: [],
			anomalies: await this.store.recentAnomalies(SNAPSHOT_ANOMALIES),
			stats: emptyStats(),
			settings: { ...structuredClone(DEFAULT_SETTINGS), ...(settings as Partial<EngineSettings> | undefined) }
		};
		try {
			const snapshot = await this.link.call<EngineSnapshot>('snapshot', [], WINDOW_CALL_MS);
			for (const info of snapshot.series) this.known.add(info.id);
			this.stats = snapshot.stats;
			this.lastActive = snapshot.activeSeries;
			return { ...snapshot, role: 'mirror' };
		} catch {
			return base;
		}
	}

	watch(seriesId: number, windowSize: number): void {
		const size = Math.max(1, Math.floor(windowSize));
		const buffer = new WatchBuffer(seriesId, size);
		this.watches[seriesId] = buffer;
		// Ticks from here on arrive over the channel into the buffer; the recording tab's window
		// (from memory and storage) overlaps them a little, and the overlap is cut by time.
		void this.firstWindow(seriesId, size)
			.then(({ t, v, anomalies }) => {
				if (this.watches[seriesId] !== buffer) return;
				const from = t.length > 0 ? t[0] : Infinity;
				buffer.setInitial(t, v, anomalies.filter((a) => a.t >= from), true);
			})
			.catch(() => {
				if (this.watches[seriesId] === buffer) buffer.setInitial(new Float64Array(0), new Float64Array(0), [], true);
			});
	}

	unwatch(seriesId: number): void {
		this.watches[seriesId] = undefined;
	}

	/** The series watched now and their window sizes (kept when this tab starts recording). */
	watched(): { seriesId: number; windowSize: number }[] {
		return this.watches.flatMap((w) => (w ? [{ seriesId: w.seriesId, windowSize: w.windowSize }] : []));
	}

	pullFrame(): EngineFrame {
		const series: SeriesFrame[] = [];
		for (const watch of this.watches) {
			const frame = watch?.take();
			if (frame) series.push(frame);
		}
		const frame: EngineFrame = { series, anomalies: this.anomalies, seriesAdded: this.seriesAdded, stats: this.stats, role: 'mirror' };
		this.anomalies = [];
		this.seriesAdded = [];
		if (this.activeSeries) {
			frame.activeSeries = this.activeSeries;
			this.activeSeries = null;
		}
		if (this.settingsChanged && this.settings) {
			frame.settings = this.settings;
			this.settingsChanged = false;
		}
		return frame;
	}

	close(): void {
		this.link.close();
		this.store.stop();
		this.store.db.close();
	}

	private async firstWindow(seriesId: number, size: number): Promise<{ t: Float64Array; v: Float64Array; anomalies: Anomaly[] }> {
		try {
			return await this.link.call('window', [seriesId, size], WINDOW_CALL_MS);
		} catch {
			// No answer (the recording tab is frozen or closing): what is stored.
			const [{ t, v }, anomalies] = await Promise.all([this.store.readLast(seriesId, size), this.store.recentAnomaliesOf(seriesId, WATCH_ANOMALIES)]);
			return { t, v, anomalies };
		}
	}

	private onLive(message: Extract<LinkMessage, { type: 'live' }>): void {
		this.apply(message.batch);
		this.stats = message.stats;
		if (!sameIds(message.activeSeries, this.lastActive)) {
			this.lastActive = message.activeSeries;
			this.activeSeries = message.activeSeries;
		}
		const seen = `${message.from}:${message.settingsVersion}`;
		if (seen !== this.settingsSeen) {
			this.settingsSeen = seen;
			this.settings = message.settings;
			this.settingsChanged = true;
		}
	}

	private lastActive: number[] = [];

	private apply(batch: LiveBatch): void {
		for (const info of batch.seriesAdded) {
			if (this.known.has(info.id)) continue;
			this.known.add(info.id);
			this.seriesAdded.push(info);
		}
		const { ids, t, v, lo, hi } = batch;
		const watches = this.watches;
		for (let i = 0; i < batch.n; i++) {
			const watch = watches[ids[i]];
			if (watch) watch.push(t[i], v[i], lo[i], hi[i]);
		}
		if (batch.overflowed) for (const watch of watches) watch?.markOverflowed();
		// A page that stops asking (hidden tab) must not make this grow without bound.
		if (this.anomalies.length > 2000) this.anomalies.splice(0, 1000);
		for (const anomaly of batch.anomalies) this.anomalies.push(anomaly);
	}
}

function sameIds(a: readonly number[], b: readonly number[]): boolean {
	return a.length === b.length && a.every((id, i) => id === b[i]);
}
