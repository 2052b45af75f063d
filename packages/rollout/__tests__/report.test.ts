import { describe, expect, it } from '@jest/globals';
import { renderMarkdownReport, renderTextReport, stepRows, type DeploymentRecord } from '../src/index.js';

const record: DeploymentRecord = {
  rolloutId: 'rollout-7',
  strategy: 'canary',
  mode: 'deploy',
  owner: 'run 7',
  revision: { image: 'svg-ai@sha256:abc', modelVersion: '1.4.0' },
  colours: { stable: 'blue', canary: 'green' },
  weightsBefore: { blue: 100, green: 0 },
  weightsAfter: { blue: 100, green: 0 },
  liveColour: 'blue',
  startedAt: '2026-01-01T00:00:00.000Z',
  finishedAt: '2026-01-01T00:07:00.000Z',
  status: 'rolled-back',
  reason: 'failed during the bake at 10%: error rate vs baseline: canary 8.00% vs baseline 0.10%',
  steps: [
    { index: 0, kind: 'shift', canaryPercent: 10, startedAt: '2026-01-01T00:00:10.000Z', durationMs: 0, verdict: 'pass' },
    {
      index: 1,
      kind: 'bake',
      canaryPercent: 10,
      startedAt: '2026-01-01T00:00:10.000Z',
      durationMs: 90_000,
      analyses: 3,
      verdict: 'fail',
      reason: 'error rate | regression',
      canary: { colour: 'green', requests: 300, errorRate: 0.08, p95Ms: 121.4 },
      baseline: { colour: 'blue', requests: 2700, errorRate: 0.001, p95Ms: 119.6 },
    },
  ],
  rollback: {
    reason: 'failed during the bake',
    startedAt: '2026-01-01T00:01:40.000Z',
    weightsRestoredAt: '2026-01-01T00:01:42.000Z',
    finishedAt: '2026-01-01T00:01:45.000Z',
  },
};

describe('the step table', () => {
  it('has one row per step, then the rollback', () => {
    expect(stepRows(record)).toEqual([
      ['1. shift', '10%', '0s', '', '', '', 'pass'],
      ['2. bake (3 analyses)', '10%', '1m30s', '300 / 2700', '8.00% vs 0.10%', '121 ms vs 120 ms', 'fail: error rate | regression'],
      ['rollback', '0%', '5s', '', '', '', 'weights restored after 2s'],
    ]);
  });

  it('renders as Markdown with the status and reason above, escaping pipes', () => {
    const markdown = renderMarkdownReport(record);
    expect(markdown.split('\n').slice(0, 4)).toEqual([
      '**canary rollout rollout-7 of svg-ai@sha256:abc (blue → green): rolled-back**',
      '> failed during the bake at 10%: error rate vs baseline: canary 8.00% vs baseline 0.10%',
      '',
      '| step | weight | duration | requests (canary / baseline) | error rate (canary vs baseline) | p95 (canary vs baseline) | verdict |',
    ]);
    expect(markdown).toContain('| fail: error rate \\| regression |');
  });

  it('renders as aligned plain text', () => {
    const lines = renderTextReport(record).split('\n');
    expect(lines[0]).toBe('canary rollout rollout-7 of svg-ai@sha256:abc (blue → green): rolled-back');
    const header = lines[3]!;
    const bake = lines[6]!;
    expect(bake.indexOf('10%')).toBe(header.indexOf('weight'));
    expect(bake.indexOf('300 / 2700')).toBe(header.indexOf('requests'));
  });
});
