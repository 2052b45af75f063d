/** Inputs that only AWS can judge: ARNs that do not exist, and a rule that forwards to one target group. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  AddTagsCommand,
  CreateRuleCommand,
  DescribeTagsCommand,
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
  RemoveTagsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { AWS_CREDENTIALS, release, startWorld, type World } from '../src/index.js';

let world: World;
beforeAll(async () => {
  world = await startWorld({ app: 'release-app', fast: true });
});
afterAll(async () => world?.stop());

describe('canary inputs judged against AWS', () => {
  it('names the listener input when the listener does not exist', async () => {
    const missing = world.arns.productionListener.replace(/[0-9a-f]{16}$/, '0123456789abcdef');
    const result = await release(world, { strategy: 'canary', image: await world.pushImage('x1'), inputs: { 'listener-arn': missing } });
    expect(result.main.exitCode).toBe(1);
    expect(result.main.stdout).toMatch(/::error::canary: input 'listener-arn': .*was not found/);
    expect(result.record).toBeUndefined();
  });

  it('names the listener input when a rule forwards to only one target group', async () => {
    const elbv2 = new ElasticLoadBalancingV2Client({
      endpoint: world.local.endpoint,
      region: world.local.region,
      credentials: AWS_CREDENTIALS,
    });
    const { TargetGroups } = await elbv2.send(new DescribeTargetGroupsCommand({ Names: ['svg-ai-blue'] }));
    const { Rules } = await elbv2.send(
      new CreateRuleCommand({
        ListenerArn: world.arns.productionListener,
        Priority: 10,
        Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/beta/*'] } }],
        Actions: [{ Type: 'forward', TargetGroupArn: TargetGroups?.[0]?.TargetGroupArn }],
      }),
    );
    elbv2.destroy();
    const result = await release(world, {
      strategy: 'canary',
      image: await world.pushImage('x2'),
      inputs: { 'listener-arn': Rules![0]!.RuleArn! },
    });
    expect(result.main.exitCode).toBe(1);
    expect(result.main.stdout).toMatch(/::error::canary: input 'listener-arn': rule .* forwards to 1 target group\(s\)/);
  });

  it('names the service input when a service does not exist', async () => {
    const result = await release(world, {
      strategy: 'canary',
      image: await world.pushImage('x3'),
      inputs: { 'green-service': 'svg-ai-purple' },
    });
    expect(result.main.exitCode).toBe(1);
    expect(result.main.stdout).toMatch(/::error::canary: input 'green-service': ECS service svg-ai-purple is not active/);
  });

  it('names the cluster input when the cluster does not exist, before anything changed', async () => {
    const result = await release(world, { strategy: 'canary', image: await world.pushImage('x4'), inputs: { cluster: 'svg-ai-nope' } });
    expect(result.main.exitCode).toBe(1);
    const errors = result.main.stdout.split('\n').filter((line) => line.startsWith('::error::'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /^::error::canary: input 'cluster': ECS cluster svg-ai-nope was not found: check the name and the region \(.+\)$/,
    );
    expect(result.record).toBeUndefined();
    expect(await world.productionWeights()).toEqual({ blue: 100, green: 0 });
  });
});

describe('the rollout lock judged against AWS limits', () => {
  it('says how many tags the lock needs and how many the listener has when they exceed 50, and changes nothing', async () => {
    const elbv2 = new ElasticLoadBalancingV2Client({
      endpoint: world.local.endpoint,
      region: world.local.region,
      credentials: AWS_CREDENTIALS,
    });
    const listener = world.arns.productionListener;
    const { TagDescriptions } = await elbv2.send(new DescribeTagsCommand({ ResourceArns: [listener] }));
    const keys = Array.from({ length: 45 }, (_, i) => `team-${i}`);
    const others = (TagDescriptions?.[0]?.Tags ?? []).length + keys.length;
    await elbv2.send(new AddTagsCommand({ ResourceArns: [listener], Tags: keys.map((Key) => ({ Key, Value: 'x' })) }));
    try {
      const result = await release(world, { strategy: 'canary', image: await world.pushImage('x5') });
      expect(result.main.exitCode).toBe(1);
      const errors = result.main.stdout.split('\n').filter((line) => line.startsWith('::error::'));
      expect(errors).toHaveLength(1);
      const escaped = listener.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      const match = new RegExp(
        `^::error::canary: refused: could not take the rollout lock: the rollout lock needs (\\d+) tags on ${escaped}, which already has ${others} other tags; AWS allows 50 per resource: ` +
          'remove (\\d+) of its other tags, or give shorter inputs \\(environment, metric-checks, alarms\\) so that the record needs fewer tags',
      ).exec(errors[0]!);
      expect(match).not.toBeNull();
      const [needed, remove] = [Number(match![1]), Number(match![2])];
      expect(needed + others - 50).toBe(remove);
      expect(remove).toBeGreaterThan(0);
      expect(errors[0]).not.toContain('could not read the current state');
      // Nothing was written: no lock tag, the weights as they were, and no rollback from the post step.
      expect(await world.productionWeights()).toEqual({ blue: 100, green: 0 });
      expect(result.post?.stdout ?? '').not.toMatch(/rolling back|::error::|::warning::/);
    } finally {
      await elbv2.send(new RemoveTagsCommand({ ResourceArns: [listener], TagKeys: keys }));
      elbv2.destroy();
    }
  });
});
