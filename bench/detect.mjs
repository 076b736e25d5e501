// `npm run bench:detect [-- options]`: every detector over a labelled corpus in NAB's layout,
// scored the NAB way (three profiles, threshold optimised per detector and profile, as NAB's
// scoreboard does) and the strict way (the app's fixed threshold), with event F1, points/s, and
// F1 and delay on the simulator's markets scenario. Figures, never assertions.
//
//   --data DIR            folder of <category>/<file>.csv (default: ../shared/datasets/nab/data)
//   --labels FILE         combined_windows.json (default: beside DIR, ../labels/combined_windows.json)
//   --score-results DIR   score published outputs in NAB's results layout instead
//   --thresholds a=x,b:reward_low_FP_rate=y
//                         with --score-results: also score at these fixed thresholds (per detector,
//                         or per detector and profile)
//   --json                print JSON: {"default", "detectors": [{name, standard, …}]}
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'vite';

const { values } = parseArgs({
	options: {
		data: { type: 'string' },
		labels: { type: 'string' },
		'score-results': { type: 'string' },
		thresholds: { type: 'string' },
		json: { type: 'boolean', default: false }
	}
});
const data = resolve(values.data ?? '../shared/datasets/nab/data');
const labels = resolve(values.labels ?? join(dirname(data), 'labels/combined_windows.json'));
if (!existsSync(data) || !existsSync(labels)) {
	console.error(`No corpus at ${data} (labels ${labels}). Pass --data DIR and --labels FILE.`);
	process.exit(2);
}
const thresholds = Object.fromEntries(
	(values.thresholds ?? '')
		.split(',')
		.filter(Boolean)
		.map((pair) => {
			const [name, value] = pair.split('=');
			return [name, Number(value)];
		})
);

const OUT_DIR = 'bench/.build';
await build({
	configFile: false,
	logLevel: 'warn',
	build: { ssr: 'bench/detect-entry.ts', outDir: OUT_DIR, emptyOutDir: false, minify: false }
});
// A child process of its own: the numbers are not disturbed by Vite's build in this one.
const options = {
	data,
	labels,
	scoreResults: values['score-results'] ? resolve(values['score-results']) : undefined,
	thresholds,
	json: values.json
};
const run = spawnSync(process.execPath, [join(OUT_DIR, 'detect-entry.js')], {
	stdio: 'inherit',
	env: { ...process.env, TICKSCOPE_DETECT_OPTIONS: JSON.stringify(options) }
});
process.exit(run.status ?? 1);
