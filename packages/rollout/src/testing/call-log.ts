/**
 * One ordered log of every write the fakes receive (weights, deployments, scaling, lock changes), so a
 * test can assert the order of effects, e.g. weights restored before the canary is scaled down.
 */
export class CallLog {
  readonly entries: string[] = [];

  add(entry: string): void {
    this.entries.push(entry);
  }

  /** Position of the first entry starting with `prefix`, or -1. */
  indexOf(prefix: string): number {
    return this.entries.findIndex((entry) => entry.startsWith(prefix));
  }

  /** Position of the last entry starting with `prefix`, or -1. */
  lastIndexOf(prefix: string): number {
    return this.entries.findLastIndex((entry) => entry.startsWith(prefix));
  }

  matching(prefix: string): string[] {
    return this.entries.filter((entry) => entry.startsWith(prefix));
  }
}
