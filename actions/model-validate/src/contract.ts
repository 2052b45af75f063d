import { actionContract } from '@svg-ai-release/action-kit';

/** Input and output names, declared once; a test checks them against action.yml both ways. */
export const MODEL_VALIDATE = actionContract({
  name: 'model-validate',
  inputs: {
    report: 'report',
    championReport: 'champion-report',
    minAccuracy: 'min-accuracy',
    minClassF1: 'min-class-f1',
    maxP95Latency: 'max-p95-latency',
    maxAccuracyDrop: 'max-accuracy-drop',
    expectedSha256: 'expected-sha256',
  },
  outputs: {
    verdict: 'verdict',
    checks: 'checks',
  },
});
