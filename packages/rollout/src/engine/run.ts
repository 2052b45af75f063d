import type { Colour } from '../colours.js';
import type { RolloutPlan } from '../plan.js';
import type { RolloutLock, RolloutPorts } from '../ports.js';
import type { ResolvedConfig, RolloutMode } from './config.js';
import type { RecordBuilder } from './record.js';
import { withRetry } from './retry.js';

/** What every phase of one run shares, before preflight knows the colours. */
export interface RunSetup {
  readonly plan: RolloutPlan;
  readonly config: ResolvedConfig;
  readonly ports: RolloutPorts;
  readonly mode: RolloutMode;
  readonly signal: AbortSignal;
  readonly record: RecordBuilder;
  /** Epoch ms at which this run started, for the time budget. */
  readonly startedAt: number;
  /** A port call, with transient failures retried. */
  call<T>(label: string, call: () => Promise<T>): Promise<T>;
}

/** Traffic at the current weight since `startedAt`: what an analysis judges. */
export interface Stage {
  readonly canaryPercent: number;
  readonly startedAt: number;
}

/** A run past preflight: the colours are known and the lock is ours. */
export interface Run extends RunSetup {
  readonly stable: Colour;
  readonly canary: Colour;
  lock: RolloutLock;
  /** Set by every shift; a resumed run starts from the weights it observed. */
  stage: Stage;
  /** Whether production traffic has reached the new colour in this rollout (failed vs rolled-back). */
  trafficMoved: boolean;
  /** A step an approval was given for (the await-approval a resumed run starts after). */
  readonly approvedIndex: number | undefined;
}

export function createSetup(fields: Omit<RunSetup, 'call' | 'startedAt'>): RunSetup {
  const { clock, logger } = fields.ports;
  return {
    ...fields,
    startedAt: clock.now(),
    call: (label, call) => withRetry(label, call, { clock, logger, policy: fields.config.retry }),
  };
}
