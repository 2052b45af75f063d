/**
 * Resolving what a blue/green rollout drives from the few names a user gives: the production
 * listener (or rule) and the two target groups its forward action weighs, which ECS service stands
 * behind which target group, the names CloudWatch uses for them, and where the test listener answers.
 * Every mismatch is a TopologyError that names the resource and says what was found and expected.
 */
import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  type Action,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import type { Colour } from '@svg-ai-release/rollout';
import { ecsName, isRuleArn, listenerOfRule, loadBalancerDimension, targetGroupDimension } from './arns.js';
import type { AwsClients } from './clients.js';
import { AwsCallError, awsCall, TopologyError } from './errors.js';

export interface TopologyRequest {
  readonly listenerArn: string;
  readonly testListenerArn?: string;
  /** The host name the test listener (rule) answers for; probes send it as Host header and TLS server name. */
  readonly testHost?: string;
  readonly cluster: string;
  readonly blueService: string;
  readonly greenService: string;
}

export interface TrafficTarget {
  /** The listener or rule ARN as given. */
  readonly arn: string;
  readonly kind: 'listener' | 'rule';
  readonly listenerArn: string;
  readonly loadBalancerArn: string;
}

export interface ColourSide {
  readonly service: string;
  readonly targetGroupArn: string;
  /** `targetgroup/<name>/<id>`, the CloudWatch dimension. */
  readonly targetGroupDimension: string;
}

export interface BlueGreenTopology {
  readonly production: TrafficTarget;
  /** `app/<name>/<id>`, the CloudWatch dimension. */
  readonly loadBalancerDimension: string;
  readonly cluster: string;
  readonly sides: Readonly<Record<Colour, ColourSide>>;
  readonly test?: TrafficTarget & { readonly url: string; readonly host?: string };
}

/** The forward action's target groups with their weights, from a listener's default actions or a rule's actions. */
export function forwardTargets(actions: readonly Action[] | undefined): { arn: string; weight: number }[] {
  const forward = (actions ?? []).find((action) => action.Type === 'forward');
  if (!forward) return [];
  const weighted = forward.ForwardConfig?.TargetGroups ?? [];
  if (weighted.length > 0) return weighted.map((group) => ({ arn: group.TargetGroupArn ?? '', weight: group.Weight ?? 1 }));
  return forward.TargetGroupArn ? [{ arn: forward.TargetGroupArn, weight: 1 }] : [];
}

export async function readActions(clients: AwsClients, target: Pick<TrafficTarget, 'arn' | 'kind'>): Promise<Action[]> {
  if (target.kind === 'rule') {
    const { Rules } = await awsCall(`DescribeRules ${target.arn}`, () =>
      clients.elbv2.send(new DescribeRulesCommand({ RuleArns: [target.arn] })),
    );
    return Rules?.[0]?.Actions ?? [];
  }
  const { Listeners } = await awsCall(`DescribeListeners ${target.arn}`, () =>
    clients.elbv2.send(new DescribeListenersCommand({ ListenerArns: [target.arn] })),
  );
  return Listeners?.[0]?.DefaultActions ?? [];
}

async function describeTarget(
  clients: AwsClients,
  arn: string,
  subject: 'listener' | 'test-listener',
): Promise<TrafficTarget & { port?: number; protocol?: string }> {
  const kind = isRuleArn(arn) ? 'rule' : 'listener';
  const listenerArn = kind === 'rule' ? listenerOfRule(arn) : arn;
  try {
    const { Listeners } = await awsCall(`DescribeListeners ${listenerArn}`, () =>
      clients.elbv2.send(new DescribeListenersCommand({ ListenerArns: [listenerArn] })),
    );
    const listener = Listeners?.[0];
    if (!listener?.LoadBalancerArn) throw new TopologyError(subject, `listener ${listenerArn} was not found`);
    return { arn, kind, listenerArn, loadBalancerArn: listener.LoadBalancerArn, port: listener.Port, protocol: listener.Protocol };
  } catch (error) {
    if (error instanceof TopologyError) throw error;
    if (error instanceof Error && /ListenerNotFound|RuleNotFound/.test(error.message)) {
      throw new TopologyError(subject, `${arn} was not found: check the ARN and the region (${error.message})`);
    }
    throw error;
  }
}

