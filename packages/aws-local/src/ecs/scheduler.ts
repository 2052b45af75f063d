/**
 * The service scheduler: keeps each service's deployments at their desired counts with real processes,
 * registers running tasks in their target groups, drains and stops old ones, replaces tasks that exit
 * or fail health checks, and trips the deployment circuit breaker — the loop ECS runs for a service.
 */
import { uuid, hexId } from '../ids.js';
import type { Elbv2Service } from '../elbv2/service.js';
import type { Faults } from '../faults.js';
import type { TaskExit, TaskRunner } from '../dataplane/tasks.js';
import type { ContainerDefinition, Deployment, Service, Task } from './model.js';
import type { EcsService } from './service.js';

const TARGET_HOST = '127.0.0.1';
const MAX_STOPPED_TASKS = 500;
const MAX_LAUNCH_DELAY_MS = 5000;

export interface SchedulerOptions {
  /** Pause before relaunching after a task failed, doubled per consecutive failure (up to 5 s). */
  readonly restartDelayMs: number;
}

export class EcsScheduler {
  private readonly byPort = new Map<number, Task>();
  /** Set on shutdown: exits from then on are the stand-in's doing, not the tasks'. */
  private closing = false;

  constructor(
    private readonly ecs: EcsService,
    private readonly elbv2: Elbv2Service,
    private readonly runner: TaskRunner,
    private readonly faults: Faults,
    private readonly options: SchedulerOptions,
  ) {}

  /** The task serving on a local port, for the proxy's per-task faults. */
  taskAtPort(port: number): { arn: string; image: string } | undefined {
    const task = this.byPort.get(port);
    return task && { arn: task.arn, image: this.mainContainerOf(task)?.image ?? '' };
  }

  crash(taskArn: string): void {
    this.runner.kill(taskArn);
  }

  tick(now = Date.now()): void {
    if (this.closing) return;
    for (const service of this.ecs.state.services) {
      if (service.status !== 'INACTIVE') this.reconcile(service, now);
    }
    this.finishDeactivating();
    this.forgetOldTasks();
  }

  private reconcile(service: Service, now: number): void {
    const live = this.liveTasks(service);
    const primary = service.deployments.find((d) => d.status === 'PRIMARY');
    if (!primary) return;
    this.replaceUnhealthy(service, live, now);

    const primaryTasks = live.filter((t) => t.startedBy === primary.id);
    const missing = primary.desiredCount - primaryTasks.length;
    if (missing > 0 && primary.rolloutState !== 'FAILED' && now >= service.nextLaunchAt) {
      for (let i = 0; i < missing; i += 1) this.launch(service, primary);
    } else if (missing < 0) {
      for (const task of primaryTasks.slice(0, -missing))
        this.stopTask(service, task, `Scaling activity initiated by (deployment ${primary.id})`, 'ServiceSchedulerInitiated');
    }

    // Older deployments keep just enough tasks to cover what the new one cannot serve yet.
    const healthyPrimary = primaryTasks.filter((t) => this.isHealthy(service, t)).length;
    if (healthyPrimary > 0) service.launchFailures = 0;
    let keep = Math.max(0, Math.ceil((service.desiredCount * service.minimumHealthyPercent) / 100) - healthyPrimary);
    for (const old of service.deployments.filter((d) => d.status === 'ACTIVE')) {
      for (const task of live.filter((t) => t.startedBy === old.id)) {
        if (keep > 0 && this.isHealthy(service, task)) keep -= 1;
        else this.stopTask(service, task, `Scaling activity initiated by (deployment ${primary.id})`, 'ServiceSchedulerInitiated');
      }
    }
    const remaining = (d: Deployment): number =>
      this.ecs.state.tasks.filter((t) => t.startedBy === d.id && t.lastStatus !== 'STOPPED').length;
    service.deployments = service.deployments.filter((d) => d.status === 'PRIMARY' || remaining(d) > 0);

    this.checkCircuitBreaker(service, primary);
    if (primary.rolloutState === 'IN_PROGRESS' && healthyPrimary >= primary.desiredCount && service.deployments.length === 1) {
      primary.rolloutState = 'COMPLETED';
      primary.rolloutStateReason = 'ECS deployment completed.';
      primary.updatedAt = now;
      service.lastStableTaskDefinition = primary.taskDefinition;
      this.ecs.addEvent(service, `(service ${service.name}) (deployment ${primary.id}) deployment completed.`);
      this.ecs.addEvent(service, `(service ${service.name}) has reached a steady state.`);
    }
    if (
      service.status === 'DRAINING' &&
      live.length === 0 &&
      this.ecs.state.tasks.every((t) => t.group !== `service:${service.name}` || t.lastStatus === 'STOPPED')
    ) {
      service.status = 'INACTIVE';
    }
  }

