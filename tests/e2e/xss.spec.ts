import { expect, test, type Page } from '@playwright/test';
import { startFeedServer, type FeedServer } from '../fixtures/feed-server';
import { familyCounts, installXssTraps, shownAsKey, shownAsSample, xssEvidence, xssPayloads, type XssPayload } from '../fixtures/xss-payloads';

// Feed text is untrusted: 500 XSS payloads arrive as series names (a generic IoT feed and a
// Binance one), as JSON field names, inside feed addresses and message-type filters, and inside
// refused frames. None may run, none may become markup, and each must read back as the literal
// text the feed sent (minus control characters, which the app strips from names and samples).

const PAYLOADS = xssPayloads();

// The page ends up with ~1,900 series in the picker and 35 feeds: a DOM snapshot per action
// for the trace would cost more than the actions. Failures still keep the trace's action log,
// screenshots and sources.
test.use({ trace: { mode: 'retain-on-failure', snapshots: false } });
/** Auto-detection proposes at most this many value fields per feed. */
const FIELDS_PER_FEED = 12;
/** A name the app can take as a JSON field: no path separator, no prototype tricks, no id-like name. */
const usableAsField = (text: string) =>
	text !== '' && text !== '$' && !text.includes('.') && !/^(?:__proto__|constructor|prototype)$/.test(text) && !/^(?:id|seq|sequence|nonce)$|_id$|Id$|_seq$/.test(text);
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/;
/** Deterministic jitter in [-0.5, 0.5). */
const jitter = (a: number, b: number) => (((a * 7919 + b * 104729) % 1000) / 1000) - 0.5;

const isJson = (text: string) => {
	try {
		JSON.parse(text);
		return true;
	} catch {
		return false;
	}
};

interface Expected {
	key: string;
	label: string;
	payload: XssPayload;
}

/** Host and path as the app turns a feed address into a feed id. */
const feedIdOf = (server: FeedServer) => `127.0.0.1-${server.port}`;

/**
 * Types each address into the feed form and presses Connect, as a person would, in one page-side
 * loop (dozens of separate Playwright actions would each snapshot a 2,000-entry page for the trace).
 * Returns what the form said for each: '' when it took the address (the field is cleared), else
 * the problem shown.
 */
async function submitAddresses(page: Page, addresses: string[]): Promise<string[]> {
	return page.evaluate(async (list) => {
		const input = document.querySelector<HTMLInputElement>('[data-testid="feed-url"]');
		const button = document.querySelector<HTMLButtonElement>('[data-testid="feed-connect"]');
		if (!input || !button) throw new Error('no feed form');
		const answers: string[] = [];
		const problemNow = () => document.querySelector('[data-testid="feed-problem"]')?.textContent ?? null;
		for (const address of list) {
			const before = problemNow();
			input.value = address;
			input.dispatchEvent(new Event('input', { bubbles: true }));
			button.click();
			const started = performance.now();
			for (;;) {
				await new Promise((resolve) => setTimeout(resolve, 5));
				const waited = performance.now() - started;
				if (input.value === '') {
					answers.push('');
					break;
				}
				// The same problem as the last address leaves the page as it was: wait a second for another.
				const problem = problemNow();
				if (problem !== null && (problem !== before || waited > 1000)) {
					answers.push(problem);
					break;
				}
				if (waited > 10_000) throw new Error(`no answer to ${address}`);
			}
		}
		return answers;
	}, addresses);
}

/** Every picker button: its series key, id and label text, read at once. */
async function pickerButtons(page: Page): Promise<Map<string, { id: string; label: string }>> {
	const rows = await page.getByTestId('series-picker').evaluate((picker) =>
		Array.from(picker.querySelectorAll('button[data-series-key]')).map((b) => [
			b.getAttribute('data-series-key') ?? '',
			b.getAttribute('data-series-id') ?? '',
			b.querySelector('.label')?.textContent ?? ''
		])
	);
	return new Map(rows.map(([key, id, label]) => [key, { id, label }]));
}