export async function resolveTopology(clients: AwsClients, request: TopologyRequest): Promise<BlueGreenTopology> {
  const production = await describeTarget(clients, request.listenerArn, 'listener');
  const actions = await readActions(clients, production).catch((error: unknown) => {
    if (error instanceof Error && /RuleNotFound/.test(error.message))
      throw new TopologyError('listener', `rule ${request.listenerArn} was not found`);
    throw error;
  });
  const groups = forwardTargets(actions);
  if (groups.length !== 2) {
    throw new TopologyError(
      'listener',
      `${production.kind} ${request.listenerArn} forwards to ${groups.length} target group(s); a blue/green rollout needs a forward action with exactly two (blue and green)`,
    );
  }

  const { services, failures } = await awsCall(`DescribeServices in ${request.cluster}`, () =>
    clients.ecs.send(new DescribeServicesCommand({ cluster: request.cluster, services: [request.blueService, request.greenService] })),
  ).catch((error: unknown) => {
    if (error instanceof AwsCallError && error.code === 'ClusterNotFoundException') {
      throw new TopologyError('cluster', `ECS cluster ${request.cluster} was not found: check the name and the region (${error.message})`);
    }
    throw error;
  });
  const sides = {} as Record<Colour, ColourSide>;
  for (const [colour, wanted] of [
    ['blue', request.blueService],
    ['green', request.greenService],
  ] as const) {
    const subject = colour === 'blue' ? 'blue-service' : 'green-service';
    const service = services?.find((s) => s.serviceName === ecsName(wanted) || s.serviceArn === wanted);
    if (!service || service.status !== 'ACTIVE') {
      const failure = failures?.find((f) => f.arn?.endsWith(`/${ecsName(wanted)}`) || f.arn === wanted);
      throw new TopologyError(
        subject,
        `ECS service ${wanted} is not active in cluster ${request.cluster} (${failure?.reason ?? service?.status ?? 'not found'})`,
      );
    }
    const attached = (service.loadBalancers ?? []).map((lb) => lb.targetGroupArn).filter((arn): arn is string => !!arn);
    const match = groups.find((group) => attached.includes(group.arn));
    if (!match) {
      throw new TopologyError(
        subject,
        `ECS service ${wanted} is attached to ${attached.join(', ') || 'no target group'}, but ${request.listenerArn} forwards to ${groups.map((g) => g.arn).join(' and ')}`,
      );
    }
    sides[colour] = {
      service: service.serviceName ?? ecsName(wanted),
      targetGroupArn: match.arn,
      targetGroupDimension: targetGroupDimension(match.arn),
    };
  }
  if (sides.blue.targetGroupArn === sides.green.targetGroupArn) {
    throw new TopologyError('green-service', `blue and green are attached to the same target group ${sides.blue.targetGroupArn}`);
  }

  let test: BlueGreenTopology['test'];
  if (request.testListenerArn === request.listenerArn) {
    // Deploying points the test listener at the new colour: on the production listener that would be a full cut-over.
    throw new TopologyError(
      'test-listener',
      `the test listener ${request.testListenerArn} is the production ${production.kind}; give a separate listener (or rule) for tests, or none`,
    );
  }
  if (request.testListenerArn) {
    const described = await describeTarget(clients, request.testListenerArn, 'test-listener');
    const { LoadBalancers } = await awsCall(`DescribeLoadBalancers ${described.loadBalancerArn}`, () =>
      clients.elbv2.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [described.loadBalancerArn] })),
    );
    const dns = LoadBalancers?.[0]?.DNSName;
    if (!dns || !described.port)
      throw new TopologyError('test-listener', `cannot tell where ${request.testListenerArn} answers (no DNS name or port)`);
    const scheme = described.protocol === 'HTTPS' ? 'https' : 'http';
    await checkTestHost(clients, described, scheme, request.testHost);
    const { port: _port, protocol: _protocol, ...target } = described;
    test = { ...target, url: `${scheme}://${dns}:${described.port}`, ...(request.testHost ? { host: request.testHost } : {}) };
  }

  await refuseSharedTraffic(clients, {
    production,
    ...(test ? { test } : {}),
    sides,
    testListenerArn: request.testListenerArn,
  });

  const { port: _port, protocol: _protocol, ...productionTarget } = production;
  return {
    production: productionTarget,
    loadBalancerDimension: loadBalancerDimension(production.loadBalancerArn),
    cluster: request.cluster,
    sides,
    ...(test ? { test } : {}),
  };
}

/**
 * Rule mode is only safe when nothing else shares what the rollout changes. Before any change, every
 * listener and rule of the load balancer is read (in rule mode), and the rollout is refused when:
 * - the test listener is the listener of the production rule: pointing its default action at the new
 *   colour would send it every request of that port that no rule matches, unvalidated;
 * - any other listener or rule forwards to the blue or green target group: a rollout scales a colour to
 *   zero (the old one after promotion, the new one after a rollback), which would leave it forwarding
 *   to nothing.
 */
