import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parseNabCsv, parseNabResultsScores, parseNabWindowsJson, windowRows, type NabFile } from './nab-data';

/**
 * Node-only loaders for a corpus in NAB's layout. The parsing lives in nab-data.ts (pure); this
 * file only walks folders and reads (and gunzips) files.
 */

export interface NabCorpusOptions {
	/** Folder holding `<category>/<file>.csv`. */
	dataDir: string;
	/** combined_windows.json; every data file must have an entry (an empty list = no anomaly). */
	windowsPath: string;
}

/** Every data file under dataDir with its windows, sorted by name so runs are repeatable. */
export function loadNabCorpus(options: NabCorpusOptions): NabFile[] {
	const labels = parseNabWindowsJson(readFileSync(options.windowsPath, 'utf8'));
	const files: NabFile[] = [];
	for (const category of readdirSync(options.dataDir, { withFileTypes: true })) {
		if (!category.isDirectory()) continue;
		for (const entry of readdirSync(join(options.dataDir, category.name))) {
			if (!entry.endsWith('.csv')) continue;
			const name = `${category.name}/${entry}`;
			const bounds = labels[name];
			if (bounds === undefined) throw new Error(`NAB corpus: no windows entry for ${name}`);
			const series = parseNabCsv(readFileSync(join(options.dataDir, name), 'utf8'));
			files.push({ name, rows: series.values.length, series, windows: windowRows(series.timestamps, bounds) });
		}
	}
	return files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export interface NabResultsOptions {
	/** Folder holding `<detector>/<category>/<detector>_<file>.csv[.gz]`. */
	resultsDir: string;
	detector: string;
	/** The scores come back in this order, one array per file, checked against its length. */
	files: readonly NabFile[];
}

/** A detector's published anomaly_score column for each file. */
export function loadNabResults(options: NabResultsOptions): Float64Array[] {
	return options.files.map((file) => {
		const slash = file.name.lastIndexOf('/');
		const category = file.name.slice(0, slash);
		const base = join(options.resultsDir, options.detector, category, `${options.detector}_${file.name.slice(slash + 1)}`);
		const text = existsSync(base)
			? readFileSync(base, 'utf8')
			: gunzipSync(readFileSync(`${base}.gz`)).toString('utf8');
		const scores = parseNabResultsScores(text);
		if (scores.length !== file.rows) {
			throw new Error(`NAB results: ${options.detector} has ${scores.length} rows for ${file.name} (${file.rows})`);
		}
		return scores;
	});
}
