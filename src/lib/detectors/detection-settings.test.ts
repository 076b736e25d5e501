import { describe, expect, it } from 'vitest';
import { choiceFor, normalizeDetection } from './detection-settings';

const known = (name: string) => ['ensemble', 'zscore'].includes(name);

describe('detection settings', () => {
	it('uses a series’ own choice where it has one, the default elsewhere', () => {
		const settings = normalizeDetection(
			{ detector: 'zscore', sensitivity: 0.3, series: { 'sim/a': { sensitivity: 0.9 }, 'sim/b': { detector: 'ensemble' } } },
			known
		);
		expect(choiceFor(settings, 'sim/a')).toEqual({ detector: 'zscore', sensitivity: 0.9 });
		expect(choiceFor(settings, 'sim/b')).toEqual({ detector: 'ensemble', sensitivity: 0.3 });
		expect(choiceFor(settings, 'sim/c')).toEqual({ detector: 'zscore', sensitivity: 0.3 });
	});

	it('drops unknown detectors, clamps sensitivities, and is safe with hostile keys', () => {
		const settings = normalizeDetection(
			JSON.parse('{"detector":"nope","sensitivity":7,"series":{"__proto__":{"sensitivity":-1},"x":{"detector":"nope"}}}'),
			known
		);
		expect(settings.detector).toBe('ensemble');
		expect(settings.sensitivity).toBe(1);
		expect(Object.keys(settings.series)).toEqual(['__proto__']);
		expect(choiceFor(settings, '__proto__').sensitivity).toBe(0);
		expect(choiceFor(settings, 'constructor')).toEqual({ detector: 'ensemble', sensitivity: 1 });
		expect(({} as Record<string, unknown>).sensitivity).toBeUndefined();
	});
});
