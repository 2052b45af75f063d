/**
 * The one error type the control plane throws. Each protocol module renders it in its own shape
 * (Query XML, JSON `__type`), so operations never know which wire format carries them.
 */
export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    /** Query protocols say whether the caller (Sender) or AWS (Receiver) is at fault. */
    readonly fault: 'Sender' | 'Receiver' = status >= 500 ? 'Receiver' : 'Sender',
  ) {
    super(message);
    this.name = code;
  }
}

/** Anything unexpected becomes an internal error instead of tearing the server down. */
export function toAwsError(error: unknown): AwsError {
  if (error instanceof AwsError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new AwsError('InternalFailure', `The stand-in failed internally: ${message}`, 500);
}
