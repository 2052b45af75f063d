/**
 * A rollout plan is data: an ordered list of steps the engine interprets. Canary and blue-green
 * are two plans in the same vocabulary, built here, not two code paths in the engine.
 */

/** Send `canaryPercent` of production traffic to the new colour (read back and verified). */
export interface ShiftStep {
  readonly kind: 'shift';
  readonly canaryPercent: number;
}

/** Hold the current weights for a while; the analysis runs at the plan's interval meanwhile, to fail early. */
export interface BakeStep {
  readonly kind: 'bake';
  readonly durationMs: number;
}

/** Judge everything since the last shift: pass goes on, fail rolls back, inconclusive follows the policy. */
export interface AnalyseStep {
  readonly kind: 'analyse';
}

/** Stop with the weights held until a later run resumes (approval given) or aborts. */
export interface AwaitApprovalStep {
  readonly kind: 'await-approval';
}

/** Requests through the test listener to the new colour, with the version it reports. */
export interface SmokeStep {
  readonly kind: 'smoke';
}

export type PlanStep = ShiftStep | BakeStep | AnalyseStep | AwaitApprovalStep | SmokeStep;
export type StepKind = PlanStep['kind'];
export type Strategy = 'canary' | 'blue-green';

/** What an inconclusive analysis (too little evidence) leads to. It never leads to a pass. */
export type InconclusivePolicy =
  { readonly action: 'fail' } | { readonly action: 'extend'; readonly maxExtensions: number; readonly extensionMs: number };

export interface RolloutPlan {
  readonly strategy: Strategy;
  readonly steps: readonly PlanStep[];
  /** How often bakes are analysed while they run; 0 judges only at `analyse` steps. */
  readonly analysisIntervalMs: number;
  readonly onInconclusive: InconclusivePolicy;
}

export interface CanaryPlanOptions {
  /** Canary weights in percent, strictly increasing. Promotion to 100 follows; listing 100 last is allowed. */
  readonly steps: readonly number[];
  /** Bake of every step below 100%. */
  readonly bakeMs: number;
  readonly analysisIntervalMs: number;
  /** Bake at 100% before the old colour is scaled down; it stays warm for an instant rollback meanwhile. */
  readonly keepOldWarmMs: number;
  readonly onInconclusive: InconclusivePolicy;
  /** Smoke the new colour through the test listener before any production traffic. */
  readonly smoke?: boolean;
  /** Weights whose shift waits for an approval (a resumed run). */
  readonly approvalBefore?: readonly number[];
}

export interface BlueGreenPlanOptions {
  /** Smoke the new colour through the test listener before switching. */
  readonly smoke: boolean;
  /** Bake after the switch, judged, while the old colour stays warm for an instant rollback. */
  readonly bakeMs: number;
  readonly analysisIntervalMs: number;
  readonly onInconclusive: InconclusivePolicy;
  /** Wait for an approval between the smoke checks and the switch. */
  readonly approvalBeforeSwitch?: boolean;
}

/** A plan that is not well formed; `problems` lists every one of them, each naming the offending field. */
export class PlanError extends Error {
  override readonly name = 'PlanError';
  constructor(readonly problems: readonly string[]) {
    super(`invalid rollout plan: ${problems.join('; ')}`);
  }
}

export function canaryPlan(options: CanaryPlanOptions): RolloutPlan {
  const problems = [
    ...percentProblems(options.steps),
    ...(options.approvalBefore ?? [])
      .filter((percent) => !options.steps.includes(percent) && percent !== 100)
      .map((percent) => `approvalBefore: ${percent} is not one of the steps (${options.steps.join(', ')})`),
  ];
  if (problems.length > 0) throw new PlanError(problems);

  const percents = options.steps.at(-1) === 100 ? options.steps : [...options.steps, 100];
  const steps: PlanStep[] = options.smoke ? [{ kind: 'smoke' }] : [];
  for (const canaryPercent of percents) {
    if (options.approvalBefore?.includes(canaryPercent)) steps.push({ kind: 'await-approval' });
    steps.push({ kind: 'shift', canaryPercent });
    const bakeMs = canaryPercent === 100 ? options.keepOldWarmMs : options.bakeMs;
    if (bakeMs > 0) steps.push({ kind: 'bake', durationMs: bakeMs }, { kind: 'analyse' });
  }
  return checked({
    strategy: 'canary',
    steps,
    analysisIntervalMs: options.analysisIntervalMs,
    onInconclusive: options.onInconclusive,
  });
}