test('500 XSS payloads as symbols, field names, labels and refusal reasons: none runs, all read as literal text', async ({ page }) => {
	const dialogs: string[] = [];
	page.on('dialog', (dialog) => {
		dialogs.push(`${dialog.type()}: ${dialog.message()}`);
		void dialog.dismiss().catch(() => {});
	});
	await page.addInitScript(installXssTraps);
	expect(PAYLOADS).toHaveLength(500);
	expect(new Set(PAYLOADS.map((p) => p.text)).size).toBe(500);

	let reported = false;
	/** What was tried, for the report. */
	const figures: Record<string, number> = {};
	/** What ran or became markup, per the page's traps and Playwright's dialog handler: logged and attached. */
	const report = async () => {
		const evidence = { ...(await page.evaluate(xssEvidence)), flag: await page.evaluate(() => (window as unknown as { __xss: number }).__xss) };
		const summary = {
			payloads: PAYLOADS.length,
			dialogs: dialogs.length,
			flag: evidence.flag,
			flagWrites: evidence.flags.length,
			cspViolations: evidence.violations.length,
			markup: evidence.markup.length,
			markupNow: evidence.markupNow.length,
			...figures
		};
		console.log(`xss: ${JSON.stringify(summary)}`);
		await test.info().attach('xss-evidence.json', {
			body: JSON.stringify({ summary, families: familyCounts(PAYLOADS), dialogsSeenByPlaywright: dialogs, ...evidence }, null, 1),
			contentType: 'application/json'
		});
		return evidence;
	};

	const now = Date.now();
	/** Each server and the frames it replays (the array it was given: frames pushed later are sent too). */
	const replays = new Map<FeedServer, string[]>();
	const servers: FeedServer[] = [];
	const serve = async (frames: string[], intervalMs: number) => {
		const server = await startFeedServer({ frames, intervalMs, holdWithoutClients: true });
		servers.push(server);
		replays.set(server, frames);
		return server;
	};
	const allSent = () => servers.every((s) => s.cursor() === replays.get(s)?.length);

	try {
		// (a) Symbols, generic feed: `device` names the series. Five plain frames first, so the
		// mapping is proposed from ordinary data; then every payload is a device, 45 readings
		// each with a spike at the 41st, so the detectors flag them and the anomaly log names them.
		const deviceFrames: string[] = [];
		for (let k = 0; k < 5; k++) {
			deviceFrames.push(JSON.stringify(['warm-a', 'warm-b'].map((device, d) => ({ device, ts: now - 90_000 + k * 100, value: 10 + d + k / 10 }))));
		}
		for (let r = 0; r < 45; r++) {
			deviceFrames.push(
				JSON.stringify(PAYLOADS.map((p) => ({ device: p.text, ts: now - 80_000 + r * 1000, value: r === 40 ? 1000 : 10 + jitter(p.id, r) })))
			);
		}
		const devices = await serve(deviceFrames, 15);
		const deviceSeries: Expected[] = PAYLOADS.map((p) => {
			const label = shownAsKey(`${p.text}/value`);
			return { key: `feed/${feedIdOf(devices)}/${label}`, label, payload: p };
		});

		// (a) Symbols, Binance trades: the preset takes `s` as the series name, price and quantity.
		const trades = await serve(
			PAYLOADS.map((p) =>
				JSON.stringify({ e: 'trade', E: now - 30_000 + p.id, s: p.text, t: p.id, p: (1 + p.id / 1000).toFixed(3), q: '0.5', T: now - 30_000 + p.id, m: false, M: true })
			),
			2
		);
		const tradeSeries: Expected[] = PAYLOADS.flatMap((p) =>
			['p', 'q'].map((v) => {
				const label = shownAsKey(`${p.text}/${v}`);
				return { key: `feed/${feedIdOf(trades)}/${label}`, label, payload: p };
			})
		);

		// (b) Field names, 12 per feed (what detection proposes at most); (c) each feed's address
		// and its message type carry payloads too; (d) every payload also arrives in a refused
		// frame: as invalid JSON, inside a broken object, or as an unreadable timestamp.
		const fieldPayloads = PAYLOADS.filter((p) => usableAsField(p.text));
		const feedCount = Math.ceil(fieldPayloads.length / FIELDS_PER_FEED);
		// In a query value: no `#` (a fragment), no `&` (more parameters), nothing trimmed away.
		const urlPayloads = PAYLOADS.filter((p) => !/[#&]/.test(p.text) && !CONTROL.test(p.text) && p.text.trim() === p.text);
		const typePayloads = PAYLOADS.filter((p) => p.text.length <= 40 && !CONTROL.test(p.text)).reverse();
		const fieldFeeds: { server: FeedServer; frames: string[]; url: string; fields: XssPayload[]; type: string; series: Expected[]; refusals: { frame: string; shown: string }[] }[] = [];
		for (let j = 0; j < feedCount; j++) {
			const fields = fieldPayloads.slice(j * FIELDS_PER_FEED, (j + 1) * FIELDS_PER_FEED);
			const type = typePayloads[j % typePayloads.length].text;
			const record = (k: number) => Object.fromEntries(fields.map((f, i) => [f.text, (i + 1) * 10 + k * 0.37 + j / 1000]));
			const frames: string[] = [];
			for (let k = 0; k < 6; k++) frames.push(JSON.stringify({ ts: now - 20_000 + k * 100, type, ...record(k) }));
			// Sent later, five at a time (the panel lists a feed's last five refusals).
			const refusals = PAYLOADS.filter((p) => p.id % feedCount === j).map((p) => {
				// Newlines would split a frame into NDJSON lines; JSON would not be refused as such.
				const kind = p.text.includes('\n') || isJson(p.text) ? 2 : p.id % 3;
				if (kind === 0) return { frame: p.text, shown: `invalid-json ${shownAsSample(p.text)}` };
				if (kind === 1) {
					const frame = `{"type":${JSON.stringify(type)},"name":"${p.text}",`;
					return { frame, shown: `invalid-json ${shownAsSample(frame)}` };
				}
				return { frame: JSON.stringify({ ts: p.text, type, ...record(7) }), shown: `no-number time ${shownAsSample(p.text)}` };
			});
			// Last, a record without its values: refused under the name of the first one.
			refusals.push({ frame: JSON.stringify({ ts: now - 10_000, type }), shown: `no-number ${shownAsKey(fields[0].text)}` });
			const server = await serve(frames, 20);
			const url = `${server.url}/?name=${urlPayloads[(j * 7) % urlPayloads.length].text}`;
			const series = fields.map((f) => {
				const label = shownAsKey(f.text);
				return { key: `feed/${feedIdOf(server)}/${label}`, label, payload: f };
			});
			fieldFeeds.push({ server, frames, url, fields, type, series, refusals });
		}

		await test.step('connect every feed', async () => {
			await page.goto(`./?sim=off&feed=${encodeURIComponent(devices.url)}`);
			await expect(page.getByTestId('feed').first()).toHaveAttribute('data-state', 'live');
			expect(await submitAddresses(page, [trades.url, ...fieldFeeds.map((f) => f.url)])).toEqual(Array(1 + fieldFeeds.length).fill(''));
			await expect(page.getByTestId('feed')).toHaveCount(2 + fieldFeeds.length);
			await expect.poll(allSent, { timeout: 30_000 }).toBe(true);
		});

		const allSeries = [...deviceSeries, ...tradeSeries, ...fieldFeeds.flatMap((f) => f.series)];
		const labels = new Set([...allSeries.map((s) => s.label), 'warm-a/value', 'warm-b/value']);
		let buttons = new Map<string, { id: string; label: string }>();

		await test.step('(a, b) every payload symbol and field name is a picker entry with its literal text', async () => {
			await expect
				.poll(async () => {
					buttons = await pickerButtons(page);
					return allSeries.filter((s) => buttons.get(s.key)?.label !== s.label).length;
				}, { timeout: 20_000 })
				.toBe(0);
			// Nothing else: the two plain devices that opened the feed.
			expect(buttons.size).toBe(new Set(allSeries.map((s) => s.key)).size + 2);
			figures.pickerEntries = buttons.size;
			figures.fieldNames = fieldPayloads.length;
			figures.feeds = 2 + fieldFeeds.length;
		});

		await test.step('(c) chosen series: the chart header, its description and the panels show the payload as text', async () => {
			// Three of each feed kind, spread over the families.
			const chosen = [
				...deviceSeries.filter((_, i) => i % 170 === 7),
				...tradeSeries.filter((_, i) => i % 340 === 33),
				...fieldFeeds.flatMap((f) => f.series).filter((_, i) => i % 140 === 5)
			];
			expect(chosen).toHaveLength(9);
			const header = () =>
				page.evaluate(() => {
					const chart = document.querySelector('[data-testid="chart"]');
					return [document.querySelector('section[aria-label="Live chart"] h2')?.textContent, chart?.getAttribute('data-series-key'), chart?.getAttribute('aria-label')];
				});
			for (const s of chosen) {
				await page.getByTestId('series-picker').locator(`button[data-series-id="${buttons.get(s.key)?.id}"]`).click();
				await expect.poll(header).toEqual([s.label, s.key, `Chart of ${s.label}: arrow keys pan, + and − zoom`]);
				if (chosen.indexOf(s) % 3 === 0) await page.getByTestId('add-panel').click();
			}
			const panels = await page.getByTestId('panel').evaluateAll((els) => els.map((el) => [el.getAttribute('data-series-key'), el.querySelector('header h3')?.textContent]));
			expect(panels).toEqual(chosen.filter((_, i) => i % 3 === 0).map((s) => [s.key, s.label]));
		});

		await test.step('(c) the anomaly log names the flagged payload series as text', async () => {
			const rows = page.getByTestId('anomaly-log').locator('tbody tr[data-series-id]');
			await expect.poll(() => rows.count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(20);
			const named = await rows.evaluateAll((trs) => trs.map((tr) => tr.querySelector('td:nth-child(2) button')?.textContent ?? ''));
			expect(named.filter((label) => !labels.has(label))).toEqual([]);
			figures.anomalyRows = named.length;
		});

		await test.step('(c) feed addresses, proposed mappings and message-type filters show the payloads as text', async () => {
			const items = await page.getByTestId('feed-list').evaluate((list) =>
				Object.fromEntries(
					Array.from(list.querySelectorAll('li[data-testid="feed"]')).map((li) => {
						const url = li.querySelector('.url');
						const mapping = li.querySelector('details.mapping');
						return [
							li.getAttribute('data-feed-id') ?? '',
							{
								url: url?.textContent,
								title: url?.getAttribute('title'),
								summary: mapping?.querySelector('summary')?.textContent,
								notes: Array.from(mapping?.querySelectorAll('.note') ?? []).map((n) => n.textContent),
								values: mapping?.querySelector<HTMLInputElement>('input[name="values"]')?.value
							}
						];
					})
				)
			);
			for (const feed of fieldFeeds) {
				const shown = items[feedIdOf(feed.server)];
				const values = feed.fields.map((f) => f.text).join(', ');
				// Shown as the browser serialises the address (`<` as %3C…): text, never markup.
				const address = new URL(feed.url).toString();
				expect(shown.url).toBe(address);
				expect(shown.title).toBe(address);
				expect(shown.summary).toBe(`mapping: detected — values ${values}`);
				// A one-line input drops line breaks from its value (the browser's doing, not the app's).
				expect(shown.values).toBe(values.replace(/[\r\n]/g, ''));
				expect(shown.notes).toContain(`values: ${values}`);
				expect(shown.notes).toContain(`only messages where type = "${feed.type}"`);
			}
		});

		await test.step('(d) every refused frame is listed with its payload as text', async () => {
			/** Each feed's refused-message samples as the open panel shows them. */
			const shownRefusals = () =>
				page.getByTestId('feed-list').evaluate((list) =>
					Object.fromEntries(
						Array.from(list.querySelectorAll('li[data-testid="feed"]')).map((li) => {
							const details = li.querySelector<HTMLDetailsElement>('[data-testid="feed-rejects"]');
							const samples = Array.from(details?.querySelectorAll<HTMLElement>('.sample') ?? []);
							return [li.getAttribute('data-feed-id') ?? '', { open: details?.open ?? false, visible: samples.every((el) => el.offsetHeight > 0), samples: samples.map((el) => el.textContent) }];
						})
					)
				);
			const rounds = Math.max(...fieldFeeds.map((f) => f.refusals.length));
			let checked = 0;
			for (let first = 0; first < rounds; first += 5) {
				// Five more refused frames per feed (startFeedServer replays the very array it was
				// given, so frames pushed now are sent now); once in, the panel lists them last.
				for (const feed of fieldFeeds) feed.frames.push(...feed.refusals.slice(first, first + 5).map((r) => r.frame));
				await expect.poll(allSent, { timeout: 30_000 }).toBe(true);
				if (first === 0) {
					// Open every feed's list of refused messages (a click on each summary).
					await expect.poll(() => page.getByTestId('feed-rejects').count()).toBe(fieldFeeds.length);
					await page.getByTestId('feed-list').evaluate((list) => {
						for (const summary of Array.from(list.querySelectorAll<HTMLElement>('[data-testid="feed-rejects"] > summary'))) summary.click();
					});
				}
				const wrong = async () => {
					const shown = await shownRefusals();
					return fieldFeeds.flatMap((feed) => {
						const batch = feed.refusals.slice(first, first + 5).map((r) => r.shown);
						const panel = shown[feedIdOf(feed.server)];
						const tail = panel?.samples.slice(-batch.length) ?? [];
						return panel?.open && panel.visible && tail.every((text, i) => text === batch[i]) ? [] : [{ feed: feedIdOf(feed.server), expected: batch, shown: tail }];
					});
				};
				await expect.poll(wrong).toEqual([]);
				checked += fieldFeeds.reduce((n, feed) => n + feed.refusals.slice(first, first + 5).length, 0);
			}
			expect(checked).toBe(PAYLOADS.length + fieldFeeds.length);
			figures.refusalsShown = checked;
		});

		await test.step('(d) a payload typed as a feed address is quoted back as text', async () => {
			const typed = PAYLOADS.filter((x, i) => i % 20 === 3 && !CONTROL.test(x.text));
			const answers = await submitAddresses(page, typed.map((p) => p.text));
			typed.forEach((p, i) => {
				const address = p.text.trim();
				let parses = true;
				try {
					new URL(address);
				} catch {
					parses = false;
				}
				// Not an address at all: quoted back. An address of another kind: its scheme is named.
				if (!parses) expect(answers[i]).toBe(`“${address.slice(0, 80)}” is not an address. A feed address looks like wss://example.com/stream.`);
				else expect(answers[i]).toMatch(/^A feed address starts with ws:\/\//);
			});
			await page.getByTestId('feed-url').fill('');
			figures.addressesTyped = typed.length;
		});

		await test.step('(c) searches and saved views named with payloads read back as text', async () => {
			const picker = page.getByTestId('series-picker');
			const search = page.getByRole('searchbox', { name: 'Search instruments' });
			const sought = PAYLOADS.filter((x) => x.id % 250 === 0 && !CONTROL.test(x.text));
			for (const p of sought) {
				await search.fill(p.text);
				const shownKeys = await picker.evaluate((el) => Array.from(el.querySelectorAll('button[data-series-key]')).map((b) => b.getAttribute('data-series-key')));
				for (const s of allSeries.filter((x) => x.payload === p)) expect(shownKeys).toContain(s.key);
			}
			const unmatched = `${sought[0].text}zz`;
			await search.fill(unmatched);
			await expect.poll(() => picker.locator('.empty').textContent()).toBe(`No instrument matches “${unmatched}”.`);
			await search.fill('');
			// Views named with payloads, of payload series.
			const named = PAYLOADS.filter((x) => x.text.length <= 80 && !/\s/.test(x.text) && x.id % 200 === 1);
			for (const p of named) {
				await picker.locator(`button[data-series-id="${buttons.get(deviceSeries[p.id - 1].key)?.id}"]`).click();
				await page.getByTestId('view-name').fill(p.text);
				await page.getByTestId('view-save').click();
				await expect(page.getByTestId('view-open')).toHaveCount(named.indexOf(p) + 1);
			}
			const views = await page.getByTestId('view-open').evaluateAll((els) => els.map((el) => [el.textContent, el.getAttribute('title')]));
			expect(views.sort()).toEqual(named.map((p) => [p.text, deviceSeries[p.id - 1].key]).sort());
		});

		await test.step('nothing ran, nothing became markup', async () => {
			// Give late handlers (onfocus, onpointerover, animations) a moment: move over the lists.
			await page.getByTestId('series-picker').hover();
			await page.getByTestId('anomaly-log').hover();
			await page.waitForTimeout(300);
			const evidence = await report();
			expect(dialogs).toEqual([]);
			expect(evidence.dialogs).toEqual([]);
			expect(evidence.flags).toEqual([]);
			expect(evidence.flag).toBe(0);
			expect(evidence.violations).toEqual([]);
			expect(evidence.markup).toEqual([]);
			expect(evidence.markupNow).toEqual([]);
			expect(await page.locator('img[src="x"], svg, iframe, object, embed, [onerror], [onload], [onfocus], [srcdoc]').count()).toBe(0);
			reported = true;
		});
	} finally {
		// When an earlier check failed, still say whether anything ran or became markup.
		if (!reported) await report().catch(() => {});
		await Promise.all(servers.map((s) => s.stop()));
	}
});
