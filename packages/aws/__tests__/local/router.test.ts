import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { Weights } from '@svg-ai-release/rollout';
import { CreateRuleCommand, DescribeRulesCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { AwsLocal } from '@svg-ai-release/aws-local';
import { ElbTrafficRouter, resolveTopology, type AwsClients, type BlueGreenTopology } from '../../src/index.js';
import { localClients, sendRequests, startStandIn, topologyRequest, waitFor } from './support.js';

let local: AwsLocal;
let clients: AwsClients;
let topology: BlueGreenTopology;
let router: ElbTrafficRouter;
/** The weights as the stand-in seeded them, read before any test wrote any. */
let seeded: Weights;

beforeAll(async () => {
  local = await startStandIn();
  clients = localClients(local);
  topology = await resolveTopology(clients, topologyRequest(local));
  router = new ElbTrafficRouter(clients, topology);
  seeded = await router.readWeights();
  // Both sides must answer before traffic is split between them.
  await waitFor('a healthy target on each side', async () => {
    const groups = local.admin.state().targetGroups.filter((group) => group.name === 'svg-ai-blue' || group.name === 'svg-ai-green');
    return groups.every((group) => group.targets.some((target) => target.state === 'healthy'));
  });
});

afterAll(async () => {
  clients?.destroy();
  await local?.stop();
});

// Every test starts from 100/0 on the production listener, whichever ran before it.
beforeEach(async () => {
  await router.setWeights({ blue: 100, green: 0 });
});

describe('ElbTrafficRouter on the production listener', () => {
  it('reads the seeded 100/0', () => {
    expect(seeded).toEqual({ blue: 100, green: 0 });
  });

  it('writes 90/10 and reads it back', async () => {
    await router.setWeights({ blue: 90, green: 10 });
    await expect(router.readWeights()).resolves.toEqual({ blue: 90, green: 10 });
  });

  it('leaves the listener rules alone', async () => {
    const listenerArn = topology.production.arn;
    await clients.elbv2.send(
      new CreateRuleCommand({
        ListenerArn: listenerArn,
        Priority: 5,
        Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/maintenance'] } }],
        Actions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '503', ContentType: 'text/plain', MessageBody: 'down' } }],
      }),
    );
    const before = await clients.elbv2.send(new DescribeRulesCommand({ ListenerArn: listenerArn }));

    await router.setWeights({ blue: 50, green: 50 });

    const after = await clients.elbv2.send(new DescribeRulesCommand({ ListenerArn: listenerArn }));
    expect(after.Rules?.filter((rule) => !rule.IsDefault)).toEqual(before.Rules?.filter((rule) => !rule.IsDefault));
    const maintenance = await fetch(new URL('/maintenance', local.listenerUrl('production')));
    expect({ status: maintenance.status, body: await maintenance.text() }).toEqual({ status: 503, body: 'down' });
  });

  it('splits real traffic roughly as set', async () => {
    await router.setWeights({ blue: 70, green: 30 });
    const requests = 400;

    const answers = await sendRequests(local.listenerUrl('production'), requests);

    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    const greenShare = answers.filter((answer) => answer.side === 'green').length / requests;
    // 400 draws at 30%: one standard deviation is 2.3 points, so ±10 points fails about once in 100 000 runs.
    expect(greenShare).toBeGreaterThan(0.2);
    expect(greenShare).toBeLessThan(0.4);
  });
});

describe('ElbTrafficRouter on a listener rule', () => {
  const stickiness = { Enabled: true, DurationSeconds: 600 };
  let ruleArn: string;
  let ruleRouter: ElbTrafficRouter;

  beforeAll(async () => {
    const { Rules } = await clients.elbv2.send(
      new CreateRuleCommand({
        ListenerArn: topology.production.listenerArn,
        Priority: 10,
        Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/api/*'] } }],
        Actions: [
          {
            Type: 'forward',
            Order: 1,
            ForwardConfig: {
              TargetGroups: [
                { TargetGroupArn: topology.sides.blue.targetGroupArn, Weight: 100 },
                { TargetGroupArn: topology.sides.green.targetGroupArn, Weight: 0 },
              ],
              TargetGroupStickinessConfig: stickiness,
            },
          },
        ],
      }),
    );
    ruleArn = Rules![0]!.RuleArn!;
    // resolveTopology refuses this rule (the listener's default action forwards to the same colours); the
    // router itself is what is tested here, on the rule.
    ruleRouter = new ElbTrafficRouter(clients, {
      ...topology,
      production: { ...topology.production, arn: ruleArn, kind: 'rule' },
    });
  });

  beforeEach(async () => {
    await ruleRouter.setWeights({ blue: 100, green: 0 });
  });

  it('reads 100/0, writes 90/10 and reads it back', async () => {
    await expect(ruleRouter.readWeights()).resolves.toEqual({ blue: 100, green: 0 });
    await ruleRouter.setWeights({ blue: 90, green: 10 });
    await expect(ruleRouter.readWeights()).resolves.toEqual({ blue: 90, green: 10 });
  });

  it('keeps the conditions, the action order and the stickiness setting', async () => {
    await ruleRouter.setWeights({ blue: 25, green: 75 });

    const { Rules } = await clients.elbv2.send(new DescribeRulesCommand({ RuleArns: [ruleArn] }));
    const rule = Rules![0]!;
    expect(rule.Conditions?.[0]?.PathPatternConfig?.Values).toEqual(['/api/*']);
    expect(rule.Actions).toHaveLength(1);
    expect(rule.Actions?.[0]).toMatchObject({
      Type: 'forward',
      Order: 1,
      ForwardConfig: {
        TargetGroups: [
          { TargetGroupArn: topology.sides.blue.targetGroupArn, Weight: 25 },
          { TargetGroupArn: topology.sides.green.targetGroupArn, Weight: 75 },
        ],
        TargetGroupStickinessConfig: stickiness,
      },
    });
  });
});

describe('throttling', () => {
  it('is ridden out by the clients’ adaptive retries', async () => {
    local.admin.injectFaults({ throttle: [{ service: 'elasticloadbalancing', operation: 'ModifyListener', count: 3 }] });

    await router.setWeights({ blue: 60, green: 40 });

    expect(local.admin.faults().throttle).toEqual([]);
    await expect(router.readWeights()).resolves.toEqual({ blue: 60, green: 40 });
  });

  it('that outlasts the attempts surfaces as a retryable AwsCallError', async () => {
    const once = localClients(local, { maxAttempts: 1 });
    try {
      local.admin.injectFaults({ throttle: [{ service: 'elasticloadbalancing', operation: 'ModifyListener', count: 1 }] });

      await expect(new ElbTrafficRouter(once, topology).setWeights({ blue: 0, green: 100 })).rejects.toMatchObject({
        name: 'AwsCallError',
        code: 'Throttling',
        retryable: true,
        message: expect.stringContaining(`ModifyListener ${topology.production.arn}: Throttling:`),
      });
      await expect(router.readWeights()).resolves.toEqual({ blue: 100, green: 0 });
    } finally {
      local.admin.clearFaults();
      once.destroy();
    }
  });
});