  /** Circuit-breaker threshold as ECS computes it: half the desired count, within 3–200. */
  private checkCircuitBreaker(service: Service, primary: Deployment): void {
    if (!service.circuitBreaker.enable || primary.rolloutState !== 'IN_PROGRESS') return;
    const threshold = Math.min(200, Math.max(3, Math.ceil(primary.desiredCount / 2)));
    if (primary.failedTasks < threshold) return;
    primary.rolloutState = 'FAILED';
    primary.rolloutStateReason = 'ECS deployment circuit breaker: tasks failed to start.';
    primary.updatedAt = Date.now();
    this.ecs.addEvent(service, `(service ${service.name}) (deployment ${primary.id}) deployment failed: tasks failed to start.`);
    const stable = service.lastStableTaskDefinition;
    if (service.circuitBreaker.rollback && stable && stable !== primary.taskDefinition) {
      const rollback = this.ecs.startDeployment(
        service,
        stable,
        `ECS deployment circuit breaker: rolling back to deploymentId ${primary.id}.`,
      );
      this.ecs.addEvent(service, `(service ${service.name}) (deployment ${rollback.id}) rolling back to ${stable}.`);
    }
  }

  private replaceUnhealthy(service: Service, live: Task[], now: number): void {
    for (const task of live) {
      if (task.lastStatus !== 'RUNNING' || task.port === undefined) continue;
      if (now - (task.startedAt ?? now) < service.healthCheckGracePeriodSeconds * 1000) continue;
      const failing = service.loadBalancers.find((lb) => this.targetOf(lb.targetGroupArn, task.port)?.state === 'unhealthy');
      if (!failing) continue;
      this.countFailure(service, task, now);
      this.ecs.addEvent(
        service,
        `(service ${service.name}) (task ${task.id}) failed ELB health checks in (target-group ${failing.targetGroupArn})`,
      );
      this.stopTask(
        service,
        task,
        `Task failed ELB health checks in (target-group ${failing.targetGroupArn})`,
        'ServiceSchedulerInitiated',
      );
    }
  }

  private launch(service: Service, deployment: Deployment): void {
    const definition = this.ecs.taskDefinition(deployment.taskDefinition);
    const id = hexId(32);
    const clusterName = service.clusterArn.slice(service.clusterArn.indexOf('cluster/') + 'cluster/'.length);
    const task: Task = {
      arn: this.ecs.arn(`task/${clusterName}/${id}`),
      id,
      clusterArn: service.clusterArn,
      taskDefinitionArn: definition.arn,
      group: `service:${service.name}`,
      startedBy: deployment.id,
      serviceName: service.name,
      lastStatus: 'PENDING',
      desiredStatus: 'RUNNING',
      createdAt: Date.now(),
      containers: definition.containerDefinitions.map((c) => ({
        arn: this.ecs.arn(`container/${clusterName}/${id}/${uuid()}`),
        name: c.name,
        image: c.image,
        lastStatus: 'PENDING',
      })),
    };
    this.ecs.state.tasks.push(task);
    this.ecs.addEvent(service, `(service ${service.name}) has started 1 tasks: (task ${id}).`);
    const main = mainContainer(definition.containerDefinitions, service);
    if (!main) return this.failToStart(service, task, 'CannotStartContainerError: the task definition has no container');
    if (this.faults.failsToStart(main.image))
      return this.failToStart(service, task, `CannotStartContainerError: injected fault: image '${main.image}' fails to start`);
    const environment = Object.fromEntries((main.environment ?? []).flatMap((e) => (e.name ? [[e.name, e.value ?? '']] : [])));
    this.runner
      .launch({ taskArn: task.arn, image: main.image, environment }, (exit) => this.onExit(service, task, exit))
      .then((result) => {
        if (!result.ok) return this.failToStart(service, task, result.reason);
        task.port = result.port;
        this.byPort.set(result.port, task);
        if (task.desiredStatus === 'STOPPED') {
          void this.runner.stop(task.arn);
          return;
        }
        task.lastStatus = 'RUNNING';
        task.startedAt = Date.now();
        for (const container of task.containers) container.lastStatus = 'RUNNING';
        for (const lb of service.loadBalancers) {
          this.elbv2.registerTargets(lb.targetGroupArn, [{ id: TARGET_HOST, port: result.port }]);
          this.ecs.addEvent(service, `(service ${service.name}) registered 1 targets in (target-group ${lb.targetGroupArn})`);
        }
      })
      .catch((error: unknown) =>
        this.failToStart(service, task, `CannotStartContainerError: ${error instanceof Error ? error.message : String(error)}`),
      );
  }

  private failToStart(service: Service, task: Task, reason: string): void {
    this.countFailure(service, task, Date.now());
    this.markStopped(task, reason, 'TaskFailedToStart');
  }

  private countFailure(service: Service, task: Task, now: number): void {
    const deployment = service.deployments.find((d) => d.id === task.startedBy);
    if (deployment) deployment.failedTasks += 1;
    service.launchFailures += 1;
    service.nextLaunchAt = now + Math.min(MAX_LAUNCH_DELAY_MS, this.options.restartDelayMs * 2 ** (service.launchFailures - 1));
  }

