import type { Clock } from '../ports.js';

/**
 * A clock whose sleeps return at once, having moved time forward: a 30-minute rollout runs in
 * milliseconds. Callbacks scheduled with `at` fire when a sleep passes their time (to cancel a job
 * mid-bake, or turn a canary bad at minute 3); `advance` stalls the machine; `killAt` makes the run that sleeps past a moment
 * hang forever, as if its process had been killed then.
 */
export class FakeClock implements Clock {
  private time: number;
  private readonly scheduled: { at: number; run: () => void }[] = [];
  private kill: { at: number; killed: () => void } | undefined;

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    const target = this.time + Math.max(0, ms);
    for (let next = this.nextDue(target); next && !signal?.aborted; next = this.nextDue(target)) {
      this.time = Math.max(this.time, next.at);
      next.run();
    }
    if (signal?.aborted) return;
    if (this.kill && target >= this.kill.at) {
      const { at, killed } = this.kill;
      this.kill = undefined;
      this.time = at;
      killed();
      return new Promise<void>(() => {});
    }
    this.time = Math.max(this.time, target);
    // Yield like a real timer, so that concurrent work interleaves.
    await Promise.resolve();
  }

  /** Jumps forward without running anything, as when the machine stalls. */
  advance(ms: number): void {
    this.time += ms;
  }

  /** Runs `callback` when time reaches `at` (epoch ms). */
  at(at: number, callback: () => void): void {
    this.scheduled.push({ at, run: callback });
  }

  /** Runs `callback` `ms` from now. */
  after(ms: number, callback: () => void): void {
    this.at(this.time + ms, callback);
  }

  /** The first sleep that reaches `at` never returns; the promise resolves when that happens. */
  killAt(at: number): Promise<void> {
    return new Promise((resolve) => {
      this.kill = { at, killed: resolve };
    });
  }

  private nextDue(until: number): { at: number; run: () => void } | undefined {
    const due = this.scheduled.filter((item) => item.at <= until).sort((a, b) => a.at - b.at)[0];
    if (due) this.scheduled.splice(this.scheduled.indexOf(due), 1);
    return due;
  }
}
