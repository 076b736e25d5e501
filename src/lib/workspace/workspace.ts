import { RESOLUTIONS, type Resolution } from '../domain/candles';
import { normalizeDetection, type DetectionSettings } from '../detectors/detection-settings';
import type { SimulatorSettings } from '../engine/types';
import { normalizeSimulatorSettings } from '../sources/simulator/settings';
import { parseNamedView, cleanViewName, type NamedView } from '../state/named-view';

/**
 * A workspace: everything that makes a dashboard someone's own, apart from the recorded data.
 * Panels name series by key (stable across browsers), never by id. It is saved in IndexedDB,
 * exported and imported as a JSON file, and shared as a compact link fragment; whatever comes
 * in is untrusted and goes through `parseWorkspace`.
 */
export interface Workspace {
	name: string;
	panels: PanelSpec[];
	/** Chart panels with `linked` follow one time range: zoom one and the others follow. */
	linkTime: boolean;
	simulator: SimulatorSettings | null;
	feeds: WorkspaceFeed[];
	detection: DetectionSettings | null;
	views: { name: string; view: NamedView }[];
	alerts: AlertSettings;
	theme: Theme;
}

export type Theme = 'system' | 'light' | 'dark';

export const PANEL_KINDS = ['line', 'candles', 'table', 'log', 'number', 'sensors', 'heatmap'] as const;
export type PanelKind = (typeof PANEL_KINDS)[number];

export const PANEL_TITLES: Record<PanelKind, string> = {
	line: 'Line chart',
	candles: 'Candlesticks',
	table: 'Newest ticks',
	log: 'Anomaly log',
	number: 'Big number',
	sensors: 'Sensor heatmap',
	heatmap: 'Heatmap over time'
};

/** Series a panel of each kind takes at most. */
export const PANEL_SERIES_MAX: Record<PanelKind, number> = { line: 8, candles: 1, table: 1, log: 64, number: 1, sensors: 32, heatmap: 64 };

export interface PanelSpec {
	id: string;
	kind: PanelKind;
	/** Series keys, in the order drawn; empty: the kind's default (e.g. the log of every series). */
	series: string[];
	/** Columns of the 4-column grid it spans (a phone stacks them all at full width). */
	w: 1 | 2 | 3 | 4;
	/** Rows of the grid it spans. */
	h: 1 | 2 | 3;
	/** Line charts: one value axis for all series, or one each. */
	axes: 'shared' | 'separate';
	/** Candlesticks: window length. */
	resolution: Resolution;
	/** Chart panels: follows the workspace's shared time range. */
	linked: boolean;
	/** Set by the person; otherwise the panel names itself after its series. */
	title: string;
}

/** A feed as a workspace keeps it: its address without credentials, and its mapping. */
export interface WorkspaceFeed {
	url: string;
	subscribe?: string;
	mqtt?: { topics: string[]; qos: 0 | 1 };
	mapping?: unknown;
	/** Credentials were taken out of the address; the person must add them again. */
	secretsRemoved?: boolean;
}

export interface AlertSettings {
	/** Browser notifications (the person opted in; the browser's permission is asked then). */
	notify: boolean;
	/** Series keys whose flags alert; empty: every series. */
	series: string[];
	/** At most one notification per this many ms; flags in between are grouped into the next. */
	minIntervalMs: number;
	sound: boolean;
}

export const DEFAULT_ALERTS: AlertSettings = { notify: false, series: [], minIntervalMs: 30_000, sound: false };

export const MAX_PANELS = 24;
const MAX_FEEDS = 16;
const MAX_VIEWS = 100;
const MAX_KEY = 300;
const MAX_TITLE = 80;

let nextPanel = 0;

/** A fresh panel id, unique within this page. */
export function panelId(): string {
	nextPanel++;
	return `p${Date.now().toString(36)}${nextPanel.toString(36)}`;
}

