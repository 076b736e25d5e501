// A loopback WebSocket server pushing Binance-style trades as fast as the client reads them:
// a batch is written, and the next one once the previous has reached the kernel (no busy-wait,
// so the server does not steal a core from the browser on a 2-core machine).
import { WebSocketServer } from 'ws';

const BATCH = 512;

/** `perMessage` trades per message: 1 sends trade objects, more sends a JSON array of them. */
export async function startTradeFeed({ perMessage = 1 } = {}) {
	const start = Date.now();
	const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
	await new Promise((resolve) => wss.once('listening', resolve));
	const trade = (k) => {
		const t = start + Math.floor(k / 10);
		return `{"e":"trade","E":${t},"s":"BTCUSDT","t":${k},"p":"${(43000 + (k % 997) / 100).toFixed(2)}","q":"0.0${1 + (k % 9)}","T":${t},"m":false,"M":true}`;
	};
	let sent = 0;
	wss.on('connection', (socket) => {
		let k = 0;
		const message = () => {
			if (perMessage === 1) return trade(k++);
			const parts = [];
			for (let i = 0; i < perMessage; i++) parts.push(trade(k++));
			return `[${parts.join(',')}]`;
		};
		const pump = () => {
			if (socket.readyState !== socket.OPEN) return;
			for (let i = 0; i < BATCH; i++) socket.send(message(), i === BATCH - 1 ? pump : undefined);
			sent += BATCH;
		};
		pump();
	});
	return {
		url: `ws://127.0.0.1:${wss.address().port}`,
		get sent() {
			return sent;
		},
		close: () => new Promise((resolve) => {
			for (const client of wss.clients) client.terminate();
			wss.close(resolve);
		})
	};
}
