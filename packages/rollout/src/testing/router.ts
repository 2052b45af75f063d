import { describeWeights, type Weights } from '../colours.js';
import { RetryableError } from '../errors.js';
import type { TrafficRouter } from '../ports.js';
import type { CallLog } from './call-log.js';
import type { FakeClock } from './clock.js';

export function throttlingError(): RetryableError {
  return new RetryableError('Throttling: Rate exceeded');
}

/** A listener with weights, a history of them over time (which the fake metrics read), and faults to inject. */
export class FakeTrafficRouter implements TrafficRouter {
  readonly history: { at: number; weights: Weights }[];
  /** When true, writes are accepted but change nothing, as if something else kept resetting the listener. */
  ignoreWrites = false;
  private readonly failures: Error[] = [];

  constructor(
    private readonly clock: FakeClock,
    private readonly log: CallLog,
    initial: Weights = { blue: 100, green: 0 },
  ) {
    this.history = [{ at: clock.now(), weights: initial }];
  }

  get weights(): Weights {
    return this.history.at(-1)!.weights;
  }

  /** Sets weights as if by hand (drift), without logging a call. */
  force(weights: Weights): void {
    this.history.push({ at: this.clock.now(), weights });
  }

  /** The next `count` writes throw `error` (throttling by default). */
  failNextWrites(count: number, error: () => Error = throttlingError): void {
    for (let i = 0; i < count; i++) this.failures.push(error());
  }

  async readWeights(): Promise<Weights> {
    return { ...this.weights };
  }

  async setWeights(weights: Weights): Promise<void> {
    const failure = this.failures.shift();
    if (failure) throw failure;
    this.log.add(`router.setWeights ${describeWeights(weights)}`);
    if (!this.ignoreWrites) this.history.push({ at: this.clock.now(), weights: { ...weights } });
  }

  /** Largest share the colour ever had. */
  maxWeight(colour: keyof Weights): number {
    return Math.max(...this.history.map((entry) => entry.weights[colour]));
  }
}
