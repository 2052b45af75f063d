/**
 * ELBv2 operations on typed inputs. The Query handler and topology seeding both go through here,
 * so a seeded stand-in is exactly what the same API calls would have built.
 */
import { AwsError } from '../errors.js';
import { hexId } from '../ids.js';
import type { Action, Condition, Elbv2State, HealthCheck, Listener, LoadBalancer, Rule, Target, TargetGroup } from './model.js';

const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** Binds and releases the real local port behind each listener (the data plane). */
export interface ListenerPorts {
  bind(listenerArn: string, requestedPort: number): Promise<number>;
  release(listenerArn: string): Promise<void>;
}

export interface AccountContext {
  readonly region: string;
  readonly accountId: string;
}

export interface CreateTargetGroupInput {
  name: string;
  protocol?: string;
  port?: number;
  targetType?: string;
  vpcId?: string;
  healthCheck?: Partial<HealthCheck>;
  attributes?: Record<string, string>;
  tags?: Record<string, string>;
}

export interface CreateRuleInput {
  listenerArn: string;
  priority: number;
  conditions: Condition[];
  actions: Action[];
  tags?: Record<string, string>;
}

const NAME_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$/;
const MAX_WEIGHTED_GROUPS = 5;
const MAX_WEIGHT = 999;
export const DEFAULT_DEREGISTRATION_DELAY_SECONDS = '300';

export class Elbv2Service {
  constructor(
    readonly state: Elbv2State,
    private readonly account: AccountContext,
    private readonly ports: ListenerPorts,
  ) {}

  private arn(resource: string): string {
    return `arn:aws:elasticloadbalancing:${this.account.region}:${this.account.accountId}:${resource}`;
  }

  createLoadBalancer(input: {
    name: string;
    scheme?: string;
    subnets?: string[];
    securityGroups?: string[];
    ipAddressType?: string;
    tags?: Record<string, string>;
  }): LoadBalancer {
    checkName(input.name, 'load balancer');
    const existing = this.state.loadBalancers.find((lb) => lb.name === input.name);
    // CreateLoadBalancer is idempotent for the same name, as in AWS.
    if (existing) return existing;
    const id = hexId(16);
    const lb: LoadBalancer = {
      arn: this.arn(`loadbalancer/app/${input.name}/${id}`),
      name: input.name,
      id,
      createdAt: Date.now(),
      scheme: input.scheme ?? 'internet-facing',
      ipAddressType: input.ipAddressType ?? 'ipv4',
      subnets: input.subnets ?? [],
      securityGroups: input.securityGroups ?? [],
    };
    this.state.loadBalancers.push(lb);
    this.setTags(lb.arn, input.tags ?? {});
    return lb;
  }

  async deleteLoadBalancer(arn: string): Promise<void> {
    const lb = this.state.loadBalancers.find((item) => item.arn === arn);
    if (!lb) return;
    for (const listener of this.state.listeners.filter((item) => item.loadBalancerArn === arn)) await this.deleteListener(listener.arn);
    this.state.loadBalancers = this.state.loadBalancers.filter((item) => item.arn !== arn);
    delete this.state.tags[arn];
  }

  loadBalancer(arn: string): LoadBalancer {
    const lb = this.state.loadBalancers.find((item) => item.arn === arn);
    if (!lb) throw new AwsError('LoadBalancerNotFound', `Load balancer '${arn}' not found`);
    return lb;
  }

  describeLoadBalancers(arns?: string[], names?: string[]): LoadBalancer[] {
    if (arns?.length) return arns.map((arn) => this.loadBalancer(arn));
    if (names?.length) {
      return names.map((name) => {
        const lb = this.state.loadBalancers.find((item) => item.name === name);
        if (!lb) throw new AwsError('LoadBalancerNotFound', `Load balancers '[${name}]' not found`);
        return lb;
      });
    }
    return this.state.loadBalancers;
  }

