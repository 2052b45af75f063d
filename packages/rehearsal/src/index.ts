export { operatorInputs, release, rehearsalInputs, type ReleaseOptions, type ReleaseResult, type Strategy } from './release.js';
export {
  CANDIDATE_MODEL_VERSION,
  runScenario,
  waitUntilServing,
  type Fault,
  type ScenarioOptions,
  type ScenarioResult,
} from './scenario.js';
export { summarise, Traffic, type Sample, type TrafficOptions, type TrafficSummary } from './traffic.js';
export { AWS_CREDENTIALS, STABLE_MODEL_VERSION, startWorld, type AppKind, type World, type WorldOptions } from './world.js';
