import { GaitScenario } from './gait';
import { LiquidationsScenario } from './liquidations';
import { MarketsScenario } from './markets';
import type { ScenarioName, ScenarioOptions, SimScenario } from './scenario';
import { WeatherScenario } from './weather';

export { SCENARIOS } from './scenario-info';

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