  createTargetGroup(input: CreateTargetGroupInput): TargetGroup {
    checkName(input.name, 'target group');
    if (this.state.targetGroups.some((tg) => tg.name === input.name)) {
      throw new AwsError(
        'DuplicateTargetGroupName',
        `A target group with the same name '${input.name}' exists, but with different settings`,
      );
    }
    const id = hexId(16);
    const protocol = input.protocol ?? 'HTTP';
    const healthCheck: HealthCheck = {
      protocol: input.healthCheck?.protocol ?? protocol,
      port: input.healthCheck?.port ?? 'traffic-port',
      path: input.healthCheck?.path ?? '/',
      intervalSeconds: input.healthCheck?.intervalSeconds ?? 30,
      timeoutSeconds: input.healthCheck?.timeoutSeconds ?? 5,
      healthyThreshold: input.healthCheck?.healthyThreshold ?? 5,
      unhealthyThreshold: input.healthCheck?.unhealthyThreshold ?? 2,
      matcher: input.healthCheck?.matcher ?? '200',
      enabled: input.healthCheck?.enabled ?? true,
    };
    checkHealthCheck(healthCheck);
    const tg: TargetGroup = {
      arn: this.arn(`targetgroup/${input.name}/${id}`),
      name: input.name,
      id,
      protocol,
      port: input.port ?? 80,
      targetType: input.targetType ?? 'ip',
      vpcId: input.vpcId ?? 'vpc-local',
      healthCheck,
      attributes: { 'deregistration_delay.timeout_seconds': DEFAULT_DEREGISTRATION_DELAY_SECONDS, ...input.attributes },
      targets: [],
    };
    this.state.targetGroups.push(tg);
    this.setTags(tg.arn, input.tags ?? {});
    return tg;
  }

  modifyTargetGroup(arn: string, healthCheck: Partial<HealthCheck>): TargetGroup {
    const tg = this.targetGroup(arn);
    const next = { ...tg.healthCheck, ...definedOnly(healthCheck) };
    checkHealthCheck(next);
    tg.healthCheck = next;
    return tg;
  }

  modifyTargetGroupAttributes(arn: string, attributes: Record<string, string>): TargetGroup {
    const tg = this.targetGroup(arn);
    const delay = attributes['deregistration_delay.timeout_seconds'];
    if (delay !== undefined && !(Number(delay) >= 0 && Number(delay) <= 3600)) {
      throw new AwsError(
        'ValidationError',
        `'deregistration_delay.timeout_seconds' must be a number of seconds from 0 to 3600, got '${delay}'`,
      );
    }
    Object.assign(tg.attributes, attributes);
    return tg;
  }

  deleteTargetGroup(arn: string): void {
    const tg = this.state.targetGroups.find((item) => item.arn === arn);
    if (!tg) return;
    const user = this.actionsReferencing(arn)[0];
    if (user) throw new AwsError('ResourceInUse', `Target group '${arn}' is currently in use by a listener or a rule`);
    this.state.targetGroups = this.state.targetGroups.filter((item) => item.arn !== arn);
    delete this.state.tags[arn];
  }

  targetGroup(arn: string): TargetGroup {
    const tg = this.state.targetGroups.find((item) => item.arn === arn);
    if (!tg) throw new AwsError('TargetGroupNotFound', `Target groups '${arn}' not found`);
    return tg;
  }

  describeTargetGroups(input: { arns?: string[]; names?: string[]; loadBalancerArn?: string }): TargetGroup[] {
    if (input.arns?.length) return input.arns.map((arn) => this.targetGroup(arn));
    if (input.names?.length) {
      return input.names.map((name) => {
        const tg = this.state.targetGroups.find((item) => item.name === name);
        if (!tg) throw new AwsError('TargetGroupNotFound', `Target groups '[${name}]' not found`);
        return tg;
      });
    }
    if (input.loadBalancerArn) {
      this.loadBalancer(input.loadBalancerArn);
      return this.state.targetGroups.filter((tg) => this.loadBalancerArnsOf(tg.arn).includes(input.loadBalancerArn ?? ''));
    }
    return this.state.targetGroups;
  }

