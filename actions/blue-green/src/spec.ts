/**
 * The blue-green inputs as a rollout: smoke checks through the test listener, one switch to 100%,
 * a bake judged on absolute SLOs and alarms while the old colour stays warm, then scale-down.
 */
import { baseAnalysis, baseSpec, inconclusivePolicy, type DeploySpec } from '@svg-ai-release/deploy-kit';
import { blueGreenPlan } from '@svg-ai-release/rollout';
import type { BlueGreenInputs } from './inputs.js';

export function blueGreenSpec(inputs: BlueGreenInputs): DeploySpec {
  return {
    ...baseSpec(inputs),
    plan: blueGreenPlan({
      smoke: true,
      bakeMs: inputs.bakeTimeMs,
      analysisIntervalMs: inputs.analysisIntervalMs,
      onInconclusive: inconclusivePolicy(inputs),
    }),
    // After the switch the old colour takes no traffic: there is no baseline, only absolute SLOs and alarms.
    analysis: baseAnalysis(inputs),
    smoke: {
      request: { count: inputs.smoke.requests, path: inputs.smoke.path, timeoutMs: inputs.smoke.maxLatencyMs * 2 },
      expectedStatus: inputs.smoke.expectedStatus,
      maxLatencyMs: inputs.smoke.maxLatencyMs,
      maxFailures: 0,
      ...(inputs.versionPath !== undefined ? { versionPath: inputs.versionPath } : {}),
    },
  };
}
