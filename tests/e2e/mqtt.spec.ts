import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import mqtt from 'mqtt';
import { startMosquitto, type Mosquitto } from '../fixtures/mosquitto';

const IOT = readFileSync(new URL('../fixtures/feeds/iot-flat.jsonl', import.meta.url), 'utf8').trim().split('\n');

/** Publishes the sample IoT records to sensors/<device>/env, stamped now, every `everyMs`. */
function publisher(broker: Mosquitto, everyMs = 50) {
	const client = mqtt.connect(broker.mqttUrl, { reconnectPeriod: 200 });
	let k = 0;
	let published = 0;
	const timer = setInterval(() => {
		if (!client.connected) return;
		const record = JSON.parse(IOT[k++ % IOT.length]);
		record.ts = new Date().toISOString();
		client.publish(`sensors/${record.device}/env`, JSON.stringify(record));
		published++;
	}, everyMs);
	return {
		client,
		get published() {
			return published;
		},
		stop: () => {
			clearInterval(timer);
			client.end(true);
		}
	};
}

const ticks = async (page: import('@playwright/test').Page) => Number(await page.getByTestId('feed-ticks').first().getAttribute('data-value'));

test.describe('MQTT over WebSockets against a real mosquitto', () => {
	let broker: Mosquitto;
	test.beforeAll(async () => {
		broker = await startMosquitto();
	});
	test.afterAll(async () => {
		await broker?.stop();
	});

	test('subscribe with a wildcard: topics become series, history stays, a broker restart is ridden out, bad payloads counted', async ({ page }) => {
		const source = publisher(broker);
		try {
			await page.goto('./?sim=off');
			await page.getByTestId('feed-url').fill(broker.wsUrl.replace(/^ws:/, 'mqtt+ws:'));
			await expect(page.getByTestId('feed-topics')).toBeVisible();
			await page.getByTestId('feed-topics').fill('sensors/+/env');
			await page.getByTestId('feed-connect').click();

			const feed = page.getByTestId('feed').first();
			await expect(feed).toHaveAttribute('data-state', 'live');
			await expect.poll(async () => Number(await page.getByTestId('feed-topics-seen').getAttribute('data-value'))).toBeGreaterThanOrEqual(3);
			// Each concrete topic is part of the series key; the values are the records' numbers.
			const picker = page.getByTestId('series-picker');
			await expect(picker.locator('button[data-series-key*="/sensors/sensor-1/env/"]').first()).toBeVisible();
			const keys = await picker.locator('button').evaluateAll((buttons) => buttons.map((b) => b.getAttribute('data-series-key')));
			expect(keys.some((key) => key?.includes('/sensors/sensor-2/env/') && key.endsWith('temperature'))).toBe(true);
			await expect.poll(() => ticks(page)).toBeGreaterThan(20);

			// The broker dies and comes back on the same port: the feed reconnects, subscribes
			// again and keeps receiving.
			const before = await ticks(page);
			await broker.restart(1500);
			await expect(feed).toHaveAttribute('data-state', 'live', { timeout: 20_000 });
			await expect.poll(() => ticks(page), { timeout: 20_000 }).toBeGreaterThan(before + 20);
			await expect(page.getByTestId('feed-gaps')).toBeVisible();

			// Malformed payloads on a subscribed topic are refused and counted; good ones go on.
			for (const bad of ['not json', '{"ts":"2026-11-25T12:00:00Z"}', '{"ts":"yesterday","temperature":1}', '{"temperature":"NaN","ts":"2026-11-25T12:00:00Z"}']) {
				source.client.publish('sensors/broken/env', bad);
			}
			await expect(page.getByTestId('feed-rejects')).toBeVisible();
			const good = await ticks(page);
			await expect.poll(() => ticks(page)).toBeGreaterThan(good);

			// History persists: after a reload the feed comes back by itself and its series are there.
			await page.reload();
			await expect(page.getByTestId('feed').first()).toHaveAttribute('data-state', 'live', { timeout: 20_000 });
			await expect(picker.locator('button[data-series-key*="/sensors/sensor-1/env/"]').first()).toBeVisible();
			const after = await ticks(page);
			await expect.poll(() => ticks(page)).toBeGreaterThan(after);
		} finally {
			source.stop();
		}
	});

	test('an MQTT feed from the address bar, with topics and QoS 1', async ({ page }) => {
		const source = publisher(broker);
		try {
			const url = encodeURIComponent(broker.wsUrl.replace(/^ws:/, 'mqtt+ws:'));
			await page.goto(`./?sim=off&feed=${url}&topics=${encodeURIComponent('sensors/sensor-3/#')}&qos=1`);
			await expect(page.getByTestId('feed').first()).toHaveAttribute('data-state', 'live', { timeout: 20_000 });
			await expect(page.getByTestId('feed-topics-seen')).toContainText('QoS 1');
			await expect.poll(() => ticks(page)).toBeGreaterThan(5);
			// Only the one device's topic.
			await expect(page.getByTestId('feed-topics-seen')).toHaveAttribute('data-value', '1');
		} finally {
			source.stop();
		}
	});
});