  /** The load balancers whose listeners or rules forward to the target group. */
  loadBalancerArnsOf(targetGroupArn: string): string[] {
    const listenerArns = new Set(this.actionsReferencing(targetGroupArn).map((use) => use.listenerArn));
    return [...new Set(this.state.listeners.filter((l) => listenerArns.has(l.arn)).map((l) => l.loadBalancerArn))];
  }

  private actionsReferencing(targetGroupArn: string): { listenerArn: string }[] {
    const uses = (actions: Action[]): boolean =>
      actions.some((action) => action.forward?.some((item) => item.targetGroupArn === targetGroupArn));
    return [
      ...this.state.listeners.filter((l) => uses(l.defaultActions)).map((l) => ({ listenerArn: l.arn })),
      ...this.state.rules.filter((r) => uses(r.actions)).map((r) => ({ listenerArn: r.listenerArn })),
    ];
  }

  registerTargets(arn: string, targets: { id: string; port?: number }[]): void {
    const tg = this.targetGroup(arn);
    for (const { id, port = tg.port } of targets) {
      if (!Number.isInteger(port) || port < 1 || port > 65535)
        throw new AwsError('ValidationError', `Target port ${port} is outside 1–65535`);
      const existing = tg.targets.find((target) => target.id === id && target.port === port);
      if (existing && existing.state !== 'draining') continue;
      tg.targets = tg.targets.filter((target) => target !== existing);
      tg.targets.push(newTarget(id, port));
    }
  }

  deregisterTargets(arn: string, targets: { id: string; port?: number }[], now = Date.now()): void {
    const tg = this.targetGroup(arn);
    const delayMs = Number(tg.attributes['deregistration_delay.timeout_seconds'] ?? DEFAULT_DEREGISTRATION_DELAY_SECONDS) * 1000;
    for (const { id, port = tg.port } of targets) {
      const target = tg.targets.find((item) => item.id === id && item.port === port);
      if (!target) throw new AwsError('InvalidTarget', `The target '${id}:${port}' is not registered in target group '${arn}'`);
      if (target.state === 'draining') continue;
      target.state = 'draining';
      target.reason = 'Target.DeregistrationInProgress';
      target.description = 'Target deregistration is in progress';
      target.drainUntil = now + delayMs;
    }
  }

  describeTargetHealth(arn: string, targets?: { id: string; port?: number }[]): Target[] {
    const tg = this.targetGroup(arn);
    if (!targets?.length) return tg.targets;
    return targets.map(({ id, port = tg.port }) => {
      const target = tg.targets.find((item) => item.id === id && item.port === port);
      return (
        target ?? {
          id,
          port,
          state: 'unused',
          reason: 'Target.NotRegistered',
          description: 'Target is not registered to the target group',
          consecutiveFailures: 0,
          consecutiveSuccesses: 0,
        }
      );
    });
  }

  async createListener(input: {
    loadBalancerArn: string;
    port: number;
    protocol?: string;
    defaultActions: Action[];
    tags?: Record<string, string>;
  }): Promise<Listener> {
    const lb = this.loadBalancer(input.loadBalancerArn);
    if (!Number.isInteger(input.port) || input.port < 0 || input.port > 65535) {
      throw new AwsError('ValidationError', `Listener port ${input.port} is outside 1–65535 (0 picks a free local port)`);
    }
    if (input.port !== 0 && this.state.listeners.some((l) => l.loadBalancerArn === lb.arn && l.requestedPort === input.port)) {
      throw new AwsError('DuplicateListener', `A listener already exists on port ${input.port} of '${lb.arn}'`);
    }
    this.checkActions(input.defaultActions, 'DefaultActions');
    const listenerPath = `app/${lb.name}/${lb.id}/${hexId(16)}`;
    const arn = this.arn(`listener/${listenerPath}`);
    const port = await this.ports.bind(arn, input.port);
    const listener: Listener = {
      arn,
      loadBalancerArn: lb.arn,
      defaultRuleArn: this.arn(`listener-rule/${listenerPath}/${hexId(16)}`),
      requestedPort: input.port,
      port,
      protocol: input.protocol ?? 'HTTP',
      defaultActions: input.defaultActions,
    };
    this.state.listeners.push(listener);
    this.setTags(listener.arn, input.tags ?? {});
    return listener;
  }

