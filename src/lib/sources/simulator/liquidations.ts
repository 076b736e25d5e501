import type { Truth } from '../../domain/anomaly';
import type { TickBatch } from '../../domain/tick-batch';
import { Injector } from './injector';
import { SCENARIOS } from './scenario-info';
import { Random } from './random';
import { checkScenarioOptions, type ScenarioInfo, type ScenarioOptions, type SimScenario, type SimSeriesSpec } from './scenario';

const MAX_COUNT = 10_000;
const DEFAULT_WARMUP_TICKS = 60;
/** Real perpetuals first: name, a plausible price in USDT, the exchange's tick size. */
const LISTED: readonly (readonly [string, number, number])[] = [
	['BTCUSDT', 65_000, 0.1],
	['ETHUSDT', 3_200, 0.01],
	['SOLUSDT', 150, 0.01],
	['BNBUSDT', 580, 0.01],
	['XRPUSDT', 0.52, 0.0001],
	['DOGEUSDT', 0.15, 0.00001],
	['ADAUSDT', 0.45, 0.0001],
	['AVAXUSDT', 35, 0.001],
	['LINKUSDT', 14, 0.001],
	['DOTUSDT', 6.5, 0.001],
	['LTCUSDT', 80, 0.01],
	['TRXUSDT', 0.12, 0.00001],
	['NEARUSDT', 5.5, 0.001],
	['SUIUSDT', 1.2, 0.0001],
	['APTUSDT', 8.5, 0.001],
	['ARBUSDT', 0.9, 0.0001],
	['OPUSDT', 1.8, 0.0001],
	['1000PEPEUSDT', 0.011, 0.0000001],
	['WIFUSDT', 2.5, 0.0001],
	['FILUSDT', 5, 0.001]
];
/** Generated symbols: price log-uniform in 0.001..50 USDT, tick 10^(⌊log10 price⌋ − 4): 4–5 digits. */
const GENERATED_PRICE_MIN_USDT = 0.001;
const GENERATED_PRICE_MAX_USDT = 50;
const GENERATED_TICK_DIGITS = 4;
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
/**
 * Hawkes excitation decays with this time constant: a cascade's events come within a few
 * seconds of each other, against ~7 s between cascades at the default 0.5 events/s.
 */
const BURST_DECAY_MS = 2000;
/** Expected children per event (α/β), per symbol: 0.6–0.8 → mean cascade of 2.5–5 events. */
const BRANCHING_MIN = 0.6;
const BRANCHING_MAX = 0.8;
/** An event triggered by an earlier one keeps its side (longs keep getting liquidated) this often. */
const CASCADE_SAME_SIDE = 0.9;
/** Hidden mid: log-σ per √s, ≈ 85 %/year, like a large-cap coin. */
const MID_SIGMA_PER_SQRT_S = 1.5e-4;
/**
 * Each forced order pushes the mid its way (a SELL down) by 1 bp, so cascades move the price.
 * With 2 bp, one-sided runs alone moved a symbol by ~2.5 % (sd) an hour, besides the walk's ~0.9 %.
 */
const IMPACT = 1e-4;
/** Order price lies beyond the mid by an exponential slippage with this mean (10 bp). */
const SLIPPAGE_MEAN = 1e-3;
/**
 * Ordinary event-to-event change of the order price, relative: side flips and slippage
 * dominate (√(4·0.8)·10 bp ≈ 18 bp; measured sd of log changes 16–19 bp).
 */
const PRICE_STEP_SD = 1.8e-3;
/** Sizes are Pareto with tail index 1.5 (heavy: mean 3 × minimum), capped at 1000 × minimum. */
const SIZE_TAIL_INDEX = 1.5;
const SIZE_CAP_FACTOR = 1000;
/** Smallest usual forced order per symbol, contracts, log-uniform. */
const SIZE_MIN_CONTRACTS = 1;
const SIZE_MAX_CONTRACTS = 100;
const LABEL_STREAM_SALT = 0x2545f491;
const PRICE_INJECTOR_SALT = 0x9e3779b1;
/** Steps of ln|qty| for injected size anomalies; the Pareto sizes' own log-sd is 1/α. */
const QTY_INJECT_LOG_SCALE = 0.4;
const QTY_INJECTOR_SALT = 0x85ebca6b;


