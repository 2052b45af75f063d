import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  CreateListenerCommand,
  CreateRuleCommand,
  DescribeListenersCommand,
  ModifyListenerCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { AwsLocal } from '@svg-ai-release/aws-local';
import { resolveTopology, type AwsClients } from '../../src/index.js';
import { localClients, startStandIn, topologyRequest } from './support.js';

let local: AwsLocal;
let clients: AwsClients;

beforeAll(async () => {
  local = await startStandIn({ blueCount: 0, greenCount: 0 });
  clients = localClients(local);
});

afterAll(async () => {
  clients?.destroy();
  await local?.stop();
});

/** A listener of its own whose default action serves nothing of blue or green: where rule mode is safe. */
async function createRuleListener(): Promise<string> {
  const { Listeners } = await clients.elbv2.send(
    new CreateListenerCommand({
      LoadBalancerArn: local.resources.loadBalancers['svg-ai'],
      Port: 0,
      Protocol: 'HTTP',
      DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404', ContentType: 'text/plain' } }],
    }),
  );
  return Listeners![0]!.ListenerArn!;
}

async function createRule(
  priority: number,
  groups: { name: string; weight: number }[],
  listenerArn = local.resources.listeners['production'],
): Promise<string> {
  const { Rules } = await clients.elbv2.send(
    new CreateRuleCommand({
      ListenerArn: listenerArn,
      Priority: priority,
      Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: [`/rule-${priority}/*`] } }],
      Actions: [
        {
          Type: 'forward',
          ForwardConfig: {
            TargetGroups: groups.map(({ name, weight }) => ({ TargetGroupArn: local.resources.targetGroups[name], Weight: weight })),
          },
        },
      ],
    }),
  );
  return Rules![0]!.RuleArn!;
}

