/**
 * Seeds a topology through the same operations the API serves (S3 and ECR through their HTTP
 * handlers). Seeding is idempotent: what already exists, e.g. after loading a snapshot, is kept.
 */
import type { AwsHandler, AwsResponse } from './http-types.js';
import type { Action } from './elbv2/model.js';
import type { Elbv2Service } from './elbv2/service.js';
import type { EcsService } from './ecs/service.js';
import { emptyResources, type ActionSpec, type Topology, type TopologyResources } from './topology.js';

/** Listeners and rules have no names in ELBv2; the topology's logical name travels as this tag. */
export const NAME_TAG = 'aws-local:name';

export interface SeedTargets {
  readonly elbv2: Elbv2Service;
  readonly ecs: EcsService;
  readonly s3: AwsHandler;
  readonly ecr: AwsHandler;
  readonly region: string;
  readonly accountId: string;
}

export async function seedTopology(topology: Topology, t: SeedTargets): Promise<TopologyResources> {
  const { elbv2, ecs } = t;
  for (const spec of topology.targetGroups) {
    if (elbv2.state.targetGroups.some((g) => g.name === spec.name)) continue;
    const tg = elbv2.createTargetGroup({
      name: spec.name,
      port: spec.port,
      protocol: 'HTTP',
      targetType: 'ip',
      healthCheck: spec.healthCheck,
    });
    if (spec.deregistrationDelaySeconds !== undefined)
      elbv2.modifyTargetGroupAttributes(tg.arn, { 'deregistration_delay.timeout_seconds': String(spec.deregistrationDelaySeconds) });
  }
  const tgArn = (name: string): string => elbv2.state.targetGroups.find((g) => g.name === name)?.arn ?? name;
  const toActions = (spec: ActionSpec): Action[] =>
    'forward' in spec
      ? [{ type: 'forward', forward: spec.forward.map((f) => ({ targetGroupArn: tgArn(f.targetGroup), weight: f.weight })) }]
      : [
          {
            type: 'fixed-response',
            fixedResponse: {
              statusCode: String(spec.fixedResponse.statusCode),
              messageBody: spec.fixedResponse.body,
              contentType: spec.fixedResponse.contentType,
            },
          },
        ];

  for (const spec of topology.loadBalancers) {
    const lb = elbv2.createLoadBalancer({ name: spec.name });
    for (const listenerSpec of spec.listeners) {
      let listener = elbv2.state.listeners.find(
        (l) => l.loadBalancerArn === lb.arn && elbv2.state.tags[l.arn]?.[NAME_TAG] === listenerSpec.name,
      );
      listener ??= await elbv2.createListener({
        loadBalancerArn: lb.arn,
        port: listenerSpec.port,
        protocol: 'HTTP',
        defaultActions: toActions(listenerSpec.defaultAction),
        tags: { [NAME_TAG]: listenerSpec.name },
      });
      for (const ruleSpec of listenerSpec.rules) {
        if (elbv2.state.rules.some((r) => r.listenerArn === listener.arn && elbv2.state.tags[r.arn]?.[NAME_TAG] === ruleSpec.name))
          continue;
        elbv2.createRule({
          listenerArn: listener.arn,
          priority: ruleSpec.priority,
          conditions: [
            ...(ruleSpec.pathPatterns ? [{ field: 'path-pattern', values: [...ruleSpec.pathPatterns] }] : []),
            ...(ruleSpec.hostHeaders ? [{ field: 'host-header', values: [...ruleSpec.hostHeaders] }] : []),
          ],
          actions: toActions(ruleSpec.action),
          tags: { [NAME_TAG]: ruleSpec.name },
        });
      }
    }
  }

  for (const name of topology.clusters) ecs.createCluster(name);
  for (const spec of topology.taskDefinitions) {
    if (ecs.state.taskDefinitions.some((d) => d.family === spec.family)) continue;
    ecs.registerTaskDefinition(
      spec.family,
      spec.containers.map((c) => ({
        name: c.name,
        image: c.image,
        essential: true,
        portMappings: c.port === undefined ? [] : [{ containerPort: c.port, hostPort: c.port, protocol: 'tcp' }],
        environment: Object.entries(c.environment).map(([name, value]) => ({ name, value })),
      })),
      {
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        ...(spec.cpu ? { cpu: spec.cpu } : {}),
        ...(spec.memory ? { memory: spec.memory } : {}),
      },
    );
  }
  for (const spec of topology.services) {
    const cluster = ecs.cluster(spec.cluster);
    if (ecs.findService(cluster.arn, spec.name)?.status === 'ACTIVE') continue;
    ecs.createService({
      cluster: spec.cluster,
      serviceName: spec.name,
      taskDefinition: spec.taskDefinition,
      desiredCount: spec.desiredCount,
      loadBalancers: spec.loadBalancer
        ? [
            {
              targetGroupArn: tgArn(spec.loadBalancer.targetGroup),
              containerName: spec.loadBalancer.container,
              containerPort: spec.loadBalancer.port,
            },
          ]
        : [],
      healthCheckGracePeriodSeconds: spec.healthCheckGracePeriodSeconds,
      circuitBreaker: spec.circuitBreaker && { ...spec.circuitBreaker },
    });
  }

  for (const repo of topology.repositories) {
    await call(
      t.ecr,
      jsonRequest('AmazonEC2ContainerRegistry_V20150921.CreateRepository', {
        repositoryName: repo.name,
        imageTagMutability: repo.immutableTags ? 'IMMUTABLE' : 'MUTABLE',
      }),
      ['RepositoryAlreadyExistsException'],
    );
  }
  for (const bucket of topology.buckets) {
    await call(t.s3, restRequest('PUT', `/${bucket.name}`, ''), ['BucketAlreadyOwnedByYou']);
    if (bucket.versioned) {
      const body =
        '<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Status>Enabled</Status></VersioningConfiguration>';
      await call(t.s3, restRequest('PUT', `/${bucket.name}`, body, 'versioning'), []);
    }
  }
  return resolveResources(topology, t);
}

