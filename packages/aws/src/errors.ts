/**
 * How SDK failures reach the engine. The clients already retry throttling adaptively; what still
 * comes through after their attempts is flagged `retryable` when waiting could help (throttling,
 * a 5xx from the control plane, a dropped connection), so the engine backs off and tries again
 * instead of rolling back a healthy release. Everything else (validation, not found, access
 * denied) is final, with the resource named.
 */
const THROTTLING_CODES = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'PriorRequestNotComplete',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalFailure',
  'InternalError',
]);
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'TimeoutError',
  'RequestTimeout',
]);

interface SdkErrorShape {
  name?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
  $retryable?: unknown;
}

export function isTransientAwsError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const shape = error as SdkErrorShape;
  const name = shape.name ?? '';
  if (THROTTLING_CODES.has(name) || NETWORK_CODES.has(name) || NETWORK_CODES.has(shape.code ?? '')) return true;
  if (shape.$retryable) return true;
  const status = shape.$metadata?.httpStatusCode;
  return status !== undefined && status >= 500;
}

/** Runs one SDK call; a transient failure is rethrown with `retryable: true` and the action described. */
export async function awsCall<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const name = error instanceof Error ? error.name : 'Error';
    const wrapped = new AwsCallError(`${what}: ${name}: ${message}`, name, isTransientAwsError(error), error);
    throw wrapped;
  }
}

export class AwsCallError extends Error {
  override readonly name = 'AwsCallError';
  constructor(
    message: string,
    /** The AWS error code, e.g. `ListenerNotFound`. */
    readonly code: string,
    readonly retryable: boolean,
    override readonly cause: unknown,
  ) {
    super(message);
  }
}

/** The topology is not what a blue/green rollout needs (wrong ARN, one target group, …): the user must fix an input. */
export class TopologyError extends Error {
  override readonly name = 'TopologyError';
  constructor(
    /** Which part of the topology is wrong: `listener`, `test-listener`, `blue-service`, `green-service`, `cluster`. */
    readonly subject: 'listener' | 'test-listener' | 'blue-service' | 'green-service' | 'cluster',
    message: string,
  ) {
    super(message);
  }
}
