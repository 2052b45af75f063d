// Each setting from its context text to what it means, at the edges of every threshold; a bad value is an
// error naming the key, the value and what is allowed.
import { describe, expect, test } from '@jest/globals';
import { EXAMPLES } from '../src/examples.js';
import { readSettings, SettingsError, type Context } from '../src/settings.js';

const read = (extra: Context) => readSettings({ ...EXAMPLES.minimal, ...extra });

describe('defaults', () => {
  test('the issue’s defaults when nothing optional is set', () => {
    const s = read({});
    expect({
      cpu: s.cpu,
      memory: s.memoryMiB,
      min: s.minTasks,
      max: s.maxTasks,
      rate: s.wafRateLimit,
      window: s.wafEvaluationWindowSeconds,
      path: s.healthCheck.path,
      nat: s.natGateways,
      edge: s.edge,
      waf: s.waf,
      zones: s.availabilityZones,
      deploy: s.deployWorkflowRefs,
    }).toEqual({
      cpu: 1024,
      memory: 2048,
      min: 2,
      max: 10,
      rate: 1000,
      window: 60,
      path: '/ready',
      nat: 'one',
      edge: false,
      waf: true,
      zones: ['eu-west-1a', 'eu-west-1b'],
      deploy: ['example-org/svg-ai-release/.github/workflows/deploy.yml@refs/tags/v1'],
    });
  });

  test('values from -c arrive as text and mean the same as from cdk.json', () => {
    const s = read({
      minTasks: '3',
      edge: 'true',
      domainName: 'a.example.com',
      hostedZoneId: 'Z1',
      hostedZoneName: 'example.com',
      testListenerCidrs: '10.0.0.0/8, 192.0.2.1/32',
      serviceSecrets: '{"K":"name"}',
    });
    expect([s.minTasks, s.edge, s.testListenerCidrs, s.serviceSecrets]).toEqual([3, true, ['10.0.0.0/8', '192.0.2.1/32'], { K: 'name' }]);
  });
});

describe('thresholds', () => {
  test.each([
    ['minTasks', 1, 1],
    ['minTasks', 100, 100],
    ['healthyThreshold', 2, 2],
    ['healthyThreshold', 10, 10],
    ['deregistrationDelaySeconds', 0, 0],
    ['deregistrationDelaySeconds', 3600, 3600],
    ['wafRateLimit', 10, 10],
    ['healthCheckIntervalSeconds', 300, 300],
  ])('%s accepts %p', (key, value, expected) => {
    const s = read({ [key]: value, maxTasks: 100 });
    const read_ = {
      minTasks: s.minTasks,
      healthyThreshold: s.healthCheck.healthyThreshold,
      deregistrationDelaySeconds: s.deregistrationDelaySeconds,
      wafRateLimit: s.wafRateLimit,
      healthCheckIntervalSeconds: s.healthCheck.intervalSeconds,
    } as Record<string, number>;
    expect(read_[key]).toBe(expected);
  });

  test.each([
    ['minTasks', 0, /context 'minTasks' is 0; allowed: an integer from 1 to 100/],
    ['minTasks', '2.5', /'minTasks' is "2.5"; allowed: an integer/],
    ['healthyThreshold', 1, /'healthyThreshold' is 1; allowed: an integer from 2 to 10/],
    ['healthyThreshold', 11, /from 2 to 10/],
    ['deregistrationDelaySeconds', 3601, /from 0 to 3600/],
    ['wafRateLimit', 9, /'wafRateLimit' is 9; allowed: an integer from 10/],
    ['wafEvaluationWindowSeconds', 90, /'wafEvaluationWindowSeconds' is 90; allowed: 60, 120, 300, 600/],
    ['healthCheckIntervalSeconds', 4, /from 5 to 300/],
    ['cpu', 1000, /'cpu' is 1000; allowed: 256, 512, 1024/],
    ['memoryMiB', 1024, /'memoryMiB' is 1024; with cpu 1024 Fargate accepts 2048, 3072/],
    ['logRetentionDays', 31, /'logRetentionDays' is 31; allowed: 1, 3, 5/],
    ['natGateways', 'two', /'natGateways' is "two"; allowed: one, per-az/],
    ['edge', 'yes', /'edge' is "yes"; allowed: true or false/],
    ['testListenerPort', 443, /'testListenerPort' is 443; allowed: any port but 80 and 443/],
    ['testListenerCidrs', ['10.0.0.0/33'], /every item must be an IPv4 CIDR.*"10.0.0.0\/33" is not/],
    ['githubRepository', 'svg-ai', /'githubRepository' is "svg-ai"; allowed: owner\/name/],
    [
      'deployWorkflowRefs',
      ['org/repo/.github/workflows/deploy.yml'],
      /'deployWorkflowRefs'.*owner\/repo\/.github\/workflows\/<file>.yml@refs/,
    ],
    ['replicationRegion', 'eu-west-1', /'replicationRegion' is "eu-west-1"; it must differ from region eu-west-1/],
    ['availabilityZones', ['eu-west-1a'], /exactly two different availability zones/],
    ['availabilityZones', ['eu-west-1a', 'eu-central-1b'], /every zone must be in region eu-west-1/],
    ['serviceSecrets', { lower: 'x' }, /'serviceSecrets'.*ENV_NAME → secret name.*"lower"/],
  ])('%s = %p is refused', (key, value, message) => {
    expect(() => read({ [key]: value })).toThrow(SettingsError);
    expect(() => read({ [key]: value })).toThrow(message);
  });

  test('the health-check timeout must stay under the interval, as the ALB requires', () => {
    expect(read({ healthCheckIntervalSeconds: 6, healthCheckTimeoutSeconds: 5 }).healthCheck.timeoutSeconds).toBe(5);
    expect(() => read({ healthCheckIntervalSeconds: 5, healthCheckTimeoutSeconds: 5 })).toThrow(
      /'healthCheckTimeoutSeconds' is 5; it must be less than healthCheckIntervalSeconds \(5\)/,
    );
  });

  test('maxTasks may equal minTasks but not fall below it', () => {
    expect(read({ minTasks: 4, maxTasks: 4 }).maxTasks).toBe(4);
    expect(() => read({ minTasks: 4, maxTasks: 3 })).toThrow(/'maxTasks' is 3; it must be at least minTasks \(4\)/);
  });

  test('a domain needs its hosted zone, and must lie inside it', () => {
    expect(() => read({ domainName: 'svg-ai.example.com' })).toThrow(/with domainName set, hostedZoneId and hostedZoneName are required/);
    expect(() => read({ domainName: 'svg-ai.example.org', hostedZoneId: 'Z1', hostedZoneName: 'example.com' })).toThrow(
      /must lie inside hostedZoneName example.com/,
    );
  });

  test('a required setting says how to give it', () => {
    expect(() => readSettings({ account: '123456789012', region: 'eu-west-1' })).toThrow(
      /'githubRepository' is undefined; it is required: .*pass -c githubRepository=/,
    );
  });
});
