export * from './analysis/index.js';
export { describeWeights, liveColourOf, otherColour, sameWeights, weightsFor, type Colour, type Weights } from './colours.js';
export { worstCaseDuration, type DurationAllowances, type DurationEstimate } from './duration.js';
export { errorMessage, escapeCell, formatDuration, markdownTable, textTable, type Cell, type DurationPrecision } from './format.js';
export { runRollout, type RunRolloutOptions } from './run-rollout.js';
export {
  DEFAULT_HEALTH_WAIT,
  DEFAULT_RETRY_POLICY,
  DEFAULT_WEIGHT_VERIFICATION,
  durationAllowances,
  type HealthWait,
  type RetryPolicy,
  type RolloutConfig,
  type RolloutMode,
  type SmokeConfig,
  type WeightVerification,
} from './engine/config.js';
export { describeStoppedTasks } from './engine/deploy.js';
export type { DeploymentRecord, RevisionRecord, RollbackRecord, RolloutStatus, SideFigures, StepRecord } from './engine/record.js';
export { isRetryable, RetryableError } from './errors.js';
export {
  blueGreenPlan,
  canaryPlan,
  PlanError,
  validatePlan,
  type AnalyseStep,
  type AwaitApprovalStep,
  type BakeStep,
  type BlueGreenPlanOptions,
  type CanaryPlanOptions,
  type InconclusivePolicy,
  type PlanStep,
  type RolloutPlan,
  type ShiftStep,
  type SmokeStep,
  type StepKind,
  type Strategy,
} from './plan.js';
export type * from './ports.js';
export { renderMarkdownReport, renderTextReport, stepRows } from './report.js';
