/** Inputs that only AWS can judge: ARNs that do not exist, and a rule that forwards to one target group. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  AddTagsCommand,
  CreateRuleCommand,
  DeleteRuleCommand,
  DescribeListenersCommand,
  DescribeTagsCommand,
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
  ModifyListenerCommand,
  RemoveTagsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { AWS_CREDENTIALS, release, startWorld, type World } from '../src/index.js';

let world: World;
let elbv2: ElasticLoadBalancingV2Client;
beforeAll(async () => {
  world = await startWorld({ app: 'release-app', fast: true });
  elbv2 = new ElasticLoadBalancingV2Client({ endpoint: world.local.endpoint, region: world.local.region, credentials: AWS_CREDENTIALS });
});
afterAll(async () => {
  elbv2?.destroy();
  await world?.stop();
});

/** The error annotations a run printed: a failure is reported once. */
const errorLines = (stdout: string) => stdout.split('\n').filter((line) => line.startsWith('::error::'));

describe('canary inputs judged against AWS', () => {
  it('names the listener input when the listener does not exist', async () => {
    const missing = world.arns.productionListener.replace(/[0-9a-f]{16}$/, '0123456789abcdef');
    const result = await release(world, { strategy: 'canary', image: await world.pushImage('x1'), inputs: { 'listener-arn': missing } });
    expect(result.main.exitCode).toBe(1);
    expect(result.main.stdout).toMatch(/::error::canary: input 'listener-arn': .*was not found/);
    expect(result.record).toBeUndefined();
  });

  it('names the listener input when a rule forwards to only one target group', async () => {
    const { TargetGroups } = await elbv2.send(new DescribeTargetGroupsCommand({ Names: ['svg-ai-blue'] }));
    const { Rules } = await elbv2.send(
      new CreateRuleCommand({
        ListenerArn: world.arns.productionListener,
        Priority: 10,
        Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/beta/*'] } }],
        Actions: [{ Type: 'forward', TargetGroupArn: TargetGroups?.[0]?.TargetGroupArn }],
      }),
    );
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
    const errors = errorLines(result.main.stdout);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /^::error::canary: input 'cluster': ECS cluster svg-ai-nope was not found: check the name and the region \(.+\)$/,
    );
    expect(result.record).toBeUndefined();
    expect(await world.productionWeights()).toEqual({ blue: 100, green: 0 });
  });
});

describe('rule mode judged against every listener and rule, before any write', () => {
  async function weightedRule(priority: number): Promise<string> {
    const { TargetGroups } = await elbv2.send(new DescribeTargetGroupsCommand({ Names: ['svg-ai-blue', 'svg-ai-green'] }));
    const arn = (name: string) => TargetGroups!.find((group) => group.TargetGroupName === name)!.TargetGroupArn!;
    const { Rules } = await elbv2.send(
      new CreateRuleCommand({
        ListenerArn: world.arns.productionListener,
        Priority: priority,
        Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: [`/rule-${priority}/*`] } }],
        Actions: [
          {
            Type: 'forward',
            ForwardConfig: {
              TargetGroups: [
                { TargetGroupArn: arn('svg-ai-blue'), Weight: 100 },
                { TargetGroupArn: arn('svg-ai-green'), Weight: 0 },
              ],
            },
          },
        ],
      }),
    );
    return Rules![0]!.RuleArn!;
  }

  it("refuses a production rule while its listener's default action forwards to a colour, naming that listener", async () => {
    const ruleArn = await weightedRule(40);
    try {
      const result = await release(world, { strategy: 'canary', image: await world.pushImage('r1'), inputs: { 'listener-arn': ruleArn } });
      expect(result.main.exitCode).toBe(1);
      const errors = errorLines(result.main.stdout);
      expect(errors).toHaveLength(1);
      expect(errors[0]!.startsWith("::error::canary: input 'listener-arn': ")).toBe(true);
      expect(errors[0]).toContain(
        `listener ${world.arns.productionListener} (its default action) forwards to the blue target group ` +
          `${(await elbv2.send(new DescribeTargetGroupsCommand({ Names: ['svg-ai-blue'] }))).TargetGroups![0]!.TargetGroupArn}`,
      );
      expect(errors[0]).toMatch(/Point it elsewhere, or give that listener or rule as 'listener-arn'$/);
      expect(result.record).toBeUndefined();
      expect(await world.productionWeights()).toEqual({ blue: 100, green: 0 });
    } finally {
      await elbv2.send(new DeleteRuleCommand({ RuleArn: ruleArn }));
    }
  });

  it("refuses the production rule's own listener as the test listener, naming 'test-listener-arn'", async () => {
    const listener = world.arns.productionListener;
    const { Listeners } = await elbv2.send(new DescribeListenersCommand({ ListenerArns: [listener] }));
    // The listener's own default action answers 404, so the rule is the only thing that forwards to a colour.
    await elbv2.send(
      new ModifyListenerCommand({
        ListenerArn: listener,
        DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404', ContentType: 'text/plain' } }],
      }),
    );
    const ruleArn = await weightedRule(41);
    try {
      const result = await release(world, {
        strategy: 'canary',
        image: await world.pushImage('r2'),
        inputs: { 'listener-arn': ruleArn, 'test-listener-arn': listener },
      });
      expect(result.main.exitCode).toBe(1);
      expect(errorLines(result.main.stdout)).toEqual([
        `::error::canary: input 'test-listener-arn': the test listener ${listener} is the listener of the production rule ${ruleArn}: ` +
          'deploying points its default action at the new colour, which would serve every request no rule matches before it is ' +
          'validated; give a separate test listener, or a test rule',
      ]);
      expect(result.record).toBeUndefined();
      const { Listeners: after } = await elbv2.send(new DescribeListenersCommand({ ListenerArns: [listener] }));
      // Nothing was pointed at the new colour: the default action is still the 404 set above.
      expect(after![0]!.DefaultActions).toHaveLength(1);
      expect(after![0]!.DefaultActions![0]).toMatchObject({
        Type: 'fixed-response',
        FixedResponseConfig: { StatusCode: '404', ContentType: 'text/plain' },
      });
    } finally {
      await elbv2.send(new DeleteRuleCommand({ RuleArn: ruleArn }));
      await elbv2.send(new ModifyListenerCommand({ ListenerArn: listener, DefaultActions: Listeners![0]!.DefaultActions }));
    }
  });
});

describe('the rollout lock judged against AWS limits', () => {
  it('says how many tags the lock needs and how many the listener has when they exceed 50, and changes nothing', async () => {
    const listener = world.arns.productionListener;
    const { TagDescriptions } = await elbv2.send(new DescribeTagsCommand({ ResourceArns: [listener] }));
    const keys = Array.from({ length: 45 }, (_, i) => `team-${i}`);
    const others = (TagDescriptions?.[0]?.Tags ?? []).length + keys.length;
    await elbv2.send(new AddTagsCommand({ ResourceArns: [listener], Tags: keys.map((Key) => ({ Key, Value: 'x' })) }));
    try {
      const result = await release(world, { strategy: 'canary', image: await world.pushImage('x5') });
      expect(result.main.exitCode).toBe(1);
      const errors = errorLines(result.main.stdout);
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
    }
  });
});