export function blueGreenPlan(options: BlueGreenPlanOptions): RolloutPlan {
  const steps: PlanStep[] = [
    ...(options.smoke ? [{ kind: 'smoke' } as const] : []),
    ...(options.approvalBeforeSwitch ? [{ kind: 'await-approval' } as const] : []),
    { kind: 'shift', canaryPercent: 100 },
    ...(options.bakeMs > 0 ? [{ kind: 'bake', durationMs: options.bakeMs } as const, { kind: 'analyse' } as const] : []),
  ];
  return checked({
    strategy: 'blue-green',
    steps,
    analysisIntervalMs: options.analysisIntervalMs,
    onInconclusive: options.onInconclusive,
  });
}

function checked(plan: RolloutPlan): RolloutPlan {
  const problems = validatePlan(plan);
  if (problems.length > 0) throw new PlanError(problems);
  return plan;
}

/**
 * Every problem with a plan, as messages naming the step or field; empty when the plan is sound.
 * Plans may come from JSON, so nothing about their shape is taken on trust.
 */
export function validatePlan(plan: RolloutPlan): string[] {
  const problems: string[] = [];
  if (plan.strategy !== 'canary' && plan.strategy !== 'blue-green') {
    problems.push(`strategy: ${JSON.stringify(plan.strategy)} is not canary or blue-green`);
  }
  if (!isDuration(plan.analysisIntervalMs)) {
    problems.push(`analysisIntervalMs: ${plan.analysisIntervalMs} is not a whole number of milliseconds, 0 or more`);
  }
  problems.push(...policyProblems(plan.onInconclusive));

  const shifts: number[] = [];
  plan.steps.forEach((step, index) => {
    const at = `steps[${index}]`;
    switch (step.kind) {
      case 'shift':
        shifts.push(step.canaryPercent);
        break;
      case 'bake':
        if (!isDuration(step.durationMs) || step.durationMs === 0) {
          problems.push(`${at}: bake durationMs ${step.durationMs} is not a positive whole number of milliseconds`);
        }
        if (shifts.length === 0) problems.push(`${at}: a bake before any shift would judge no production traffic`);
        break;
      case 'analyse':
        if (shifts.length === 0) problems.push(`${at}: an analysis before any shift has no production traffic to judge`);
        break;
      case 'await-approval':
      case 'smoke':
        break;
      default:
        problems.push(`${at}: unknown step kind ${JSON.stringify((step as { kind: unknown }).kind)}`);
    }
  });
  if (shifts.length === 0) {
    problems.push('steps: a plan needs at least one shift');
    return problems;
  }
  problems.push(...percentProblems(shifts).map((problem) => problem.replace(/^steps:/, 'shift steps:')));
  if (shifts.at(-1) !== 100) {
    problems.push(`shift steps: the last shift is to ${shifts.at(-1)}%; a plan must end with 100% on the new colour`);
  }
  return problems;
}

function percentProblems(percents: readonly number[]): string[] {
  const problems: string[] = [];
  if (percents.length === 0) return ['steps: at least one canary weight is needed'];
  percents.forEach((percent, index) => {
    if (!Number.isInteger(percent) || percent < 1 || percent > 100) {
      problems.push(`steps: ${percent} is not a whole percentage from 1 to 100`);
    }
    const previous = percents[index - 1];
    if (previous !== undefined && percent <= previous) {
      problems.push(`steps: ${previous} then ${percent} is not strictly increasing`);
    }
  });
  return problems;
}

function policyProblems(policy: InconclusivePolicy): string[] {
  if (policy.action === 'fail') return [];
  if (policy.action !== 'extend') {
    return [`onInconclusive: action ${JSON.stringify((policy as { action: unknown }).action)} is not extend or fail`];
  }
  const problems: string[] = [];
  if (!Number.isInteger(policy.maxExtensions) || policy.maxExtensions < 1) {
    problems.push(`onInconclusive: maxExtensions ${policy.maxExtensions} is not a whole number, 1 or more`);
  }
  if (!isDuration(policy.extensionMs) || policy.extensionMs === 0) {
    problems.push(`onInconclusive: extensionMs ${policy.extensionMs} is not a positive whole number of milliseconds`);
  }
  return problems;
}

function isDuration(ms: number): boolean {
  return Number.isSafeInteger(ms) && ms >= 0;
}
