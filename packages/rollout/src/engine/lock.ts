/**
 * The rollout lock, kept through the StateStore port. The rules live here so every adapter behaves alike:
 * a lock held by another rollout refuses a run unless forced; every write is read back; a run that finds
 * its lock taken over stops touching anything.
 */
import type { RolloutLock, RolloutPhase } from '../ports.js';
import type { Run, RunSetup } from './run.js';

/** Another run took the lock over (a forced take-over): this run must stop changing anything. */
export class LockLost extends Error {
  override readonly name = 'LockLost';
  constructor(holder: RolloutLock) {
    super(`the lock was taken over by ${describeLock(holder)}`);
  }
}

export function describeLock(lock: RolloutLock): string {
  const run = lock.runUrl ? ` (${lock.runUrl})` : '';
  return (
    `rollout ${lock.rolloutId} by ${lock.owner}${run} of ${lock.targetImage} to ${lock.canaryColour}, ` +
    `${lock.phase} at step ${lock.stepIndex + 1}, started ${new Date(lock.startedAt).toISOString()}`
  );
}

export function isSameHolder(a: RolloutLock, b: RolloutLock): boolean {
  return a.rolloutId === b.rolloutId && a.owner === b.owner;
}

/** Writes the lock and reads it back; another run that wrote in between wins, and this one is refused. */
export async function acquireLock(
  run: RunSetup,
  lock: RolloutLock,
): Promise<{ acquired: true } | { acquired: false; holder: RolloutLock | undefined }> {
  const { state } = run.ports;
  await run.call('write lock', () => state.write(lock));
  const stored = await run.call('read lock back', () => state.read());
  return stored && isSameHolder(stored, lock) ? { acquired: true } : { acquired: false, holder: stored };
}

/** Records progress, after checking that the lock is still this run's. */
export async function recordProgress(run: Run, phase: RolloutPhase, stepIndex: number): Promise<void> {
  const { state } = run.ports;
  const stored = await run.call('read lock', () => state.read());
  if (stored && !isSameHolder(stored, run.lock)) throw new LockLost(stored);
  if (stored && stored.phase === phase && stored.stepIndex === stepIndex) return;
  const next: RolloutLock = { ...run.lock, phase, stepIndex };
  await run.call('update lock', () => state.write(next));
  run.lock = next;
}

/** Removes the lock if it is still this run's; a lock already gone is fine (release is idempotent). */
export async function releaseLock(run: Run): Promise<void> {
  const { state } = run.ports;
  const stored = await run.call('read lock', () => state.read());
  if (stored === undefined) return;
  if (!isSameHolder(stored, run.lock)) throw new LockLost(stored);
  await run.call('remove lock', () => state.clear());
}
