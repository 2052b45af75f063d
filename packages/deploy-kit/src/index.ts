export { consoleLinks, type ConsoleLink } from './console-links.js';
export { runContext, type RunContext } from './context.js';
export { deployTarget, parseHostName, targetInputs, type DeployTarget, type TargetInputKey } from './deploy-target.js';
export { ROLLOUT_OUTPUTS } from './outputs.js';
export { parseRecord, recordedSource, recordInputs, RUN_INPUTS } from './recorded-inputs.js';
export { revisionSpec } from './revision.js';
export { publishOutputs, SETTLED } from './results.js';
export { runDeployAction, type DeployAction } from './run-deploy.js';
export {
  baseAnalysis,
  baseSpec,
  inconclusivePolicy,
  INCONCLUSIVE_POLICIES,
  MODES,
  rolloutInputs,
  rolloutSettings,
  TOPOLOGY_INPUTS,
  type RolloutInputKey,
  type RolloutInputs,
  type RolloutInputTexts,
  type RolloutInputValues,
} from './rollout-inputs.js';
export type { DeploySpec, InputSource, SpecReader } from './spec.js';
