/**
 * The canary action end to end: its committed bundle run as the runner runs it, against the local
 * stand-in of AWS, with tasks as real processes and real client traffic through the listener.
 * Each case is one release; the figures the benchmark reports are printed here too.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { runScenario, type ScenarioResult } from '../src/index.js';

const FIGURES: string[] = [];
const report = (line: string) => FIGURES.push(line);
// The figures are a report, not an assertion: printed once the cases that measured them have run.
afterAll(() => {
  if (FIGURES.length > 0) console.log(FIGURES.join('\n'));
});

function expectBackOnBlue(result: ScenarioResult): void {
  expect(result.finalWeights).toEqual({ blue: 100, green: 0 });
  expect(result.desiredCounts.green).toBe(0);
  expect(result.release.main.exitCode).toBe(1);
}

describe('canary on the stand-in', () => {
  it('walks every step of a good release, promotes it, and scales the old side down after its bake', async () => {
    const result = await runScenario({ strategy: 'canary', fault: 'none', app: 'release-app' });
    expect(result.record?.status).toBe('promoted');
    expect(result.release.main.exitCode).toBe(0);
    expect(result.record?.steps.map((s) => `${s.kind}:${s.canaryPercent}`)).toEqual([
      'smoke:0',
      'shift:10',
      'bake:10',
      'analyse:10',
      'shift:50',
      'bake:50',
      'analyse:50',
      'shift:100',
      'bake:100',
      'analyse:100',
    ]);
    expect(result.record?.steps.filter((s) => s.kind === 'analyse').every((s) => s.verdict === 'pass')).toBe(true);
    expect(result.finalWeights).toEqual({ blue: 0, green: 100 });
    expect(result.desiredCounts).toEqual({ blue: 0, green: 1 });
    expect(result.traffic.failed).toBe(0);
    expect(result.traffic.byRelease['1.1.0']).toBeGreaterThan(0);
    expect(result.release.main.outputs).toMatchObject({ status: 'promoted', 'rolled-back': 'false', 'live-colour': 'green' });
    expect(result.release.main.summary).toMatch(/\| \d+\. analyse \(1 analysis\) \| 50% \|/);
    report(`good canary: ${result.traffic.requests} client requests, ${result.traffic.failed} failed`);
  });

  it('rolls back a canary that answers 5xx on a share of requests, and reports how fast and how many users saw it', async () => {
    const result = await runScenario({ strategy: 'canary', fault: 'error-rate', app: 'release-app', inputs: { 'smoke-requests': '0' } });
    expect(result.record?.status).toBe('rolled-back');
    // Which check sees it first depends on timing (the probe every 500 ms, or the 5xx figures every second);
    // that it is one of these checks of the 10% step, and why, is known exactly.
    expect(result.record?.reason).toMatch(/^failed (during the bake|the analysis) at 10%: (probe|error rate vs baseline|5xx rate SLO): /);
    expect(result.record?.steps.find((s) => s.verdict === 'fail')?.canaryPercent).toBe(10);
    expectBackOnBlue(result);
    expect(result.release.main.outputs['rolled-back']).toBe('true');
    // Exposure: from the first shift to the restore, so positive and shorter than the whole release.
    expect(result.exposureMs).toBeGreaterThan(0);
    expect(result.exposureMs).toBeLessThan(result.release.finishedAt - result.release.startedAt);
    report(
      `5xx canary: production exposure ${result.exposureMs} ms; first failed client request to weights restored ` +
        `${result.detectionToRestoreMs ?? 'n/a (no client saw a failure)'} ms; ` +
        `${result.traffic.failed} of ${result.traffic.requests} client requests failed (${(result.traffic.failedShare * 100).toFixed(2)}%)`,
    );
  });

  it('rolls back a canary whose only regression is latency, on the relative latency check', async () => {
    const result = await runScenario({
      strategy: 'canary',
      fault: 'latency',
      app: 'release-app',
      inputs: { 'smoke-requests': '0', 'probe-path': '' },
    });
    expect(result.record?.status).toBe('rolled-back');
    const slower = (p: string) =>
      `${p} latency vs baseline: canary \\d+ ms vs baseline \\d+ ms \\(limit \\d+ ms\\): the canary is slower than the baseline`;
    expect(result.record?.reason).toMatch(
      new RegExp(`^failed (?:during the bake|the analysis) at 10%: ${slower('p95')}; ${slower('p99')}$`),
    );
    expect(result.traffic.failed).toBe(0);
    expectBackOnBlue(result);
  });

  it('fails a revision whose tasks crash at start before any production traffic moves, naming the exit code', async () => {
    const result = await runScenario({ strategy: 'canary', fault: 'crash', app: 'release-app' });
    expect(result.record?.status).toBe('failed');
    expect(result.record?.reason).toMatch(
      /^tasks of \S+\/svg-ai@sha256:[0-9a-f]{64} stopped on green before taking traffic: task [0-9a-f]{32}: Essential container in task exited \(svg-ai exit code 3: Process exited with code 3\)/,
    );
    expect(result.record?.steps.some((s) => s.kind === 'shift')).toBe(false);
    expect(result.traffic.byRelease['1.1.0'] ?? 0).toBe(0);
    expectBackOnBlue(result);
  });

  it('calls too little traffic inconclusive, never a pass', async () => {
    const result = await runScenario({
      strategy: 'canary',
      fault: 'none',
      app: 'release-app',
      rate: 2,
      inputs: { 'min-requests': '50', 'inconclusive-policy': 'fail', 'probe-path': '' },
    });
    expect(result.record?.status).toBe('rolled-back');
    expect(result.record?.reason).toMatch(
      /^failed (?:during the bake|the analysis) at 10%: inconclusive, and the policy fails on that: canary request evidence: /,
    );
    expect(result.record?.steps.some((s) => s.kind === 'analyse' && s.verdict === 'pass')).toBe(false);
    expectBackOnBlue(result);
  });

  it('rides out API throttling bursts while it shifts traffic', async () => {
    const result = await runScenario({
      strategy: 'canary',
      fault: 'none',
      app: 'release-app',
      beforeRelease: (world) => {
        world.local.admin.injectFaults({
          throttle: [
            { count: 3, service: 'elasticloadbalancing', operation: 'ModifyListener' },
            { count: 3, service: 'elasticloadbalancing', operation: 'DescribeListeners' },
            { count: 2, service: 'monitoring', operation: 'GetMetricData' },
          ],
        });
      },
    });
    expect(result.record?.status).toBe('promoted');
    expect(result.finalWeights).toEqual({ blue: 0, green: 100 });
  });

  it('leaves all traffic on the stable side when the job is cancelled mid-rollout', async () => {
    // Cancelled a second into the first bake, with 10% of production traffic on the canary.
    const result = await runScenario({
      strategy: 'canary',
      fault: 'none',
      app: 'release-app',
      interrupt: { signal: 'SIGTERM', when: /10% of production traffic on green/, delayMs: 1_000 },
    });
    expect(result.record?.status).toBe('aborted');
    expect(result.release.main.stdout).toContain('SIGTERM received');
    expect(result.release.post?.stdout).toContain('settled in the main step');
    expectBackOnBlue(result);
  });
});