  modifyListener(arn: string, input: { defaultActions?: Action[] }): Listener {
    const listener = this.listener(arn);
    if (input.defaultActions) {
      this.checkActions(input.defaultActions, 'DefaultActions');
      listener.defaultActions = input.defaultActions;
    }
    return listener;
  }

  async deleteListener(arn: string): Promise<void> {
    const listener = this.listener(arn);
    await this.ports.release(listener.arn);
    this.state.rules = this.state.rules.filter((rule) => rule.listenerArn !== arn);
    this.state.listeners = this.state.listeners.filter((item) => item.arn !== arn);
    delete this.state.tags[arn];
  }

  listener(arn: string): Listener {
    const listener = this.state.listeners.find((item) => item.arn === arn);
    if (!listener) throw new AwsError('ListenerNotFound', `Listener '${arn}' not found`);
    return listener;
  }

  describeListeners(input: { loadBalancerArn?: string; arns?: string[] }): Listener[] {
    if (input.arns?.length) return input.arns.map((arn) => this.listener(arn));
    if (input.loadBalancerArn) {
      this.loadBalancer(input.loadBalancerArn);
      return this.state.listeners.filter((l) => l.loadBalancerArn === input.loadBalancerArn);
    }
    throw new AwsError('ValidationError', 'You must specify either listener ARNs or a load balancer ARN');
  }

  createRule(input: CreateRuleInput): Rule {
    const listener = this.listener(input.listenerArn);
    checkPriority(input.priority);
    if (this.state.rules.some((rule) => rule.listenerArn === listener.arn && rule.priority === input.priority)) {
      throw new AwsError('PriorityInUse', `Priority '${input.priority}' is currently in use`);
    }
    if (input.conditions.length === 0) throw new AwsError('ValidationError', 'A rule needs at least one condition');
    this.checkActions(input.actions, 'Actions');
    const suffix = listener.arn.slice(listener.arn.indexOf(':listener/') + ':listener/'.length);
    const rule: Rule = {
      arn: this.arn(`listener-rule/${suffix}/${hexId(16)}`),
      listenerArn: listener.arn,
      priority: input.priority,
      conditions: input.conditions,
      actions: input.actions,
    };
    this.state.rules.push(rule);
    this.setTags(rule.arn, input.tags ?? {});
    return rule;
  }

  /** Modifying the default rule changes the listener's default actions, as in ELBv2. */
  modifyRule(arn: string, input: { conditions?: Condition[]; actions?: Action[] }): Rule | Listener {
    const listener = this.state.listeners.find((item) => item.defaultRuleArn === arn);
    if (listener) {
      if (input.conditions?.length) throw new AwsError('OperationNotPermitted', 'The default rule cannot have conditions');
      return this.modifyListener(listener.arn, input.actions ? { defaultActions: input.actions } : {});
    }
    const rule = this.rule(arn);
    if (input.actions) this.checkActions(input.actions, 'Actions');
    if (input.conditions) rule.conditions = input.conditions;
    if (input.actions) rule.actions = input.actions;
    return rule;
  }

  setRulePriorities(priorities: { ruleArn: string; priority: number }[]): Rule[] {
    const rules = priorities.map(({ ruleArn, priority }) => {
      checkPriority(priority);
      return { rule: this.rule(ruleArn), priority };
    });
    for (const { rule, priority } of rules) rule.priority = priority;
    return rules.map(({ rule }) => rule);
  }

  deleteRule(arn: string): void {
    if (this.state.listeners.some((l) => l.defaultRuleArn === arn))
      throw new AwsError('OperationNotPermitted', 'The default rule cannot be deleted');
    this.rule(arn);
    this.state.rules = this.state.rules.filter((rule) => rule.arn !== arn);
    delete this.state.tags[arn];
  }

  rule(arn: string): Rule {
    const rule = this.state.rules.find((item) => item.arn === arn);
    if (!rule) throw new AwsError('RuleNotFound', `One or more rules not found: '${arn}'`);
    return rule;
  }

