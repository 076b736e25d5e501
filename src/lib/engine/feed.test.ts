import { beforeEach, describe, expect, it } from 'vitest';
import { FakeClock, FakeSocket } from '../sources/websocket/fake-web-socket';
import { Feed } from './feed';

const T0 = Date.UTC(2026, 10, 25, 12);

function trade(k: number, t: number, price = 100 + k) {
	return `{"e":"trade","s":"BTCUSDT","t":${k},"p":"${price}","q":"0.5","T":${t}}`;
}

function openFeed() {
	const clock = new FakeClock();
	clock.time = T0;
	const ticks: { key: string; t: number; v: number }[] = [];
	const feed = new Feed(
		{ id: 'f', url: 'ws://127.0.0.1:1/ws' },
		{ tick: (key, t, v) => ticks.push({ key, t, v }), mapped: () => {}, gap: () => {} },
		{ WebSocketImpl: FakeSocket, now: clock.now, setTimer: clock.setTimer, clearTimer: clock.clearTimer, random: () => 0.5 }
	);
	feed.open();
	FakeSocket.last.serverOpen();
	return { feed, clock, ticks, socket: FakeSocket.last };
}

describe('Feed', () => {
	beforeEach(() => {
		FakeSocket.sockets = [];
	});

	it('drops exact copies of a recent message and counts them; same time with another price is kept', () => {
		const { feed, ticks, socket } = openFeed();
		for (let k = 0; k < 50; k++) {
			socket.serverSend(trade(k, T0 + k));
			if (k % 10 === 0) socket.serverSend(trade(k, T0 + k)); // re-sent by mistake
			if (k % 25 === 0) socket.serverSend(trade(1000 + k, T0 + k, 7)); // another trade, same ms
		}
		const status = feed.status(T0);
		expect(status.duplicates).toBe(5);
		// 50 trades + 2 more at the same instants, each a price and a quantity.
		expect(ticks).toHaveLength(2 * 52);
		expect(status.ticks).toBe(104);
	});

	it('does not treat a repeated value as a copy when the feed has no times of its own', () => {
		const { feed, ticks, socket } = openFeed();
		for (let k = 0; k < 20; k++) socket.serverSend('23.5');
		expect(feed.status(T0).duplicates).toBe(0);
		expect(ticks).toHaveLength(20);
	});

	it('shows a source clock five minutes ahead, and keeps its times as sent', () => {
		const { feed, clock, ticks, socket } = openFeed();
		for (let k = 0; k < 40; k++) {
			clock.advance(100);
			socket.serverSend(trade(k, clock.time + 5 * 60_000));
		}
		const skew = feed.status(clock.time).skewMs;
		expect(skew).not.toBeNull();
		expect(Math.abs(skew! - 5 * 60_000)).toBeLessThan(50);
		expect(ticks.at(-1)!.t).toBe(clock.time + 5 * 60_000);
	});

	it('reports no skew for a source in step with this clock', () => {
		const { feed, clock, socket } = openFeed();
		for (let k = 0; k < 40; k++) {
			clock.advance(100);
			socket.serverSend(trade(k, clock.time - 30));
		}
		expect(feed.status(clock.time).skewMs).toBeNull();
	});
});