/** ARNs by logical name, looked up in the current state. */
export function resolveResources(topology: Topology, t: SeedTargets): TopologyResources {
  const resources = emptyResources();
  const { elbv2, ecs } = t;
  for (const spec of topology.loadBalancers) {
    const lb = elbv2.state.loadBalancers.find((item) => item.name === spec.name);
    if (!lb) continue;
    resources.loadBalancers[spec.name] = lb.arn;
    for (const listenerSpec of spec.listeners) {
      const listener = elbv2.state.listeners.find(
        (l) => l.loadBalancerArn === lb.arn && elbv2.state.tags[l.arn]?.[NAME_TAG] === listenerSpec.name,
      );
      if (!listener) continue;
      resources.listeners[listenerSpec.name] = listener.arn;
      for (const ruleSpec of listenerSpec.rules) {
        const rule = elbv2.state.rules.find((r) => r.listenerArn === listener.arn && elbv2.state.tags[r.arn]?.[NAME_TAG] === ruleSpec.name);
        if (rule) resources.rules[ruleSpec.name] = rule.arn;
      }
    }
  }
  for (const spec of topology.targetGroups) {
    const tg = elbv2.state.targetGroups.find((g) => g.name === spec.name);
    if (tg) resources.targetGroups[spec.name] = tg.arn;
  }
  for (const name of topology.clusters) {
    const cluster = ecs.findCluster(name);
    if (cluster) resources.clusters[name] = cluster.arn;
  }
  for (const spec of topology.taskDefinitions) {
    const latest = ecs.state.taskDefinitions.filter((d) => d.family === spec.family).sort((a, b) => b.revision - a.revision)[0];
    if (latest) resources.taskDefinitions[spec.family] = latest.arn;
  }
  for (const spec of topology.services) {
    const cluster = ecs.findCluster(spec.cluster);
    const service = cluster && ecs.findService(cluster.arn, spec.name);
    if (service) resources.services[spec.name] = service.arn;
  }
  for (const repo of topology.repositories)
    resources.repositories[repo.name] = `arn:aws:ecr:${t.region}:${t.accountId}:repository/${repo.name}`;
  for (const bucket of topology.buckets) resources.buckets[bucket.name] = `arn:aws:s3:::${bucket.name}`;
  return resources;
}

function jsonRequest(target: string, input: unknown) {
  return {
    method: 'POST',
    path: '/',
    query: new URLSearchParams(),
    headers: { 'x-amz-target': target, 'content-type': 'application/x-amz-json-1.1' },
    body: Buffer.from(JSON.stringify(input)),
  };
}

function restRequest(method: string, path: string, body: string, subresource?: string) {
  const query = new URLSearchParams(subresource ? { [subresource]: '' } : {});
  return {
    method,
    path,
    query,
    headers: { 'content-type': 'application/xml', 'content-length': String(Buffer.byteLength(body)) },
    body: Buffer.from(body),
  };
}

/** Seeding fails loudly unless the answer is a success or one of the "already there" codes. */
async function call(handler: AwsHandler, request: Parameters<AwsHandler>[0], alreadyThere: string[]): Promise<AwsResponse> {
  const response = await handler(request);
  if (response.status < 300) return response;
  const text = String(response.body ?? '');
  if (alreadyThere.some((code) => text.includes(code))) return response;
  throw new Error(`Seeding ${request.method} ${request.path} failed with ${response.status}: ${text.slice(0, 300)}`);
}
