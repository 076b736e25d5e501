// Debian's mosquitto on loopback for benchmarks (the browser tests use tests/fixtures/mosquitto.ts,
// which also restarts and kills it): free ports, a WebSockets listener beside the plain one.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const freePort = () =>
	new Promise((resolve) => {
		const server = createServer().listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});

const accepts = (port) =>
	new Promise((resolve) => {
		const socket = createConnection({ host: '127.0.0.1', port }, () => {
			socket.destroy();
			resolve(true);
		});
		socket.on('error', () => resolve(false));
	});

export async function startBroker() {
	const [mqttPort, wsPort] = [await freePort(), await freePort()];
	const dir = mkdtempSync(join(tmpdir(), 'tickscope-mosquitto-'));
	const conf = join(dir, 'mosquitto.conf');
	const lines = ['allow_anonymous true', 'persistence false', 'log_dest none', `listener ${mqttPort} 127.0.0.1`, `listener ${wsPort} 127.0.0.1`, 'socket_domain ipv4', 'protocol websockets'];
	if (process.getuid?.() === 0) lines.unshift('user root');
	writeFileSync(conf, `${lines.join('\n')}\n`);
	const binary = ['/usr/sbin/mosquitto', '/usr/bin/mosquitto'].find((path) => existsSync(path));
	if (!binary) throw new Error('mosquitto is not installed (npm test installs it; or apt-get install mosquitto)');
	const child = spawn(binary, ['-c', conf], { stdio: 'ignore' });
	const deadline = Date.now() + 10_000;
	while (!(await accepts(wsPort))) {
		if (Date.now() > deadline) throw new Error('mosquitto did not start');
		await new Promise((r) => setTimeout(r, 50));
	}
	return {
		mqttUrl: `mqtt://127.0.0.1:${mqttPort}`,
		wsUrl: `ws://127.0.0.1:${wsPort}/mqtt`,
		stop: () =>
			new Promise((resolve) => {
				child.once('exit', () => {
					rmSync(dir, { recursive: true, force: true });
					resolve();
				});
				child.kill('SIGTERM');
			})
	};
}