/**
 * An exchange's forced-order (liquidation) stream: per symbol an order price (series 2k) and a
 * signed quantity (2k+1; + SELL, longs liquidated; − BUY), both at the event's time. Events of
 * each symbol follow an exponential-kernel Hawkes process, simulated exactly (Dassios–Zhao) at
 * 1 ms resolution; a binary heap keyed by (next event time, symbol) yields the earliest event,
 * so output is time-ordered and the stream does not depend on how advance() chunks time (the
 * next event of each symbol is drawn ahead and kept).
 */
export class LiquidationsScenario implements SimScenario {
	static readonly info: ScenarioInfo = SCENARIOS.liquidations;
	readonly name = 'liquidations';
	readonly series: readonly SimSeriesSpec[];
	/** Tick size of each symbol, USDT (for tests and display). */
	readonly tickSizes: Float64Array;
	private readonly rng: Random;
	private readonly prices: Injector;
	private readonly quantities: Injector;
	/** Mean event interval, ms: the injector's estimate of a truth's span. */
	private readonly intervalMs: number;
	private readonly decayPerMs = 1 / BURST_DECAY_MS;
	/** Baseline rate μ and jump of intensity per event α, events per ms. */
	private readonly baseline: Float64Array;
	private readonly excite: Float64Array;
	/** Excess intensity just after the symbol's last event, events per ms. */
	private readonly excess: Float64Array;
	private readonly lastT: Float64Array;
	private readonly nextT: Float64Array;
	/** 1 when the drawn next event is a child of an earlier one (in a cascade). */
	private readonly nextIsChild: Uint8Array;
	/** +1 SELL, −1 BUY: the side of the last event. */
	private readonly side: Int8Array;
	private readonly logMid: Float64Array;
	/** 1 / tick size (an integer: tick sizes are powers of ten). */
	private readonly ticksPerUnit: Float64Array;
	private readonly minSize: Float64Array;
	/** Min-heap of symbols by (nextT, symbol). */
	private readonly heap: Int32Array;
	/** Truths still being extended to the time of their last altered event, per series. */
	private readonly open: (Truth | undefined)[];
	private readonly openLeft: Int32Array;

