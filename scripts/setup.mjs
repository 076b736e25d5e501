// Set-up shared by `npm start` and `npm test`: install what is missing, nothing more.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

/**
 * Runs a command with inherited output; exits the process with its code when it fails.
 * @param {string} command
 * @param {string[]} args
 * @param {import('node:child_process').SpawnSyncOptions} [options]
 */
export function run(command, args, options = {}) {
	const result = spawnSync(command, args, { stdio: 'inherit', ...options });
	if (result.status !== 0) {
		console.error(`\n✗ ${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
		process.exit(result.status ?? 1);
	}
}

/** `npm ci` when node_modules is missing or older than package-lock.json. */
export function ensureDependencies() {
	const marker = 'node_modules/.package-lock.json';
	const stale = !existsSync(marker) || statSync('package-lock.json').mtimeMs > statSync(marker).mtimeMs;
	if (!stale) return;
	console.log('Installing dependencies (npm ci)…');
	run('npm', ['ci', '--no-audit', '--no-fund']);
}

/** Debian's Chromium for the browser tests (Playwright cannot download its own here). */
export function ensureChromium() {
	const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
	if (existsSync(path)) return;
	console.log(`${path} is missing: installing Debian's chromium…`);
	const asRoot = process.getuid?.() === 0;
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	/** @param {string[]} args */
	const aptGet = (args) => (asRoot ? run('apt-get', args, { env }) : run('sudo', ['apt-get', ...args], { env }));
	aptGet(['update', '-qq']);
	aptGet(['install', '-y', '-qq', 'chromium']);
}

/** Debian's mosquitto, the MQTT broker the MQTT browser tests start on loopback. */
export function ensureMosquitto() {
	if (['/usr/sbin/mosquitto', '/usr/bin/mosquitto'].some((path) => existsSync(path))) return;
	console.log("mosquitto is missing: installing Debian's mosquitto…");
	const asRoot = process.getuid?.() === 0;
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	/** @param {string[]} args */
	const aptGet = (args) => (asRoot ? run('apt-get', args, { env }) : run('sudo', ['apt-get', ...args], { env }));
	aptGet(['update', '-qq']);
	aptGet(['install', '-y', '-qq', 'mosquitto']);
}
