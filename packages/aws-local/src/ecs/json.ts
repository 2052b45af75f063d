/** ECS resources in the JSON shapes the API returns (timestamps as Dates, sent as epoch seconds). */
import type { Cluster, Deployment, EcsState, Service, Task, TaskDefinition } from './model.js';

const ms = (value: number | undefined): Date | undefined => (value === undefined ? undefined : new Date(value));

function counts(state: EcsState, filter: (task: Task) => boolean): { runningCount: number; pendingCount: number } {
  const tasks = state.tasks.filter((t) => filter(t) && t.desiredStatus === 'RUNNING');
  return {
    runningCount: tasks.filter((t) => t.lastStatus === 'RUNNING').length,
    pendingCount: tasks.filter((t) => t.lastStatus === 'PENDING' || t.lastStatus === 'PROVISIONING').length,
  };
}

export function clusterJson(cluster: Cluster, state: EcsState, tags?: Record<string, string>): Record<string, unknown> {
  const tasks = counts(state, (t) => t.clusterArn === cluster.arn);
  return {
    clusterArn: cluster.arn,
    clusterName: cluster.name,
    status: cluster.status,
    registeredContainerInstancesCount: 0,
    runningTasksCount: tasks.runningCount,
    pendingTasksCount: tasks.pendingCount,
    activeServicesCount: state.services.filter((s) => s.clusterArn === cluster.arn && s.status === 'ACTIVE').length,
    ...(tags ? { tags: tagList(tags) } : {}),
  };
}

export function taskDefinitionJson(definition: TaskDefinition): Record<string, unknown> {
  return {
    ...definition.extra,
    taskDefinitionArn: definition.arn,
    family: definition.family,
    revision: definition.revision,
    status: definition.status,
    containerDefinitions: definition.containerDefinitions,
    compatibilities: ['EC2', 'FARGATE'],
    registeredAt: ms(definition.registeredAt),
    deregisteredAt: ms(definition.deregisteredAt),
  };
}

function deploymentJson(deployment: Deployment, service: Service, state: EcsState): Record<string, unknown> {
  return {
    id: deployment.id,
    status: deployment.status,
    taskDefinition: deployment.taskDefinition,
    desiredCount: deployment.desiredCount,
    ...counts(state, (t) => t.startedBy === deployment.id),
    failedTasks: deployment.failedTasks,
    createdAt: ms(deployment.createdAt),
    updatedAt: ms(deployment.updatedAt),
    launchType: service.launchType,
    rolloutState: deployment.rolloutState,
    rolloutStateReason: deployment.rolloutStateReason,
  };
}

export function serviceJson(service: Service, state: EcsState, tags?: Record<string, string>): Record<string, unknown> {
  return {
    serviceArn: service.arn,
    serviceName: service.name,
    clusterArn: service.clusterArn,
    loadBalancers: service.loadBalancers,
    status: service.status,
    desiredCount: service.desiredCount,
    ...counts(state, (t) => t.clusterArn === service.clusterArn && t.group === `service:${service.name}`),
    launchType: service.launchType,
    taskDefinition: service.taskDefinition,
    deploymentConfiguration: {
      deploymentCircuitBreaker: service.circuitBreaker,
      maximumPercent: service.maximumPercent,
      minimumHealthyPercent: service.minimumHealthyPercent,
    },
    deployments: service.deployments.map((d) => deploymentJson(d, service, state)),
    events: service.events.map((e) => ({ id: e.id, createdAt: ms(e.createdAt), message: e.message })),
    createdAt: ms(service.createdAt),
    healthCheckGracePeriodSeconds: service.healthCheckGracePeriodSeconds,
    schedulingStrategy: 'REPLICA',
    deploymentController: { type: 'ECS' },
    ...(tags ? { tags: tagList(tags) } : {}),
  };
}

export function taskJson(task: Task, tags?: Record<string, string>): Record<string, unknown> {
  return {
    taskArn: task.arn,
    clusterArn: task.clusterArn,
    taskDefinitionArn: task.taskDefinitionArn,
    group: task.group,
    startedBy: task.startedBy,
    lastStatus: task.lastStatus,
    desiredStatus: task.desiredStatus,
    launchType: 'FARGATE',
    createdAt: ms(task.createdAt),
    startedAt: ms(task.startedAt),
    stoppingAt: ms(task.stoppingAt),
    stoppedAt: ms(task.stoppedAt),
    stoppedReason: task.stoppedReason,
    stopCode: task.stopCode,
    healthStatus: 'UNKNOWN',
    containers: task.containers.map((c) => ({
      containerArn: c.arn,
      taskArn: task.arn,
      name: c.name,
      image: c.image,
      lastStatus: c.lastStatus,
      exitCode: c.exitCode,
      reason: c.reason,
      networkBindings:
        task.port === undefined ? [] : [{ bindIP: '127.0.0.1', hostPort: task.port, containerPort: task.port, protocol: 'tcp' }],
    })),
    ...(tags ? { tags: tagList(tags) } : {}),
  };
}

export function tagList(tags: Record<string, string>): { key: string; value: string }[] {
  return Object.entries(tags).map(([key, value]) => ({ key, value }));
}
