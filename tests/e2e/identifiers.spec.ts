import { expect, test } from '@playwright/test';
import { startFeedServer } from '../fixtures/feed-server';
import { chartState } from './helpers';

/** 19, 20 and 21 digits: each becomes a different number (and name) under plain JSON.parse. */
const IDS = ['1234567890123456789', '98765432109876543210', '123456789012345678901'];
const FRAMES_PER_ID = 20;
const STEP_MS = 7;

test('20-digit device ids and ns timestamps: series named by the exact ids, mapping reads ns, times exact to 1 µs', async ({ page }) => {
	const start = Date.now() - 5000;
	// Each frame: a device id and a ns stamp as bare JSON integers (19 digits, beyond 2^53), a
	// 20-digit trace id that varies (an id, not a value), and the value v.
	const expected = new Map<string, { ms: number; sub: string }[]>(IDS.map((id) => [id, []]));
	const frames: string[] = [];
	for (let k = 0; k < FRAMES_PER_ID * IDS.length; k++) {
		const id = IDS[k % IDS.length];
		const ms = start + k * STEP_MS;
		const sub = String((k * 7_654_321 + 123_457) % 1_000_000).padStart(6, '0');
		expected.get(id)?.push({ ms, sub });
		frames.push(`{"device":${id},"ts":${ms}${sub},"trace":${11111111111111111111n * BigInt(1 + (k % 7))},"v":${(20 + (k % 5) / 4).toFixed(2)}}`);
	}
	const server = await startFeedServer({ frames, intervalMs: 10, holdWithoutClients: true });
	try {
		await page.goto(`./?sim=off&feed=${encodeURIComponent(server.url)}`);
		const feed = page.getByTestId('feed').first();
		await expect(feed).toHaveAttribute('data-state', 'live');
		await expect.poll(() => server.cursor(), { timeout: 20_000 }).toBe(frames.length);
		await expect(feed.getByTestId('feed-ticks')).toHaveAttribute('data-value', String(frames.length));

		// The mapping: series by device, time from ts read as ns, and the only value is v.
		const summary = feed.getByTestId('feed-mapping');
		await expect(summary).toHaveText(/mapping: detected — values v$/);
		await summary.click();
		await expect(feed.locator('select[name="timeUnit"]')).toHaveValue('ns');
		await expect(feed.locator('input[name="keys"]')).toHaveValue('device');
		await expect(feed.getByText('time from "ts" (ns)')).toBeVisible();

		// Each id is the label of its own series, digit for digit.
		const picker = page.getByTestId('series-picker');
		const labels = await picker.locator('button[data-series-key^="feed/"] .label').allTextContents();
		expect(labels.sort()).toEqual(IDS.map((id) => `${id}/v`).sort());
		for (const id of IDS) await expect(picker.getByRole('button', { name: `${id}/v` })).toBeVisible();

		// The chart of the 20-digit device starts at its first stamp: whole ms exact, fraction to 1 µs.
		let worstUs = 0;
		for (const id of IDS) {
			await picker.locator(`button[data-series-key$="/${id}/v"]`).click();
			await expect.poll(async () => (await chartState(page)).points).toBe(FRAMES_PER_ID);
			const chart = await chartState(page);
			expect(chart.seriesKey.endsWith(`/${id}/v`)).toBe(true);
			const stamps = expected.get(id) ?? [];
			const first = stamps[0];
			const last = stamps[stamps.length - 1];
			for (const [t, stamp] of [
				[chart.firstT, first],
				[chart.lastT, last]
			] as const) {
				expect(t).toBe(Number(`${stamp.ms}.${stamp.sub}`));
				worstUs = Math.max(worstUs, Math.abs(t - stamp.ms - Number(stamp.sub) / 1e6) * 1000);
			}
		}
		expect(worstUs).toBeLessThan(1);
		await expect(page.getByTestId('rejected')).toHaveCount(0);
		console.log(
			`large identifiers: ${IDS.length} ids of ${IDS.map((id) => id.length).join('/')} digits exact, ns timestamps exact to 1 µs (worst ${worstUs.toFixed(3)} µs over ${IDS.length * 2} checked stamps)`
		);
	} finally {
		await server.stop();
	}
});
