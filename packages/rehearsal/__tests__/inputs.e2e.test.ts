/** Inputs that only AWS can judge: ARNs that do not exist, and a rule that forwards to one target group. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CreateRuleCommand, DescribeTargetGroupsCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
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
});
