// `npm run bench:mqtt`: how many MQTT messages/s one Tickscope tab takes from Debian's mosquitto
// on this machine. A publisher pushes small sensor records (two values each) to 100 topics
// (sensors/<device>/env) as fast as the broker takes them; the app subscribes to sensors/+/env
// over WebSockets in a plain headless Chromium (no DevTools connection: bench/lib/headless.mjs)
// and decodes, detects and stores them. Reports what was offered and what the tab took; the
// difference is what the tab could not keep up with. Writes bench/results/mqtt.json. Figures,
// never assertions. BENCH_MS sets the measuring time (default 6000).
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import mqtt from 'mqtt';
import { appFeedPage } from './lib/app-page.mjs';
import { harnessServer } from './lib/headless.mjs';
import { startBroker } from './lib/mosquitto.mjs';

const MEASURE_MS = Number(process.env.BENCH_MS ?? 6000);
const WARMUP_MS = 2000;
const DEVICES = 100;
const BATCH = 256;

if (!process.argv.includes('--no-build')) spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
const broker = await startBroker();
const harness = await harnessServer({ dir: 'build' });

// The publisher: a batch, then the next once the last of it has been written to the socket.
const publisher = mqtt.connect(broker.mqttUrl);
await new Promise((resolve) => publisher.once('connect', resolve));
let published = 0;
let k = 0;
let running = true;
const pump = () => {
	if (!running) return;
	for (let i = 0; i < BATCH; i++) {
		const device = k++ % DEVICES;
		const payload = `{"device":"sensor-${device}","ts":"${new Date().toISOString()}","temperature":${(20 + (k % 97) / 10).toFixed(2)},"humidity":${(40 + (k % 53) / 10).toFixed(1)}}`;
		publisher.publish(`sensors/sensor-${device}/env`, payload, { qos: 0 }, i === BATCH - 1 ? pump : undefined);
	}
	published += BATCH;
};
pump();

const started = { at: Date.now(), published };
const app = await harness.run(
	appFeedPage(`/?sim=off&feed=${encodeURIComponent(broker.wsUrl.replace(/^ws:/, 'mqtt+ws:'))}&topics=${encodeURIComponent('sensors/+/env')}`, {
		warmupMs: WARMUP_MS,
		measureMs: MEASURE_MS
	})
);
const offered = ((published - started.published) * 1000) / (Date.now() - started.at);
running = false;
publisher.end(true);
harness.close();
await broker.stop();

// Two ticks per message: temperature and humidity.
const results = {
	mqtt_msgs_per_s: Math.round(app.ticksPerS / 2),
	mqtt_offered_msgs_per_s: Math.round(offered),
	mqtt_stored_msgs_per_s: Math.round(app.storedPerS / 2),
	mqtt_page_fps: Number(app.fps.toFixed(1))
};
const n = (x) => x.toLocaleString('en');
console.log(`publisher offered (into mosquitto)   ${n(results.mqtt_offered_msgs_per_s)} messages/s`);
console.log(`one tab took, decoded and stored     ${n(results.mqtt_msgs_per_s)} messages/s (${n(results.mqtt_stored_msgs_per_s)}/s reached the store)`);
console.log(`page frame rate meanwhile            ${results.mqtt_page_fps} fps`);
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/mqtt.json', `${JSON.stringify(results, null, 2)}\n`);
console.log('\nwritten: bench/results/mqtt.json');
process.exit(0);
