import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  AddTagsCommand,
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateRuleCommand,
  CreateTargetGroupCommand,
  DeleteListenerCommand,
  DeleteLoadBalancerCommand,
  DeleteRuleCommand,
  DeleteTargetGroupCommand,
  DeregisterTargetsCommand,
  DescribeTargetGroupAttributesCommand,
  ModifyTargetGroupAttributesCommand,
  ModifyTargetGroupCommand,
  SetRulePrioritiesCommand,
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  DescribeTagsCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ModifyListenerCommand,
  ModifyRuleCommand,
  RegisterTargetsCommand,
  RemoveTagsCommand,
  type ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { startAwsLocal, type AwsLocal } from '../src/index.js';
import { clients, failure } from './support.js';

describe('ELBv2 over the Query protocol', () => {
  let awsLocal: AwsLocal;
  let elbv2: ElasticLoadBalancingV2Client;
  let lbArn: string;
  let blueArn: string;
  let greenArn: string;
  let listenerArn: string;
  let ruleArn: string;

  beforeAll(async () => {
    awsLocal = await startAwsLocal();
    elbv2 = clients(awsLocal).elbv2;
  });
  afterAll(async () => {
    await awsLocal.stop();
  });

  it('creates a load balancer and target groups and describes them by ARN and by name', async () => {
    const lb = await elbv2.send(
      new CreateLoadBalancerCommand({ Name: 'svg-ai', Subnets: ['subnet-1'], Tags: [{ Key: 'team', Value: 'ml' }] }),
    );
    lbArn = lb.LoadBalancers?.[0]?.LoadBalancerArn ?? '';
    expect(lbArn).toMatch(/^arn:aws:elasticloadbalancing:eu-west-1:000000000000:loadbalancer\/app\/svg-ai\/[0-9a-f]{16}$/);
    const blue = await elbv2.send(
      new CreateTargetGroupCommand({
        Name: 'svg-ai-blue',
        Protocol: 'HTTP',
        Port: 8080,
        TargetType: 'ip',
        HealthCheckPath: '/ready',
        HealthCheckIntervalSeconds: 5,
        Matcher: { HttpCode: '200-299' },
      }),
    );
    const green = await elbv2.send(new CreateTargetGroupCommand({ Name: 'svg-ai-green', Protocol: 'HTTP', Port: 8080, TargetType: 'ip' }));
    blueArn = blue.TargetGroups?.[0]?.TargetGroupArn ?? '';
    greenArn = green.TargetGroups?.[0]?.TargetGroupArn ?? '';
    expect(blue.TargetGroups?.[0]).toMatchObject({
      TargetGroupName: 'svg-ai-blue',
      HealthCheckPath: '/ready',
      HealthCheckIntervalSeconds: 5,
      Matcher: { HttpCode: '200-299' },
      Port: 8080,
    });

    const byName = await elbv2.send(new DescribeLoadBalancersCommand({ Names: ['svg-ai'] }));
    expect(byName.LoadBalancers?.[0]).toMatchObject({ LoadBalancerArn: lbArn, Type: 'application', State: { Code: 'active' } });
    const groups = await elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [blueArn, greenArn] }));
    expect(groups.TargetGroups?.map((g) => g.TargetGroupName)).toEqual(['svg-ai-blue', 'svg-ai-green']);
  });

  it('creates a listener with a weighted forward and reads the weights back', async () => {
    const created = await elbv2.send(
      new CreateListenerCommand({
        LoadBalancerArn: lbArn,
        Port: 0,
        Protocol: 'HTTP',
        DefaultActions: [
          {
            Type: 'forward',
            ForwardConfig: {
              TargetGroups: [
                { TargetGroupArn: blueArn, Weight: 100 },
                { TargetGroupArn: greenArn, Weight: 0 },
              ],
            },
          },
        ],
      }),
    );
    listenerArn = created.Listeners?.[0]?.ListenerArn ?? '';
    expect(created.Listeners?.[0]?.Port).toBeGreaterThan(0);
    const listeners = await elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: lbArn }));
    expect(listeners.Listeners?.[0]?.DefaultActions?.[0]?.ForwardConfig?.TargetGroups).toEqual([
      { TargetGroupArn: blueArn, Weight: 100 },
      { TargetGroupArn: greenArn, Weight: 0 },
    ]);
    const groups = await elbv2.send(new DescribeTargetGroupsCommand({ LoadBalancerArn: lbArn }));
    expect(groups.TargetGroups?.[0]?.LoadBalancerArns).toEqual([lbArn]);
  });

  it('keeps and reports the stickiness setting of a forward action', async () => {
    const stickiness = { Enabled: true, DurationSeconds: 300 };
    const forward = {
      Type: 'forward' as const,
      ForwardConfig: { TargetGroups: [{ TargetGroupArn: blueArn, Weight: 1 }], TargetGroupStickinessConfig: stickiness },
    };
    await elbv2.send(new ModifyListenerCommand({ ListenerArn: listenerArn, DefaultActions: [forward] }));
    const described = await elbv2.send(new DescribeListenersCommand({ ListenerArns: [listenerArn] }));
    expect(described.Listeners?.[0]?.DefaultActions?.[0]?.ForwardConfig?.TargetGroupStickinessConfig).toEqual(stickiness);
  });

  it('modifies the listener and a rule with weighted forward configs', async () => {
    const modified = await elbv2.send(
      new ModifyListenerCommand({
        ListenerArn: listenerArn,
        DefaultActions: [
          {
            Type: 'forward',
            ForwardConfig: {
              TargetGroups: [
                { TargetGroupArn: blueArn, Weight: 90 },
                { TargetGroupArn: greenArn, Weight: 10 },
              ],
            },
          },
        ],
      }),
    );
    expect(modified.Listeners?.[0]?.DefaultActions?.[0]?.ForwardConfig?.TargetGroups?.map((g) => g.Weight)).toEqual([90, 10]);
    expect(modified.Listeners?.[0]?.DefaultActions?.[0]?.ForwardConfig?.TargetGroupStickinessConfig).toEqual({ Enabled: false });

    const rule = await elbv2.send(
      new CreateRuleCommand({
        ListenerArn: listenerArn,
        Priority: 10,
        Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/canary/*'] } }],
        Actions: [{ Type: 'forward', TargetGroupArn: greenArn }],
      }),
    );
    ruleArn = rule.Rules?.[0]?.RuleArn ?? '';
    expect(rule.Rules?.[0]).toMatchObject({
      Priority: '10',
      IsDefault: false,
      Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/canary/*'] } }],
    });

    const changed = await elbv2.send(
      new ModifyRuleCommand({
        RuleArn: ruleArn,
        Actions: [
          {
            Type: 'forward',
            ForwardConfig: {
              TargetGroups: [
                { TargetGroupArn: blueArn, Weight: 1 },
                { TargetGroupArn: greenArn, Weight: 999 },
              ],
            },
          },
        ],
      }),
    );
    expect(changed.Rules?.[0]?.Actions?.[0]?.ForwardConfig?.TargetGroups?.map((g) => g.Weight)).toEqual([1, 999]);

    const rules = await elbv2.send(new DescribeRulesCommand({ ListenerArn: listenerArn }));
    expect(rules.Rules?.map((r) => [r.Priority, r.IsDefault])).toEqual([
      ['10', false],
      ['default', true],
    ]);
    // The default rule is the listener's default action, and modifying it changes the listener.
    const defaultRule = rules.Rules?.[1]?.RuleArn ?? '';
    await elbv2.send(
      new ModifyRuleCommand({
        RuleArn: defaultRule,
        Actions: [
          {
            Type: 'forward',
            ForwardConfig: {
              TargetGroups: [
                { TargetGroupArn: blueArn, Weight: 0 },
                { TargetGroupArn: greenArn, Weight: 100 },
              ],
            },
          },
        ],
      }),
    );
    const listener = await elbv2.send(new DescribeListenersCommand({ ListenerArns: [listenerArn] }));
    expect(listener.Listeners?.[0]?.DefaultActions?.[0]?.ForwardConfig?.TargetGroups?.map((g) => g.Weight)).toEqual([0, 100]);
  });

  it('registers, drains and reports targets', async () => {
    await elbv2.send(
      new RegisterTargetsCommand({
        TargetGroupArn: blueArn,
        Targets: [
          { Id: '127.0.0.1', Port: 1 },
          { Id: '127.0.0.1', Port: 2 },
        ],
      }),
    );
    await elbv2.send(new DeregisterTargetsCommand({ TargetGroupArn: blueArn, Targets: [{ Id: '127.0.0.1', Port: 2 }] }));
    const health = await elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: blueArn }));
    const states = Object.fromEntries(health.TargetHealthDescriptions?.map((d) => [d.Target?.Port, d.TargetHealth?.State]) ?? []);
    expect(states[2]).toBe('draining');
    expect(['initial', 'unhealthy']).toContain(states[1]);
    const one = await elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: blueArn, Targets: [{ Id: '10.0.0.9', Port: 80 }] }));
    expect(one.TargetHealthDescriptions?.[0]?.TargetHealth).toMatchObject({ State: 'unused', Reason: 'Target.NotRegistered' });
  });

  it('adds, describes and removes tags on any resource type', async () => {
    await elbv2.send(new AddTagsCommand({ ResourceArns: [listenerArn, ruleArn, blueArn], Tags: [{ Key: 'rollout', Value: 'step-2' }] }));
    await elbv2.send(new RemoveTagsCommand({ ResourceArns: [blueArn], TagKeys: ['rollout'] }));
    const tags = await elbv2.send(new DescribeTagsCommand({ ResourceArns: [lbArn, listenerArn, ruleArn, blueArn] }));
    expect(tags.TagDescriptions?.map((d) => d.Tags)).toEqual([
      [{ Key: 'team', Value: 'ml' }],
      [{ Key: 'rollout', Value: 'step-2' }],
      [{ Key: 'rollout', Value: 'step-2' }],
      [],
    ]);
  });

  describe('errors', () => {
    const forward = (groups: { TargetGroupArn: string; Weight: number }[]) => [
      { Type: 'forward' as const, ForwardConfig: { TargetGroups: groups } },
    ];

    it.each([
      ['a weight above 999', () => forward([{ TargetGroupArn: blueArn, Weight: 1000 }])],
      ['a negative weight', () => forward([{ TargetGroupArn: blueArn, Weight: -1 }])],
      ['six target groups', () => forward(Array.from({ length: 6 }, () => ({ TargetGroupArn: blueArn, Weight: 1 })))],
    ])('rejects %s with ValidationError', async (_name, actions) => {
      const error = await failure(elbv2.send(new ModifyListenerCommand({ ListenerArn: listenerArn, DefaultActions: actions() })));
      expect(error).toMatchObject({ name: 'ValidationError', status: 400 });
    });

    // The SDK names modeled errors by the wire code plus `Exception`, so these prove the codes AWS sends.
    it('names the missing resource type', async () => {
      const region = 'arn:aws:elasticloadbalancing:eu-west-1:000000000000';
      expect(
        await failure(
          elbv2.send(
            new ModifyListenerCommand({
              ListenerArn: `${region}:listener/app/x/0/0`,
              DefaultActions: forward([{ TargetGroupArn: blueArn, Weight: 1 }]),
            }),
          ),
        ),
      ).toMatchObject({ name: 'ListenerNotFoundException' });
      expect(
        await failure(
          elbv2.send(
            new ModifyRuleCommand({
              RuleArn: `${region}:listener-rule/app/x/0/0/0`,
              Actions: forward([{ TargetGroupArn: blueArn, Weight: 1 }]),
            }),
          ),
        ),
      ).toMatchObject({ name: 'RuleNotFoundException' });
      expect(
        await failure(
          elbv2.send(
            new ModifyListenerCommand({
              ListenerArn: listenerArn,
              DefaultActions: forward([{ TargetGroupArn: `${region}:targetgroup/nope/0`, Weight: 1 }]),
            }),
          ),
        ),
      ).toMatchObject({
        name: 'TargetGroupNotFoundException',
      });
      expect(
        await failure(elbv2.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [`${region}:loadbalancer/app/nope/0`] }))),
      ).toMatchObject({ name: 'LoadBalancerNotFoundException' });
      expect(await failure(elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: `${region}:targetgroup/nope/0` })))).toMatchObject({
        name: 'TargetGroupNotFoundException',
      });
    });

    it('rejects a duplicate target group name and a taken rule priority', async () => {
      expect(await failure(elbv2.send(new CreateTargetGroupCommand({ Name: 'svg-ai-blue', Port: 80 })))).toMatchObject({
        name: 'DuplicateTargetGroupNameException',
      });
      const taken = await failure(
        elbv2.send(
          new CreateRuleCommand({
            ListenerArn: listenerArn,
            Priority: 10,
            Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/x'] } }],
            Actions: [{ Type: 'forward', TargetGroupArn: blueArn }],
          }),
        ),
      );
      expect(taken).toMatchObject({ name: 'PriorityInUseException' });
    });
  });

  it('modifies health checks and attributes, reorders and deletes rules, and deletes in dependency order', async () => {
    const modified = await elbv2.send(
      new ModifyTargetGroupCommand({ TargetGroupArn: greenArn, HealthCheckPath: '/live', HealthyThresholdCount: 3 }),
    );
    expect(modified.TargetGroups?.[0]).toMatchObject({ HealthCheckPath: '/live', HealthyThresholdCount: 3 });
    await elbv2.send(
      new ModifyTargetGroupAttributesCommand({
        TargetGroupArn: greenArn,
        Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '5' }],
      }),
    );
    const attributes = await elbv2.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: greenArn }));
    expect(attributes.Attributes).toEqual([{ Key: 'deregistration_delay.timeout_seconds', Value: '5' }]);

    const moved = await elbv2.send(new SetRulePrioritiesCommand({ RulePriorities: [{ RuleArn: ruleArn, Priority: 5 }] }));
    expect(moved.Rules?.[0]?.Priority).toBe('5');
    expect(await failure(elbv2.send(new DeleteTargetGroupCommand({ TargetGroupArn: greenArn })))).toMatchObject({
      name: 'ResourceInUseException',
    });
    await elbv2.send(new DeleteRuleCommand({ RuleArn: ruleArn }));
    await elbv2.send(new DeleteListenerCommand({ ListenerArn: listenerArn }));
    await elbv2.send(new DeleteTargetGroupCommand({ TargetGroupArn: greenArn }));
    await elbv2.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: lbArn }));
    expect((await elbv2.send(new DescribeLoadBalancersCommand({}))).LoadBalancers).toEqual([]);
    expect((await elbv2.send(new DescribeTargetGroupsCommand({}))).TargetGroups?.map((g) => g.TargetGroupName)).toEqual(['svg-ai-blue']);
  });
});
