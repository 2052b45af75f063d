import { actionContract } from '@svg-ai-release/action-kit';

/** Input and output names, declared once; a test checks them against action.yml both ways. */
export const MODEL_VALIDATE = actionContract({
  name: 'model-validate',
  inputs: {
    mode: 'mode',
    report: 'report',
    modelDir: 'model-dir',
    evaluate: 'evaluate',
    evaluateCommand: 'evaluate-command',
    evaluateDirectory: 'evaluate-directory',
    championReport: 'champion-report',
    minAccuracy: 'min-accuracy',
    confidence: 'confidence',
    maxP95Latency: 'max-p95-latency',
    minClassRecall: 'min-class-recall',
    maxModelSize: 'max-model-size',
    maxAccuracyDrop: 'max-accuracy-drop',
    expectedSha256: 'expected-sha256',
    registryBucket: 'registry-bucket',
    modelName: 'model-name',
    modelVersion: 'model-version',
    gitSha: 'git-sha',
    releaseTag: 'release-tag',
    awsRegion: 'aws-region',
    endpointUrl: 'endpoint-url',
  },
  outputs: {
    passed: 'passed',
    verdict: 'verdict',
    checks: 'checks',
    modelVersion: 'model-version',
    manifestUri: 'manifest-uri',
    s3VersionIds: 's3-version-ids',
    sha256: 'sha256',
  },
});
