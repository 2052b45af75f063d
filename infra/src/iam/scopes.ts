import type { Names } from '../names.js';

/**
 * Generates least-privilege IAM statements from lists of IAM action names: each action is granted on the
 * narrowest resources AWS lets it be scoped to (per the Service Authorization Reference), and actions
 * sharing a scope share a statement. Nothing is granted that the lists do not name.
 */

export interface Target {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  readonly names: Names;
}

export interface Scope {
  readonly resources: readonly string[];
  readonly conditions?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
  /** Why this scope: shown in the figures and kept next to the rule it explains. */
  readonly why: string;
}

export interface GeneratedStatement {
  readonly sid: string;
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  readonly conditions: Scope['conditions'];
  readonly why: string;
  /** `explicit` when the action is in the table below; `service-default` when its service's rule applied. */
  readonly basis: 'explicit' | 'service-default';
}

type Rule = (target: Target) => Scope;

const arn = (t: Target, service: string, resource: string, region = t.region) =>
  `arn:${t.partition}:${service}:${region}:${t.account}:${resource}`;

const elb = {
  loadBalancer: (t: Target) => arn(t, 'elasticloadbalancing', `loadbalancer/app/${t.names.loadBalancer}/*`),
  listener: (t: Target) => arn(t, 'elasticloadbalancing', `listener/app/${t.names.loadBalancer}/*`),
  rule: (t: Target) => arn(t, 'elasticloadbalancing', `listener-rule/app/${t.names.loadBalancer}/*`),
  targetGroups: (t: Target) =>
    [t.names.blueTargetGroup, t.names.greenTargetGroup].map((tg) => arn(t, 'elasticloadbalancing', `targetgroup/${tg}/*`)),
};
const services = (t: Target) => [t.names.blueService, t.names.greenService].map((s) => arn(t, 'ecs', `service/${t.names.cluster}/${s}`));
const repository = (t: Target) => arn(t, 'ecr', `repository/${t.names.repository}`);
const bucket = (t: Target) => `arn:${t.partition}:s3:::${t.names.modelsBucket}`;
const objects = (t: Target) => `${bucket(t)}/*`;

const anywhere =
  (why: string): Rule =>
  () => ({ resources: ['*'], why });

/** Actions AWS authorises on a resource, and those it authorises only on `*` (said so, with why). */
const RULES: Readonly<Record<string, Rule>> = {
  // CloudWatch: alarms are resources; metric reads are not.
  'cloudwatch:DescribeAlarms': (t) => ({
    resources: [arn(t, 'cloudwatch', `alarm:${t.names.alarmPrefix}*`)],
    why: "the stack's alarms, by name prefix",
  }),
  'cloudwatch:GetMetricData': anywhere('GetMetricData supports no resource-level permissions'),
  // ECS: services and tasks are resources; task definitions are registered and read account-wide.
  'ecs:DescribeServices': (t) => ({ resources: services(t), why: 'the blue and green services' }),
  'ecs:UpdateService': (t) => ({ resources: services(t), why: 'the blue and green services' }),
  'ecs:DescribeTasks': (t) => ({ resources: [arn(t, 'ecs', `task/${t.names.cluster}/*`)], why: "the cluster's tasks" }),
  'ecs:ListTasks': (t) => ({
    resources: ['*'],
    conditions: { ArnEquals: { 'ecs:cluster': arn(t, 'ecs', `cluster/${t.names.cluster}`) } },
    why: 'ListTasks is authorised on *, narrowed to the cluster by the ecs:cluster condition',
  }),
  'ecs:DescribeTaskDefinition': anywhere('DescribeTaskDefinition supports no resource-level permissions'),
  'ecs:ListTaskDefinitions': anywhere('ListTaskDefinitions supports no resource-level permissions'),
  'ecs:RegisterTaskDefinition': anywhere(
    'RegisterTaskDefinition supports no resource-level permissions (the roles it names are limited by iam:PassRole)',
  ),
  // Elastic Load Balancing: describes are account-wide; writes name the listener, rule or target group.
  'elasticloadbalancing:DescribeListeners': anywhere('Describe* calls of Elastic Load Balancing support no resource-level permissions'),
  'elasticloadbalancing:DescribeLoadBalancers': anywhere('Describe* calls of Elastic Load Balancing support no resource-level permissions'),
  'elasticloadbalancing:DescribeRules': anywhere('Describe* calls of Elastic Load Balancing support no resource-level permissions'),
  'elasticloadbalancing:DescribeTags': anywhere('Describe* calls of Elastic Load Balancing support no resource-level permissions'),
  'elasticloadbalancing:DescribeTargetHealth': anywhere('Describe* calls of Elastic Load Balancing support no resource-level permissions'),
  'elasticloadbalancing:ModifyListener': (t) => ({ resources: [elb.listener(t)], why: "the load balancer's listeners" }),
  'elasticloadbalancing:ModifyRule': (t) => ({ resources: [elb.rule(t)], why: "the load balancer's listener rules" }),
  'elasticloadbalancing:AddTags': (t) => ({
    resources: [elb.loadBalancer(t), elb.listener(t), elb.rule(t), ...elb.targetGroups(t)],
    why: 'the load balancer, its listeners, rules and the two target groups',
  }),
  'elasticloadbalancing:RemoveTags': (t) => ({
    resources: [elb.loadBalancer(t), elb.listener(t), elb.rule(t), ...elb.targetGroups(t)],
    why: 'the load balancer, its listeners, rules and the two target groups',
  }),
  // IAM: a new task definition revision names the task and execution roles; ECS may be handed those only.
  'iam:PassRole': (t) => ({
    resources: [t.names.taskRole, t.names.executionRole].map((role) => `arn:${t.partition}:iam::${t.account}:role/${role}`),
    conditions: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
    why: 'the task and execution roles, and only to ECS tasks',
  }),
  // ECR: the registry token is account-wide; everything else names the repository.
  'ecr:GetAuthorizationToken': anywhere('GetAuthorizationToken supports no resource-level permissions'),
  // STS: GetCallerIdentity needs no permission at all; listing it documents that the action calls it.
  'sts:GetCallerIdentity': anywhere('GetCallerIdentity supports no resource-level permissions'),
  // S3: bucket-level and object-level actions take different ARNs.
  's3:ListBucket': (t) => ({ resources: [bucket(t)], why: 'the models bucket' }),
  's3:ListBucketVersions': (t) => ({ resources: [bucket(t)], why: 'the models bucket' }),
  's3:GetBucketVersioning': (t) => ({ resources: [bucket(t)], why: 'the models bucket' }),
  's3:GetBucketLocation': (t) => ({ resources: [bucket(t)], why: 'the models bucket' }),
};

