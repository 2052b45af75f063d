import { describe, expect, it } from '@jest/globals';
import { withRunnerEnv } from '@svg-ai-release/action-kit/testing';
import { readBlueGreenInputs, type BlueGreenInputs } from '../src/inputs.js';
import { VALID_INPUTS } from './fixtures.js';

async function read(overrides: Record<string, string>): Promise<BlueGreenInputs> {
  let result: BlueGreenInputs | undefined;
  await withRunnerEnv({ ...VALID_INPUTS, ...overrides }, async () => {
    result = readBlueGreenInputs();
  });
  return result!;
}

describe('readBlueGreenInputs', () => {
  it('reads a valid set, with the cluster given as an ARN', async () => {
    const inputs = await read({ 'max-p99-latency': '800ms', 'model-version': '2.0.0' });
    expect(inputs.smoke).toEqual({ path: '/ready', requests: 20, expectedStatus: 200, maxLatencyMs: 2000 });
    expect(inputs.target.cluster).toBe('arn:aws:ecs:eu-west-1:123456789012:cluster/svg-ai');
    expect(inputs.maxP99LatencyMs).toBe(800);
    expect(inputs.modelVersion).toBe('2.0.0');
  });

  it.each([
    ['no test listener', { 'test-listener-arn': '' }, /^input 'test-listener-arn': is required but was not given$/],
    [
      'a cluster ARN of the wrong type',
      { cluster: 'arn:aws:ecs:eu-west-1:123456789012:service/svg-ai/x' },
      /^input 'cluster': .* is a ecs service; expected an ARN of ecs cluster/,
    ],
    [
      'a test listener in another region',
      { 'test-listener-arn': VALID_INPUTS['test-listener-arn']!.replace('eu-west-1', 'us-east-1') },
      /^input 'test-listener-arn': .* is in region us-east-1, but 'listener-arn' is in eu-west-1; all resources must be in one region$/,
    ],
    ['an impossible status', { 'smoke-expected-status': '700' }, /^input 'smoke-expected-status': "700" is out of range/],
    ['a service name with spaces', { 'blue-service': 'svg ai' }, /^input 'blue-service': .* is neither an ECS service name/],
    ['a bad endpoint URL', { 'endpoint-url': 'localhost:4566' }, /^input 'endpoint-url': "localhost:4566" must use http or https/],
  ])('refuses %s, naming the input', async (_name, overrides, pattern) => {
    await expect(read(overrides)).rejects.toThrow(pattern);
  });
});
