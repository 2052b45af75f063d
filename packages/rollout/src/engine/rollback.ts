/**
 * Roll back: weights back on the stable colour first and verified, only then the new colour scaled
 * down and the lock released. Every step is idempotent, and the lock records the phase once traffic
 * is safe, so a run killed half-way is finished by the next one.
 */
import { describeWeights, weightsFor } from '../colours.js';
import { errorMessage } from '../format.js';
import { recordProgress, releaseLock } from './lock.js';
import type { Run } from './run.js';
import { finished, type EngineState, type RollbackCause } from './states.js';
import { applyWeights } from './weights.js';

export async function rollBack(run: Run, cause: RollbackCause): Promise<EngineState> {
  const { logger, fleet } = run.ports;
  run.record.startRollback(cause.reason);
  // The one place a failed rollout is reported, with its evidence: the action turns it into an annotation.
  if (cause.cancelled) logger.warn(`rolling back to ${run.stable}: ${cause.reason}`);
  else logger.error(`rolling back to ${run.stable}: ${cause.reason}`);

  try {
    const restored = await applyWeights(run, weightsFor(run.canary, 0));
    run.record.rollbackWeightsRestored();
    logger.info(`production traffic is back on ${run.stable} (${describeWeights(restored)})`);
  } catch (error) {
    const reason = `${cause.reason}; then restoring the weights to ${run.stable} failed: ${errorMessage(error)}`;
    logger.error(`${reason}. Set the listener to 100% ${run.stable} by hand, or run abort again`);
    return finished('incomplete', reason);
  }

  try {
    await recordProgress(run, 'rolling-back', run.lock.stepIndex);
    await run.call(`scale ${run.canary} down`, () => fleet.scale(run.canary, 0));
    await releaseLock(run);
  } catch (error) {
    const reason = `${cause.reason}; traffic is back on ${run.stable}, but cleaning up failed: ${errorMessage(error)}`;
    logger.error(`${reason}. Run abort again to finish`);
    return finished('incomplete', reason);
  }

  if (cause.cancelled) return finished('aborted', cause.reason);
  return finished(run.trafficMoved ? 'rolled-back' : 'failed', cause.reason);
}