describe('resolveTopology against the stand-in', () => {
  it('resolves a listener: target groups by service, CloudWatch dimensions, and where the test listener answers', async () => {
    const topology = await resolveTopology(clients, topologyRequest(local, { testListenerArn: local.resources.listeners['test'] }));

    const blueGroup = local.resources.targetGroups['svg-ai-blue']!;
    const greenGroup = local.resources.targetGroups['svg-ai-green']!;
    expect(topology.production).toEqual({
      arn: local.resources.listeners['production'],
      kind: 'listener',
      listenerArn: local.resources.listeners['production'],
      loadBalancerArn: local.resources.loadBalancers['svg-ai'],
    });
    expect(topology.sides.blue).toEqual({
      service: 'svg-ai-blue',
      targetGroupArn: blueGroup,
      targetGroupDimension: blueGroup.slice(blueGroup.indexOf('targetgroup/')),
    });
    expect(topology.sides.green.targetGroupArn).toBe(greenGroup);
    expect(topology.loadBalancerDimension).toMatch(/^app\/svg-ai\/[0-9a-f]+$/);
    expect(topology.test?.url).toBe(local.listenerUrl('test'));
    expect(topology.test?.kind).toBe('listener');
  });

  it('resolves a listener rule with a weighted forward to blue and green, when nothing else forwards to them', async () => {
    const listenerArn = await createRuleListener();
    const ruleArn = await createRule(
      10,
      [
        { name: 'svg-ai-blue', weight: 100 },
        { name: 'svg-ai-green', weight: 0 },
      ],
      listenerArn,
    );
    const production = local.resources.listeners['production']!;
    const { Listeners } = await clients.elbv2.send(new DescribeListenersCommand({ ListenerArns: [production] }));
    // The seeded production listener forwards to blue as well; for this case it answers 404 instead.
    await clients.elbv2.send(
      new ModifyListenerCommand({
        ListenerArn: production,
        DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404', ContentType: 'text/plain' } }],
      }),
    );
    try {
      const topology = await resolveTopology(
        clients,
        topologyRequest(local, { listenerArn: ruleArn, testListenerArn: local.resources.listeners['test'] }),
      );
      expect(topology.production).toEqual({
        arn: ruleArn,
        kind: 'rule',
        listenerArn,
        loadBalancerArn: local.resources.loadBalancers['svg-ai'],
      });
      expect(topology.sides.green.service).toBe('svg-ai-green');
    } finally {
      await clients.elbv2.send(new ModifyListenerCommand({ ListenerArn: production, DefaultActions: Listeners![0]!.DefaultActions }));
    }
  });

  it('refuses rule mode while the listener’s default action forwards to a colour, naming it', async () => {
    const ruleArn = await createRule(11, [
      { name: 'svg-ai-blue', weight: 100 },
      { name: 'svg-ai-green', weight: 0 },
    ]);
    const request = topologyRequest(local, { listenerArn: ruleArn, testListenerArn: local.resources.listeners['test'] });
    const error = await resolveTopology(clients, request).then(
      () => undefined,
      (thrown: unknown) => thrown as { name: string; subject: string; message: string },
    );
    expect(error).toMatchObject({ name: 'TopologyError', subject: 'listener' });
    // Each conflict is named (other cases of this file leave rules of their own behind), then what to do.
    expect(error!.message.split('; ')).toContain(
      `listener ${local.resources.listeners['production']} (its default action) forwards to the blue target group ` +
        `${local.resources.targetGroups['svg-ai-blue']}`,
    );
    expect(error!.message).toMatch(
      /a rollout scales a colour to zero \(the old one after promotion, the new one after a rollback\), which would leave that forwarding to nothing\. Point it elsewhere, or give that listener or rule as 'listener-arn'$/,
    );
  });

  it('refuses rule mode while another rule forwards to a colour, naming that rule', async () => {
    const listenerArn = await createRuleListener();
    const ruleArn = await createRule(
      20,
      [
        { name: 'svg-ai-blue', weight: 100 },
        { name: 'svg-ai-green', weight: 0 },
      ],
      listenerArn,
    );
    const other = await createRule(21, [{ name: 'svg-ai-blue', weight: 1 }], listenerArn);
    await expect(resolveTopology(clients, topologyRequest(local, { listenerArn: ruleArn }))).rejects.toMatchObject({
      name: 'TopologyError',
      subject: 'listener',
      message: expect.stringContaining(`rule ${other} forwards to the blue target group ${local.resources.targetGroups['svg-ai-blue']}`),
    });
  });

  it('refuses the production rule’s own listener as the test listener', async () => {
    const listenerArn = await createRuleListener();
    const ruleArn = await createRule(
      30,
      [
        { name: 'svg-ai-blue', weight: 100 },
        { name: 'svg-ai-green', weight: 0 },
      ],
      listenerArn,
    );
    await expect(
      resolveTopology(clients, topologyRequest(local, { listenerArn: ruleArn, testListenerArn: listenerArn })),
    ).rejects.toMatchObject({
      name: 'TopologyError',
      subject: 'test-listener',
      message:
        `the test listener ${listenerArn} is the listener of the production rule ${ruleArn}: deploying points its default action ` +
        'at the new colour, which would serve every request no rule matches before it is validated; give a separate test listener, or a test rule',
    });
  });

  describe('a test rule with a host-header condition', () => {
    let testRule: string;
    beforeAll(async () => {
      const { Rules } = await clients.elbv2.send(
        new CreateRuleCommand({
          ListenerArn: local.resources.listeners['test'],
          Priority: 40,
          Conditions: [{ Field: 'host-header', HostHeaderConfig: { Values: ['canary.svg-ai.test', '*.next.svg-ai.test'] } }],
          Actions: [{ Type: 'forward', TargetGroupArn: local.resources.targetGroups['svg-ai-green'] }],
        }),
      );
      testRule = Rules![0]!.RuleArn!;
    });

    it('is probed with the host it matches', async () => {
      const topology = await resolveTopology(
        clients,
        topologyRequest(local, { testListenerArn: testRule, testHost: 'a.next.svg-ai.test' }),
      );
      expect(topology.test).toMatchObject({ kind: 'rule', host: 'a.next.svg-ai.test', url: local.listenerUrl('test') });
    });

    it.each([
      [
        'without a test host',
        undefined,
        "answers only for host canary.svg-ai.test, *.next.svg-ai.test; set 'test-host' to one of them, or probes reach another rule",
      ],
      [
        'with a test host it does not match',
        'svg-ai.test',
        "answers only for host canary.svg-ai.test, *.next.svg-ai.test, not for 'test-host' svg-ai.test",
      ],
    ])('is refused %s, before any change', async (_name, testHost, detail) => {
      const request = topologyRequest(local, { testListenerArn: testRule, ...(testHost ? { testHost } : {}) });
      await expect(resolveTopology(clients, request)).rejects.toMatchObject({
        name: 'TopologyError',
        subject: 'test-listener',
        message: `the test rule ${testRule} ${detail}`,
      });
    });
  });

  describe('refuses, naming the subject', () => {
    it('an unknown listener ARN', async () => {
      const unknown = local.resources.listeners['production']!.replace(/[0-9a-f]{16}$/, '0123456789abcdef');
      await expect(resolveTopology(clients, topologyRequest(local, { listenerArn: unknown }))).rejects.toMatchObject({
        name: 'TopologyError',
        subject: 'listener',
        message: expect.stringContaining(`${unknown} was not found`),
      });
    });

    it('an unknown test listener ARN', async () => {
      const unknown = local.resources.listeners['test']!.replace(/[0-9a-f]{16}$/, 'fedcba9876543210');
      await expect(resolveTopology(clients, topologyRequest(local, { testListenerArn: unknown }))).rejects.toMatchObject({
        name: 'TopologyError',
        subject: 'test-listener',
        message: expect.stringContaining(unknown),
      });
    });

    it('a test listener that is the production listener', async () => {
      const production = local.resources.listeners['production']!;
      await expect(resolveTopology(clients, topologyRequest(local, { testListenerArn: production }))).rejects.toMatchObject({
        name: 'TopologyError',
        subject: 'test-listener',
        message: expect.stringContaining(`the test listener ${production} is the production listener`),
      });
    });

    it('a rule forwarding to one target group', async () => {
      const ruleArn = await createRule(20, [{ name: 'svg-ai-blue', weight: 1 }]);
      await expect(resolveTopology(clients, topologyRequest(local, { listenerArn: ruleArn }))).rejects.toMatchObject({
        name: 'TopologyError',
        subject: 'listener',
        message: expect.stringMatching(new RegExp(`^rule ${ruleArn} forwards to 1 target group\\(s\\); .*exactly two`)),
      });
    });

    it('a service attached to neither target group', async () => {
      await expect(resolveTopology(clients, topologyRequest(local, { greenService: 'svg-ai-stray' }))).rejects.toMatchObject({
        name: 'TopologyError',
        subject: 'green-service',
        message: expect.stringMatching(/^ECS service svg-ai-stray is attached to .*targetgroup\/svg-ai-other\/.*, but .* forwards to /),
      });
    });

    it('an unknown service', async () => {
      await expect(resolveTopology(clients, topologyRequest(local, { greenService: 'svg-ai-missing' }))).rejects.toMatchObject({
        name: 'TopologyError',
        subject: 'green-service',
        message: 'ECS service svg-ai-missing is not active in cluster svg-ai (MISSING)',
      });
    });

    it('blue and green on the same target group', async () => {
      await expect(resolveTopology(clients, topologyRequest(local, { greenService: 'svg-ai-twin' }))).rejects.toMatchObject({
        name: 'TopologyError',
        subject: 'green-service',
        message: `blue and green are attached to the same target group ${local.resources.targetGroups['svg-ai-blue']}`,
      });
    });
  });
});
