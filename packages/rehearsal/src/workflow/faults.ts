/**
 * Bad releases for the push-to-main rehearsal. A bad release is what it is in real life: a different
 * image, built from its own Dockerfile and pushed by the pipeline like any other, whose own configuration
 * (its `ENV`, which ECS gives the container under the task definition's environment) makes it fail a share
 * of API requests, answer slowly, or crash at start. `throttle` is AWS pushing back instead: the release
 * is good, and the control plane throttles the rollout's calls.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { FaultConfig } from '@svg-ai-release/aws-local';

/** The bad releases of the push-to-main pipeline. */
export const MAIN_FAULTS = ['none', 'error-rate', 'latency', 'crash', 'throttle'] as const;
/** The bad release of the model-release pipeline: a model set the gate must refuse. */
export const MODEL_FAULTS = ['none', 'bad-model'] as const;
export const WORKFLOW_FAULTS = [...MAIN_FAULTS, 'bad-model'] as const;
export type WorkflowFault = (typeof WORKFLOW_FAULTS)[number];

export interface FaultPlan {
  readonly fault: WorkflowFault;
  /** What the bad release is, in one line. */
  readonly description: string;
  /** The Dockerfile the build uses instead of the rehearsal's own, relative to the repository root. */
  readonly dockerfile?: string;
  /** Faults the stand-in's control plane answers with from the start of the run. */
  readonly awsFaults?: FaultConfig;
  /** The safe outcome: a good release is promoted; a bad one never takes all traffic and is rolled back. */
  readonly safeOutcome: 'promoted' | 'contained';
}

/** The `ENV` lines that make each bad image bad (the service's test-only fault knobs, or a setting it refuses). */
const BAD_IMAGES: Partial<Record<WorkflowFault, { env: string; description: string }>> = {
  'error-rate': {
    env: 'SVGAI_FAULT_ERROR_RATE=0.3',
    description: 'an image that answers 30% of API requests with 500 while its health checks stay green',
  },
  latency: {
    env: 'SVGAI_FAULT_LATENCY_MS=400',
    description: 'an image that adds 400 ms to every API answer while its health checks stay green',
  },
  crash: {
    env: 'MAX_INFLIGHT=0',
    description: 'an image whose configuration the service refuses (MAX_INFLIGHT=0): every task exits at start',
  },
};

/**
 * The plan for `fault`. A bad image's Dockerfile is the rehearsal's own with the fault's `ENV` added,
 * written under `reports/rehearsal/` (ignored by git) so the build context stays the service's.
 */
export function planFault(fault: WorkflowFault, root: string, baseDockerfile: string): FaultPlan {
  if (fault === 'none') return { fault, description: 'a good release', safeOutcome: 'promoted' };
  if (fault === 'bad-model')
    return {
      fault,
      description: 'a bad model set, committed and tagged like any other (which of its models is spoilt: see the repository line)',
      safeOutcome: 'contained',
    };
  if (fault === 'throttle')
    return {
      fault,
      description:
        'a good release while the load balancer and ECS APIs throttle the rollout: their next 6 and 4 calls are answered ThrottlingException',
      // Bursts the SDK's retries (8 attempts, adaptive) absorb: the release must still ship, untouched by clients.
      awsFaults: {
        throttle: [
          { service: 'elasticloadbalancing', count: 6 },
          { service: 'ecs', count: 4 },
        ],
      },
      safeOutcome: 'promoted',
    };
  const bad = BAD_IMAGES[fault]!;
  const dir = join(root, 'reports', 'rehearsal', 'fault-images');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${fault}.Dockerfile`);
  const base = readFileSync(join(root, baseDockerfile), 'utf8');
  writeFileSync(file, `${base.trimEnd()}\n# The bad release this rehearsal ships: ${bad.description}.\nENV ${bad.env}\n`);
  return { fault, description: bad.description, dockerfile: relative(root, file), safeOutcome: 'contained' };
}

/** Throttled calls the stand-in answered so far, of those the plan injected. */
export function throttledCalls(plan: FaultPlan, remaining: FaultConfig): number {
  const injected = (plan.awsFaults?.throttle ?? []).reduce((sum, t) => sum + t.count, 0);
  const left = (remaining.throttle ?? []).reduce((sum, t) => sum + t.count, 0);
  return injected - left;
}

export interface RunFacts {
  readonly conclusion: string;
  readonly failedRequests: number;
  /** The status of every deployment record the run wrote, in order. */
  readonly recordStatuses: readonly string[];
  /** Whether the production release job ran (neither skipped nor left out). */
  readonly productionRan: boolean;
  /** The side that served all production traffic before the run, and the weights after it. */
  readonly liveBefore: 'blue' | 'green' | undefined;
  readonly weightsAfter: { readonly blue: number; readonly green: number };
}

/**
 * Whether the run reached the plan's safe outcome. A good release: the workflow succeeded and no client
 * request failed. A bad one: every rollout of it ended unpromoted, the production job never ran, and the
 * side that was live still serves all traffic.
 */
export function reachedSafeOutcome(plan: Pick<FaultPlan, 'safeOutcome'>, facts: RunFacts): boolean {
  if (plan.safeOutcome === 'promoted') return facts.conclusion === 'success' && facts.failedRequests === 0;
  const stillLive = facts.liveBefore !== undefined && facts.weightsAfter[facts.liveBefore] === 100;
  const stopped = facts.recordStatuses.length > 0 && facts.recordStatuses.every((status) => status !== 'promoted');
  return stillLive && stopped && !facts.productionRan;
}

export interface BadModelFacts {
  /** Which model the set spoilt: the gate must catch the classifier, the canary the predictor. */
  readonly spoil: 'classifier' | 'predictor';
  readonly validateConclusion: string | undefined;
  readonly gateConclusion: string | undefined;
  readonly canaryRan: boolean;
  /** The status of every deployment record the run wrote. */
  readonly recordStatuses: readonly string[];
  /** The alias and the version production serves, unchanged by the run. */
  readonly unchanged: boolean;
  readonly failedRequests: number;
}

/**
 * Whether a bad model release was stopped where it must be: a spoilt classifier refused at the gate (no canary
 * ran), a spoilt predictor past the gate and rolled back by the canary; either way the alias and production as
 * they were and no client request failed.
 */
export function stoppedBadModel(facts: BadModelFacts): boolean {
  const stopped =
    facts.spoil === 'predictor'
      ? facts.gateConclusion === 'success' && facts.recordStatuses.length > 0 && facts.recordStatuses.every((s) => s !== 'promoted')
      : facts.validateConclusion === 'failure' && facts.gateConclusion === 'failure' && !facts.canaryRan;
  return stopped && facts.unchanged && facts.failedRequests === 0;
}
