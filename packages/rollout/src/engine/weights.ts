import { describeWeights, sameWeights, type Weights } from '../colours.js';
import type { RunSetup } from './run.js';

/** The load balancer kept other weights than the ones written, after every attempt. */
export class WeightsNotApplied extends Error {
  override readonly name = 'WeightsNotApplied';
  constructor(
    readonly wanted: Weights,
    readonly observed: Weights,
    attempts: number,
  ) {
    super(
      `the listener reports ${describeWeights(observed)} after ${attempts} attempts to set ${describeWeights(wanted)}; ` +
        'check for another process (or person) changing the listener',
    );
  }
}

/**
 * Converges the listener on `wanted`: read, write if different, read back, and repeat until the read-back
 * matches. Reading first makes it idempotent: re-running a shift that already happened writes nothing.
 */
export async function applyWeights(run: RunSetup, wanted: Weights): Promise<Weights> {
  const { router, clock, logger } = run.ports;
  const { attempts, intervalMs } = run.config.weightVerification;
  let observed = await run.call('read weights', () => router.readWeights());
  for (let attempt = 1; !sameWeights(observed, wanted); attempt++) {
    if (attempt > attempts) throw new WeightsNotApplied(wanted, observed, attempts);
    if (attempt > 1) {
      logger.warn(`weights read back as ${describeWeights(observed)}, not ${describeWeights(wanted)}; setting them again`);
      await clock.sleep(intervalMs);
    }
    await run.call('set weights', () => router.setWeights(wanted));
    observed = await run.call('read weights back', () => router.readWeights());
  }
  return observed;
}
