import type { Colour } from '../colours.js';
import type { DeployRequest, Fleet, FleetHealth, PreparedRevision, StoppedTask } from '../ports.js';
import type { CallLog } from './call-log.js';
import type { FakeClock } from './clock.js';

interface FakeService {
  desiredCount: number;
  taskDefinition: string;
  deployedAt: number;
}

/** Two services; a deployment becomes healthy after `healthyAfterMs`, unless its tasks crash. */
export class FakeFleet implements Fleet {
  readonly services: Record<Colour, FakeService>;
  /** Tasks of every deployment stop with this, as a crashing image does. */
  crash: StoppedTask | undefined;
  healthyAfterMs = 10_000;
  /** Task definitions registered so far, by the revision they run. */
  private readonly registered = new Map<string, string>();

  constructor(
    private readonly clock: FakeClock,
    private readonly log: CallLog,
    live: { colour: Colour; desiredCount: number } = { colour: 'blue', desiredCount: 3 },
  ) {
    const idle = { desiredCount: 0, taskDefinition: 'svg-ai:1', deployedAt: clock.now() };
    const running = { ...idle, desiredCount: live.desiredCount };
    this.services = live.colour === 'blue' ? { blue: running, green: idle } : { blue: idle, green: running };
  }

  async desiredCount(colour: Colour): Promise<number> {
    return this.services[colour].desiredCount;
  }

  async deploy(request: DeployRequest): Promise<PreparedRevision> {
    const key = JSON.stringify(request.revision);
    const existing = this.registered.get(key);
    const taskDefinition = existing ?? `svg-ai:${this.registered.size + 2}`;
    this.registered.set(key, taskDefinition);
    this.services[request.to] = { desiredCount: request.desiredCount, taskDefinition, deployedAt: this.clock.now() };
    this.log.add(`fleet.deploy ${request.to} ${taskDefinition} x${request.desiredCount}`);
    return { taskDefinition, reused: existing !== undefined };
  }

  async health(colour: Colour, since: number): Promise<FleetHealth> {
    const service = this.services[colour];
    const crashed = this.crash && service.deployedAt >= since ? [this.crash] : [];
    const healthy = crashed.length === 0 && this.clock.now() - service.deployedAt >= this.healthyAfterMs;
    return {
      desiredCount: service.desiredCount,
      runningCount: crashed.length > 0 ? 0 : service.desiredCount,
      healthyTargets: healthy ? service.desiredCount : 0,
      stoppedTasks: crashed,
    };
  }

  async scale(colour: Colour, desiredCount: number): Promise<void> {
    this.services[colour].desiredCount = desiredCount;
    this.log.add(`fleet.scale ${colour} ${desiredCount}`);
  }
}
