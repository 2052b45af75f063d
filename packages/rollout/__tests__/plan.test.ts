import { describe, expect, it } from '@jest/globals';
import { blueGreenPlan, canaryPlan, PlanError, validatePlan, worstCaseDuration, type PlanStep, type RolloutPlan } from '../src/index.js';

const MINUTE = 60_000;
const extend = { action: 'extend', maxExtensions: 2, extensionMs: MINUTE } as const;
const base = { bakeMs: 5 * MINUTE, analysisIntervalMs: 30_000, keepOldWarmMs: 10 * MINUTE, onInconclusive: extend };

function problemsOf(build: () => unknown): readonly string[] {
  try {
    build();
  } catch (error) {
    if (error instanceof PlanError) return error.problems;
    throw error;
  }
  throw new Error('expected a PlanError');
}

describe('canaryPlan', () => {
  it('turns weights into shift, bake and analyse steps, ending with a kept-warm bake at 100%', () => {
    const plan = canaryPlan({ ...base, steps: [10, 50, 100] });
    expect(plan.strategy).toBe('canary');
    expect(plan.steps).toEqual([
      { kind: 'shift', canaryPercent: 10 },
      { kind: 'bake', durationMs: 5 * MINUTE },
      { kind: 'analyse' },
      { kind: 'shift', canaryPercent: 50 },
      { kind: 'bake', durationMs: 5 * MINUTE },
      { kind: 'analyse' },
      { kind: 'shift', canaryPercent: 100 },
      { kind: 'bake', durationMs: 10 * MINUTE },
      { kind: 'analyse' },
    ]);
  });

  it('adds the promotion to 100% when the weights stop short of it', () => {
    const plan = canaryPlan({ ...base, steps: [10, 50] });
    expect(plan.steps.filter((s) => s.kind === 'shift')).toEqual([
      { kind: 'shift', canaryPercent: 10 },
      { kind: 'shift', canaryPercent: 50 },
      { kind: 'shift', canaryPercent: 100 },
    ]);
  });

  it('promotes without a bake when the old colour is not kept warm', () => {
    expect(canaryPlan({ ...base, steps: [50], keepOldWarmMs: 0 }).steps.at(-1)).toEqual({ kind: 'shift', canaryPercent: 100 });
  });

  it('smokes first and waits for approval before the weights asked for', () => {
    const kinds = canaryPlan({ ...base, steps: [10, 50], smoke: true, approvalBefore: [50] }).steps.map((s) => s.kind);
    expect(kinds).toEqual(['smoke', 'shift', 'bake', 'analyse', 'await-approval', 'shift', 'bake', 'analyse', 'shift', 'bake', 'analyse']);
  });

  it.each<[string, number[], RegExp]>([
    ['weights not increasing', [10, 50, 25], /50 then 25 is not strictly increasing/],
    ['a repeated weight', [10, 10], /10 then 10 is not strictly increasing/],
    ['a weight over 100', [10, 150], /150 is not a whole percentage from 1 to 100/],
    ['a zero weight', [0, 50], /0 is not a whole percentage/],
    ['a fractional weight', [12.5], /12.5 is not a whole percentage/],
    ['no weights', [], /at least one canary weight/],
  ])('refuses %s, naming the steps', (_name, steps, message) => {
    const problems = problemsOf(() => canaryPlan({ ...base, steps }));
    expect(problems.some((p) => p.startsWith('steps:') && message.test(p))).toBe(true);
  });

  it('refuses an approval before a weight that is not a step', () => {
    expect(problemsOf(() => canaryPlan({ ...base, steps: [10, 50], approvalBefore: [25] }))).toEqual([
      'approvalBefore: 25 is not one of the steps (10, 50)',
    ]);
  });

  it('refuses a bad inconclusive policy', () => {
    const problems = problemsOf(() =>
      canaryPlan({ ...base, steps: [10], onInconclusive: { action: 'extend', maxExtensions: 0, extensionMs: -1 } }),
    );
    expect(problems).toEqual([
      'onInconclusive: maxExtensions 0 is not a whole number, 1 or more',
      'onInconclusive: extensionMs -1 is not a positive whole number of milliseconds',
    ]);
  });
});

