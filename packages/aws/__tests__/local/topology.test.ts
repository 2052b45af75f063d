import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CreateRuleCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
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

async function createRule(priority: number, groups: { name: string; weight: number }[]): Promise<string> {
  const { Rules } = await clients.elbv2.send(
    new CreateRuleCommand({
      ListenerArn: local.resources.listeners['production'],
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

  it('resolves a listener rule with a weighted forward to blue and green', async () => {
    const ruleArn = await createRule(10, [
      { name: 'svg-ai-blue', weight: 100 },
      { name: 'svg-ai-green', weight: 0 },
    ]);

    const topology = await resolveTopology(clients, topologyRequest(local, { listenerArn: ruleArn }));

    expect(topology.production).toEqual({
      arn: ruleArn,
      kind: 'rule',
      listenerArn: local.resources.listeners['production'],
      loadBalancerArn: local.resources.loadBalancers['svg-ai'],
    });
    expect(topology.sides.green.service).toBe('svg-ai-green');
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
