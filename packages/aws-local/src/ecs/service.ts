/**
 * ECS control-plane operations. Starting and stopping task processes is the scheduler's job;
 * this file only records intent (desired counts, deployments, stop requests).
 */
import { AwsError } from '../errors.js';
import { hexId } from '../ids.js';
import type { Cluster, ContainerDefinition, Deployment, EcsState, Service, ServiceLoadBalancer, Task, TaskDefinition } from './model.js';

const MAX_EVENTS = 100;

export interface CreateServiceInput {
  cluster?: string;
  serviceName: string;
  taskDefinition: string;
  desiredCount?: number;
  launchType?: string;
  loadBalancers?: ServiceLoadBalancer[];
  healthCheckGracePeriodSeconds?: number;
  circuitBreaker?: { enable: boolean; rollback: boolean };
  maximumPercent?: number;
  minimumHealthyPercent?: number;
  tags?: Record<string, string>;
}

export interface UpdateServiceInput {
  cluster?: string;
  service: string;
  taskDefinition?: string;
  desiredCount?: number;
  forceNewDeployment?: boolean;
  healthCheckGracePeriodSeconds?: number;
  circuitBreaker?: { enable: boolean; rollback: boolean };
}

export class EcsService {
  constructor(
    readonly state: EcsState,
    private readonly account: { region: string; accountId: string },
    /** Checks that a target group exists before a service is attached to it. */
    private readonly requireTargetGroup: (arn: string) => void,
  ) {}

  arn(resource: string): string {
    return `arn:aws:ecs:${this.account.region}:${this.account.accountId}:${resource}`;
  }

  createCluster(name = 'default', tags: Record<string, string> = {}): Cluster {
    if (!/^[A-Za-z0-9_-]{1,255}$/.test(name))
      throw new AwsError('InvalidParameterException', `Cluster name '${name}' may hold only letters, digits, hyphens and underscores`);
    const existing = this.state.clusters.find((c) => c.name === name && c.status === 'ACTIVE');
    if (existing) return existing;
    const cluster: Cluster = { arn: this.arn(`cluster/${name}`), name, status: 'ACTIVE' };
    this.state.clusters = [...this.state.clusters.filter((c) => c.name !== name), cluster];
    this.state.tags[cluster.arn] = { ...tags };
    return cluster;
  }

  cluster(ref = 'default'): Cluster {
    const cluster = this.state.clusters.find((c) => (c.arn === ref || c.name === ref) && c.status === 'ACTIVE');
    if (!cluster) throw new AwsError('ClusterNotFoundException', `Cluster not found: ${ref}`);
    return cluster;
  }

  findCluster(ref: string): Cluster | undefined {
    return this.state.clusters.find((c) => c.arn === ref || c.name === ref);
  }

  deleteCluster(ref: string): Cluster {
    const cluster = this.cluster(ref);
    if (this.state.services.some((s) => s.clusterArn === cluster.arn && s.status !== 'INACTIVE')) {
      throw new AwsError('ClusterContainsServicesException', `The cluster ${cluster.name} still contains active services`);
    }
    cluster.status = 'INACTIVE';
    return cluster;
  }

  registerTaskDefinition(
    family: string,
    containers: ContainerDefinition[],
    extra: Record<string, unknown>,
    tags: Record<string, string> = {},
  ): TaskDefinition {
    if (!/^[A-Za-z0-9_-]{1,255}$/.test(family))
      throw new AwsError('ClientException', `Family '${family}' may hold only letters, digits, hyphens and underscores`);
    if (containers.length === 0) throw new AwsError('ClientException', 'Container list cannot be empty.');
    for (const container of containers) {
      if (!container.name || !container.image)
        throw new AwsError('ClientException', 'Every container definition needs a name and an image');
    }
    const revision = Math.max(0, ...this.state.taskDefinitions.filter((t) => t.family === family).map((t) => t.revision)) + 1;
    const definition: TaskDefinition = {
      arn: this.arn(`task-definition/${family}:${revision}`),
      family,
      revision,
      status: 'ACTIVE',
      containerDefinitions: containers,
      extra,
      registeredAt: Date.now(),
    };
    this.state.taskDefinitions.push(definition);
    this.state.tags[definition.arn] = { ...tags };
    return definition;
  }

  /** `family` (latest ACTIVE revision), `family:revision` or a full ARN. */
  taskDefinition(ref: string): TaskDefinition {
    const name = ref.startsWith('arn:') ? ref.slice(ref.indexOf('task-definition/') + 'task-definition/'.length) : ref;
    const [family, revision] = name.split(':');
    const candidates = this.state.taskDefinitions.filter((t) => t.family === family);
    const found =
      revision === undefined
        ? candidates.filter((t) => t.status === 'ACTIVE').sort((a, b) => b.revision - a.revision)[0]
        : candidates.find((t) => t.revision === Number(revision));
    if (!found) throw new AwsError('ClientException', `Unable to describe task definition: ${ref}`);
    return found;
  }

