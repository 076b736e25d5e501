// CPU time per thread of Chromium's processes and this Node process, read from /proc (Linux):
// where a 2-core machine's time goes while a benchmark runs. Keys are "<process type> <thread>".
import { readFileSync, readdirSync } from 'node:fs';

const TICKS_PER_S = 100;

export function cpuTicks() {
	const out = {};
	for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
		let cmd;
		try {
			cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
		} catch {
			continue;
		}
		const self = Number(pid) === process.pid;
		if (!self && !cmd.includes('chromium')) continue;
		const sub = /--utility-sub-type=([\w.]+)/.exec(cmd)?.[1]?.replace(/.*\./, ':') ?? '';
		const type = self ? 'node' : (/--type=([\w-]+)/.exec(cmd)?.[1] ?? 'browser') + sub;
		let tids;
		try {
			tids = readdirSync(`/proc/${pid}/task`);
		} catch {
			continue;
		}
		for (const tid of tids) {
			try {
				const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
				const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
				const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
				const key = `${type} ${name}`;
				out[key] = (out[key] ?? 0) + Number(fields[11]) + Number(fields[12]);
			} catch {
				// The thread ended meanwhile.
			}
		}
	}
	return out;
}

/** Percent of one core per thread between two readings `seconds` apart, busiest first. */
export function cpuShare(before, after, seconds) {
	return Object.keys(after)
		.map((key) => [key, ((after[key] - (before[key] ?? 0)) * 100) / TICKS_PER_S / seconds])
		.filter(([, share]) => share >= 1)
		.sort((a, b) => b[1] - a[1]);
}
