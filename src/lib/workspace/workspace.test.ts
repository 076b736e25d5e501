import { describe, expect, it } from 'vitest';
import { decodeShare, emptyWorkspace, encodeShare, newPanel, parseWorkspace, serializeWorkspace, withoutSecrets, type Workspace } from './workspace';

function sample(): Workspace {
	const ws = emptyWorkspace('Desk');
	ws.panels = [
		{ ...newPanel('line', ['sim/markets/AAA/price', 'sim/markets/BBB/price']), axes: 'separate', w: 2 },
		newPanel('sensors', ['sim/gait/p1/left-heel']),
		{ ...newPanel('candles', ['sim/markets/AAA/price']), resolution: '1m', linked: false, title: 'AAA minutes' }
	];
	ws.feeds = [{ url: 'wss://stream.example.com/ws?streams=btcusdt@trade&listenKey=abc123&apiKey=zzz', subscribe: '{"op":"sub"}' }];
	ws.alerts = { notify: true, series: ['sim/markets/AAA/price'], minIntervalMs: 60_000, sound: false };
	ws.theme = 'dark';
	return ws;
}

describe('workspaces', () => {
	it('survive a file round trip field by field, without credentials', () => {
		const ws = sample();
		const back = parseWorkspace(JSON.parse(JSON.stringify(serializeWorkspace(ws))));
		expect(back?.problems).toEqual([]);
		expect(back?.workspace.panels).toEqual(ws.panels);
		expect(back?.workspace.theme).toBe('dark');
		expect(back?.workspace.alerts).toEqual(ws.alerts);
		const feed = back!.workspace.feeds[0];
		expect(feed.url).toBe('wss://stream.example.com/ws?streams=btcusdt%40trade');
		expect(feed.secretsRemoved).toBe(true);
		expect(JSON.stringify(serializeWorkspace(ws))).not.toMatch(/abc123|zzz/);
	});

	it('travel as a compact link fragment and come back equal', async () => {
		const ws = sample();
		const text = await encodeShare(ws);
		expect(text).toMatch(/^[\w-]+$/);
		expect(text.length).toBeLessThan(JSON.stringify(serializeWorkspace(ws)).length);
		const back = await decodeShare(text);
		expect(back?.workspace.panels).toEqual(ws.panels);
		expect(back?.workspace.name).toBe('Desk');
	});

	it('refuse what is not a workspace, and a link that inflates beyond reason', async () => {
		expect(parseWorkspace(null)).toBeNull();
		expect(parseWorkspace({ panels: [] })).toBeNull();
		expect(await decodeShare('not base64!')).toBeNull();
		expect(await decodeShare('AAAA')).toBeNull();
		// 5 MB of spaces deflate to a few kB: refused once inflated past 1 MB.
		const bomb = { format: 'tickscope-workspace', version: 1, name: 'x', pad: ' '.repeat(5_000_000) };
		const packed = new Uint8Array(await new Response(new Blob([JSON.stringify(bomb)]).stream().pipeThrough(new CompressionStream('deflate-raw'))).arrayBuffer());
		const text = Buffer.from(packed).toString('base64url');
		expect(text.length).toBeLessThan(65_536);
		expect(await decodeShare(text)).toBeNull();
	});

	it('keep what is usable of hostile input and say what was dropped', () => {
		const parsed = parseWorkspace({
			format: 'tickscope-workspace',
			version: 1,
			name: '  <img src=x onerror=alert(1)>  ',
			panels: [
				{ kind: 'line', series: ['a', 'a', 5, 'b'], w: 9, h: 2, id: 'ok-1' },
				{ kind: '__proto__', series: [] },
				{ kind: 'number', series: ['x'], id: 'ok-1' },
				'junk'
			],
			feeds: [{ url: 'javascript:alert(1)' }, { url: 'mqtt+wss://user:pw@broker.example/mqtt', mqtt: { topics: ['a/#', 7], qos: 5 } }],
			alerts: { notify: 'yes', minIntervalMs: -1 },
			theme: 'neon'
		});
		expect(parsed).not.toBeNull();
		const { workspace, problems } = parsed!;
		expect(workspace.name).toBe('<img src=x onerror=alert(1)>');
		expect(workspace.panels.map((p) => [p.kind, p.series, p.w])).toEqual([
			['line', ['a', 'b'], 1],
			['number', ['x'], 1]
		]);
		// Two panels never share an id.
		expect(new Set(workspace.panels.map((p) => p.id)).size).toBe(2);
		expect(workspace.feeds).toEqual([{ url: 'mqtt+wss://broker.example/mqtt', secretsRemoved: true, mqtt: { topics: ['a/#'], qos: 0 } }]);
		expect(workspace.alerts).toEqual({ notify: false, series: [], minIntervalMs: 5000, sound: false });
		expect(workspace.theme).toBe('system');
		expect(problems.length).toBeGreaterThan(0);
		expect(Object.prototype).not.toHaveProperty('kind');
	});

	it('take credentials out of feed addresses but keep everything else', () => {
		expect(withoutSecrets({ url: 'wss://a.example/ws?symbol=BTC' })).toEqual({ url: 'wss://a.example/ws?symbol=BTC' });
		expect(withoutSecrets({ url: 'wss://a.example/ws?token=1&symbol=BTC&signature=2' })).toEqual({ url: 'wss://a.example/ws?symbol=BTC', secretsRemoved: true });
	});
});

describe('the first-run workspace', () => {
	it('lays out the simulator markets with numbers, charts, a heatmap and the log', async () => {
		const { defaultWorkspace } = await import('./workspace');
		const series = ['AAA', 'BBB', 'CCC'].flatMap((s) => [
			{ key: `sim/markets/${s}/price`, kind: 'price' },
			{ key: `sim/markets/${s}/volume`, kind: 'volume' }
		]);
		const ws = defaultWorkspace(series);
		expect(ws.panels.map((p) => p.kind)).toEqual(['number', 'number', 'line', 'candles', 'table', 'number', 'heatmap', 'log']);
		expect(ws.panels[2].series).toEqual(['sim/markets/AAA/price', 'sim/markets/BBB/price']);
		expect(ws.panels[6].series).toHaveLength(3);
		// Every row of the 4-column grid is full.
		expect(ws.panels.reduce((n, p) => n + p.w * p.h, 0) % 4).toBe(0);
	});

	it('shows a gait patient as a sensor heatmap', async () => {
		const { defaultWorkspace } = await import('./workspace');
		const regions = ['left-heel', 'left-midfoot', 'left-toe', 'right-heel', 'right-midfoot', 'right-toe'];
		const series = ['p1', 'p2'].flatMap((p) => regions.map((r) => ({ key: `sim/gait/${p}/${r}`, kind: 'sensor' })));
		const ws = defaultWorkspace(series);
		expect(ws.panels[0].kind).toBe('sensors');
		expect(ws.panels[0].series).toEqual(regions.map((r) => `sim/gait/p1/${r}`));
		expect(ws.panels.reduce((n, p) => n + p.w * p.h, 0) % 4).toBe(0);
	});
});
