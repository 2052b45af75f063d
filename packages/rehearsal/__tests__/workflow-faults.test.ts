/** What makes a rehearsed release safe, at the edge of every condition, and what each bad image carries. */
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  planFault,
  reachedSafeOutcome,
  stoppedBadModel,
  throttledCalls,
  type BadModelFacts,
  type RunFacts,
} from '../src/workflow/faults.js';

const contained: RunFacts = {
  conclusion: 'failure',
  failedRequests: 3,
  recordStatuses: ['rolled-back'],
  productionRan: false,
  liveBefore: 'blue',
  weightsAfter: { blue: 100, green: 0 },
};

describe('the safe outcome of a bad release', () => {
  it('is reached when the rollout stopped, production never ran and the live side has all traffic', () => {
    expect(reachedSafeOutcome({ safeOutcome: 'contained' }, contained)).toBe(true);
    expect(reachedSafeOutcome({ safeOutcome: 'contained' }, { ...contained, recordStatuses: ['failed'] })).toBe(true);
  });

  it.each<[string, Partial<RunFacts>]>([
    ['the bad release was promoted', { recordStatuses: ['rolled-back', 'promoted'] }],
    ['no rollout ran at all', { recordStatuses: [] }],
    ['the production job ran', { productionRan: true }],
    ['one per cent is still on the bad side', { weightsAfter: { blue: 99, green: 1 } }],
    ['the other side took all traffic', { weightsAfter: { blue: 0, green: 100 } }],
    ['no side was live before', { liveBefore: undefined }],
  ])('is not reached when %s', (_, change) => {
    expect(reachedSafeOutcome({ safeOutcome: 'contained' }, { ...contained, ...change })).toBe(false);
  });
});

describe('the safe outcome of a good release', () => {
  const good: RunFacts = {
    ...contained,
    conclusion: 'success',
    failedRequests: 0,
    recordStatuses: ['promoted', 'promoted'],
    productionRan: true,
  };
  it('is a successful run without one failed client request', () => {
    expect(reachedSafeOutcome({ safeOutcome: 'promoted' }, good)).toBe(true);
    expect(reachedSafeOutcome({ safeOutcome: 'promoted' }, { ...good, failedRequests: 1 })).toBe(false);
    expect(reachedSafeOutcome({ safeOutcome: 'promoted' }, { ...good, conclusion: 'failure' })).toBe(false);
  });
});

describe('fault plans', () => {
  const root = mkdtempSync(join(tmpdir(), 'fault-plan-'));
  mkdirSync(join(root, 'image'));
  writeFileSync(join(root, 'image', 'Dockerfile'), 'FROM scratch\nCOPY svgai/ /app/svgai/\n');

  it.each([
    ['error-rate', 'ENV SVGAI_FAULT_ERROR_RATE=0.3'],
    ['latency', 'ENV SVGAI_FAULT_LATENCY_MS=400'],
    ['crash', 'ENV MAX_INFLIGHT=0'],
  ] as const)('builds %s as its own image: the base Dockerfile with one ENV line more', (fault, env) => {
    const plan = planFault(fault, root, 'image/Dockerfile');
    expect(plan.safeOutcome).toBe('contained');
    expect(plan.dockerfile).toBe(`reports/rehearsal/fault-images/${fault}.Dockerfile`);
    const text = readFileSync(join(root, plan.dockerfile!), 'utf8');
    expect(text.startsWith('FROM scratch\nCOPY svgai/ /app/svgai/\n')).toBe(true);
    expect(text.trimEnd().split('\n').at(-1)).toBe(env);
  });

  it('keeps the good image and its Dockerfile for none and throttle, and counts the throttled calls answered', () => {
    expect(planFault('none', root, 'image/Dockerfile')).toEqual({ fault: 'none', description: 'a good release', safeOutcome: 'promoted' });
    const throttle = planFault('throttle', root, 'image/Dockerfile');
    expect(throttle.dockerfile).toBeUndefined();
    expect(throttle.safeOutcome).toBe('promoted');
    expect(throttledCalls(throttle, { throttle: [] })).toBe(10);
    expect(throttledCalls(throttle, { throttle: [{ service: 'ecs', count: 1 }] })).toBe(9);
  });
});

describe('the safe outcome of a bad model release', () => {
  const atGate: BadModelFacts = {
    spoil: 'classifier',
    validateConclusion: 'failure',
    gateConclusion: 'failure',
    canaryRan: false,
    recordStatuses: [],
    unchanged: true,
    failedRequests: 0,
  };
  const byCanary: BadModelFacts = {
    ...atGate,
    spoil: 'predictor',
    validateConclusion: 'success',
    gateConclusion: 'success',
    canaryRan: true,
    recordStatuses: ['rolled-back'],
  };

  it('is a spoilt classifier refused at the gate, and a spoilt predictor rolled back by the canary', () => {
    expect(stoppedBadModel(atGate)).toBe(true);
    expect(stoppedBadModel(byCanary)).toBe(true);
  });

  it.each<[string, BadModelFacts]>([
    ['the classifier passed the gate', { ...atGate, validateConclusion: 'success', gateConclusion: 'success' }],
    ['a canary of the spoilt classifier ran', { ...atGate, canaryRan: true }],
    ['the spoilt predictor was promoted', { ...byCanary, recordStatuses: ['promoted'] }],
    ['the spoilt predictor never reached a canary', { ...byCanary, recordStatuses: [] }],
    ['the gate refused the predictor (the canary was not what stopped it)', { ...byCanary, gateConclusion: 'failure' }],
    ['the alias or production changed', { ...byCanary, unchanged: false }],
    ['one client request failed', { ...atGate, failedRequests: 1 }],
  ])('is not reached when %s', (_, facts) => {
    expect(stoppedBadModel(facts)).toBe(false);
  });
});
