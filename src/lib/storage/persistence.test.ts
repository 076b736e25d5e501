import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { HistoryStore } from './history-store';
import { browserStorage, requestPersistence } from './persistence';
import { TestDbs } from './test-support';

const dbs = new TestDbs();
afterEach(() => dbs.drop());

describe('storage manager wrappers', () => {
	it('report nothing rather than fail where the API is missing (Node, workers)', async () => {
		expect(await browserStorage(undefined)).toEqual({ usage: null, quota: null, persisted: null });
		expect(await requestPersistence(undefined)).toBeNull();
		expect(await requestPersistence({ persisted: async () => false })).toBe(false);
		expect(await requestPersistence({ estimate: async () => ({}) })).toBeNull();
		expect(await new HistoryStore(dbs.fresh()).requestPersistence()).toBeNull();
	});

	it('pass on what the browser says, and ask only when not yet persisted', async () => {
		let asked = 0;
		const manager = {
			estimate: async () => ({ usage: 1234, quota: 10_000 }),
			persisted: async () => asked > 0,
			persist: async () => {
				asked++;
				return true;
			}
		};
		expect(await browserStorage(manager)).toEqual({ usage: 1234, quota: 10_000, persisted: false });
		expect(await requestPersistence(manager)).toBe(true);
		expect(await requestPersistence(manager)).toBe(true);
		expect(asked).toBe(1);
		expect(await browserStorage({ estimate: () => Promise.reject(new Error('denied')) })).toEqual({ usage: null, quota: null, persisted: null });
	});
});

describe('named views', () => {
	it('saves, lists in creation order and deletes views', async () => {
		const store = new HistoryStore(dbs.fresh());
		const a = await store.saveView('BTC last hour', { seriesKey: 'binance/btcusdt/price', range: { from: 1, to: 2 } });
		const b = await store.saveView('gait', { seriesKey: 'sim/gait/left-heel', range: null });
		expect(b).toBeGreaterThan(a);
		const views = await store.listViews();
		expect(views.map((v) => [v.id, v.name])).toEqual([
			[a, 'BTC last hour'],
			[b, 'gait']
		]);
		expect(views[0].view).toEqual({ seriesKey: 'binance/btcusdt/price', range: { from: 1, to: 2 } });
		expect(typeof views[0].createdAt).toBe('number');
		await store.deleteView(a);
		expect((await store.listViews()).map((v) => v.id)).toEqual([b]);
	});
});
