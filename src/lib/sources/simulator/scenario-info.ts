import { ANOMALY_KINDS, type AnomalyKind } from '../../domain/anomaly';
import type { ScenarioInfo, ScenarioName } from './scenario';

/** Price and size series have no sensor range to fail against. */
const MARKET_KINDS: readonly AnomalyKind[] = ANOMALY_KINDS.filter((kind) => kind !== 'sensor-failure');

/**
 * What each scenario is called, counts in, and starts with. Kept apart from the scenario
 * classes so the page can show the controls without loading the simulator code.
 */
export const SCENARIOS: Record<ScenarioName, ScenarioInfo> = {
	markets: {
		name: 'markets',
		title: 'Markets',
		unitNoun: 'instruments',
		defaultCount: 100,
		defaultTicksPerSecond: 10,
		kinds: MARKET_KINDS
	},
	liquidations: {
		name: 'liquidations',
		title: 'Liquidations',
		unitNoun: 'symbols',
		defaultCount: 20,
		defaultTicksPerSecond: 0.5,
		kinds: MARKET_KINDS
	},
	gait: {
		name: 'gait',
		title: 'Gait sensors',
		unitNoun: 'patients',
		defaultCount: 4,
		defaultTicksPerSecond: 50,
		kinds: ANOMALY_KINDS
	},
	weather: {
		name: 'weather',
		title: 'Weather stations',
		unitNoun: 'stations',
		defaultCount: 12,
		defaultTicksPerSecond: 1,
		kinds: ANOMALY_KINDS
	}
};
