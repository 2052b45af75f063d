import type { UserMetricQuery } from '@svg-ai-release/aws';
import type { AnalysisConfig, RolloutMode, RolloutPlan, SmokeConfig } from '@svg-ai-release/rollout';
import type { DeployTarget } from './deploy-target.js';

/** Everything the rollout engine and the AWS adapters receive from an action's inputs. */
export interface DeploySpec {
  readonly target: DeployTarget;
  readonly plan: RolloutPlan;
  readonly analysis: AnalysisConfig;
  readonly smoke?: SmokeConfig;
  readonly modelVersion: string | undefined;
  readonly mode: RolloutMode;
  /** Take over a lock held by another rollout (an operator aborting or promoting a rollout started elsewhere). */
  readonly takeOver: boolean;
  readonly timeBudgetMs: number;
  readonly healthTimeoutMs: number;
  readonly userQueries?: Readonly<Record<string, UserMetricQuery>>;
}

/** Reads the runner's value of an input by its action.yml name ('' when not set). */
export type InputSource = (name: string) => string;

/** How an action turns its inputs into a DeploySpec, from whatever source the inputs come from. */
export type SpecReader = (get: InputSource) => DeploySpec;
