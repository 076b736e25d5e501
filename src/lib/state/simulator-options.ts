// What the simulator controls offer, for the UI (light: no simulator code comes with it).
export { ANOMALY_KINDS, type AnomalyKind } from '../domain/anomaly';
export type { ScenarioName } from '../sources/simulator/scenario';
export { SCENARIO_NAMES } from '../sources/simulator/scenario';
export { SCENARIOS } from '../sources/simulator/scenario-info';
export { SPEEDS } from '../sources/simulator/settings';
