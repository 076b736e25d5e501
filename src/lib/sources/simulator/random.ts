/** 2^32, to map a uint32 onto [0, 1). */
const UINT32_RANGE = 4294967296;
/** sfc32's first outputs still echo the seed; 15 discarded rounds mix it in fully. */
const DISCARD_ROUNDS = 15;

/**
 * Seeded generator: sfc32 (128-bit state, passes PractRand) seeded from a 32-bit seed via
 * splitmix32, so nearby seeds (1, 2, 3…) give unrelated streams. No allocation per call.
 */
export class Random {
	private a: number;
	private b: number;
	private c: number;
	private d: number;
	/** Marsaglia's polar method yields normals in pairs; the second waits here. */
	private spare = 0;
	private hasSpare = false;

	constructor(seed: number) {
		let s = seed | 0;
		const splitmix32 = (): number => {
			s = (s + 0x9e3779b9) | 0;
			let z = s;
			z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
			z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
			return (z ^ (z >>> 15)) | 0;
		};
		this.a = splitmix32();
		this.b = splitmix32();
		this.c = splitmix32();
		this.d = splitmix32();
		for (let i = 0; i < DISCARD_ROUNDS; i++) this.uint32();
	}

	/** Uniform integer in [0, 2^32). */
	uint32(): number {
		const t = (((this.a + this.b) | 0) + this.d) | 0;
		this.d = (this.d + 1) | 0;
		this.a = this.b ^ (this.b >>> 9);
		this.b = (this.c + (this.c << 3)) | 0;
		this.c = (this.c << 21) | (this.c >>> 11);
		this.c = (this.c + t) | 0;
		return t >>> 0;
	}

	/** Uniform in [0, 1). */
	next(): number {
		return this.uint32() / UINT32_RANGE;
	}

	/** Uniform integer in [0, n). */
	int(n: number): number {
		return Math.floor(this.next() * n);
	}

	/** Standard normal (mean 0, sd 1), Marsaglia polar method. */
	normal(): number {
		if (this.hasSpare) {
			this.hasSpare = false;
			return this.spare;
		}
		let u: number;
		let v: number;
		let s: number;
		do {
			u = 2 * this.next() - 1;
			v = 2 * this.next() - 1;
			s = u * u + v * v;
		} while (s >= 1 || s === 0);
		const f = Math.sqrt((-2 * Math.log(s)) / s);
		this.spare = v * f;
		this.hasSpare = true;
		return u * f;
	}
}

/** Normals drawn per refill (Box–Muller in pairs). */
const NORMALS_PER_BLOCK = 1024;

/**
 * Standard normals from a seeded stream, drawn 1,024 at a time into a typed array outside the
 * hot loop. Calling Random.normal() per tick left up to ~37 bytes of garbage per tick in Node 20
 * heap profiles (its boxed result, once a scenario's advance outgrew V8's inlining budget).
 */
export class NormalBlock {
	private readonly rng: Random;
	private readonly values = new Float64Array(NORMALS_PER_BLOCK);
	private at = NORMALS_PER_BLOCK;

	constructor(rng: Random) {
		this.rng = rng;
	}

	next(): number {
		if (this.at === NORMALS_PER_BLOCK) this.refill();
		return this.values[this.at++];
	}

	private refill(): void {
		const { rng, values } = this;
		for (let k = 0; k < NORMALS_PER_BLOCK; k += 2) {
			// 1 − u lies in (0, 1], so the log is finite.
			const radius = Math.sqrt(-2 * Math.log(1 - rng.next()));
			const angle = 2 * Math.PI * rng.next();
			values[k] = radius * Math.cos(angle);
			values[k + 1] = radius * Math.sin(angle);
		}
		this.at = 0;
	}
}
