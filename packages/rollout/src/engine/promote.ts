/**
 * Promote: all traffic on the new colour (verified; normally already so after the plan's last shift and
 * its keep-warm bake), then the old colour scaled down and the lock released.
 */
import { weightsFor } from '../colours.js';
import { recordProgress, releaseLock } from './lock.js';
import type { Run } from './run.js';
import { finished, type EngineState } from './states.js';
import { applyWeights } from './weights.js';

export async function promote(run: Run): Promise<EngineState> {
  const { fleet, logger } = run.ports;
  await recordProgress(run, 'promoting', run.lock.stepIndex);
  await applyWeights(run, weightsFor(run.canary, 100));
  await run.call(`scale ${run.stable} down`, () => fleet.scale(run.stable, 0));
  logger.info(`promoted: ${run.canary} takes all traffic; ${run.stable} is scaled down`);
  await releaseLock(run);
  return finished('promoted');
}
