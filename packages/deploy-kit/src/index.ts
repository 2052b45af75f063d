export { consoleLinks, type ConsoleLink } from './console-links.js';
export { runContext, type RunContext } from './context.js';
export { revisionSpec } from './revision.js';
export { publishOutputs, SETTLED } from './results.js';
export { runDeployAction, type DeployAction, type DeploySpec } from './run-deploy.js';
export {
  baseAnalysis,
  baseSpec,
  inconclusivePolicy,
  INCONCLUSIVE_POLICIES,
  MODES,
  readRolloutInputs,
  ROLLOUT_INPUTS,
  ROLLOUT_OUTPUTS,
  TOPOLOGY_INPUTS,
  type RolloutInputs,
} from './rollout-inputs.js';
