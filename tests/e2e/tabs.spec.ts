import { expect, test, type Page } from '@playwright/test';
import { chartState, expectTicksFlowing, tickTotal } from './helpers';
import { inspectHistory } from './history-audit';

/**
 * Several tabs of one history: exactly one records (runs the simulator and writes), the others
 * mirror it live. Closing the recording tab or freezing it hands recording to another tab within
 * seconds, and the stored history has no tick twice and no two simulations interleaved.
 */

const role = (page: Page) => page.locator('.app').getAttribute('data-role');

async function roles(pages: Page[]): Promise<(string | null)[]> {
	return Promise.all(pages.map(role));
}

/** Waits until exactly one of `pages` records; returns it and how long that took. */
async function oneLeader(pages: Page[], timeoutMs = 15_000): Promise<{ leader: Page; ms: number }> {
	const started = Date.now();
	await expect.poll(async () => (await roles(pages)).filter((r) => r === 'leader').length, { timeout: timeoutMs }).toBe(1);
	const all = await roles(pages);
	return { leader: pages[all.indexOf('leader')], ms: Date.now() - started };
}

/** The chart's newest tick moves on: this tab draws live ticks. */
async function expectChartLive(page: Page): Promise<void> {
	const before = (await chartState(page)).lastT;
	await expect.poll(async () => (await chartState(page)).lastT, { timeout: 10_000 }).toBeGreaterThan(Number.isFinite(before) ? before : 0);
}

/** Pauses the JavaScript of the page's engine worker (through DevTools) until `resume`. */
async function pauseWorker(page: Page): Promise<{ resume(): Promise<void> }> {
	const session = await page.context().newCDPSession(page);
	const attached = new Promise<string>((resolve) => {
		session.on('Target.attachedToTarget', (event) => {
			if (event.targetInfo.type === 'worker') resolve(event.sessionId);
		});
	});
	await session.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
	const sessionId = await attached;
	let id = 0;
	const send = (method: string) => session.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id: ++id, method }) });
	await send('Debugger.enable');
	await send('Debugger.pause');
	return {
		async resume() {
			await send('Debugger.resume');
			await send('Debugger.disable');
		}
	};
}