  deregisterTaskDefinition(ref: string): TaskDefinition {
    if (!ref.includes(':') || ref.endsWith(':'))
      throw new AwsError('ClientException', `Give a revision to deregister ('family:revision' or an ARN), got '${ref}'`);
    const definition = this.taskDefinition(ref);
    definition.status = 'INACTIVE';
    definition.deregisteredAt = Date.now();
    return definition;
  }

  listTaskDefinitions(filter: { familyPrefix?: string; status?: string; sort?: string }): string[] {
    const status = filter.status ?? 'ACTIVE';
    const list = this.state.taskDefinitions
      .filter((t) => (status === 'ALL' || t.status === status) && (!filter.familyPrefix || t.family.startsWith(filter.familyPrefix)))
      .sort((a, b) => a.family.localeCompare(b.family) || a.revision - b.revision);
    return (filter.sort === 'DESC' ? list.reverse() : list).map((t) => t.arn);
  }

  listTaskDefinitionFamilies(prefix?: string): string[] {
    return [
      ...new Set(
        this.state.taskDefinitions.filter((t) => t.status === 'ACTIVE' && (!prefix || t.family.startsWith(prefix))).map((t) => t.family),
      ),
    ].sort();
  }

  createService(input: CreateServiceInput): Service {
    const cluster = this.cluster(input.cluster);
    if (!/^[A-Za-z0-9_-]{1,255}$/.test(input.serviceName))
      throw new AwsError(
        'InvalidParameterException',
        `Service name '${input.serviceName}' may hold only letters, digits, hyphens and underscores`,
      );
    if (this.state.services.some((s) => s.clusterArn === cluster.arn && s.name === input.serviceName && s.status !== 'INACTIVE')) {
      throw new AwsError('InvalidParameterException', 'Creation of service was not idempotent.');
    }
    const definition = this.taskDefinition(input.taskDefinition);
    if (definition.status !== 'ACTIVE') throw new AwsError('ClientException', `TaskDefinition is inactive: ${definition.arn}`);
    const desiredCount = checkDesiredCount(input.desiredCount ?? 0);
    for (const lb of input.loadBalancers ?? []) {
      this.requireTargetGroup(lb.targetGroupArn);
      const container = definition.containerDefinitions.find((c) => c.name === lb.containerName);
      if (!container)
        throw new AwsError('InvalidParameterException', `The container ${lb.containerName} does not exist in the task definition.`);
    }
    const now = Date.now();
    const service: Service = {
      arn: this.arn(`service/${cluster.name}/${input.serviceName}`),
      name: input.serviceName,
      clusterArn: cluster.arn,
      taskDefinition: definition.arn,
      desiredCount,
      status: 'ACTIVE',
      launchType: input.launchType ?? 'FARGATE',
      loadBalancers: input.loadBalancers ?? [],
      createdAt: now,
      healthCheckGracePeriodSeconds: input.healthCheckGracePeriodSeconds ?? 0,
      circuitBreaker: input.circuitBreaker ?? { enable: false, rollback: false },
      maximumPercent: input.maximumPercent ?? 200,
      minimumHealthyPercent: input.minimumHealthyPercent ?? 100,
      deployments: [],
      events: [],
      nextLaunchAt: 0,
      launchFailures: 0,
    };
    this.startDeployment(service, definition.arn);
    this.state.services = [...this.state.services.filter((s) => s.arn !== service.arn), service];
    this.state.tags[service.arn] = { ...input.tags };
    return service;
  }

  updateService(input: UpdateServiceInput): Service {
    const service = this.service(input.cluster, input.service);
    if (service.status !== 'ACTIVE') throw new AwsError('ServiceNotActiveException', 'Service was not ACTIVE.');
    const definition = input.taskDefinition ? this.taskDefinition(input.taskDefinition) : undefined;
    if (definition && definition.status !== 'ACTIVE')
      throw new AwsError('ClientException', `TaskDefinition is inactive: ${definition.arn}`);
    if (input.desiredCount !== undefined) {
      service.desiredCount = checkDesiredCount(input.desiredCount);
      for (const deployment of service.deployments.filter((d) => d.status === 'PRIMARY')) deployment.desiredCount = service.desiredCount;
    }
    if (input.healthCheckGracePeriodSeconds !== undefined) service.healthCheckGracePeriodSeconds = input.healthCheckGracePeriodSeconds;
    if (input.circuitBreaker) service.circuitBreaker = input.circuitBreaker;
    const changedDefinition = definition !== undefined && definition.arn !== service.taskDefinition;
    if (changedDefinition || input.forceNewDeployment) this.startDeployment(service, definition?.arn ?? service.taskDefinition);
    return service;
  }

