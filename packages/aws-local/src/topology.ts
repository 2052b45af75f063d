/**
 * The topology file: what `infra/` would create, without the VPC. It is read strictly (a typo is an
 * error naming the field) and seeded through the same operations the API uses.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';

export interface ForwardSpec {
  readonly targetGroup: string;
  readonly weight: number;
}

export type ActionSpec =
  | { readonly forward: readonly ForwardSpec[] }
  | { readonly fixedResponse: { readonly statusCode: number; readonly body?: string; readonly contentType?: string } };

export interface RuleSpec {
  readonly name: string;
  readonly priority: number;
  readonly pathPatterns?: readonly string[];
  readonly hostHeaders?: readonly string[];
  readonly action: ActionSpec;
}

export interface ListenerSpec {
  /** Logical name, unique in the topology (`production`, `test`). */
  readonly name: string;
  /** 0 = any free local port. */
  readonly port: number;
  readonly defaultAction: ActionSpec;
  readonly rules: readonly RuleSpec[];
}

export interface LoadBalancerSpec {
  readonly name: string;
  readonly listeners: readonly ListenerSpec[];
}

export interface HealthCheckSpec {
  readonly path?: string;
  readonly intervalSeconds?: number;
  readonly timeoutSeconds?: number;
  readonly healthyThreshold?: number;
  readonly unhealthyThreshold?: number;
  readonly matcher?: string;
}

export interface TargetGroupSpec {
  readonly name: string;
  readonly port: number;
  readonly healthCheck: HealthCheckSpec;
  readonly deregistrationDelaySeconds?: number;
}

export interface ContainerSpec {
  readonly name: string;
  readonly image: string;
  readonly port?: number;
  readonly environment: Readonly<Record<string, string>>;
}

export interface TaskDefinitionSpec {
  readonly family: string;
  readonly cpu?: string;
  readonly memory?: string;
  readonly containers: readonly ContainerSpec[];
}

export interface ServiceSpec {
  readonly name: string;
  readonly cluster: string;
  readonly taskDefinition: string;
  readonly desiredCount: number;
  readonly loadBalancer?: { readonly targetGroup: string; readonly container: string; readonly port: number };
  readonly healthCheckGracePeriodSeconds?: number;
  readonly circuitBreaker?: { readonly enable: boolean; readonly rollback: boolean };
}

export interface Topology {
  readonly loadBalancers: readonly LoadBalancerSpec[];
  readonly targetGroups: readonly TargetGroupSpec[];
  readonly clusters: readonly string[];
  readonly taskDefinitions: readonly TaskDefinitionSpec[];
  readonly services: readonly ServiceSpec[];
  readonly repositories: readonly { readonly name: string; readonly immutableTags: boolean }[];
  readonly buckets: readonly { readonly name: string; readonly versioned: boolean }[];
}

/** A topology document before validation: the keys of a Topology, values checked by parseTopology. */
export type TopologyInput = { readonly [K in keyof Topology]?: unknown };

/** ARNs by logical name, for tests and the CLI's output. */
export interface TopologyResources {
  readonly loadBalancers: Record<string, string>;
  readonly listeners: Record<string, string>;
  readonly rules: Record<string, string>;
  readonly targetGroups: Record<string, string>;
  readonly clusters: Record<string, string>;
  readonly taskDefinitions: Record<string, string>;
  readonly services: Record<string, string>;
  readonly repositories: Record<string, string>;
  readonly buckets: Record<string, string>;
}

export function emptyResources(): TopologyResources {
  return {
    loadBalancers: {},
    listeners: {},
    rules: {},
    targetGroups: {},
    clusters: {},
    taskDefinitions: {},
    services: {},
    repositories: {},
    buckets: {},
  };
}