	constructor(options: ScenarioOptions) {
		const n = options.count;
		const rate = options.ticksPerSecond;
		checkScenarioOptions(options, MAX_COUNT);
		this.rng = new Random(options.seed);
		this.intervalMs = 1000 / rate;
		this.baseline = new Float64Array(n);
		this.excite = new Float64Array(n);
		this.excess = new Float64Array(n);
		this.lastT = new Float64Array(n).fill(options.startTime);
		this.nextT = new Float64Array(n);
		this.nextIsChild = new Uint8Array(n);
		this.side = new Int8Array(n);
		this.logMid = new Float64Array(n);
		this.ticksPerUnit = new Float64Array(n);
		this.tickSizes = new Float64Array(n);
		this.minSize = new Float64Array(n);
		this.heap = new Int32Array(n);
		this.open = new Array<Truth | undefined>(2 * n).fill(undefined);
		this.openLeft = new Int32Array(2 * n);

		const labelRng = new Random(options.seed ^ LABEL_STREAM_SALT);
		const taken = new Set<string>(LISTED.map(([name]) => name));
		const series: SimSeriesSpec[] = [];
		for (let k = 0; k < n; k++) {
			let symbol: string;
			let price: number;
			let tick: number;
			if (k < LISTED.length) {
				[symbol, price, tick] = LISTED[k];
			} else {
				do symbol = makeSymbol(labelRng);
				while (taken.has(symbol));
				taken.add(symbol);
				price = logUniform(labelRng, GENERATED_PRICE_MIN_USDT, GENERATED_PRICE_MAX_USDT);
				tick = 10 ** (Math.floor(Math.log10(price)) - GENERATED_TICK_DIGITS);
			}
			const key = `sim/liquidations/${symbol}/price`;
			series.push({ key, label: symbol, unit: 'USDT', kind: 'price' });
			const qtyKey = `sim/liquidations/${symbol}/qty`;
			series.push({ key: qtyKey, label: `${symbol} qty`, unit: 'contracts', kind: 'volume' });

			const resumed = options.resume?.get(key);
			const start = resumed !== undefined && resumed > 0 && Number.isFinite(resumed) ? resumed : price;
			this.logMid[k] = Math.log(start);
			this.ticksPerUnit[k] = Math.round(1 / tick);
			this.tickSizes[k] = tick;
			this.minSize[k] = logUniform(labelRng, SIZE_MIN_CONTRACTS, SIZE_MAX_CONTRACTS);
			const branching = BRANCHING_MIN + (BRANCHING_MAX - BRANCHING_MIN) * labelRng.next();
			// Stationary rate μ / (1 − branching) equals the configured mean rate.
			this.baseline[k] = (rate / 1000) * (1 - branching);
			this.excite[k] = branching * this.decayPerMs;
			this.side[k] = labelRng.next() < 0.5 ? -1 : 1;
			this.scheduleNext(k);
			this.heap[k] = k;
		}
		this.series = series;
		for (let h = (n >> 1) - 1; h >= 0; h--) this.siftDown(h);

		const common = {
			seriesCount: 2 * n,
			ticksPerSecond: rate,
			rates: options.anomalyRates,
			kinds: SCENARIOS.liquidations.kinds,
			warmupTicks: options.warmupTicks ?? DEFAULT_WARMUP_TICKS,
			max: Infinity
		};
		// Tick sizes differ per symbol: no quantum here, advance() rounds to each symbol's grid.
		this.prices = new Injector({
			...common,
			seed: options.seed ^ PRICE_INJECTOR_SALT,
			persistent: true,
			quantum: 0,
			min: 0
		});
		this.quantities = new Injector({
			...common,
			seed: options.seed ^ QTY_INJECTOR_SALT,
			persistent: false,
			quantum: 1,
			min: -Infinity,
			logScale: true
		});
	}

	advance(until: number, out: TickBatch, truths: Truth[]): number {
		const { heap, nextT, lastT, nextIsChild, side, logMid, ticksPerUnit, minSize, rng } = this;
		const priceScale = this.prices.scale;
		const qtyScale = this.quantities.scale;
		const before = out.n;
		for (;;) {
			const k = heap[0];
			const t = nextT[k];
			if (t > until) break;

			// Side: a cascade keeps its direction; a fresh event is a coin flip.
			const sameSide = nextIsChild[k] === 1 ? CASCADE_SAME_SIDE : 0.5;
			const s = rng.next() < sameSide ? side[k] : -side[k];
			side[k] = s;
			// Hidden mid: a random walk over the time since the last event, pushed by this order.
			const dtS = (t - lastT[k]) / 1000;
			logMid[k] += MID_SIGMA_PER_SQRT_S * Math.sqrt(dtS) * rng.normal() - s * IMPACT;
			const mid = Math.exp(logMid[k]);
			// A SELL fills below the mid, a BUY above it.
			const slip = -SLIPPAGE_MEAN * Math.log(1 - rng.next());
			const perUnit = ticksPerUnit[k];
			const priceTicks = Math.round(mid * (1 - s * slip) * perUnit);
			const price = (priceTicks < 1 ? 1 : priceTicks) / perUnit;
			const pareto = Math.pow(1 - rng.next(), -1 / SIZE_TAIL_INDEX);
			const size = Math.round(minSize[k] * (pareto < SIZE_CAP_FACTOR ? pareto : SIZE_CAP_FACTOR));
			const qty = s * (size < 1 ? 1 : size);

			const p = 2 * k;
			priceScale[p] = Math.max(mid * PRICE_STEP_SD, 1 / perUnit);
			// Size anomalies act on ln|qty|: a 8–15× spike multiplies an order by 25×–400×.
			qtyScale[p + 1] = QTY_INJECT_LOG_SCALE;
			let pushed = truths.length;
			const shownPrice = this.prices.apply(p, t, price, truths);
			if (!Number.isNaN(shownPrice)) {
				// Injected prices land back on the symbol's grid (clean ones already are).
				const onGrid = Math.round(shownPrice * perUnit);
				out.push(p, t, (onGrid < 1 ? 1 : onGrid) / perUnit);
			}
			this.followTruth(p, t, truths, pushed);
			pushed = truths.length;
			const shownQty = this.quantities.apply(p + 1, t, qty, truths);
			if (!Number.isNaN(shownQty)) out.push(p + 1, t, shownQty);
			this.followTruth(p + 1, t, truths, pushed);

			lastT[k] = t;
			this.scheduleNext(k);
			this.siftDown(0);
		}
		return out.n - before;
	}

