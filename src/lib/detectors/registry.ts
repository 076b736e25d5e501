import type { DetectorFactory } from './detector';
import { cusumFactory } from './cusum';
import { ensembleFactory } from './ensemble';
import { ewmaFactory } from './ewma';
import { rangeFactory } from './range-extremes';
import { entropyFactory } from './relative-entropy';
import { medianFactory } from './rolling-median';
import { zscoreFactory } from './zscore';

/** Every detector the app offers; the first is the default. */
export const DETECTORS: readonly DetectorFactory[] = [
	ensembleFactory,
	zscoreFactory,
	ewmaFactory,
	medianFactory,
	cusumFactory,
	rangeFactory,
	entropyFactory
];

/** The factory with this name; an unknown name (an old setting, a typo) gives the default ensemble. */
export function detectorFactory(name: string): DetectorFactory {
	for (const factory of DETECTORS) if (factory.name === name) return factory;
	return ensembleFactory;
}