export async function readTopologyFile(path: string): Promise<Topology> {
  const text = await readFile(path, 'utf8');
  let data: unknown;
  try {
    data = parse(text);
  } catch (error) {
    throw new Error(`Topology ${path} is not valid YAML: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  try {
    return parseTopology(data);
  } catch (error) {
    throw new Error(`Topology ${path}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

type Obj = Record<string, unknown>;

/** Validates plain data (parsed YAML or an object literal) into a Topology. */
export function parseTopology(data: unknown): Topology {
  const root = object(data ?? {}, 'topology', [
    'loadBalancers',
    'targetGroups',
    'clusters',
    'taskDefinitions',
    'services',
    'repositories',
    'buckets',
  ]);
  const topology: Topology = {
    loadBalancers: list(root['loadBalancers'], 'loadBalancers').map((item, i) => {
      const at = `loadBalancers[${i}]`;
      const lb = object(item, at, ['name', 'listeners']);
      return {
        name: text(lb['name'], `${at}.name`),
        listeners: list(lb['listeners'], `${at}.listeners`).map((l, j) => {
          const where = `${at}.listeners[${j}]`;
          const listener = object(l, where, ['name', 'port', 'defaultAction', 'rules']);
          return {
            name: text(listener['name'], `${where}.name`),
            port: integer(listener['port'] ?? 0, `${where}.port`, 0, 65535),
            defaultAction: action(listener['defaultAction'], `${where}.defaultAction`),
            rules: list(listener['rules'], `${where}.rules`).map((r, k) => {
              const ruleAt = `${where}.rules[${k}]`;
              const rule = object(r, ruleAt, ['name', 'priority', 'pathPatterns', 'hostHeaders', 'action']);
              const pathPatterns = optionalTexts(rule['pathPatterns'], `${ruleAt}.pathPatterns`);
              const hostHeaders = optionalTexts(rule['hostHeaders'], `${ruleAt}.hostHeaders`);
              if (!pathPatterns && !hostHeaders) throw new Error(`${ruleAt} needs pathPatterns or hostHeaders`);
              return {
                name: text(rule['name'], `${ruleAt}.name`),
                priority: integer(rule['priority'], `${ruleAt}.priority`, 1, 50000),
                pathPatterns,
                hostHeaders,
                action: action(rule['action'], `${ruleAt}.action`),
              };
            }),
          };
        }),
      };
    }),
    targetGroups: list(root['targetGroups'], 'targetGroups').map((item, i) => {
      const at = `targetGroups[${i}]`;
      const tg = object(item, at, ['name', 'port', 'healthCheck', 'deregistrationDelaySeconds']);
      const check = object(tg['healthCheck'] ?? {}, `${at}.healthCheck`, [
        'path',
        'intervalSeconds',
        'timeoutSeconds',
        'healthyThreshold',
        'unhealthyThreshold',
        'matcher',
      ]);
      return {
        name: text(tg['name'], `${at}.name`),
        port: integer(tg['port'] ?? 80, `${at}.port`, 1, 65535),
        healthCheck: {
          path: optionalText(check['path'], `${at}.healthCheck.path`),
          intervalSeconds: optionalNumber(check['intervalSeconds'], `${at}.healthCheck.intervalSeconds`),
          timeoutSeconds: optionalNumber(check['timeoutSeconds'], `${at}.healthCheck.timeoutSeconds`),
          healthyThreshold: optionalNumber(check['healthyThreshold'], `${at}.healthCheck.healthyThreshold`),
          unhealthyThreshold: optionalNumber(check['unhealthyThreshold'], `${at}.healthCheck.unhealthyThreshold`),
          matcher: check['matcher'] === undefined ? undefined : String(check['matcher']),
        },
        deregistrationDelaySeconds: optionalNumber(tg['deregistrationDelaySeconds'], `${at}.deregistrationDelaySeconds`),
      };
    }),
    clusters: list(root['clusters'], 'clusters').map((item, i) =>
      text(typeof item === 'object' && item !== null ? (item as Obj)['name'] : item, `clusters[${i}]`),
    ),
    taskDefinitions: list(root['taskDefinitions'], 'taskDefinitions').map((item, i) => {
      const at = `taskDefinitions[${i}]`;
      const td = object(item, at, ['family', 'cpu', 'memory', 'containers']);
      return {
        family: text(td['family'], `${at}.family`),
        cpu: td['cpu'] === undefined ? undefined : String(td['cpu']),
        memory: td['memory'] === undefined ? undefined : String(td['memory']),
        containers: list(td['containers'], `${at}.containers`).map((c, j) => {
          const where = `${at}.containers[${j}]`;
          const container = object(c, where, ['name', 'image', 'port', 'environment']);
          const env = object(container['environment'] ?? {}, `${where}.environment`);
          return {
            name: text(container['name'], `${where}.name`),
            image: text(container['image'], `${where}.image`),
            port: container['port'] === undefined ? undefined : integer(container['port'], `${where}.port`, 1, 65535),
            environment: Object.fromEntries(Object.entries(env).map(([key, value]) => [key, String(value)])),
          };
        }),
      };
    }),
    services: list(root['services'], 'services').map((item, i) => {
      const at = `services[${i}]`;
      const s = object(item, at, [
        'name',
        'cluster',
        'taskDefinition',
        'desiredCount',
        'loadBalancer',
        'healthCheckGracePeriodSeconds',
        'circuitBreaker',
      ]);
      const lb =
        s['loadBalancer'] === undefined ? undefined : object(s['loadBalancer'], `${at}.loadBalancer`, ['targetGroup', 'container', 'port']);
      const breaker =
        s['circuitBreaker'] === undefined ? undefined : object(s['circuitBreaker'], `${at}.circuitBreaker`, ['enable', 'rollback']);
      return {
        name: text(s['name'], `${at}.name`),
        cluster: text(s['cluster'], `${at}.cluster`),
        taskDefinition: text(s['taskDefinition'], `${at}.taskDefinition`),
        desiredCount: integer(s['desiredCount'] ?? 1, `${at}.desiredCount`, 0, 1000),
        loadBalancer: lb && {
          targetGroup: text(lb['targetGroup'], `${at}.loadBalancer.targetGroup`),
          container: text(lb['container'], `${at}.loadBalancer.container`),
          port: integer(lb['port'], `${at}.loadBalancer.port`, 1, 65535),
        },
        healthCheckGracePeriodSeconds: optionalNumber(s['healthCheckGracePeriodSeconds'], `${at}.healthCheckGracePeriodSeconds`),
        circuitBreaker: breaker && { enable: breaker['enable'] === true, rollback: breaker['rollback'] === true },
      };
    }),
    repositories: list(root['repositories'], 'repositories').map((item, i) => {
      const repo = object(item, `repositories[${i}]`, ['name', 'immutableTags']);
      return { name: text(repo['name'], `repositories[${i}].name`), immutableTags: repo['immutableTags'] === true };
    }),
    buckets: list(root['buckets'], 'buckets').map((item, i) => {
      const bucket = object(item, `buckets[${i}]`, ['name', 'versioned']);
      return { name: text(bucket['name'], `buckets[${i}].name`), versioned: bucket['versioned'] === true };
    }),
  };
  checkReferences(topology);
  return topology;
}

function checkReferences(t: Topology): void {
  const groups = new Set(t.targetGroups.map((g) => g.name));
  const listenerNames = new Set<string>();
  const actionRefs = (spec: ActionSpec, at: string): void => {
    if ('forward' in spec)
      for (const f of spec.forward)
        if (!groups.has(f.targetGroup)) throw new Error(`${at} forwards to unknown target group '${f.targetGroup}'`);
  };
  for (const lb of t.loadBalancers) {
    for (const listener of lb.listeners) {
      if (listenerNames.has(listener.name))
        throw new Error(`listener name '${listener.name}' is used twice; listener names must be unique`);
      listenerNames.add(listener.name);
      actionRefs(listener.defaultAction, `listener '${listener.name}'`);
      for (const rule of listener.rules) actionRefs(rule.action, `rule '${rule.name}'`);
    }
  }
  for (const service of t.services) {
    if (!t.clusters.includes(service.cluster)) throw new Error(`service '${service.name}' runs in unknown cluster '${service.cluster}'`);
    const td = t.taskDefinitions.find((d) => d.family === service.taskDefinition);
    if (!td) throw new Error(`service '${service.name}' uses unknown task definition family '${service.taskDefinition}'`);
    if (service.loadBalancer && !groups.has(service.loadBalancer.targetGroup))
      throw new Error(`service '${service.name}' is attached to unknown target group '${service.loadBalancer.targetGroup}'`);
    if (service.loadBalancer && !td.containers.some((c) => c.name === service.loadBalancer?.container)) {
      throw new Error(
        `service '${service.name}' puts container '${service.loadBalancer.container}' behind the load balancer, but '${td.family}' has no such container`,
      );
    }
  }
}

function action(value: unknown, at: string): ActionSpec {
  const spec = object(value, at, ['forward', 'fixedResponse']);
  if (spec['forward'] !== undefined) {
    const forward = list(spec['forward'], `${at}.forward`).map((f, i) => {
      const item = object(f, `${at}.forward[${i}]`, ['targetGroup', 'weight']);
      return {
        targetGroup: text(item['targetGroup'], `${at}.forward[${i}].targetGroup`),
        weight: integer(item['weight'] ?? 1, `${at}.forward[${i}].weight`, 0, 999),
      };
    });
    if (forward.length === 0) throw new Error(`${at}.forward needs at least one target group`);
    return { forward };
  }
  if (spec['fixedResponse'] !== undefined) {
    const fixed = object(spec['fixedResponse'], `${at}.fixedResponse`, ['statusCode', 'body', 'contentType']);
    return {
      fixedResponse: {
        statusCode: integer(fixed['statusCode'], `${at}.fixedResponse.statusCode`, 200, 599),
        body: optionalText(fixed['body'], `${at}.fixedResponse.body`),
        contentType: optionalText(fixed['contentType'], `${at}.fixedResponse.contentType`),
      },
    };
  }
  throw new Error(`${at} needs forward or fixedResponse`);
}

function object(value: unknown, at: string, allowed?: string[]): Obj {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${at} must be a mapping`);
  if (allowed) {
    const unknown = Object.keys(value).filter((key) => !allowed.includes(key));
    if (unknown.length) throw new Error(`${at} has unknown field(s) ${unknown.join(', ')} (allowed: ${allowed.join(', ')})`);
  }
  return value as Obj;
}

function list(value: unknown, at: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new Error(`${at} must be a list`);
  return value;
}

function text(value: unknown, at: string): string {
  if (typeof value !== 'string' || value === '') throw new Error(`${at} must be a non-empty string, got ${JSON.stringify(value)}`);
  return value;
}

function optionalText(value: unknown, at: string): string | undefined {
  return value === undefined ? undefined : text(value, at);
}

function optionalTexts(value: unknown, at: string): string[] | undefined {
  return value === undefined ? undefined : list(value, at).map((item, i) => text(item, `${at}[${i}]`));
}

function integer(value: unknown, at: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    throw new Error(`${at} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
  return value;
}

function optionalNumber(value: unknown, at: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    throw new Error(`${at} must be a non-negative number, got ${JSON.stringify(value)}`);
  return value;
}
