/**
 * The two ECS services as a Fleet: render and (re)use the new revision, point the idle service at
 * it, report health from ECS and from the target group's health checks, scale. One port call is a
 * few API calls; waiting and deciding are the engine's.
 */
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ListTaskDefinitionsCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type Service,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';
import { DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Colour, DeployRequest, Fleet, FleetHealth, PreparedRevision, StoppedTask } from '@svg-ai-release/rollout';
import type { AwsClients } from './clients.js';
import { awsCall } from './errors.js';
import { renderRevision, sameRevision } from './task-definition.js';
import type { BlueGreenTopology } from './topology.js';

/** How many recent revisions of the family are compared before a new one is registered. */
const REUSE_LOOKBACK = 10;

export interface EcsFleetOptions {
  /** The container whose image is replaced; the first essential container when absent. */
  readonly containerName?: string;
}

export class EcsFleet implements Fleet {
  /**
   * The task definition each colour was last deployed with. Health is judged against it rather than
   * against the PRIMARY deployment, because ECS's circuit breaker replaces a failing deployment with
   * one of the previous revision, whose healthy tasks must not pass for the new revision's.
   */
  private readonly deployed = new Map<Colour, string>();

  constructor(
    private readonly clients: AwsClients,
    private readonly topology: BlueGreenTopology,
    private readonly options: EcsFleetOptions = {},
  ) {}

  private async service(colour: Colour): Promise<Service> {
    const name = this.topology.sides[colour].service;
    const { services } = await awsCall(`DescribeServices ${name}`, () =>
      this.clients.ecs.send(new DescribeServicesCommand({ cluster: this.topology.cluster, services: [name] })),
    );
    const service = services?.[0];
    if (!service) throw new Error(`ECS service ${name} was not found in cluster ${this.topology.cluster}`);
    return service;
  }

  private async taskDefinition(arn: string): Promise<TaskDefinition> {
    const { taskDefinition } = await awsCall(`DescribeTaskDefinition ${arn}`, () =>
      this.clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn })),
    );
    if (!taskDefinition) throw new Error(`task definition ${arn} was not found`);
    return taskDefinition;
  }

  async desiredCount(colour: Colour): Promise<number> {
    return (await this.service(colour)).desiredCount ?? 0;
  }

  async deploy(request: DeployRequest): Promise<PreparedRevision> {
    const live = await this.service(request.from);
    if (!live.taskDefinition) throw new Error(`ECS service ${live.serviceName} has no task definition`);
    const rendered = renderRevision(await this.taskDefinition(live.taskDefinition), request.revision, this.options.containerName);
    const existing = await this.findIdentical(rendered);
    const taskDefinition =
      existing ??
      (await awsCall(`RegisterTaskDefinition ${rendered.family}`, () => this.clients.ecs.send(new RegisterTaskDefinitionCommand(rendered))))
        .taskDefinition?.taskDefinitionArn;
    if (!taskDefinition) throw new Error(`RegisterTaskDefinition ${rendered.family} returned no task definition`);

    const idle = await this.service(request.to);
    if (idle.taskDefinition !== taskDefinition || idle.desiredCount !== request.desiredCount) {
      await awsCall(`UpdateService ${idle.serviceName}`, () =>
        this.clients.ecs.send(
          new UpdateServiceCommand({
            cluster: this.topology.cluster,
            service: this.topology.sides[request.to].service,
            taskDefinition,
            desiredCount: request.desiredCount,
          }),
        ),
      );
    }
    this.deployed.set(request.to, taskDefinition);
    return { taskDefinition, reused: existing !== undefined };
  }

  /** The newest active revision of the family identical to the rendered one, if any. */
  private async findIdentical(rendered: ReturnType<typeof renderRevision>): Promise<string | undefined> {
    const { taskDefinitionArns } = await awsCall(`ListTaskDefinitions ${rendered.family}`, () =>
      this.clients.ecs.send(
        new ListTaskDefinitionsCommand({ familyPrefix: rendered.family, status: 'ACTIVE', sort: 'DESC', maxResults: REUSE_LOOKBACK }),
      ),
    );
    for (const arn of taskDefinitionArns ?? []) {
      const candidate = await this.taskDefinition(arn);
      if (candidate.family === rendered.family && sameRevision(rendered, candidate)) return arn;
    }
    return undefined;
  }

  async health(colour: Colour, since: number): Promise<FleetHealth> {
    const service = await this.service(colour);
    const deployments = service.deployments ?? [];
    const primary = deployments.find((deployment) => deployment.status === 'PRIMARY');
    const revision = this.deployed.get(colour) ?? primary?.taskDefinition ?? service.taskDefinition;
    const side = this.topology.sides[colour];
    const { TargetHealthDescriptions } = await awsCall(`DescribeTargetHealth ${side.targetGroupArn}`, () =>
      this.clients.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: side.targetGroupArn })),
    );
    const healthy = (TargetHealthDescriptions ?? []).filter((target) => target.TargetHealth?.State === 'healthy').length;
    // Targets do not say which revision they run. Tasks of older deployments stay registered (and
    // healthy) until the new ones are ready, so only targets beyond their number count as new.
    const olderRunning = deployments.filter((deployment) => deployment !== primary).reduce((sum, d) => sum + (d.runningCount ?? 0), 0);
    const runsRevision = !primary || primary.taskDefinition === revision;
    return {
      desiredCount: service.desiredCount ?? 0,
      runningCount: runsRevision ? (primary?.runningCount ?? service.runningCount ?? 0) : 0,
      healthyTargets: runsRevision ? Math.max(0, healthy - olderRunning) : 0,
      stoppedTasks: await this.stoppedTasks(side.service, revision, since),
    };
  }

  /** Tasks of the given revision that stopped at or after `since`, with their reasons and exit codes. */
  private async stoppedTasks(serviceName: string, taskDefinition: string | undefined, since: number): Promise<StoppedTask[]> {
    const { taskArns } = await awsCall(`ListTasks ${serviceName} STOPPED`, () =>
      this.clients.ecs.send(new ListTasksCommand({ cluster: this.topology.cluster, serviceName, desiredStatus: 'STOPPED' })),
    );
    if (!taskArns || taskArns.length === 0) return [];
    const { tasks } = await awsCall(`DescribeTasks ${serviceName}`, () =>
      this.clients.ecs.send(new DescribeTasksCommand({ cluster: this.topology.cluster, tasks: taskArns.slice(0, 100) })),
    );
    return (tasks ?? [])
      .filter((task) => task.lastStatus === 'STOPPED' && (!taskDefinition || task.taskDefinitionArn === taskDefinition))
      .filter((task) => (task.stoppedAt?.getTime() ?? task.stoppingAt?.getTime() ?? Number.MAX_SAFE_INTEGER) >= since)
      .map((task) => ({
        taskId: task.taskArn?.split('/').at(-1) ?? 'unknown',
        stoppedReason: task.stoppedReason ?? task.stopCode ?? 'stopped',
        containers: (task.containers ?? []).map((container) => ({
          name: container.name ?? 'unknown',
          exitCode: container.exitCode,
          ...(container.reason ? { reason: container.reason } : {}),
        })),
      }));
  }

  async scale(colour: Colour, desiredCount: number): Promise<void> {
    const side = this.topology.sides[colour];
    await awsCall(`UpdateService ${side.service} desiredCount=${desiredCount}`, () =>
      this.clients.ecs.send(new UpdateServiceCommand({ cluster: this.topology.cluster, service: side.service, desiredCount })),
    );
  }
}