export function newPanel(kind: PanelKind, series: string[], size: Partial<Pick<PanelSpec, 'w' | 'h'>> = {}): PanelSpec {
	const wide = kind === 'heatmap' || kind === 'log';
	return {
		id: panelId(),
		kind,
		series: series.slice(0, PANEL_SERIES_MAX[kind]),
		w: size.w ?? (wide ? 2 : 1),
		h: size.h ?? (kind === 'number' ? 1 : 2),
		axes: 'shared',
		resolution: '1s',
		linked: true,
		title: ''
	};
}

export function emptyWorkspace(name = 'My workspace'): Workspace {
	return { name, panels: [], linkTime: true, simulator: null, feeds: [], detection: null, views: [], alerts: { ...DEFAULT_ALERTS }, theme: 'system' };
}

/** The file format's marker and version. */
const FORMAT = 'tickscope-workspace';
const VERSION = 1;

/** The workspace as a plain object for a file or a link (feeds' credentials already removed). */
export function serializeWorkspace(ws: Workspace): Record<string, unknown> {
	return {
		format: FORMAT,
		version: VERSION,
		name: ws.name,
		theme: ws.theme,
		linkTime: ws.linkTime,
		panels: ws.panels.map(({ id, kind, series, w, h, axes, resolution, linked, title }) => ({ id, kind, series, w, h, axes, resolution, linked, title })),
		simulator: ws.simulator,
		detection: ws.detection,
		feeds: ws.feeds.map(withoutSecrets),
		views: ws.views,
		alerts: ws.alerts
	};
}

/**
 * A workspace from untrusted input (a file, a link, IndexedDB): every field checked, anything
 * unknown dropped, sizes capped. Returns what is usable and the problems found, in plain words;
 * null when it is not a workspace at all.
 */
export function parseWorkspace(input: unknown): { workspace: Workspace; problems: string[] } | null {
	if (!isRecord(input) || input.format !== FORMAT) return null;
	const problems: string[] = [];
	if (typeof input.version !== 'number' || input.version > VERSION) problems.push('It was made by a newer Tickscope; some of it may be left out.');
	const ws = emptyWorkspace(typeof input.name === 'string' && input.name.trim() ? cleanViewName(input.name) : 'Imported workspace');
	if (input.theme === 'light' || input.theme === 'dark' || input.theme === 'system') ws.theme = input.theme;
	if (typeof input.linkTime === 'boolean') ws.linkTime = input.linkTime;
	const panels = Array.isArray(input.panels) ? input.panels : [];
	const ids = new Set<string>();
	for (const raw of panels.slice(0, MAX_PANELS)) {
		const panel = parsePanel(raw);
		if (!panel) {
			problems.push('A panel was not understood and is left out.');
			continue;
		}
		if (ids.has(panel.id)) panel.id = panelId();
		ids.add(panel.id);
		ws.panels.push(panel);
	}
	if (panels.length > MAX_PANELS) problems.push(`Only the first ${MAX_PANELS} panels are kept.`);
	if (isRecord(input.simulator)) ws.simulator = normalizeSimulatorSettings(input.simulator as Partial<SimulatorSettings>);
	// Detector names are checked again by the engine when the settings are applied (the registry
	// lives in the worker, not on the page).
	if (isRecord(input.detection)) ws.detection = normalizeDetection(input.detection, (name) => /^[\w-]{1,40}$/.test(name));
	if (Array.isArray(input.feeds)) {
		for (const raw of input.feeds.slice(0, MAX_FEEDS)) {
			const feed = parseFeed(raw);
			if (feed) ws.feeds.push(feed);
			else problems.push('A feed was not understood and is left out.');
		}
	}
	if (Array.isArray(input.views)) {
		for (const raw of input.views.slice(0, MAX_VIEWS)) {
			if (!isRecord(raw) || typeof raw.name !== 'string') continue;
			const view = parseNamedView(raw.view);
			const name = cleanViewName(raw.name);
			if (view && name) ws.views.push({ name, view });
		}
	}
	if (isRecord(input.alerts)) {
		const a = input.alerts;
		ws.alerts = {
			notify: a.notify === true,
			series: keys(a.series, 200),
			minIntervalMs: typeof a.minIntervalMs === 'number' && Number.isFinite(a.minIntervalMs) ? Math.min(3_600_000, Math.max(5_000, a.minIntervalMs)) : DEFAULT_ALERTS.minIntervalMs,
			sound: a.sound === true
		};
	}
	return { workspace: ws, problems: [...new Set(problems)] };
}

