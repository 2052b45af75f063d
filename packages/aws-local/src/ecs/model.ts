/** ECS resources as plain data. Task definitions keep the caller's JSON so Describe echoes it back. */

export interface Cluster {
  readonly arn: string;
  readonly name: string;
  status: 'ACTIVE' | 'INACTIVE';
}

export interface ContainerDefinition {
  readonly name: string;
  readonly image: string;
  readonly essential?: boolean;
  readonly environment?: { name?: string; value?: string }[];
  readonly portMappings?: { containerPort?: number; hostPort?: number; protocol?: string }[];
  readonly [key: string]: unknown;
}

export interface TaskDefinition {
  readonly arn: string;
  readonly family: string;
  readonly revision: number;
  status: 'ACTIVE' | 'INACTIVE' | 'DELETE_IN_PROGRESS';
  readonly containerDefinitions: ContainerDefinition[];
  /** Everything else the caller registered (cpu, memory, roles, networkMode…), returned verbatim. */
  readonly extra: Record<string, unknown>;
  readonly registeredAt: number;
  deregisteredAt?: number;
}

export type RolloutState = 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';

export interface Deployment {
  readonly id: string;
  status: 'PRIMARY' | 'ACTIVE' | 'INACTIVE';
  readonly taskDefinition: string;
  desiredCount: number;
  failedTasks: number;
  readonly createdAt: number;
  updatedAt: number;
  rolloutState: RolloutState;
  rolloutStateReason: string;
}

export interface ServiceLoadBalancer {
  readonly targetGroupArn: string;
  readonly containerName: string;
  readonly containerPort: number;
}

export interface ServiceEvent {
  readonly id: string;
  readonly createdAt: number;
  readonly message: string;
}

export interface Service {
  readonly arn: string;
  readonly name: string;
  readonly clusterArn: string;
  taskDefinition: string;
  desiredCount: number;
  status: 'ACTIVE' | 'DRAINING' | 'INACTIVE';
  readonly launchType: string;
  readonly loadBalancers: ServiceLoadBalancer[];
  readonly createdAt: number;
  healthCheckGracePeriodSeconds: number;
  circuitBreaker: { enable: boolean; rollback: boolean };
  maximumPercent: number;
  minimumHealthyPercent: number;
  deployments: Deployment[];
  /** Newest first, as DescribeServices returns them. */
  events: ServiceEvent[];
  /** Where a circuit-breaker rollback returns to: the last deployment that completed. */
  lastStableTaskDefinition?: string;
  /** Launches are paced after failures, as ECS throttles a crash-looping service. */
  nextLaunchAt: number;
  launchFailures: number;
}

export type TaskStatus = 'PROVISIONING' | 'PENDING' | 'RUNNING' | 'DEACTIVATING' | 'STOPPING' | 'DEPROVISIONING' | 'STOPPED';

export interface Container {
  readonly arn: string;
  readonly name: string;
  readonly image: string;
  lastStatus: string;
  exitCode?: number;
  reason?: string;
}

export interface Task {
  readonly arn: string;
  readonly id: string;
  readonly clusterArn: string;
  readonly taskDefinitionArn: string;
  readonly group: string;
  readonly startedBy?: string;
  readonly serviceName?: string;
  lastStatus: TaskStatus;
  desiredStatus: 'RUNNING' | 'STOPPED';
  readonly createdAt: number;
  startedAt?: number;
  stoppingAt?: number;
  stoppedAt?: number;
  stoppedReason?: string;
  stopCode?: string;
  containers: Container[];
  /** The local port the task's process listens on (its target port). */
  port?: number;
  /** Set when a running task fails its target group health checks, to count it once. */
  failedHealthChecks?: boolean;
}

export interface EcsState {
  clusters: Cluster[];
  taskDefinitions: TaskDefinition[];
  services: Service[];
  tasks: Task[];
  tags: Record<string, Record<string, string>>;
}

export function emptyEcsState(): EcsState {
  return { clusters: [], taskDefinitions: [], services: [], tasks: [], tags: {} };
}
