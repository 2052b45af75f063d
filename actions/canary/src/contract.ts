import { actionContract } from '@svg-ai-release/action-kit';
import { ROLLOUT_INPUTS, ROLLOUT_OUTPUTS } from '@svg-ai-release/deploy-kit';

/** Input and output names, declared once; a test checks them against action.yml both ways. */
export const CANARY = actionContract({
  name: 'canary',
  inputs: {
    ...ROLLOUT_INPUTS,
    steps: 'steps',
    errorRateTolerance: 'error-rate-tolerance',
    latencyTolerance: 'latency-tolerance',
    metricChecks: 'metric-checks',
    smokeRequests: 'smoke-requests',
    smokePath: 'smoke-path',
    probePath: 'probe-path',
    probeInterval: 'probe-interval',
    probeRequests: 'probe-requests',
    probeMaxLatency: 'probe-max-latency',
    keepOldFor: 'keep-old-for',
  },
  outputs: ROLLOUT_OUTPUTS,
});