test('one tab records, the others mirror it live; closing or freezing the recorder hands over with no tick twice', async ({ context }) => {
	test.setTimeout(120_000);
	const first = await context.newPage();
	await first.goto('./');
	await expectTicksFlowing(first);
	expect(await role(first)).toBe('leader');

	const second = await context.newPage();
	await second.goto('./');
	const third = await context.newPage();
	await third.goto('./');
	for (const mirror of [second, third]) {
		await expect(mirror.locator('.app')).toHaveAttribute('data-role', 'mirror');
		await expect(mirror.getByTestId('mirror-banner')).toContainText('recording in another tab');
		// Mirrors show the same live ticks: their chart moves and their total follows the recorder's.
		await expectChartLive(mirror);
		await expectTicksFlowing(mirror);
	}
	expect(await roles([first, second, third])).toEqual(['leader', 'mirror', 'mirror']);
	// Same series, and the mirror's total within a second's worth of the recorder's.
	expect((await chartState(second)).seriesKey).toBe((await chartState(first)).seriesKey);
	const [a, b] = [await tickTotal(first), await tickTotal(second)];
	expect(Math.abs(a - b)).toBeLessThan(Math.max(2000, a * 0.1));

	// A change made in a mirror is made by the recorder and shows in every tab.
	await second.getByTestId('sim-speed').selectOption('10');
	await expect(first.getByTestId('sim-speed')).toHaveValue('10');
	await expect(third.getByTestId('sim-speed')).toHaveValue('10');
	await third.getByTestId('sim-speed').selectOption('1');
	await expect(first.getByTestId('sim-speed')).toHaveValue('1');
	await expect(second.getByTestId('sim-speed')).toHaveValue('1');

	// Close the recorder: the next tab in line records by itself.
	await first.close();
	const closed = await oneLeader([second, third]);
	await expectTicksFlowing(closed.leader);
	const mirror = closed.leader === second ? third : second;
	await expect(mirror.locator('.app')).toHaveAttribute('data-role', 'mirror');
	await expectChartLive(mirror);

	// Freeze the recorder's page, as a browser freezes a background tab: the browser fires
	// `freeze` first (DevTools' freeze does not, so the test does), the page hands the recording to
	// the mirror, and mirrors when it thaws.
	const recorder = closed.leader;
	const cdp = await context.newCDPSession(recorder);
	const frozenAt = Date.now();
	await recorder.evaluate(() => document.dispatchEvent(new Event('freeze')));
	await cdp.send('Page.setWebLifecycleState', { state: 'frozen' });
	await expect(mirror.locator('.app')).toHaveAttribute('data-role', 'leader', { timeout: 15_000 });
	const freezeMs = Date.now() - frozenAt;
	await expectTicksFlowing(mirror);
	await cdp.send('Page.setWebLifecycleState', { state: 'active' });
	await recorder.evaluate(() => document.dispatchEvent(new Event('resume')));
	await expect(recorder.locator('.app')).toHaveAttribute('data-role', 'mirror', { timeout: 15_000 });
	await expectChartLive(recorder);

	// Hang the recorder's engine (its worker stops running, as in a frozen or stuck process):
	// it goes silent while holding the lock, and the mirror takes the recording from it. When it
	// runs again it has lost the role, and the writer epoch keeps its buffered ticks out.
	const hung = await pauseWorker(mirror);
	const hungAt = Date.now();
	await expect(recorder.locator('.app')).toHaveAttribute('data-role', 'leader', { timeout: 15_000 });
	const hangMs = Date.now() - hungAt;
	await expectTicksFlowing(recorder);
	await hung.resume();
	await expect(mirror.locator('.app')).toHaveAttribute('data-role', 'mirror', { timeout: 15_000 });
	await expectChartLive(mirror);
	expect(await roles([second, third])).toEqual(recorder === second ? ['leader', 'mirror'] : ['mirror', 'leader']);

	// Let both write a few more flushes, then audit every stored tick with the raw IndexedDB API.
	await mirror.waitForTimeout(3000);
	const report = await mirror.evaluate(inspectHistory);
	console.log(
		`several tabs: recorder closed → another recording in ${closed.ms} ms; page frozen → handed over in ${freezeMs} ms; ` +
			`engine hung → taken over in ${hangMs} ms; ` +
			`${report.ticks} ticks stored in ${report.series} series, duplicates ${report.duplicates}, overlaps ${report.overlaps}`
	);
	expect(report.problems).toEqual({});
	expect(report.duplicates).toBe(0);
	expect(report.overlaps).toBe(0);
	expect(report.ticks).toBeGreaterThan(1000);
});

test('a mirror can take the recording over when the person asks', async ({ context }) => {
	const first = await context.newPage();
	await first.goto('./');
	await expectTicksFlowing(first);
	const second = await context.newPage();
	await second.goto('./');
	await expect(second.locator('.app')).toHaveAttribute('data-role', 'mirror');

	await second.getByRole('button', { name: 'Record in this tab' }).click();
	await expect(second.locator('.app')).toHaveAttribute('data-role', 'leader');
	await expect(first.locator('.app')).toHaveAttribute('data-role', 'mirror');
	await expectTicksFlowing(second);
	await expectChartLive(first);

	// And back again.
	await first.getByRole('button', { name: 'Record in this tab' }).click();
	await expect(first.locator('.app')).toHaveAttribute('data-role', 'leader');
	await expect(second.locator('.app')).toHaveAttribute('data-role', 'mirror');
	await expectChartLive(second);
	const report = await first.evaluate(inspectHistory);
	expect(report.problems).toEqual({});
	expect(report.duplicates).toBe(0);
});
