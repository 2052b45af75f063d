import type { AnalysisConfig, ProbeCheckConfig } from '../analysis/evaluate.js';
import type { DurationAllowances } from '../duration.js';
import type { RevisionSpec } from '../ports.js';
import { worstCaseBackoffMs } from './retry.js';

/**
 * `deploy` starts a rollout from a clean 100/0; `resume` continues the one the lock records (an approval,
 * or a re-run after a crash); `abort` rolls it back now; `promote` skips its remaining steps.
 */
export type RolloutMode = 'deploy' | 'resume' | 'abort' | 'promote';

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  /** Back-off before the second attempt; it doubles after every attempt up to `maxDelayMs`. */
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
}

export interface HealthWait {
  readonly timeoutMs: number;
  readonly pollIntervalMs: number;
}

export interface WeightVerification {
  /** Write-and-read-back rounds before the weights are declared not applied. */
  readonly attempts: number;
  readonly intervalMs: number;
}

export interface SmokeConfig extends ProbeCheckConfig {
  /** A JSON status endpoint; when given, the new side must report the image digest and model version. */
  readonly versionPath?: string;
}

export interface RolloutConfig {
  /** Identifies this rollout in the lock; a re-run of the same rollout uses the same id. */
  readonly rolloutId: string;
  /** Who runs it, e.g. `github-actions owner/repo run 1234 attempt 2`. */
  readonly owner: string;
  readonly runUrl?: string;
  /** What to deploy. Needed by `deploy`; `resume` checks it against the lock; `abort` and `promote` ignore it. */
  readonly revision?: RevisionSpec;
  /**
   * What defines this rollout (plan, analysis settings, revision) as the caller encodes it, kept with the
   * lock so that a later run can continue the same rollout from the lock alone. Opaque to the engine.
   */
  readonly definition?: string;
  readonly analysis: AnalysisConfig;
  /** Needed when the plan has a smoke step. */
  readonly smoke?: SmokeConfig;
  /** Refuse to start when the worst-case duration exceeds this (credential lifetime, job time limit). */
  readonly timeBudgetMs?: number;
  /** Take over a lock held by another rollout. */
  readonly force?: boolean;
  readonly health?: HealthWait;
  readonly weightVerification?: WeightVerification;
  readonly retry?: RetryPolicy;
}

export const DEFAULT_HEALTH_WAIT: HealthWait = { timeoutMs: 10 * 60_000, pollIntervalMs: 5_000 };
export const DEFAULT_WEIGHT_VERIFICATION: WeightVerification = { attempts: 5, intervalMs: 2_000 };
export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 6, initialDelayMs: 500, maxDelayMs: 15_000 };

export interface ResolvedConfig extends RolloutConfig {
  readonly health: HealthWait;
  readonly weightVerification: WeightVerification;
  readonly retry: RetryPolicy;
}

export function resolveConfig(config: RolloutConfig): ResolvedConfig {
  return {
    ...config,
    health: config.health ?? DEFAULT_HEALTH_WAIT,
    weightVerification: config.weightVerification ?? DEFAULT_WEIGHT_VERIFICATION,
    retry: config.retry ?? DEFAULT_RETRY_POLICY,
  };
}

/** What each part of a rollout may take at worst under this configuration, for the time budget. */
export function durationAllowances(rolloutConfig: RolloutConfig): DurationAllowances {
  const config = resolveConfig(rolloutConfig);
  return {
    deployMs: config.health.timeoutMs,
    publicationDelayMs: config.analysis.publicationDelayMs + config.analysis.periodMs,
    weightsMs: config.weightVerification.attempts * config.weightVerification.intervalMs,
    smokeMs: config.smoke ? config.smoke.request.count * config.smoke.request.timeoutMs : 0,
    retryMs: worstCaseBackoffMs(config.retry),
  };
}
