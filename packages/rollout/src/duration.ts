import type { RolloutPlan } from './plan.js';

export interface DurationAllowances {
  /** Deploying the idle colour and waiting for it to be healthy, at worst. */
  readonly deployMs: number;
  /** Delay before an analysis window is published (waited before every analysis gate). */
  readonly publicationDelayMs: number;
  /** Setting and verifying weights, at worst (per shift, and once more for a rollback). */
  readonly weightsMs: number;
  /** Smoke checks, at worst. */
  readonly smokeMs: number;
  /** Retries of port calls, at worst, reserved once for the rollback. */
  readonly retryMs: number;
}

export interface DurationEstimate {
  readonly totalMs: number;
  /** Where the time goes, for the refusal message. */
  readonly parts: readonly { readonly label: string; readonly ms: number }[];
}

/**
 * The longest a plan can run: every bake, every inconclusive extension, every wait for published
 * metrics, plus a reserve to roll back at the very end. Approvals count as nothing, because a run
 * that reaches one stops and a later run resumes it.
 */
export function worstCaseDuration(plan: RolloutPlan, allowances: DurationAllowances): DurationEstimate {
  const count = (kind: string) => plan.steps.filter((step) => step.kind === kind).length;
  const bakesMs = plan.steps.reduce((sum, step) => sum + (step.kind === 'bake' ? step.durationMs : 0), 0);
  const extensionsPerGate = plan.onInconclusive.action === 'extend' ? plan.onInconclusive.maxExtensions : 0;
  const extensionMs = plan.onInconclusive.action === 'extend' ? plan.onInconclusive.extensionMs : 0;
  const gates = count('analyse');
  const parts = [
    { label: 'deploy and health', ms: allowances.deployMs },
    { label: 'smoke checks', ms: count('smoke') * allowances.smokeMs },
    { label: 'weight shifts', ms: count('shift') * allowances.weightsMs },
    { label: 'bakes', ms: bakesMs },
    { label: 'analysis gates', ms: gates * (1 + extensionsPerGate) * allowances.publicationDelayMs },
    { label: 'inconclusive extensions', ms: gates * extensionsPerGate * extensionMs },
    { label: 'rollback reserve', ms: rollbackReserveMs(allowances) },
  ].filter((part) => part.ms > 0);
  return { totalMs: parts.reduce((sum, part) => sum + part.ms, 0), parts };
}

/** Time kept back to roll back at the very end: one more weight change, with retries. */
export function rollbackReserveMs(allowances: Pick<DurationAllowances, 'weightsMs' | 'retryMs'>): number {
  return allowances.weightsMs + allowances.retryMs;
}