  /** Rules by priority, then the listener's default rule (`priority` undefined). */
  describeRules(input: { listenerArn?: string; arns?: string[] }): { rule: Rule; isDefault: boolean }[] {
    if (input.arns?.length) {
      return input.arns.map((arn) => {
        const listener = this.state.listeners.find((item) => item.defaultRuleArn === arn);
        return listener ? { rule: this.defaultRule(listener), isDefault: true } : { rule: this.rule(arn), isDefault: false };
      });
    }
    if (!input.listenerArn) throw new AwsError('ValidationError', 'You must specify either rule ARNs or a listener ARN');
    const listener = this.listener(input.listenerArn);
    const rules = this.state.rules.filter((rule) => rule.listenerArn === listener.arn).sort((a, b) => a.priority - b.priority);
    return [...rules.map((rule) => ({ rule, isDefault: false })), { rule: this.defaultRule(listener), isDefault: true }];
  }

  private defaultRule(listener: Listener): Rule {
    return {
      arn: listener.defaultRuleArn,
      listenerArn: listener.arn,
      priority: Number.POSITIVE_INFINITY,
      conditions: [],
      actions: listener.defaultActions,
    };
  }

  /**
   * As the API reference documents it (Tag, AddTags): keys 1 to 128 characters, values 0 to 256, both of
   * letters, digits, white space and `_ . : / = + - @`; `aws:` keys are reserved; at most 50 tags per
   * resource, counted after the update (keys that already exist are updated, not added).
   */
  addTags(arns: string[], tags: Record<string, string>): void {
    if (arns.length === 0 || arns.length > 20) throw new AwsError('ValidationError', 'ResourceArns must hold 1 to 20 ARNs');
    if (Object.keys(tags).length === 0) throw new AwsError('ValidationError', 'Tags must hold at least 1 tag');
    for (const [key, value] of Object.entries(tags)) {
      if (key.length < 1 || key.length > 128 || !TAG_TEXT.test(key)) {
        throw new AwsError('ValidationError', `Tag key '${key}' must be 1 to 128 characters of letters, digits, spaces and _.:/=+-@`);
      }
      if (value.length > 256 || !TAG_TEXT.test(value)) {
        throw new AwsError('ValidationError', `Tag value of '${key}' must be up to 256 characters of letters, digits, spaces and _.:/=+-@`);
      }
      if (key.toLowerCase().startsWith('aws:')) throw new AwsError('ValidationError', `Tag key '${key}' uses the reserved prefix aws:`);
    }
    for (const arn of arns) {
      this.requireResource(arn);
      const current = this.state.tags[arn] ?? {};
      const after = Object.keys({ ...current, ...tags }).filter((key) => !key.startsWith('aws:')).length;
      if (after > 50) throw new AwsError('TooManyTags', `You've reached the limit on the number of tags for this resource`);
    }
    for (const arn of arns) this.state.tags[arn] = { ...(this.state.tags[arn] ?? {}), ...tags };
  }

  removeTags(arns: string[], keys: string[]): void {
    if (arns.length === 0 || arns.length > 20) throw new AwsError('ValidationError', 'ResourceArns must hold 1 to 20 ARNs');
    if (keys.length === 0) throw new AwsError('ValidationError', 'TagKeys must hold at least 1 key');
    for (const arn of arns) {
      this.requireResource(arn);
      const current = { ...this.state.tags[arn] };
      for (const key of keys) delete current[key];
      this.state.tags[arn] = current;
    }
  }

  describeTags(arns: string[]): { arn: string; tags: Record<string, string> }[] {
    if (arns.length === 0 || arns.length > 20) throw new AwsError('ValidationError', 'ResourceArns must hold 1 to 20 ARNs');
    return arns.map((arn) => {
      this.requireResource(arn);
      return { arn, tags: this.state.tags[arn] ?? {} };
    });
  }

  private setTags(arn: string, tags: Record<string, string>): void {
    this.state.tags[arn] = { ...tags };
  }