function parsePanel(raw: unknown): PanelSpec | null {
	if (!isRecord(raw) || !(PANEL_KINDS as readonly unknown[]).includes(raw.kind)) return null;
	const kind = raw.kind as PanelKind;
	const panel = newPanel(kind, keys(raw.series, PANEL_SERIES_MAX[kind]));
	if (typeof raw.id === 'string' && /^[\w-]{1,40}$/.test(raw.id)) panel.id = raw.id;
	if (raw.w === 1 || raw.w === 2 || raw.w === 3 || raw.w === 4) panel.w = raw.w;
	if (raw.h === 1 || raw.h === 2 || raw.h === 3) panel.h = raw.h;
	if (raw.axes === 'shared' || raw.axes === 'separate') panel.axes = raw.axes;
	if (RESOLUTIONS.some((r) => r.name === raw.resolution)) panel.resolution = raw.resolution as Resolution;
	if (typeof raw.linked === 'boolean') panel.linked = raw.linked;
	if (typeof raw.title === 'string') panel.title = raw.title.replace(/\s+/g, ' ').trim().slice(0, MAX_TITLE);
	return panel;
}

function parseFeed(raw: unknown): WorkspaceFeed | null {
	if (!isRecord(raw) || typeof raw.url !== 'string' || raw.url.length > 2000) return null;
	if (!/^(mqtt\+)?wss?:\/\//i.test(raw.url)) return null;
	const feed: WorkspaceFeed = withoutSecrets({ url: raw.url });
	if (raw.secretsRemoved === true) feed.secretsRemoved = true;
	if (typeof raw.subscribe === 'string' && raw.subscribe.length <= 10_000) feed.subscribe = raw.subscribe;
	if (isRecord(raw.mqtt)) {
		const topics = keys(raw.mqtt.topics, 50);
		const qos = raw.mqtt.qos === 1 ? 1 : 0;
		if (topics.length > 0) feed.mqtt = { topics, qos };
	}
	// Checked by the feed code before use, like a stored one.
	if (raw.mapping !== undefined && JSON.stringify(raw.mapping).length <= 20_000) feed.mapping = structuredClone(raw.mapping);
	return feed;
}

/** Query parameters whose values are credentials (as redactUrl masks them). */
const SECRET_PARAM = /token|key|secret|signature|sig$|auth|passw|pwd|credential|session/i;

/** The feed with credentials taken out of its address (user, password, secret-looking parameters). */
export function withoutSecrets(feed: WorkspaceFeed): WorkspaceFeed {
	const scheme = /^mqtt\+/i.exec(feed.url)?.[0] ?? '';
	let parsed: URL;
	try {
		parsed = new URL(feed.url.slice(scheme.length));
	} catch {
		return { ...feed };
	}
	let removed = false;
	if (parsed.username || parsed.password) {
		parsed.username = '';
		parsed.password = '';
		removed = true;
	}
	for (const name of [...new Set(parsed.searchParams.keys())]) {
		if (SECRET_PARAM.test(name)) {
			parsed.searchParams.delete(name);
			removed = true;
		}
	}
	const out: WorkspaceFeed = { ...feed, url: scheme + parsed.toString() };
	if (removed) out.secretsRemoved = true;
	return out;
}

function keys(input: unknown, max: number): string[] {
	if (!Array.isArray(input)) return [];
	const out: string[] = [];
	for (const k of input) {
		if (typeof k === 'string' && k.length > 0 && k.length <= MAX_KEY && !out.includes(k)) out.push(k);
		if (out.length >= max) break;
	}
	return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Share links: the workspace as deflated JSON in base64url, in the address's fragment (never
// sent to a server). A dashboard of a dozen panels comes to a few hundred characters.

/** The fragment parameter a share link carries the workspace in: `#ws=…`. */
export const SHARE_PARAM = 'ws';
/** Longest fragment accepted (a link, not a file): 64 kB. */
const MAX_SHARE_CHARS = 65_536;

export async function encodeShare(ws: Workspace): Promise<string> {
	const json = new TextEncoder().encode(JSON.stringify(serializeWorkspace(ws)));
	const packed = await pipe(json, new CompressionStream('deflate-raw'));
	return toBase64Url(packed);
}

/** A workspace from a share fragment's value; null when it is not one (or too big once inflated). */
export async function decodeShare(text: string): Promise<{ workspace: Workspace; problems: string[] } | null> {
	if (text.length > MAX_SHARE_CHARS || !/^[\w-]+$/.test(text)) return null;
	try {
		const json = await pipe(fromBase64Url(text), new DecompressionStream('deflate-raw'), 1_000_000);
		return parseWorkspace(JSON.parse(new TextDecoder().decode(json)));
	} catch {
		return null;
	}
}

async function pipe(input: Uint8Array, transform: CompressionStream | DecompressionStream, maxBytes = Infinity): Promise<Uint8Array> {
	const stream = new Blob([input as BlobPart]).stream().pipeThrough(transform);
	const reader = stream.getReader();
	const parts: Uint8Array[] = [];
	let total = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		total += value.length;
		// A small link that inflates to gigabytes is refused, not unpacked.
		if (total > maxBytes) {
			await reader.cancel();
			throw new Error('too large');
		}
		parts.push(value);
	}
	const out = new Uint8Array(total);
	let at = 0;
	for (const part of parts) {
		out.set(part, at);
		at += part.length;
	}
	return out;
}

function toBase64Url(bytes: Uint8Array): string {
	let binary = '';
	for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
	return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
	const binary = atob(text.replaceAll('-', '+').replaceAll('_', '/'));
	const out = new Uint8Array(binary.length);
	for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
	return out;
}

/**
 * The first-run dashboard for what runs now: big numbers, a line chart of two series on their
 * own axes, candles, a heatmap over time of many series, the newest ticks and the anomaly log;
 * for sensor scenarios, a sensor heatmap of the first device instead of candles.
 */
export function defaultWorkspace(active: readonly { key: string; kind: string }[]): Workspace {
	const ws = emptyWorkspace('My workspace');
	const prices = active.filter((s) => s.kind === 'price');
	const sensors = active.filter((s) => s.kind === 'sensor');
	const main = prices.length > 0 ? prices : sensors.length > 0 ? sensors : active.filter((s) => s.kind !== 'volume');
	if (main.length === 0) return ws;
	const key = (i: number) => main[Math.min(i, main.length - 1)].key;
	if (sensors.length > 0 && prices.length === 0) {
		const device = main[0].key.slice(0, main[0].key.lastIndexOf('/') + 1);
		const group = sensors.filter((s) => s.key.startsWith(device)).map((s) => s.key);
		ws.panels.push(newPanel('sensors', group, { w: 2, h: 2 }));
		ws.panels.push({ ...newPanel('line', group.slice(0, 2), { w: 2, h: 2 }), axes: 'shared' });
	} else {
		// Four columns: two numbers and a chart, then candles, the newest ticks and a third number,
		// then the heatmap and the log across.
		ws.panels.push(newPanel('number', [key(0)], { w: 1, h: 2 }), newPanel('number', [key(1)], { w: 1, h: 2 }));
		ws.panels.push({ ...newPanel('line', main.slice(0, 2).map((s) => s.key), { w: 2, h: 2 }), axes: 'separate' });
		ws.panels.push(newPanel('candles', [key(0)], { w: 2, h: 2 }), newPanel('table', [key(0)], { w: 1, h: 2 }), newPanel('number', [key(2)], { w: 1, h: 2 }));
		ws.panels.push(newPanel('heatmap', main.slice(0, 16).map((s) => s.key), { w: 4, h: 2 }));
		ws.panels.push(newPanel('log', [], { w: 4, h: 2 }));
		return ws;
	}
	ws.panels.push(newPanel('heatmap', main.slice(0, 16).map((s) => s.key), { w: 4, h: 2 }));
	ws.panels.push(newPanel('table', [key(0)], { w: 1, h: 2 }));
	ws.panels.push(newPanel('log', [], { w: 3, h: 2 }));
	return ws;
}
