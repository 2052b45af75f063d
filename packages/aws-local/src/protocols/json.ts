/**
 * AWS JSON protocols (ECS and ECR use 1.1, CloudWatch 1.0): `POST /` with `X-Amz-Target: <prefix>.<Op>`,
 * a JSON object in and out, errors as `{"__type": code, "message": …}`. Timestamps travel as epoch seconds.
 */
import { AwsError } from '../errors.js';
import type { AwsRequest, AwsResponse } from '../http-types.js';

export type JsonObject = { [key: string]: unknown };

export interface JsonCall {
  readonly operation: string;
  readonly input: JsonObject;
}

/** Reads the operation from the target header and the input from the body; both failures are AWS errors. */
export function parseJsonCall(request: AwsRequest, targetPrefix: string): JsonCall {
  const target = String(request.headers['x-amz-target'] ?? '');
  if (request.method !== 'POST' || !target.startsWith(`${targetPrefix}.`)) {
    throw new AwsError(
      'UnknownOperationException',
      `Expected POST with X-Amz-Target ${targetPrefix}.<Operation>, got ${request.method} ${target || '(no target)'}`,
    );
  }
  const text = request.body.toString('utf8').trim();
  let input: unknown = {};
  if (text !== '') {
    try {
      input = JSON.parse(text);
    } catch {
      throw new AwsError('SerializationException', 'The request body is not valid JSON');
    }
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new AwsError('SerializationException', 'The request body must be a JSON object');
  }
  return { operation: target.slice(targetPrefix.length + 1), input: input as JsonObject };
}

export function jsonResponse(output: unknown, contentType: string, requestId: string): AwsResponse {
  return {
    status: 200,
    headers: { 'content-type': contentType, 'x-amzn-requestid': requestId },
    body: JSON.stringify(output, epochSeconds),
  };
}

/** JSON.stringify hands replacers the `toJSON` string of a Date, so read the raw value from the holder. */
function epochSeconds(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const raw = this[key];
  return raw instanceof Date ? raw.getTime() / 1000 : value;
}

/**
 * `queryCompatible` services (CloudWatch) also send the Query-era code in `x-amzn-query-error`,
 * which is what the SDK turns into the error name for them.
 */
export function jsonError(error: AwsError, contentType: string, requestId: string, queryCompatible = false): AwsResponse {
  const headers: Record<string, string> = { 'content-type': contentType, 'x-amzn-requestid': requestId, 'x-amzn-errortype': error.code };
  if (queryCompatible) headers['x-amzn-query-error'] = `${error.code};${error.fault}`;
  return { status: error.status, headers, body: JSON.stringify({ __type: error.code, message: error.message }) };
}

/** Small typed readers for JSON input, naming the field in the ValidationException they throw. */
export class JsonReader {
  constructor(
    private readonly input: JsonObject,
    private readonly errorCode = 'InvalidParameterException',
  ) {}

  get raw(): JsonObject {
    return this.input;
  }

  string(name: string): string | undefined {
    const value = this.input[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') throw this.invalid(name, 'must be a string');
    return value;
  }

  requiredString(name: string): string {
    const value = this.string(name);
    if (value === undefined || value === '') throw this.invalid(name, 'is required');
    return value;
  }

  number(name: string): number | undefined {
    const value = this.input[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isFinite(value)) throw this.invalid(name, 'must be a number');
    return value;
  }

  boolean(name: string): boolean | undefined {
    const value = this.input[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean') throw this.invalid(name, 'must be true or false');
    return value;
  }

  strings(name: string): string[] | undefined {
    const value = this.input[name];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) throw this.invalid(name, 'must be a list of strings');
    return value as string[];
  }

  object(name: string): JsonReader | undefined {
    const value = this.input[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) throw this.invalid(name, 'must be an object');
    return new JsonReader(value as JsonObject, this.errorCode);
  }

  objects(name: string): JsonReader[] | undefined {
    const value = this.input[name];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value) || value.some((item) => typeof item !== 'object' || item === null || Array.isArray(item))) {
      throw this.invalid(name, 'must be a list of objects');
    }
    return value.map((item) => new JsonReader(item as JsonObject, this.errorCode));
  }

  /** Epoch seconds (what the SDK sends) or an ISO string, as a Date. */
  timestamp(name: string): Date | undefined {
    const value = this.input[name];
    if (value === undefined || value === null) return undefined;
    const date = typeof value === 'number' ? new Date(value * 1000) : typeof value === 'string' ? new Date(value) : undefined;
    if (date === undefined || Number.isNaN(date.getTime())) throw this.invalid(name, 'must be a timestamp');
    return date;
  }

  private invalid(name: string, problem: string): AwsError {
    return new AwsError(this.errorCode, `Invalid parameter ${name}: ${problem}`);
  }
}
