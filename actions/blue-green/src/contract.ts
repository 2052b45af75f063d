import { actionContract } from '@svg-ai-release/action-kit';
import { ROLLOUT_INPUTS, ROLLOUT_OUTPUTS } from '@svg-ai-release/deploy-kit';

/** Input and output names, declared once; a test checks them against action.yml both ways. */
export const BLUE_GREEN = actionContract({
  name: 'blue-green',
  inputs: {
    ...ROLLOUT_INPUTS,
    smokePath: 'smoke-path',
    smokeRequests: 'smoke-requests',
    smokeExpectedStatus: 'smoke-expected-status',
    smokeMaxLatency: 'smoke-max-latency',
  },
  outputs: ROLLOUT_OUTPUTS,
});