  /** The new deployment becomes PRIMARY; earlier ones turn ACTIVE and are drained by the scheduler. */
  startDeployment(service: Service, taskDefinitionArn: string, reason = 'ECS deployment in progress.'): Deployment {
    const now = Date.now();
    for (const old of service.deployments) {
      if (old.status === 'PRIMARY') {
        old.status = 'ACTIVE';
        old.updatedAt = now;
      }
    }
    const deployment: Deployment = {
      id: `ecs-svc/${Array.from({ length: 19 }, () => Math.floor(Math.random() * 10)).join('')}`,
      status: 'PRIMARY',
      taskDefinition: taskDefinitionArn,
      desiredCount: service.desiredCount,
      failedTasks: 0,
      createdAt: now,
      updatedAt: now,
      rolloutState: 'IN_PROGRESS',
      rolloutStateReason: reason,
    };
    service.taskDefinition = taskDefinitionArn;
    service.deployments.unshift(deployment);
    service.launchFailures = 0;
    service.nextLaunchAt = 0;
    return deployment;
  }

  deleteService(clusterRef: string | undefined, ref: string, force: boolean): Service {
    const service = this.service(clusterRef, ref);
    if (service.desiredCount > 0 && !force) {
      throw new AwsError('InvalidParameterException', 'The service cannot be stopped while it is scaled above 0.');
    }
    service.desiredCount = 0;
    for (const deployment of service.deployments) deployment.desiredCount = 0;
    service.status = 'DRAINING';
    return service;
  }

  service(clusterRef: string | undefined, ref: string): Service {
    const cluster = this.cluster(clusterRef);
    const service = this.findService(cluster.arn, ref);
    if (!service) throw new AwsError('ServiceNotFoundException', `Service not found: ${ref}`);
    return service;
  }

  findService(clusterArn: string, ref: string): Service | undefined {
    const matches = this.state.services.filter((s) => s.clusterArn === clusterArn && (s.arn === ref || s.name === ref));
    return matches.find((s) => s.status !== 'INACTIVE') ?? matches[0];
  }

  listServices(clusterRef?: string): string[] {
    const cluster = this.cluster(clusterRef);
    return this.state.services.filter((s) => s.clusterArn === cluster.arn && s.status !== 'INACTIVE').map((s) => s.arn);
  }

  addEvent(service: Service, message: string): void {
    // A steady service repeats the same message; ECS does not pile up duplicates back to back.
    if (service.events[0]?.message === message) return;
    service.events.unshift({
      id: hexId(8) + '-' + hexId(4) + '-' + hexId(4) + '-' + hexId(4) + '-' + hexId(12),
      createdAt: Date.now(),
      message,
    });
    service.events.length = Math.min(service.events.length, MAX_EVENTS);
  }

  findTask(clusterArn: string, ref: string): Task | undefined {
    return this.state.tasks.find((t) => t.clusterArn === clusterArn && (t.arn === ref || t.id === ref));
  }

  listTasks(filter: { cluster?: string; serviceName?: string; family?: string; desiredStatus?: string; startedBy?: string }): string[] {
    const cluster = this.cluster(filter.cluster);
    if (filter.serviceName && !this.findService(cluster.arn, filter.serviceName))
      throw new AwsError('ServiceNotFoundException', `Service not found: ${filter.serviceName}`);
    const desired = filter.desiredStatus ?? 'RUNNING';
    return this.state.tasks
      .filter((t) => t.clusterArn === cluster.arn && t.desiredStatus === desired)
      .filter((t) => !filter.serviceName || t.group === `service:${this.findService(cluster.arn, filter.serviceName)?.name}`)
      .filter((t) => !filter.family || t.taskDefinitionArn.includes(`task-definition/${filter.family}:`))
      .filter((t) => !filter.startedBy || t.startedBy === filter.startedBy)
      .map((t) => t.arn);
  }

  tagResource(arn: string, tags: Record<string, string>): void {
    this.requireTaggable(arn);
    this.state.tags[arn] = { ...this.state.tags[arn], ...tags };
  }

  untagResource(arn: string, keys: string[]): void {
    this.requireTaggable(arn);
    const tags = { ...this.state.tags[arn] };
    for (const key of keys) delete tags[key];
    this.state.tags[arn] = tags;
  }

  listTags(arn: string): Record<string, string> {
    this.requireTaggable(arn);
    return this.state.tags[arn] ?? {};
  }

  private requireTaggable(arn: string): void {
    const known =
      this.state.clusters.some((c) => c.arn === arn) ||
      this.state.services.some((s) => s.arn === arn) ||
      this.state.taskDefinitions.some((t) => t.arn === arn) ||
      this.state.tasks.some((t) => t.arn === arn);
    if (known) return;
    if (arn.includes(':cluster/')) throw new AwsError('ClusterNotFoundException', `Cluster not found: ${arn}`);
    if (arn.includes(':service/')) throw new AwsError('ServiceNotFoundException', `Service not found: ${arn}`);
    if (!arn.startsWith('arn:aws:ecs:'))
      throw new AwsError('InvalidParameterException', `Invalid identifier: '${arn}' is not an ECS resource ARN`);
    throw new AwsError('InvalidParameterException', `The specified resource was not found: ${arn}`);
  }
}

function checkDesiredCount(count: number): number {
  if (!Number.isInteger(count) || count < 0)
    throw new AwsError('InvalidParameterException', `desiredCount must be a non-negative integer, got ${count}`);
  return count;
}