describe('blueGreenPlan', () => {
  it('is the same vocabulary: smoke, switch to 100%, bake while the old side stays warm, analyse', () => {
    const plan = blueGreenPlan({ smoke: true, bakeMs: 10 * MINUTE, analysisIntervalMs: 5_000, onInconclusive: { action: 'fail' } });
    expect(plan.strategy).toBe('blue-green');
    expect(plan.steps).toEqual([
      { kind: 'smoke' },
      { kind: 'shift', canaryPercent: 100 },
      { kind: 'bake', durationMs: 10 * MINUTE },
      { kind: 'analyse' },
    ]);
  });

  it('can wait for approval between the smoke checks and the switch', () => {
    const plan = blueGreenPlan({
      smoke: true,
      bakeMs: 0,
      analysisIntervalMs: 0,
      onInconclusive: { action: 'fail' },
      approvalBeforeSwitch: true,
    });
    expect(plan.steps.map((s) => s.kind)).toEqual(['smoke', 'await-approval', 'shift']);
  });
});

describe('validatePlan', () => {
  const plan = (steps: PlanStep[], overrides: Partial<RolloutPlan> = {}): RolloutPlan => ({
    strategy: 'canary',
    steps,
    analysisIntervalMs: 0,
    onInconclusive: { action: 'fail' },
    ...overrides,
  });

  it.each<[string, RolloutPlan, string[]]>([
    ['a sound plan has no problems', plan([{ kind: 'shift', canaryPercent: 100 }]), []],
    ['a plan without shifts', plan([{ kind: 'smoke' }]), ['steps: a plan needs at least one shift']],
    [
      'a plan that never reaches 100%',
      plan([{ kind: 'shift', canaryPercent: 50 }]),
      ['shift steps: the last shift is to 50%; a plan must end with 100% on the new colour'],
    ],
    [
      'a bake before any shift',
      plan([
        { kind: 'bake', durationMs: 1000 },
        { kind: 'shift', canaryPercent: 100 },
      ]),
      ['steps[0]: a bake before any shift would judge no production traffic'],
    ],
    [
      'an analysis before any shift',
      plan([{ kind: 'analyse' }, { kind: 'shift', canaryPercent: 100 }]),
      ['steps[0]: an analysis before any shift has no production traffic to judge'],
    ],
    [
      'a zero-length bake',
      plan([
        { kind: 'shift', canaryPercent: 100 },
        { kind: 'bake', durationMs: 0 },
      ]),
      ['steps[1]: bake durationMs 0 is not a positive whole number of milliseconds'],
    ],
    [
      'an unknown step kind (plans may come from JSON)',
      plan([{ kind: 'pause' } as unknown as PlanStep, { kind: 'shift', canaryPercent: 100 }]),
      ['steps[0]: unknown step kind "pause"'],
    ],
    [
      'shifts going down',
      plan([
        { kind: 'shift', canaryPercent: 50 },
        { kind: 'shift', canaryPercent: 20 },
        { kind: 'shift', canaryPercent: 100 },
      ]),
      ['shift steps: 50 then 20 is not strictly increasing'],
    ],
    [
      'a negative analysis interval',
      plan([{ kind: 'shift', canaryPercent: 100 }], { analysisIntervalMs: -5 }),
      ['analysisIntervalMs: -5 is not a whole number of milliseconds, 0 or more'],
    ],
  ])('%s', (_name, input, problems) => {
    expect(validatePlan(input)).toEqual(problems);
  });
});

describe('worstCaseDuration', () => {
  const allowances = { deployMs: 10 * MINUTE, publicationDelayMs: MINUTE, weightsMs: 10_000, smokeMs: 30_000, retryMs: 20_000 };

  it('adds every bake, extension and publication wait, with a reserve to roll back', () => {
    const plan = canaryPlan({ ...base, steps: [10, 50], smoke: true });
    const estimate = worstCaseDuration(plan, allowances);
    // 3 gates × (1 + 2 extensions) × 1 min waits, 3 × 2 × 1 min extensions, bakes 5 + 5 + 10 min.
    expect(estimate.parts).toEqual([
      { label: 'deploy and health', ms: 10 * MINUTE },
      { label: 'smoke checks', ms: 30_000 },
      { label: 'weight shifts', ms: 30_000 },
      { label: 'bakes', ms: 20 * MINUTE },
      { label: 'analysis gates', ms: 9 * MINUTE },
      { label: 'inconclusive extensions', ms: 6 * MINUTE },
      { label: 'rollback reserve', ms: 30_000 },
    ]);
    expect(estimate.totalMs).toBe(46.5 * MINUTE);
  });
});
