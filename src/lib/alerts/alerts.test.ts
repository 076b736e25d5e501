import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Anomaly } from '../domain/anomaly';
import type { SeriesInfo } from '../domain/series';
import type { TabRole } from '../engine/types';
import { DEFAULT_ALERTS, type AlertSettings } from '../workspace/workspace';
import { fakeBrowser } from './alert-testing';
import { Alerts, type AlertSource } from './alerts.svelte';
import { Notifier } from './notifier';

const SERIES: SeriesInfo[] = ['BTC', 'ETH', 'SOL'].map((label, id) => ({ id, key: `sim/${label}`, label, source: 'simulator', unit: '', kind: 'price' }));

/** The dashboard as alerts see it: flags are pushed by hand, one call per engine frame. */
function fakeSource(role: TabRole = 'leader') {
	const listeners = new Set<(anomalies: Anomaly[]) => void>();
	const selected: number[] = [];
	const source: AlertSource & { role: TabRole } = {
		series: SERIES,
		role,
		onAnomalies: (listener) => {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		select: (id) => void selected.push(id)
	};
	let next = 0;
	const frame = (...seriesIds: number[]) => {
		const anomalies = seriesIds.map((seriesId) => ({ id: next++, seriesId, t: Date.now(), v: 1, score: 1, detector: 'zscore', expected: 0 }));
		for (const listener of listeners) listener(anomalies);
	};
	return { source, frame, selected, listeners };
}

function memoryStore(initial: Partial<AlertSettings> = {}) {
	const saved: AlertSettings[] = [];
	return { saved, store: { load: () => ({ ...DEFAULT_ALERTS, minIntervalMs: 10_000, ...initial }), save: (s: AlertSettings) => void saved.push(s) } };
}

function setup(options: { permission?: NotificationPermission; answer?: NotificationPermission; role?: TabRole; settings?: Partial<AlertSettings> } = {}) {
	const browser = fakeBrowser({ permission: options.permission, answer: options.answer });
	const { store, saved } = memoryStore(options.settings);
	const alerts = new Alerts({ store, notifier: new Notifier(browser.env) });
	const dashboard = fakeSource(options.role);
	const detach = alerts.attach(dashboard.source);
	return { browser, alerts, dashboard, saved, detach };
}

beforeEach(() => {
	vi.useFakeTimers();
	vi.setSystemTime(1_700_000_000_000);
});
afterEach(() => vi.useRealTimers());

describe('Alerts', () => {
	it('with notifications off, flags reach the strip and no notification is made', () => {
		const { alerts, dashboard, browser } = setup({ permission: 'granted' });
		dashboard.frame(0, 1);
		expect(alerts.groups).toHaveLength(1);
		expect(alerts.groups[0].count).toBe(2);
		expect(browser.shown).toHaveLength(0);
	});

	it('opted in: a burst gives one notification at once and one grouped one when the interval has passed', async () => {
		const { alerts, dashboard, browser, saved } = setup();
		await alerts.enableNotifications();
		expect(alerts.notifying).toBe(true);
		expect(saved.at(-1)?.notify).toBe(true);
		dashboard.frame(0);
		expect(browser.shown.map((n) => n.title)).toEqual(['1 anomaly on BTC']);
		for (let i = 0; i < 30; i++) {
			vi.advanceTimersByTime(250);
			dashboard.frame(i % 3, (i + 1) % 3);
		}
		expect(browser.shown).toHaveLength(1);
		expect(alerts.pending).toEqual({ count: 60, seriesCount: 3 });
		// The timer delivers the collected flags without waiting for another flag.
		vi.advanceTimersByTime(10_000);
		expect(browser.shown).toHaveLength(2);
		expect(browser.shown[1].title).toBe('60 anomalies on 3 series');
		expect(browser.shown[1].options?.body).toMatch(/^(BTC|ETH|SOL) \(20\), (BTC|ETH|SOL) \(20\), (BTC|ETH|SOL) \(20\)\n/);
		expect(alerts.pending).toBeNull();
		expect(alerts.groups.map((g) => g.count)).toEqual([60, 1]);
	});

	it('a click on a notification opens the series of its newest flag', async () => {
		const { alerts, dashboard, browser } = setup();
		await alerts.enableNotifications();
		dashboard.frame(0, 2, 1);
		browser.shown[0].onclick?.();
		expect(browser.focus).toHaveBeenCalled();
		expect(dashboard.selected).toEqual([1]);
	});

	it('a refused permission leaves notifications off and says why', async () => {
		const { alerts, dashboard, browser, saved } = setup({ answer: 'denied' });
		await alerts.enableNotifications();
		expect(alerts.notifying).toBe(false);
		expect(alerts.settings.notify).toBe(false);
		expect(saved.at(-1)?.notify).toBe(false);
		expect(alerts.problem).toMatch(/blocked/);
		dashboard.frame(0);
		expect(browser.shown).toHaveLength(0);
		expect(alerts.groups).toHaveLength(1);
	});

	it('notifications left on but blocked since (browser settings) are reported, not attempted', () => {
		const { alerts, dashboard, browser } = setup({ permission: 'denied', settings: { notify: true } });
		expect(alerts.blocked).toMatch(/blocked/);
		dashboard.frame(0);
		expect(browser.shown).toHaveLength(0);
	});

	it('a mirror tab shows the strip but leaves notifications to the recording tab', async () => {
		const { alerts, dashboard, browser } = setup({ role: 'mirror' });
		await alerts.enableNotifications();
		expect(alerts.recording).toBe(false);
		dashboard.frame(0);
		expect(alerts.groups).toHaveLength(1);
		expect(browser.shown).toHaveLength(0);
	});

	it('only chosen series alert; apply takes outside settings without saving them', () => {
		const { alerts, dashboard, saved } = setup();
		alerts.update({ series: ['sim/ETH'] });
		expect(saved).toHaveLength(1);
		dashboard.frame(0, 2);
		expect(alerts.groups).toHaveLength(0);
		dashboard.frame(1);
		expect(alerts.groups[0].series.map((s) => s.label)).toEqual(['ETH']);
		alerts.apply({ ...alerts.settings, series: [] });
		expect(saved).toHaveLength(1);
	});

	it('flags of series not in the list are named by id, not dropped', () => {
		const { alerts, dashboard } = setup();
		dashboard.frame(99);
		expect(alerts.groups[0].series[0]).toMatchObject({ seriesKey: '#99', label: 'series 99' });
	});

	it('detaching stops listening and the pending timer', () => {
		const { alerts, dashboard, detach, browser } = setup({ permission: 'granted', settings: { notify: true } });
		dashboard.frame(0);
		dashboard.frame(1);
		detach();
		expect(dashboard.listeners.size).toBe(0);
		vi.advanceTimersByTime(60_000);
		expect(browser.shown).toHaveLength(1);
		expect(alerts.groups).toHaveLength(1);
	});
});
