import type { Anomaly } from '$lib/domain/anomaly';
import { Random } from '$lib/sources/simulator/random';

/** Test builders for the io modules. */

const bits = new DataView(new ArrayBuffer(8));

/** Any finite double, from random bits: subnormals, huge and tiny exponents, −0 included. */
export function randomDouble(random: Random): number {
	for (;;) {
		bits.setUint32(0, random.uint32());
		bits.setUint32(4, random.uint32());
		const v = bits.getFloat64(0);
		if (Number.isFinite(v)) return v;
	}
}

/** n ticks: increasing times with sub-millisecond fractions, values of every magnitude. */
export function randomTicks(n: number, seed: number): { t: Float64Array; v: Float64Array } {
	const random = new Random(seed);
	const t = new Float64Array(n);
	const v = new Float64Array(n);
	let time = 1_700_000_000_000 + random.uint32() / 7;
	for (let i = 0; i < n; i++) {
		time += random.uint32() / 1e6;
		t[i] = time;
		// Half arbitrary bit patterns, half ordinary prices, plus the edge cases.
		v[i] = i % 2 === 0 ? randomDouble(random) : Math.round(random.uint32() / 4.3e4) / 100;
	}
	v[1] = -0;
	v[3] = Number.MIN_VALUE;
	v[5] = -Number.MAX_VALUE;
	return { t, v };
}

/** Text cut into pieces of 1..maxPiece chars, so chunk edges land everywhere. */
export function pieces(text: string, seed: number, maxPiece = 17): string[] {
	const random = new Random(seed);
	const out: string[] = [];
	for (let i = 0; i < text.length; ) {
		const size = 1 + (random.uint32() % maxPiece);
		out.push(text.slice(i, i + size));
		i += size;
	}
	return out;
}

let nextId = 1;

export function anomaly(fields: Partial<Anomaly> & { t: number }): Anomaly {
	return { id: nextId++, seriesId: 1, v: 1, score: 5, detector: 'zscore', expected: 0, ...fields };
}