  /** Tags address any resource type; the error names the type the ARN claims to be. */
  private requireResource(arn: string): void {
    if (arn.includes(':loadbalancer/')) this.loadBalancer(arn);
    else if (arn.includes(':targetgroup/')) this.targetGroup(arn);
    else if (arn.includes(':listener-rule/')) this.describeRules({ arns: [arn] });
    else if (arn.includes(':listener/')) this.listener(arn);
    else throw new AwsError('ValidationError', `'${arn}' is not a valid Elastic Load Balancing resource ARN`);
  }

  private checkActions(actions: Action[], field: string): void {
    if (actions.length === 0) throw new AwsError('ValidationError', `${field} must hold at least one action`);
    for (const action of actions) {
      if (action.type === 'forward') {
        const groups = action.forward ?? [];
        if (groups.length === 0) throw new AwsError('ValidationError', `A forward action needs a TargetGroupArn or a ForwardConfig`);
        if (groups.length > MAX_WEIGHTED_GROUPS) {
          throw new AwsError(
            'ValidationError',
            `A forward action can hold at most ${MAX_WEIGHTED_GROUPS} target groups, got ${groups.length}`,
          );
        }
        const seen = new Set<string>();
        for (const { targetGroupArn, weight } of groups) {
          if (!Number.isInteger(weight) || weight < 0 || weight > MAX_WEIGHT) {
            throw new AwsError(
              'ValidationError',
              `Target group weight must be an integer from 0 to ${MAX_WEIGHT}, got '${weight}' for '${targetGroupArn}'`,
            );
          }
          if (seen.has(targetGroupArn))
            throw new AwsError('ValidationError', `Target group '${targetGroupArn}' appears twice in one forward action`);
          seen.add(targetGroupArn);
          this.targetGroup(targetGroupArn);
        }
      } else if (action.type === 'fixed-response') {
        const code = Number(action.fixedResponse?.statusCode);
        if (!(code >= 200 && code <= 599))
          throw new AwsError('ValidationError', `A fixed-response action needs a StatusCode from 200 to 599`);
      } else if (action.type !== 'redirect') {
        throw new AwsError(
          'ValidationError',
          `Action type '${action.type}' is not supported by the stand-in (forward, fixed-response, redirect)`,
        );
      }
    }
  }
}

function newTarget(id: string, port: number): Target {
  return {
    id,
    port,
    state: 'initial',
    reason: 'Elb.RegistrationInProgress',
    description: 'Target registration is in progress',
    consecutiveFailures: 0,
    consecutiveSuccesses: 0,
  };
}

function checkName(name: string, kind: string): void {
  if (!NAME_PATTERN.test(name)) {
    throw new AwsError(
      'ValidationError',
      `The ${kind} name '${name}' must be 1–32 letters, digits or hyphens, not starting or ending with a hyphen`,
    );
  }
}

function checkPriority(priority: number): void {
  if (!Number.isInteger(priority) || priority < 1 || priority > 50000) {
    throw new AwsError('ValidationError', `Rule priority must be an integer from 1 to 50000, got '${priority}'`);
  }
}

function checkHealthCheck(check: HealthCheck): void {
  if (!(check.intervalSeconds > 0)) throw new AwsError('ValidationError', 'HealthCheckIntervalSeconds must be positive');
  if (!(check.timeoutSeconds > 0)) throw new AwsError('ValidationError', 'HealthCheckTimeoutSeconds must be positive');
  if (check.timeoutSeconds > check.intervalSeconds) {
    throw new AwsError('ValidationError', 'HealthCheckTimeoutSeconds must not exceed HealthCheckIntervalSeconds');
  }
  for (const [name, value] of [
    ['HealthyThresholdCount', check.healthyThreshold],
    ['UnhealthyThresholdCount', check.unhealthyThreshold],
  ] as const) {
    if (!Number.isInteger(value) || value < 2 || value > 10)
      throw new AwsError('ValidationError', `${name} must be an integer from 2 to 10, got '${value}'`);
  }
  if (!check.path.startsWith('/')) throw new AwsError('ValidationError', `Health check path must start with '/', got '${check.path}'`);
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as Partial<T>;
}
