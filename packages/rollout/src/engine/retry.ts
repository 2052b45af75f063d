import { isRetryable } from '../errors.js';
import { errorMessage } from '../format.js';
import type { Clock, Logger } from '../ports.js';
import type { RetryPolicy } from './config.js';

/** The back-off before attempt `attempt + 1` (attempts count from 1). */
export function backoffMs(policy: RetryPolicy, attempt: number): number {
  return Math.min(policy.initialDelayMs * 2 ** (attempt - 1), policy.maxDelayMs);
}

/** The longest a call can spend backing off before its last attempt. */
export function worstCaseBackoffMs(policy: RetryPolicy): number {
  let total = 0;
  for (let attempt = 1; attempt < policy.maxAttempts; attempt++) total += backoffMs(policy, attempt);
  return total;
}

/**
 * Runs a port call, riding out transient failures (throttling) with exponential back-off on the
 * injected clock. Final failures, and transient ones that outlast the policy, are thrown.
 * The back-off ignores cancellation on purpose: the same helper carries the rollback, which must finish.
 */
export async function withRetry<T>(
  label: string,
  call: () => Promise<T>,
  context: { clock: Clock; logger: Logger; policy: RetryPolicy },
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!isRetryable(error) || attempt >= context.policy.maxAttempts) throw error;
      const delay = backoffMs(context.policy, attempt);
      context.logger.warn(
        `${label}: ${errorMessage(error)}; retrying in ${delay} ms (attempt ${attempt + 1} of ${context.policy.maxAttempts})`,
      );
      await context.clock.sleep(delay);
    }
  }
}
