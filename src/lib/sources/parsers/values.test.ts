import { describe, expect, it } from 'vitest';
import { Random } from '../simulator/random';
import { epochUnitOf, guessEpochUnit, toEpochMs } from './values';

/** 2026-11-20T14:00:00Z in ns, as a BigInt so the expected values are exact. */
const T0_NS = BigInt(Date.UTC(2026, 10, 20, 14)) * 1_000_000n;

/** Exact epoch ms of `ns` as decimal text: the reference toEpochMs must round to. */
function msText(ns: bigint): string {
	return `${ns / 1_000_000n}.${String(ns % 1_000_000n).padStart(6, '0')}`;
}

/**
 * Whole ms exact, and the sub-ms fraction right to under 1 µs. Near 1.8e12 a double steps by
 * 2^-12 ms ≈ 0.24 µs, so a fraction within 0.12 µs of the next ms rounds up to it.
 */
function expectExactMs(t: number, ns: bigint, label: string): void {
	const whole = Number(ns / 1_000_000n);
	const fraction = ns % 1_000_000n;
	expect(Math.floor(t) === whole || (fraction > 999_000n && t === whole + 1), label).toBe(true);
	expect(Math.abs(t - whole - Number(fraction) / 1e6), label).toBeLessThan(1e-3);
	// And the double nearest the exact value, not one rounded twice (Number(ns) / 1e6).
	expect(t, label).toBe(Number(msText(ns)));
}

describe('epoch units', () => {
	it('auto: s below 1e11, ms below 1e14, µs below 1e17, ns above; digit text by its digits', () => {
		const cases: [string, 's' | 'ms' | 'us' | 'ns'][] = [
			['1732540800', 's'],
			['99999999999', 's'],
			['100000000000', 'ms'],
			['1732540800123', 'ms'],
			['99999999999999', 'ms'],
			['100000000000000', 'us'],
			['1732540800123456', 'us'],
			['99999999999999999', 'us'],
			['100000000000000000', 'ns'],
			['1732540800123456789', 'ns'],
			['1732540800.5', 's'],
			['0001732540800123', 'ms']
		];
		for (const [text, unit] of cases) {
			expect(epochUnitOf(text), text).toBe(unit);
			if (text !== '99999999999999999') expect(epochUnitOf(Number(text)), text).toBe(unit);
		}
		// 17 nines round to the double 1e17: only the digit text still reads as µs.
		expect(guessEpochUnit(Number('99999999999999999'))).toBe('ns');
		expect(epochUnitOf('99999999999999999')).toBe('us');
		expect(epochUnitOf('2026-11-20T14:00:00Z')).toBe(null);
		expect(epochUnitOf(NaN)).toBe(null);
	});

	it('converts s, ms, µs and ns, as numbers and as text, to the same epoch ms', () => {
		const ms = Date.UTC(2026, 10, 20, 14, 0, 0, 123);
		const forms: [unknown, string][] = [
			[ms / 1000, 's'],
			[String(ms / 1000), 's'],
			[ms, 'ms'],
			[String(ms), 'ms'],
			[ms * 1000 + 456, 'us'],
			[String(ms * 1000 + 456), 'us'],
			[`${ms}456789`, 'ns'],
			[` ${ms}456789 `, 'ns'],
			[`+${ms}456789`, 'ns']
		];
		for (const [value, unit] of forms) {
			for (const asked of ['auto', unit]) {
				const t = toEpochMs(value, asked);
				expect(Math.floor(t), `${String(value)} ${asked}`).toBe(ms);
				expect(t - ms, `${String(value)} ${asked}`).toBeLessThan(1);
			}
		}
		expect(toEpochMs(`${ms * 1000 + 456}`, 'us')).toBe(ms + 0.456);
		expect(toEpochMs(`${ms / 1000}456`, 's')).toBe(Number(`${ms}.456`));
		expect(toEpochMs('-1732540800', 's')).toBe(-1732540800000);
		expect(toEpochMs('0', 'ms')).toBe(0);
		for (const junk of ['', '.', '-', '1e', 'x1', '12:00']) expect(toEpochMs(junk, 'auto'), junk).toBeNaN();
	});

	it('ns as digit text: 10,000 random stamps exact to the ms, to 1 µs and to the nearest double', () => {
		const rng = new Random(19);
		for (let i = 0; i < 10_000; i++) {
			const ns = T0_NS + BigInt(rng.int(86_400_000)) * 1_000_000n + BigInt(rng.int(1_000_000));
			expectExactMs(toEpochMs(String(ns), 'auto'), ns, String(ns));
			expectExactMs(toEpochMs(String(ns), 'ns'), ns, String(ns));
		}
	});

	it('µs and s with a µs fraction, as text: the same exact result', () => {
		const rng = new Random(20);
		for (let i = 0; i < 2000; i++) {
			const ns = T0_NS + BigInt(rng.int(86_400_000)) * 1_000_000n + BigInt(rng.int(1000)) * 1000n;
			const us = String(ns / 1000n);
			expectExactMs(toEpochMs(us, 'auto'), ns, us);
			const s = `${ns / 1_000_000_000n}.${String(ns % 1_000_000_000n).padStart(9, '0').slice(0, 6)}`;
			expectExactMs(toEpochMs(s, 'auto'), ns, s);
		}
	});
});
