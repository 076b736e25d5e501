// `node bench/history.mjs`: history storage in Debian's Chromium (no DevTools connection; see
// bench/lib/headless.mjs). (a) ticks/s committed through HistoryStore's chunked writes, (b) the
// same ticks as one IndexedDB row each, (c) reads over one 10,000,000-tick series: last 10k,
// a 100k range, the whole range decimated to 1,000 buckets, series meta. Each part in a fresh
// browser profile. Writes bench/results/history.json. Figures, never assertions.
// BENCH_TICKS (default 5000000) and BENCH_READ_TICKS (default 10000000) scale it down.
import { mkdirSync, writeFileSync } from 'node:fs';
import { build } from 'vite';
import { harnessServer } from './lib/headless.mjs';

const OUT_DIR = 'bench/.build/history';
const TICKS = Number(process.env.BENCH_TICKS ?? 5_000_000);
const READ_TICKS = Number(process.env.BENCH_READ_TICKS ?? 10_000_000);

await build({
	configFile: false,
	logLevel: 'warn',
	build: {
		lib: { entry: 'bench/history-page.ts', formats: ['es'], fileName: () => 'history-page.js' },
		outDir: OUT_DIR,
		emptyOutDir: true,
		minify: false
	}
});
const harness = await harnessServer({ dir: OUT_DIR });

/** One export of history-page.ts with `options`, in a fresh Chromium. */
async function part(name, options) {
	const html = `<script type="module">
import * as bench from '/history-page.js';
bench.${name}(${JSON.stringify(options)}).then(report, (error) => report({ error: String(error && error.stack || error) }));
</script>`;
	const result = await harness.run(html, { timeoutMs: 900_000 });
	if (result.error) throw new Error(`${name}: ${result.error}`);
	return result;
}

try {
	const chunks = await part('chunkWrites', { total: TICKS });
	const rows = await part('rowWrites', {});
	const reads = await part('reads', { total: READ_TICKS });

	const round = (x, digits = 1) => Number(x.toFixed(digits));
	const results = {
		chunk_writes_ticks_per_s: Math.round(chunks.ticksPerS),
		row_writes_ticks_per_s: Math.round(rows.ticksPerS),
		ratio_chunks_vs_row_per_tick: round(chunks.ticksPerS / rows.ticksPerS, 2),
		read_last10k_ms: round(reads.readLast10kMs),
		read_range100k_ms: round(reads.readRange100kMs),
		read_decimated_10m_ms: round(reads.readDecimatedMs),
		draw_decimated_10m_ms: round(reads.drawDecimatedMs),
		series_meta_ms: round(reads.seriesMetaMs, 3),
		details: {
			chunk_writes: { ticks: chunks.ticks, stored: chunks.stored, rows: chunks.rows, seconds: round(chunks.seconds, 2) },
			row_writes: { ticks: rows.ticks, stored: rows.stored, seconds: round(rows.seconds, 2) },
			reads: {
				series_ticks: reads.meta.count,
				bulk_load_seconds: round(reads.loadSeconds, 2),
				summary_index_load_ms: round(reads.indexLoadMs),
				first_read_last10k_ms: round(reads.first.readLast10kMs),
				first_read_range100k_ms: round(reads.first.readRange100kMs),
				first_read_decimated_10m_ms: round(reads.first.readDecimatedMs),
				ticks_last: reads.lastN,
				ticks_range: reads.rangeN,
				decimated_points: reads.points,
				decimated_chunk_rows_read: reads.decimatedRowsRead,
				chunk_rows: reads.rows
			}
		}
	};
	const n = (x) => x.toLocaleString('en');
	const d = results.details;
	console.log(`writes (${n(d.chunk_writes.ticks)} ticks over 10 series; ${n(d.row_writes.ticks)} as rows)`);
	console.log(`  chunked, through HistoryStore      ${n(results.chunk_writes_ticks_per_s)} ticks/s  (${n(d.chunk_writes.stored)} counted back in ${n(d.chunk_writes.rows)} rows)`);
	console.log(`  one row per tick                   ${n(results.row_writes_ticks_per_s)} ticks/s`);
	console.log(`  chunks vs rows                     ${results.ratio_chunks_vs_row_per_tick}×`);
	console.log(`reads over ${n(d.reads.series_ticks)} ticks (medians of 5; first in brackets; bulk load took ${d.reads.bulk_load_seconds} s)`);
	console.log(`  last 10k                           ${results.read_last10k_ms} ms  (${d.reads.first_read_last10k_ms})`);
	console.log(`  range of 100k                      ${results.read_range100k_ms} ms  (${d.reads.first_read_range100k_ms})`);
	console.log(`  whole range in 1,000 buckets       ${results.read_decimated_10m_ms} ms  (${d.reads.first_read_decimated_10m_ms}; ${n(d.reads.decimated_points)} points; ${n(d.reads.decimated_chunk_rows_read)} of ${n(d.reads.chunk_rows)} chunks read whole)`);
	console.log(`    … and drawn (uPlot, next frame)   ${results.draw_decimated_10m_ms} ms`);
	console.log(`  seriesMeta                         ${results.series_meta_ms} ms  (first call, loading the summaries: ${d.reads.summary_index_load_ms} ms)`);
	mkdirSync('bench/results', { recursive: true });
	writeFileSync('bench/results/history.json', `${JSON.stringify(results, null, 2)}\n`);
	console.log('\nwritten: bench/results/history.json');
} finally {
	harness.close();
}
process.exit(0);
