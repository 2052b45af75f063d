/**
 * The blue-green inputs as a rollout: smoke checks through the test listener, one switch to 100%,
 * a bake judged on absolute SLOs and alarms while the old colour stays warm, then scale-down.
 */
import type { DeploySpec } from '@svg-ai-release/deploy-kit';
import { blueGreenPlan, type AnalysisConfig } from '@svg-ai-release/rollout';
import type { BlueGreenInputs } from './inputs.js';

export function blueGreenSpec(inputs: BlueGreenInputs): DeploySpec {
  const plan = blueGreenPlan({
    smoke: true,
    bakeMs: inputs.bakeTimeMs,
    analysisIntervalMs: inputs.analysisIntervalMs,
    onInconclusive:
      inputs.inconclusivePolicy === 'extend'
        ? { action: 'extend', maxExtensions: inputs.maxExtensions, extensionMs: inputs.bakeTimeMs }
        : { action: 'fail' },
  });
  const analysis: AnalysisConfig = {
    periodMs: inputs.metricPeriodMs,
    publicationDelayMs: inputs.metricDelayMs,
    minRequests: inputs.minRequests,
    slo: {
      max5xxRate: inputs.maxErrorRate,
      ...(inputs.maxP95LatencyMs !== undefined ? { maxP95Ms: inputs.maxP95LatencyMs } : {}),
      ...(inputs.maxP99LatencyMs !== undefined ? { maxP99Ms: inputs.maxP99LatencyMs } : {}),
    },
    maxUnhealthyHosts: 0,
    alarms: inputs.alarms,
  };
  return {
    target: inputs.target,
    plan,
    analysis,
    smoke: {
      request: { count: inputs.smoke.requests, path: inputs.smoke.path, timeoutMs: inputs.smoke.maxLatencyMs * 2 },
      expectedStatus: inputs.smoke.expectedStatus,
      maxLatencyMs: inputs.smoke.maxLatencyMs,
      maxFailures: 0,
      ...(inputs.versionPath !== undefined ? { versionPath: inputs.versionPath } : {}),
    },
    modelVersion: inputs.modelVersion,
    mode: inputs.mode,
    timeBudgetMs: inputs.timeBudgetMs,
    healthTimeoutMs: inputs.waitHealthyTimeoutMs,
  };
}