/** For an action not in the table: its service's rule, where every resource-level action of the service takes the same ARN. */
const SERVICE_DEFAULTS: Readonly<Record<string, Rule>> = {
  ecr: (t) => ({ resources: [repository(t)], why: 'the repository' }),
  s3: (t) => ({ resources: [objects(t)], why: "the models bucket's objects" }),
};

export class UnscopedActionError extends Error {
  override readonly name = 'UnscopedActionError';
}

/** The scope of one action, or an error naming it and where its scope must be declared. */
export function scopeOf(action: string, target: Target): { scope: Scope; basis: GeneratedStatement['basis'] } {
  const explicit = RULES[action];
  if (explicit) return { scope: explicit(target), basis: 'explicit' };
  const service = action.split(':')[0] ?? '';
  const fallback = SERVICE_DEFAULTS[service];
  if (fallback) return { scope: fallback(target), basis: 'service-default' };
  throw new UnscopedActionError(
    `no resource scope is known for the IAM action '${action}'; declare it in infra/src/iam/scopes.ts (RULES), ` +
      "with the narrowest resource the Service Authorization Reference allows, or '*' with the reason",
  );
}

/** Statements granting exactly `actions`, grouped by identical scope, in a stable order. */
export function generateStatements(actions: readonly string[], target: Target, sidPrefix: string): GeneratedStatement[] {
  const unique = [...new Set(actions)].sort();
  const groups = new Map<string, { scope: Scope; actions: string[]; basis: GeneratedStatement['basis']; why: string[] }>();
  for (const action of unique) {
    if (!/^[a-z0-9-]+:[A-Za-z0-9]+$/.test(action)) throw new UnscopedActionError(`'${action}' is not an IAM action name (service:Action)`);
    const { scope, basis } = scopeOf(action, target);
    const key = JSON.stringify([scope.resources, scope.conditions ?? null]);
    const group = groups.get(key) ?? { scope, actions: [], basis, why: [] as string[] };
    group.actions.push(action);
    if (!group.why.includes(scope.why)) group.why.push(scope.why);
    if (basis === 'service-default') group.basis = basis;
    groups.set(key, group);
  }
  return [...groups.values()].map((group, index) => ({
    sid: `${sidPrefix}${index + 1}`,
    actions: group.actions,
    resources: group.scope.resources,
    conditions: group.scope.conditions,
    why: group.why.join('; '),
    basis: group.basis,
  }));
}