async function refuseSharedTraffic(
  clients: AwsClients,
  topology: {
    production: TrafficTarget;
    test?: TrafficTarget;
    sides: Readonly<Record<Colour, ColourSide>>;
    testListenerArn: string | undefined;
  },
): Promise<void> {
  const { production, test, sides } = topology;
  if (test && production.kind === 'rule' && test.kind === 'listener' && test.arn === production.listenerArn) {
    throw new TopologyError(
      'test-listener',
      `the test listener ${test.arn} is the listener of the production rule ${production.arn}: deploying points its ` +
        'default action at the new colour, which would serve every request no rule matches before it is validated; ' +
        'give a separate test listener, or a test rule',
    );
  }
  // A production listener owns its port: what else forwards to the colours is a test path. A rule shares
  // its listener, so in rule mode everything else on the load balancer is read.
  if (production.kind !== 'rule') return;
  const { Listeners } = await awsCall(`DescribeListeners of ${production.loadBalancerArn}`, () =>
    clients.elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: production.loadBalancerArn })),
  );
  const ours = new Set([production.arn, ...(test ? [test.arn] : [])]);
  const byGroup = new Map<string, Colour>([
    [sides.blue.targetGroupArn, 'blue'],
    [sides.green.targetGroupArn, 'green'],
  ]);
  const conflicts: string[] = [];
  for (const listener of Listeners ?? []) {
    if (!listener.ListenerArn) continue;
    const listenerArn = listener.ListenerArn;
    const { Rules } = await awsCall(`DescribeRules of ${listenerArn}`, () =>
      clients.elbv2.send(new DescribeRulesCommand({ ListenerArn: listenerArn })),
    );
    for (const rule of Rules ?? []) {
      // A listener's default action is its default rule; the listener ARN names it for the user.
      const arn = rule.IsDefault ? listenerArn : (rule.RuleArn ?? '');
      if (ours.has(arn)) continue;
      for (const group of forwardTargets(rule.Actions)) {
        const colour = byGroup.get(group.arn);
        if (colour !== undefined && group.weight > 0) {
          const what = rule.IsDefault ? `listener ${listenerArn} (its default action)` : `rule ${arn}`;
          conflicts.push(`${what} forwards to the ${colour} target group ${group.arn}`);
        }
      }
    }
  }
  if (conflicts.length > 0) {
    throw new TopologyError(
      'listener',
      `${conflicts.join('; ')}; a rollout scales a colour to zero (the old one after promotion, the new one after a rollback), ` +
        `which would leave that forwarding to nothing. Point it elsewhere, or give that listener or rule as 'listener-arn'`,
    );
  }
}

/** `*.example.com` and `api-?.example.com` as the ALB matches host-header values (case-insensitive). */
export function hostMatches(pattern: string, host: string): boolean {
  const regex = pattern
    .toLowerCase()
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${regex}$`).test(host.toLowerCase());
}

/**
 * Probes must reach the new colour the way the test path routes: a test rule with a host-header condition
 * answers only for those hosts, and an HTTPS listener's certificate covers its host names, not the load
 * balancer's DNS name. Without the matching `test-host`, the probes would be answered by something else
 * (the default action) or fail certificate verification, so the rollout is refused before any change.
 */
async function checkTestHost(
  clients: AwsClients,
  test: Pick<TrafficTarget, 'arn' | 'kind'>,
  scheme: 'http' | 'https',
  testHost: string | undefined,
): Promise<void> {
  if (test.kind === 'rule') {
    const { Rules } = await awsCall(`DescribeRules ${test.arn}`, () =>
      clients.elbv2.send(new DescribeRulesCommand({ RuleArns: [test.arn] })),
    );
    const hosts = (Rules?.[0]?.Conditions ?? [])
      .filter((condition) => condition.Field === 'host-header')
      .flatMap((condition) => condition.HostHeaderConfig?.Values ?? condition.Values ?? []);
    if (hosts.length > 0 && testHost === undefined) {
      throw new TopologyError(
        'test-listener',
        `the test rule ${test.arn} answers only for host ${hosts.join(', ')}; set 'test-host' to one of them, or probes reach another rule`,
      );
    }
    if (hosts.length > 0 && testHost !== undefined && !hosts.some((pattern) => hostMatches(pattern, testHost))) {
      throw new TopologyError(
        'test-listener',
        `the test rule ${test.arn} answers only for host ${hosts.join(', ')}, not for 'test-host' ${testHost}`,
      );
    }
  }
  if (scheme === 'https' && testHost === undefined) {
    throw new TopologyError(
      'test-listener',
      `the test listener of ${test.arn} is HTTPS: its certificate names your host, not the load balancer's DNS name; ` +
        "set 'test-host' to the name the certificate covers",
    );
  }
}
