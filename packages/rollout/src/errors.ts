/**
 * How ports tell the engine that a failure is transient (throttling, a 5xx from the control plane,
 * a dropped connection): throw a `RetryableError`, or any error carrying `retryable: true`
 * (so an adapter can flag an SDK error without wrapping it). Everything else is final.
 */
export class RetryableError extends Error {
  override readonly name = 'RetryableError';
  readonly retryable = true;
}

export function isRetryable(error: unknown): boolean {
  if (error instanceof RetryableError) return true;
  return typeof error === 'object' && error !== null && 'retryable' in error && error.retryable === true;
}
