import { expect, test, type Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { WebSocketServer, type WebSocket } from 'ws';
import { chartState, tickTotal } from './helpers';

// 10,000 frames through a real WebSocket into the app: valid Binance-like trades mixed with
// every kind of broken frame, a 5 MB and a 50 MB one among them. Afterwards the feed counted
// exactly two ticks per valid trade and exactly one refusal (by reason) per bad frame, the
// store holds what the feed counted, the page threw nothing and nothing non-finite is drawn.

const FRAMES = 10_000;
const MB = 1 << 20;
const LIMIT = MB;

type Expected = 'valid' | 'invalid-json' | 'not-finite' | 'no-number' | 'time-out-of-range' | 'oversized' | 'filtered';

interface Frame {
	family: string;
	data: string | Buffer;
	expected: Expected;
}

/** Small seeded generator (LCG), so the stream is the same on every run. */
function lcg(seed: number): (n: number) => number {
	let s = seed;
	return (n) => {
		s = (Math.imul(s, 1103515245) + 12345) >>> 0;
		return (s >>> 8) % n;
	};
}

function buildFrames(start: number): { frames: Frame[]; valid: number } {
	const rand = lcg(20261125);
	const pick = <T>(list: readonly T[]): T => list[rand(list.length)];
	let validCount = 0;
	/** Valid trades share one clock, rising by 1 ms, so no series ever goes back in time. */
	const nextT = () => start + validCount;
	const price = () => (43000 + rand(100_000) / 100).toFixed(2);
	const trade = (p: string, q: string, extra = '') => `{"e":"trade","s":"FUZZ","p":${p},"q":${q},"T":${nextT()}${extra}}`;
	const valid = (family: string, data: string | Buffer): Frame => {
		validCount++;
		return { family, data, expected: 'valid' };
	};
	const bad = (family: string, data: string | Buffer, expected: Expected): Frame => ({ family, data, expected });
	// The app skips exact copies of a recent text frame (counted apart, as repeats): every text
	// frame here differs, by its time or by a serial number that does not change its outcome.
	let serial = 0;
	const n = () => ++serial;
	const t = () => start + n();
	let nulls = 0;

	const families: [weight: number, make: () => Frame][] = [
		[40, () => valid('valid text', trade(`"${price()}"`, `"${rand(1000) / 1000 + 0.001}"`))],
		[6, () => valid('valid binary', Buffer.from(trade(`"${price()}"`, '"0.5"')))],
		[5, () => valid('numbers as JSON numbers', trade(price(), String(rand(10) + 1)))],
		[4, () => valid('-0 quantity', trade(`"${price()}"`, pick(['-0', '"-0"', '"-0.000"', '-1e-400'])))],
		[6, () => {
			const full = trade(`"${price()}"`, '"1"');
			// '#' is invalid anywhere in JSON, also inside the unterminated string a cut may leave.
			return bad('truncated JSON', `${full.slice(0, 1 + rand(full.length - 1))}#${n()}`, 'invalid-json');
		}],
		[5, () => bad('invalid JSON', pick(['{"e":"trade","p":', 'not json at all', '{"e":"trade",,}', '[1,2,', '\u0000\u0001\u0002', '{"e":"trade" "s":1}', "{'e':'trade'}", '}{']) + `#${n()}`, 'invalid-json')],
		[3, () => bad('bare NaN/Infinity tokens', `{"e":"trade","s":"FUZZ","p":${pick(['NaN', 'Infinity', '-Infinity', 'undefined', '0x10'])},"q":"1","T":${t()}}`, 'invalid-json')],
		[4, () => {
			const bytes = Buffer.from(Array.from({ length: 1 + rand(300) }, () => pick([0xff, 0xfe, 0xc0, 0x80, 0x00, 0x7b, 0x22, 0x41, 0xe2, 0x82])));
			bytes[0] = 0xff;
			return bad('binary garbage', bytes, 'invalid-json');
		}],
		[5, () => bad('NaN, Infinity, 1e400', `{"e":"trade","s":"FUZZ","p":${pick(['"NaN"', '"Infinity"', '1e400', '-1e400', '"1e400"'])},"q":${pick(['"-Infinity"', '1e999', '"nan"'])},"T":${t()}}`, 'not-finite')],
		[5, () => bad('null, strings and nested arrays as values', `{"e":"trade","s":"FUZZ","p":${pick(['null', '"abc"', '""', '[[["1"]]]', '{}', 'true', '"0x1F"'])},"q":${pick(['null', '[1]', '"x"'])},"T":${t()}}`, 'no-number')],
		[3, () => bad('bad time', `{"e":"trade","s":"FUZZ","p":"1","q":"1","n":${n()},"T":${pick(['"x"', '1e400', '[]', 'true'])}}`, 'no-number')],
		[2, () => bad('time out of range', `{"e":"trade","s":"FUZZ","p":"1","q":"1","n":${n()},"T":${pick(['1', '-0', String(start + 3 * 86_400_000)])}}`, 'time-out-of-range')],
		[3, () => bad('prototype tricks', `{"__proto__":{"p":"1","q":"1"},"constructor":{"prototype":{"p":"1"}},"e":"trade","s":"FUZZ","T":${t()}}`, 'no-number')],
		[4, () => {
			const k = n();
			const data = pick([`${'\t'.repeat(nulls++)}null`, `[${k}]`, `[[[${k}]]]`, `[${trade('"1"', '"1"', `,"n":${k}`)}]`, `"trade${k}"`, String(k), `{"n":${k}}`]);
			return bad('null and nested arrays as frames', data, 'filtered');
		}]
	];
	const total = families.reduce((sum, [w]) => sum + w, 0);
	const frames: Frame[] = [];
	// The first frames are valid, so the mapping is proposed from good data.
	for (let i = 0; i < 10; i++) frames.push(families[0][1]());
	while (frames.length < FRAMES - 6) {
		let roll = rand(total);
		let index = 0;
		while (roll >= families[index][0]) roll -= families[index++][0];
		frames.push(families[index][1]());
	}
	// Big frames at seeded places (not among the first ones): all valid trades but for their size.
	const padded = (bytes: number, filler: string) => {
		const head = `{"e":"trade","s":"FUZZ","p":"1","q":"1","T":${start},"pad":"`;
		const fill = Math.ceil((bytes - head.length - 2) / Buffer.byteLength(filler));
		return head + filler.repeat(fill) + '"}';
	};
	const big: Frame[] = [
		{ family: '5 MB text', data: padded(5 * MB, 'x'), expected: 'oversized' },
		{ family: '5 MB binary', data: Buffer.from(padded(5 * MB, 'y')), expected: 'oversized' },
		{ family: '50 MB text', data: padded(50 * MB, 'z'), expected: 'oversized' },
		// Under the limit in UTF-16 units (~350k), over it in UTF-8 bytes: refused since the
		// decoder counts bytes.
		{ family: '1 MB of euro signs', data: padded(LIMIT + 3, '€'), expected: 'oversized' },
		{ family: '1 MB of bitcoin signs', data: padded(LIMIT + 3, '₿'), expected: 'oversized' },
		{ family: '1 MB + 1 byte ASCII', data: padded(LIMIT + 1, 'x'), expected: 'oversized' }
	];
	for (const frame of big) frames.splice(20 + rand(frames.length - 20), 0, frame);
	return { frames, valid: validCount };
}

/** A local feed that sends the frames paced, waiting for the socket to drain. */
async function startServer(frames: Frame[]) {
	const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
	await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
	const state = { connections: 0, sent: 0, done: false, error: '' };
	const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
	const drained = async (socket: WebSocket) => {
		while (socket.bufferedAmount > 0 && socket.readyState === socket.OPEN) await sleep(5);
	};
	wss.on('connection', async (socket) => {
		state.connections++;
		if (state.connections > 1) return;
		try {
			for (let i = 0; i < frames.length && socket.readyState === socket.OPEN; i++) {
				socket.send(frames[i].data);
				state.sent++;
				const big = (typeof frames[i].data === 'string' ? frames[i].data.length : frames[i].data.length) > 100_000;
				// About 2,000 frames a second; the big ones alone, with time to take them in.
				if (big) {
					await drained(socket);
					await sleep(300);
				} else if (i % 20 === 19) {
					await drained(socket);
					await sleep(10);
				}
			}
		} catch (error) {
			state.error = String(error);
		}
		state.done = true;
	});
	return {
		url: `ws://127.0.0.1:${(wss.address() as { port: number }).port}`,
		state,
		stop: () =>
			new Promise<void>((resolve) => {
				for (const client of wss.clients) client.terminate();
				wss.close(() => resolve());
			})
	};
}

async function feedTicks(page: Page): Promise<number> {
	return Number(await page.getByTestId('feed').first().getByTestId('feed-ticks').getAttribute('data-value'));
}

const digits = (text: string | null) => Number((text ?? '').replace(/[^\d]/g, ''));

/** Exports the ticks the (paused) chart shows as CSV; returns the values. */
async function exportedValues(page: Page): Promise<string[]> {
	await page.getByTestId('export-menu').click();
	const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-shown-csv').click()]);
	const lines = (await readFile(await download.path())).toString('utf8').trimEnd().split('\r\n');
	expect(lines[0]).toBe('timestamp,value,epoch_ms');
	return lines.slice(1).map((line) => line.split(',')[1]);
}

test('10,000 fuzzed frames over a WebSocket: valid ticks all kept and stored, bad frames counted by reason, nothing non-finite drawn', async ({ page }) => {
	test.setTimeout(90_000);
	const errors: string[] = [];
	page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
	page.on('crash', () => errors.push('page crashed'));
	const start = Date.now() - 60_000;
	const { frames, valid } = buildFrames(start);
	const expected: Partial<Record<Expected, number>> = {};
	for (const f of frames) expected[f.expected] = (expected[f.expected] ?? 0) + 1;
	expect(frames).toHaveLength(FRAMES);
	expect(expected.valid).toBe(valid);
	const families: Record<string, number> = {};
	for (const f of frames) families[f.family] = (families[f.family] ?? 0) + 1;
	test.info().annotations.push({ type: 'frames by family', description: JSON.stringify(families) }, { type: 'expected outcomes', description: JSON.stringify(expected) });

	const server = await startServer(frames);
	try {
		await page.goto(`./?sim=off&feed=${encodeURIComponent(server.url)}`);
		const feed = page.getByTestId('feed').first();
		await expect(feed).toHaveAttribute('data-state', 'live');
		await expect(feed.getByTestId('feed-mapping')).toContainText(/binance-trade/i);
		await expect.poll(() => server.state.done, { timeout: 45_000 }).toBe(true);
		expect(server.state.error).toBe('');
		expect(server.state.sent).toBe(FRAMES);
		// One connection all along: nothing was lost to a reconnect.
		expect(server.state.connections).toBe(1);

		// Every valid trade gave a price and a quantity tick, and nothing else did.
		await expect.poll(() => feedTicks(page), { timeout: 20_000 }).toBe(valid * 2);

		// Refused: the total and the per-reason list match the bad frames exactly (filtered frames,
		// which are not data, are listed but not part of the refused total).
		const rejects = feed.getByTestId('feed-rejects');
		const { valid: _valid, ...bad } = expected;
		expect(_valid).toBe(valid);
		const reasons = async () =>
			Object.fromEntries(
				(await rejects.locator('li').allTextContents()).map((line) => {
					const [reason, count] = line.split(':');
					return [reason.trim(), digits(count)];
				})
			);
		await expect.poll(reasons).toEqual(bad);
		const badTotal = FRAMES - valid - (expected.filtered ?? 0);
		expect(digits(await rejects.locator('summary').textContent())).toBe(badTotal);
		expect(digits(await feed.getByTestId('feed-skipped').textContent())).toBe(expected.filtered);
		await expect(feed.getByTestId('feed-duplicates')).toHaveCount(0);

		// Stored: after the store's flush the app's total equals the feed's ticks.
		await page.waitForTimeout(2000);
		await expect.poll(() => tickTotal(page), { timeout: 15_000 }).toBe(valid * 2);

		// Drawn: both series, every value finite and no -0; the detector band too.
		const picker = page.getByTestId('series-picker');
		for (const [series, range] of [
			['FUZZ/p', [43000, 44000]],
			['FUZZ/q', [0, 11]]
		] as const) {
			await picker.locator(`button[data-series-key$="${series}"]`).click();
			await expect.poll(async () => (await chartState(page)).seriesKey).toMatch(new RegExp(`${series}$`));
			await expect.poll(async () => (await chartState(page)).points).toBeGreaterThan(100);
			// The detector's band at the newest tick: finite, or NaN where there is none (a gap, not
			// drawn); never infinite.
			const band = (await page.getByTestId('chart').getAttribute('data-band')) ?? '';
			for (const edge of band.split(',').filter((s) => s !== '')) expect(edge === 'NaN' || Number.isFinite(Number(edge)), `band ${band}`).toBe(true);
			await page.getByTestId('chart-pause').click();
			const shown = await chartState(page);
			expect(Number.isFinite(shown.firstT) && Number.isFinite(shown.lastT)).toBe(true);
			const values = await exportedValues(page);
			expect(values).toHaveLength(shown.points);
			for (const text of values) {
				const v = Number(text);
				expect(Number.isFinite(v) && !Object.is(v, -0) && text !== '-0', `${series} value ${text}`).toBe(true);
				expect(v >= range[0] && v <= range[1], `${series} value ${text}`).toBe(true);
			}
			await page.getByTestId('chart-live').click();
		}
		expect(await page.evaluate(() => ({}) as Record<string, unknown>)).not.toHaveProperty('polluted');
		expect(errors).toEqual([]);
	} finally {
		await server.stop();
	}
});
