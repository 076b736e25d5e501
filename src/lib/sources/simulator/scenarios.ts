import { GaitScenario } from './gait';
import { LiquidationsScenario } from './liquidations';
import { MarketsScenario } from './markets';
import type { ScenarioInfo, ScenarioName, ScenarioOptions, SimScenario } from './scenario';
import { WeatherScenario } from './weather';

/** Every scenario the simulator offers, with its defaults. */
export const SCENARIOS: Record<ScenarioName, ScenarioInfo> = {
	markets: MarketsScenario.info,
	liquidations: LiquidationsScenario.info,
	gait: GaitScenario.info,
	weather: WeatherScenario.info
};

export function createScenario(name: ScenarioName, options: ScenarioOptions): SimScenario {
	switch (name) {
		case 'markets':
			return new MarketsScenario(options);
		case 'liquidations':
			return new LiquidationsScenario(options);
		case 'gait':
			return new GaitScenario(options);
		case 'weather':
			return new WeatherScenario(options);
	}
}
