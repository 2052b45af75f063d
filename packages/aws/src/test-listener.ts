/**
 * Keeps the test listener on the side being deployed. The idle colour flips with every promotion,
 * so a test listener fixed on one target group would smoke-test and probe the live side half of
 * the time. Deploying therefore also points the test listener's forward action 100% at the colour
 * deployed to, and reads it back before the engine sends a single smoke request.
 */
import {
  describeWeights,
  RetryableError,
  sameWeights,
  weightsFor,
  type Colour,
  type DeployRequest,
  type Fleet,
  type FleetHealth,
  type PreparedRevision,
  type TrafficRouter,
} from '@svg-ai-release/rollout';

export class TestListenerFleet implements Fleet {
  constructor(
    private readonly fleet: Fleet,
    /** The test listener (or rule) as a router. */
    private readonly testListener: TrafficRouter,
    /** Named in errors. */
    private readonly testListenerArn: string,
  ) {}

  desiredCount(colour: Colour): Promise<number> {
    return this.fleet.desiredCount(colour);
  }

  async deploy(request: DeployRequest): Promise<PreparedRevision> {
    const prepared = await this.fleet.deploy(request);
    await this.pointAt(request.to);
    return prepared;
  }

  health(colour: Colour, since: number): Promise<FleetHealth> {
    return this.fleet.health(colour, since);
  }

  scale(colour: Colour, desiredCount: number): Promise<void> {
    return this.fleet.scale(colour, desiredCount);
  }

  /** Writes only when needed, then verifies; a mismatch is retryable because deploying again is idempotent. */
  private async pointAt(colour: Colour): Promise<void> {
    const wanted = weightsFor(colour, 100);
    if (sameWeights(await this.testListener.readWeights(), wanted)) return;
    await this.testListener.setWeights(wanted);
    const actual = await this.testListener.readWeights();
    if (!sameWeights(actual, wanted)) {
      throw new RetryableError(
        `the test listener ${this.testListenerArn} forwards ${describeWeights(actual)} after being set to ${describeWeights(wanted)}`,
      );
    }
  }
}
