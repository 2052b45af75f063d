/**
 * The engine's states. Rolling back and finishing are states like any other, not exceptions:
 * each phase returns the next state, and the loop in engine.ts runs until `finished`.
 *
 *   deploying → stepping(0) → … → stepping(n-1) → promoting → finished(promoted)
 *   any of those → rolling-back → finished(rolled-back | aborted | failed)
 */
import type { RolloutStatus } from './record.js';

export interface RollbackCause {
  readonly reason: string;
  /** Cancelled by the job or an operator, rather than judged or broken. */
  readonly cancelled: boolean;
}

export type EngineState =
  | { readonly name: 'deploying' }
  | { readonly name: 'stepping'; readonly index: number }
  | { readonly name: 'promoting' }
  | { readonly name: 'rolling-back'; readonly cause: RollbackCause }
  | { readonly name: 'finished'; readonly status: RolloutStatus; readonly reason?: string };

export function rollingBack(reason: string, cancelled = false): EngineState {
  return { name: 'rolling-back', cause: { reason, cancelled } };
}

export function finished(status: RolloutStatus, reason?: string): EngineState {
  return reason === undefined ? { name: 'finished', status } : { name: 'finished', status, reason };
}

/** States that move the rollout forward, which cancellation and the time budget interrupt. */
export function isForward(state: EngineState): boolean {
  return state.name === 'deploying' || state.name === 'stepping';
}