  /** An exit the scheduler did not ask for: the essential container stopped on its own. */
  private onExit(service: Service, task: Task, exit: TaskExit): void {
    if (this.closing) return;
    for (const container of task.containers) {
      container.lastStatus = 'STOPPED';
      container.exitCode = exit.exitCode;
      container.reason = exit.reason;
    }
    if (task.desiredStatus === 'RUNNING') {
      this.countFailure(service, task, Date.now());
      this.deregister(service, task);
      this.ecs.addEvent(
        service,
        `(service ${service.name}) (task ${task.id}) stopped: Essential container in task exited (exit code ${exit.exitCode}).`,
      );
      this.markStopped(task, 'Essential container in task exited', 'EssentialContainerExited');
    } else {
      this.markStopped(task, task.stoppedReason ?? 'Task stopped', task.stopCode ?? 'ServiceSchedulerInitiated');
    }
  }

  /** Deregisters the task, then lets the target drain before the process is stopped. */
  stopTask(service: Service | undefined, task: Task, reason: string, stopCode: string): void {
    if (task.desiredStatus === 'STOPPED') return;
    task.desiredStatus = 'STOPPED';
    task.stoppedReason = reason;
    task.stopCode = stopCode;
    task.stoppingAt = Date.now();
    if (task.lastStatus === 'PENDING') return;
    task.lastStatus = 'DEACTIVATING';
    if (service) {
      this.deregister(service, task);
      this.ecs.addEvent(service, `(service ${service.name}) has stopped 1 running tasks: (task ${task.id}).`);
    }
  }

  private deregister(service: Service, task: Task): void {
    if (task.port === undefined) return;
    for (const lb of service.loadBalancers) {
      const target = this.targetOf(lb.targetGroupArn, task.port);
      if (!target || target.state === 'draining') continue;
      this.elbv2.deregisterTargets(lb.targetGroupArn, [{ id: TARGET_HOST, port: task.port }]);
      this.ecs.addEvent(service, `(service ${service.name}) deregistered 1 targets in (target-group ${lb.targetGroupArn})`);
    }
  }

  /** Tasks being stopped wait until none of their targets is still draining. */
  private finishDeactivating(): void {
    for (const task of this.ecs.state.tasks.filter((t) => t.lastStatus === 'DEACTIVATING')) {
      const port = task.port;
      const draining =
        port !== undefined && this.elbv2.state.targetGroups.some((tg) => tg.targets.some((t) => t.id === TARGET_HOST && t.port === port));
      if (draining) continue;
      task.lastStatus = 'STOPPING';
      if (this.runner.isRunning(task.arn)) void this.runner.stop(task.arn);
      else this.markStopped(task, task.stoppedReason ?? 'Task stopped', task.stopCode ?? 'ServiceSchedulerInitiated');
    }
  }

  private markStopped(task: Task, reason: string, stopCode: string): void {
    if (task.port !== undefined && this.byPort.get(task.port) === task) this.byPort.delete(task.port);
    task.desiredStatus = 'STOPPED';
    task.lastStatus = 'STOPPED';
    task.stoppedReason = task.stoppedReason ?? reason;
    task.stopCode = task.stopCode ?? stopCode;
    task.stoppedAt = Date.now();
    task.stoppingAt = task.stoppingAt ?? task.stoppedAt;
    for (const container of task.containers) container.lastStatus = 'STOPPED';
  }

  private forgetOldTasks(): void {
    const stopped = this.ecs.state.tasks.filter((t) => t.lastStatus === 'STOPPED');
    if (stopped.length <= MAX_STOPPED_TASKS) return;
    const drop = new Set(stopped.slice(0, stopped.length - MAX_STOPPED_TASKS));
    this.ecs.state.tasks = this.ecs.state.tasks.filter((t) => !drop.has(t));
  }

  private liveTasks(service: Service): Task[] {
    return this.ecs.state.tasks.filter(
      (t) => t.clusterArn === service.clusterArn && t.group === `service:${service.name}` && t.desiredStatus === 'RUNNING',
    );
  }

  /** Healthy = running, and healthy in every target group the service uses. */
  private isHealthy(service: Service, task: Task): boolean {
    if (task.lastStatus !== 'RUNNING') return false;
    return service.loadBalancers.every((lb) => this.targetOf(lb.targetGroupArn, task.port)?.state === 'healthy');
  }

  private targetOf(targetGroupArn: string, port: number | undefined) {
    const tg = this.elbv2.state.targetGroups.find((g) => g.arn === targetGroupArn);
    return tg?.targets.find((t) => t.id === TARGET_HOST && t.port === port);
  }

  private mainContainerOf(task: Task): ContainerDefinition | undefined {
    const definition = this.ecs.state.taskDefinitions.find((d) => d.arn === task.taskDefinitionArn);
    const service = this.ecs.state.services.find((s) => s.clusterArn === task.clusterArn && `service:${s.name}` === task.group);
    return definition && mainContainer(definition.containerDefinitions, service);
  }

  async shutdown(): Promise<void> {
    this.closing = true;
    await this.runner.stopAll();
  }
}

/** The container a task's process stands for: the one behind the load balancer, else the first essential one. */
function mainContainer(containers: ContainerDefinition[], service: Service | undefined): ContainerDefinition | undefined {
  const behindLb = service?.loadBalancers[0]?.containerName;
  return containers.find((c) => c.name === behindLb) ?? containers.find((c) => c.essential !== false) ?? containers[0];
}
