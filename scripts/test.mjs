// `npm test`: install what tests need, then type check, lint, unit tests, build, browser tests.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { ensureChromium, ensureDependencies, ensureMosquitto, run } from './setup.mjs';

ensureDependencies();
ensureChromium();
ensureMosquitto();
rmSync('test-results', { recursive: true, force: true });
mkdirSync('test-results', { recursive: true });

run('npx', ['svelte-kit', 'sync']);
run('npx', ['svelte-check', '--tsconfig', './tsconfig.json', '--fail-on-warnings']);
run('npx', ['eslint', '.']);

const unit = spawnSync(
	'npx',
	['vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile=test-results/unit.json'],
	{ stdio: 'inherit' }
);
// A sub-path build (as for project pages) for the browser test that checks it; then the root build.
run('npx', ['vite', 'build', '--logLevel', 'warn'], {
	env: { ...process.env, BASE_PATH: '/tickscope', BUILD_DIR: 'test-results/build-subpath' }
});
run('npx', ['vite', 'build']);
// A free port for the test server: a server a developer left running on 4173 must not stop CI
// (and must never be tested instead of this build).
const port = await new Promise((resolve, reject) => {
	const probe = createServer();
	probe.once('error', reject);
	probe.listen(0, '127.0.0.1', () => {
		const address = /** @type {import('node:net').AddressInfo} */ (probe.address());
		probe.close(() => resolve(address.port));
	});
});
const e2e = spawnSync('npx', ['playwright', 'test', '--project', 'browser', '--project', 'timing'], {
	stdio: 'inherit',
	env: { ...process.env, CI: process.env.CI ?? '1', TICKSCOPE_E2E_PORT: process.env.TICKSCOPE_E2E_PORT ?? String(port) }
});

// One closing line over both runners, in the plain form CI reads.
let passed = 0;
let failed = 0;
if (existsSync('test-results/unit.json')) {
	const report = JSON.parse(readFileSync('test-results/unit.json', 'utf8'));
	passed += report.numPassedTests;
	failed += report.numFailedTests;
}
if (existsSync('test-results/e2e.json')) {
	const { stats } = JSON.parse(readFileSync('test-results/e2e.json', 'utf8'));
	passed += stats.expected;
	failed += stats.unexpected + stats.flaky;
}
// A runner that could not start reports nothing: count it as a failure, never as a pass.
if (unit.status !== 0 && !existsSync('test-results/unit.json')) {
	console.error(`✗ unit tests did not run (exit ${unit.status})`);
	failed++;
}
if (e2e.status !== 0 && !existsSync('test-results/e2e.json')) {
	console.error(`✗ browser tests did not run (exit ${e2e.status})`);
	failed++;
}
// A runner that failed without a failed test (its server did not start, a global error) fails too.
for (const [name, status] of [['unit', unit.status], ['browser', e2e.status]]) {
	if (status !== 0 && failed === 0) {
		console.error(`✗ ${name} tests exited with ${status} and no failed test: see the output above`);
		failed++;
	}
}
const ok = unit.status === 0 && e2e.status === 0 && failed === 0 && passed > 0;
console.log(`\ntests: ${passed} passed, ${failed} failed`);
process.exit(ok ? 0 : 1);
