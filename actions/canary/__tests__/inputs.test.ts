import { describe, expect, it } from '@jest/globals';
import { withRunnerEnv } from '@svg-ai-release/action-kit/testing';
import { readCanaryInputs, type CanaryInputs } from '../src/inputs.js';
import { LISTENER, TEST_LISTENER, VALID_INPUTS } from './fixtures.js';

async function read(overrides: Record<string, string>): Promise<CanaryInputs> {
  let result: CanaryInputs | undefined;
  await withRunnerEnv({ ...VALID_INPUTS, ...overrides }, async () => {
    result = readCanaryInputs();
  });
  return result!;
}

async function refusal(overrides: Record<string, string>): Promise<string> {
  try {
    await read(overrides);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`inputs ${JSON.stringify(overrides)} were accepted`);
}

describe('readCanaryInputs', () => {
  it('reads a complete, valid set into typed values', async () => {
    const inputs = await read({ environment: 'MODEL_VERSION=1.4.0', alarms: 'svg-ai-5xx\nsvg-ai-latency' });
    expect(inputs).toMatchObject({
      steps: [10, 25, 50, 100],
      bakeTimeMs: 300_000,
      analysisIntervalMs: 60_000,
      minRequests: 50,
      mode: 'deploy',
      alarms: ['svg-ai-5xx', 'svg-ai-latency'],
      maxP95LatencyMs: undefined,
    });
    expect(inputs.target.region).toBe('eu-west-1');
    expect(inputs.target.listener.resourceType).toBe('listener');
    expect(Object.fromEntries(inputs.target.environment)).toEqual({ MODEL_VERSION: '1.4.0' });
  });

  it('needs no image to resume, promote or abort: the rollout recorded it', async () => {
    for (const mode of ['resume', 'promote', 'abort']) expect((await read({ image: '', mode })).target.image).toBeUndefined();
  });

  it('accepts a listener rule instead of a listener', async () => {
    const rule = LISTENER.replace(':listener/', ':listener-rule/') + '/9683b2d02a6cabee';
    expect((await read({ 'listener-arn': rule })).target.listener.resourceType).toBe('listener-rule');
  });

  it('accepts probes when a test listener is given', async () => {
    const inputs = await read({ 'test-listener-arn': TEST_LISTENER, 'probe-path': '/ready', 'model-version': '1.4.0' });
    expect(inputs.probePath).toBe('/ready');
    expect(inputs.modelVersion).toBe('1.4.0');
  });

  it.each([
    ['a missing listener', { 'listener-arn': '' }, /^input 'listener-arn': is required but was not given$/],
    ['steps that do not increase', { steps: '10,5,100' }, /^input 'steps': .*must increase strictly; 5 follows 10/],
    ['a step above 100', { steps: '50,110' }, /^input 'steps': 110 .*out of range/],
    [
      'a listener of another service',
      { 'listener-arn': 'arn:aws:ecs:eu-west-1:123456789012:service/svg-ai/blue' },
      /^input 'listener-arn': .* is an ARN of ecs/,
    ],
    [
      'a target group instead of a listener',
      { 'listener-arn': LISTENER.replace(':listener/', ':targetgroup/') },
      /^input 'listener-arn': .*targetgroup/,
    ],
    [
      'a region that disagrees with the ARN',
      { 'aws-region': 'us-east-1' },
      /^input 'listener-arn': .* is in region eu-west-1, but the action works in us-east-1/,
    ],
    ['an image by tag', { image: 'svg-ai:latest' }, /^input 'image': .* is not an image pinned by digest/],
    ['the same service twice', { 'green-service': 'svg-ai-blue' }, /^input 'green-service': names the same service/],
    ['a bake time without unit', { 'bake-time': '300' }, /^input 'bake-time': "300" is not a duration/],
    [
      'an analysis interval longer than the bake',
      { 'bake-time': '1m', 'analysis-interval': '2m' },
      /^input 'analysis-interval': is longer than 'bake-time'/,
    ],
    ['an unknown mode', { mode: 'rollback' }, /^input 'mode': "rollback" is not one of: deploy, resume, abort, promote$/],
    ['an error rate above 1', { 'max-error-rate': '5' }, /^input 'max-error-rate': "5" is out of range \(allowed: 0 to 1\)/],
    ['a tolerance below 1', { 'latency-tolerance': '0.9' }, /^input 'latency-tolerance': .*out of range/],
    ['zero minimum requests', { 'min-requests': '0' }, /^input 'min-requests': "0" is out of range/],
    ['a probe without a test listener', { 'probe-path': '/ready' }, /^input 'probe-path': needs 'test-listener-arn'/],
    [
      'a probe path without slash',
      { 'test-listener-arn': TEST_LISTENER, 'probe-path': 'ready' },
      /^input 'probe-path': "ready" is not a request path/,
    ],
    [
      'the production listener as test listener',
      { 'test-listener-arn': LISTENER },
      /^input 'test-listener-arn': is the production listener itself/,
    ],
    ['a model version with spaces', { 'model-version': '1.4 beta' }, /^input 'model-version': "1.4 beta" is not a model version/],
    [
      'a metric period longer than the analysis interval',
      { 'metric-period': '2m' },
      /^input 'metric-period': is longer than 'analysis-interval'/,
    ],
    ['metric checks that are not JSON', { 'metric-checks': '[{' }, /^input 'metric-checks': is not valid JSON/],
    [
      'an ECS cluster ARN in another region',
      { cluster: 'arn:aws:ecs:us-east-1:123456789012:cluster/svg-ai' },
      /^input 'cluster': .* is in region us-east-1, but 'listener-arn' is in eu-west-1; all resources must be in one region$/,
    ],
    [
      'an ECS service ARN in another region than aws-region',
      {
        'aws-region': 'eu-west-1',
        'blue-service': 'arn:aws:ecs:eu-central-1:123456789012:service/svg-ai/svg-ai-blue',
      },
      /^input 'blue-service': .* is in region eu-central-1, but 'aws-region' is eu-west-1; all resources must be in one region$/,
    ],
    ['no image with mode deploy', { image: '' }, /^input 'image': is required with mode deploy/],
    ['a test host without a test listener', { 'test-host': 'canary.example.com' }, /^input 'test-host': needs 'test-listener-arn'/],
    [
      'a test host with a scheme',
      { 'test-listener-arn': TEST_LISTENER, 'test-host': 'https://canary.example.com' },
      /^input 'test-host': .* is not a host name/,
    ],
    [
      'an error-rate tolerance written as a fraction',
      { 'error-rate-tolerance': '0.5' },
      /^input 'error-rate-tolerance': "0.5" is out of range \(allowed: 1 to 100\)/,
    ],
    ['a time budget under a minute', { 'time-budget': '30s' }, /^input 'time-budget': "30s" is shorter than the minimum 1m/],
  ])('refuses %s, naming the input', async (_name, overrides, pattern) => {
    expect(await refusal(overrides)).toMatch(pattern);
  });
});
