import type { SeriesKind } from '../domain/series';
import type { Detector } from './detector';
import { LogScaled } from './log-scaled';
import { RollingZScore } from './rolling-zscore';

/** The default detector for a kind of series. */
export function detectorFor(kind: SeriesKind): Detector {
	switch (kind) {
		// Prices wander (a random walk): judge each step, not the level.
		case 'price':
			return new RollingZScore({ window: 200, warmup: 50, threshold: 6, mode: 'delta' });
		// Trade sizes are log-normal: judge them on a log scale.
		case 'volume':
			return new LogScaled(new RollingZScore({ window: 200, warmup: 50, threshold: 6, mode: 'level' }));
		// Sensors hover around a level (or a slow cycle): judge the level.
		default:
			return new RollingZScore({ window: 200, warmup: 50, threshold: 6, mode: 'level' });
	}
}
