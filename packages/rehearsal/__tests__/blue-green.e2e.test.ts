/** The blue-green action end to end on the stand-in: smoke gate, one switch, a bake with the old side warm. */
import { describe, expect, it } from '@jest/globals';
import { runScenario } from '../src/index.js';

describe('blue-green on the stand-in', () => {
  it('validates the new colour through the test listener, switches at once, and scales the old colour down after the bake', async () => {
    const result = await runScenario({ strategy: 'blue-green', fault: 'none', app: 'release-app' });
    expect(result.record?.status).toBe('promoted');
    expect(result.record?.steps.map((s) => s.kind)).toEqual(['smoke', 'shift', 'bake', 'analyse']);
    expect(result.record?.steps[0]?.checks?.map((c) => [c.check, c.verdict])).toEqual([
      ['probe', 'pass'],
      ['version endpoint', 'pass'],
    ]);
    expect(result.finalWeights).toEqual({ blue: 0, green: 100 });
    expect(result.desiredCounts).toEqual({ blue: 0, green: 1 });
    expect(result.traffic.failed).toBe(0);
  });

  it('keeps all traffic on the live colour when the smoke checks fail', async () => {
    const result = await runScenario({
      strategy: 'blue-green',
      fault: 'error-rate',
      app: 'release-app',
      inputs: { 'smoke-path': '/api/model-status', 'smoke-requests': '20' },
    });
    expect(result.record?.status).toBe('failed');
    expect(result.record?.reason).toMatch(
      /^smoke checks did not pass: probe: \d+ of 20 bad \(\d+ not 200, \d+ slower than 2000 ms; 0 tolerated\); e\.g\. 500$/,
    );
    expect(result.record?.steps.some((s) => s.kind === 'shift')).toBe(false);
    expect(result.traffic.byRelease['1.1.0'] ?? 0).toBe(0);
    expect(result.finalWeights).toEqual({ blue: 100, green: 0 });
  });

  it('flips back to the warm old colour when the bake fails, without failing a client request', async () => {
    const result = await runScenario({
      strategy: 'blue-green',
      fault: 'latency',
      app: 'release-app',
      inputs: { 'max-p95-latency': '200ms' },
    });
    expect(result.record?.status).toBe('rolled-back');
    expect(result.record?.reason).toMatch(
      /^failed (?:during the bake|the analysis) at 100%: p95 latency SLO: canary \d+ ms \(SLO 200 ms\): above the SLO$/,
    );
    expect(result.finalWeights).toEqual({ blue: 100, green: 0 });
    expect(result.desiredCounts).toEqual({ blue: 1, green: 0 });
    // The old colour never stopped serving, so the flip is one weight change: nobody sees an error.
    expect(result.traffic.failed).toBe(0);
    const rollback = result.record?.rollback;
    expect(Date.parse(rollback!.weightsRestoredAt!) - Date.parse(rollback!.startedAt)).toBeLessThan(2_000);
  });
});