	/**
	 * Events are irregular, so the injector's t1 (start + ticks × the mean interval) is only an
	 * estimate: while a stretch on series q lasts, its t1 is re-estimated from each event, and
	 * its last event sets t1 exactly. `pushed` = truths.length before this tick's apply.
	 */
	private followTruth(q: number, t: number, truths: Truth[], pushed: number): void {
		const { open, openLeft } = this;
		if (truths.length > pushed) {
			const truth = truths[truths.length - 1];
			const left = Math.round((truth.t1 - truth.t0) / this.intervalMs);
			if (left > 0) {
				open[q] = truth;
				openLeft[q] = left;
			}
		} else if (openLeft[q] > 0) {
			const truth = open[q] as Truth;
			const left = --openLeft[q];
			truth.t1 = t + left * this.intervalMs;
			if (left === 0) open[q] = undefined;
		}
	}

	/**
	 * Draws symbol k's next event after lastT[k] exactly (Dassios & Zhao 2013): the excess
	 * intensity decays from `excess` and yields an event at rate excess·e^(−βs), the baseline at
	 * μ; the sooner one wins. At least 1 ms later, so a symbol's times strictly increase.
	 */
	private scheduleNext(k: number): void {
		const rng = this.rng;
		const beta = this.decayPerMs;
		const e = this.excess[k];
		const d = e > 0 ? 1 + (beta * Math.log(1 - rng.next())) / e : 0;
		const fromExcess = d > 0 ? -Math.log(d) / beta : Infinity;
		const fromBaseline = -Math.log(1 - rng.next()) / this.baseline[k];
		const wait = Math.max(1, Math.round(Math.min(fromExcess, fromBaseline)));
		this.nextT[k] = this.lastT[k] + wait;
		this.nextIsChild[k] = fromExcess < fromBaseline ? 1 : 0;
		// Excess just after that event: decayed over the wait, plus this event's own kick.
		this.excess[k] = e * Math.exp(-beta * wait) + this.excite[k];
	}

	/** Moves the symbol at heap slot h down to its place; ties go to the lower symbol index. */
	private siftDown(h: number): void {
		const heap = this.heap;
		const n = heap.length;
		const k = heap[h];
		for (;;) {
			let c = 2 * h + 1;
			if (c >= n) break;
			if (c + 1 < n && this.isEarlier(heap[c + 1], heap[c])) c++;
			if (!this.isEarlier(heap[c], k)) break;
			heap[h] = heap[c];
			h = c;
		}
		heap[h] = k;
	}

	private isEarlier(a: number, b: number): boolean {
		const nextT = this.nextT;
		return nextT[a] < nextT[b] || (nextT[a] === nextT[b] && a < b);
	}
}

function logUniform(rng: Random, min: number, max: number): number {
	return min * Math.exp(rng.next() * Math.log(max / min));
}

/** 3–5 letters and USDT, e.g. QOR, ZENTA → QORUSDT, ZENTAUSDT. */
function makeSymbol(rng: Random): string {
	const length = 3 + rng.int(3);
	let name = '';
	for (let k = 0; k < length; k++) name += LETTERS[rng.int(LETTERS.length)];
	return `${name}USDT`;
}
