import type { RolloutLock, StateStore } from '../ports.js';
import type { CallLog } from './call-log.js';

/** The lock record in memory. */
export class FakeStateStore implements StateStore {
  lock: RolloutLock | undefined;

  constructor(private readonly log: CallLog) {}

  async read(): Promise<RolloutLock | undefined> {
    return this.lock && { ...this.lock };
  }

  async write(lock: RolloutLock): Promise<void> {
    this.log.add(`state.write ${lock.rolloutId} ${lock.phase} ${lock.stepIndex}`);
    this.lock = { ...lock };
  }

  async clear(): Promise<void> {
    this.log.add('state.clear');
    this.lock = undefined;
  }
}
