/**
 * Readers for the JSON input of ECR operations. A missing or mistyped member is the
 * InvalidParameterException ECR answers with, naming the member, never a crash.
 */
import { invalidParameter } from './errors.js';

export type Input = Readonly<Record<string, unknown>>;

export interface ImageIdentifier {
  readonly imageDigest?: string;
  readonly imageTag?: string;
}

export function requiredString(input: Input, name: string): string {
  const value = input[name];
  if (typeof value !== 'string' || value === '') {
    throw invalidParameter(`Invalid parameter at '${name}' failed to satisfy constraint: 'Member must not be null'`);
  }
  return value;
}

export function optionalString(input: Input, name: string): string | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidParameter(`Invalid parameter at '${name}': expected a string`);
  return value;
}

export function optionalBoolean(input: Input, name: string): boolean | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw invalidParameter(`Invalid parameter at '${name}': expected a boolean`);
  return value;
}

export function optionalObject(input: Input, name: string): Input | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw invalidParameter(`Invalid parameter at '${name}': expected a structure`);
  }
  return value as Input;
}

export function optionalStringList(input: Input, name: string): string[] | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((entry) => typeof entry !== 'string')) {
    throw invalidParameter(`Invalid parameter at '${name}': expected a list of strings`);
  }
  return value as string[];
}

export function imageIds(input: Input, name = 'imageIds'): ImageIdentifier[] {
  const value = input[name];
  if (!Array.isArray(value) || value.length === 0 || value.length > 100) {
    throw invalidParameter(`Invalid parameter at '${name}' failed to satisfy constraint: 'Member must have length between 1 and 100'`);
  }
  return value.map((entry: unknown) => imageIdentifier(entry, name));
}

export function imageIdentifier(value: unknown, name: string): ImageIdentifier {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw invalidParameter(`Invalid parameter at '${name}': expected an image identifier`);
  }
  const imageDigest = optionalString(value as Input, 'imageDigest');
  const imageTag = optionalString(value as Input, 'imageTag');
  return { ...(imageDigest === undefined ? {} : { imageDigest }), ...(imageTag === undefined ? {} : { imageTag }) };
}

/** `maxResults` and `nextToken`: tokens are opaque offsets into the ordered result. */
export function pageRequest(input: Input): { readonly offset: number; readonly limit: number } {
  const maxResults = input['maxResults'];
  if (maxResults !== undefined && (!Number.isInteger(maxResults) || (maxResults as number) < 1 || (maxResults as number) > 1000)) {
    throw invalidParameter("Invalid parameter at 'maxResults' failed to satisfy constraint: 'Member must have value between 1 and 1000'");
  }
  const token = optionalString(input, 'nextToken');
  let offset = 0;
  if (token !== undefined) {
    offset = Number(Buffer.from(token, 'base64url').toString('utf8'));
    if (!Number.isInteger(offset) || offset < 0 || encodeToken(offset) !== token) {
      throw invalidParameter("Invalid parameter at 'nextToken': the token is not one this registry issued");
    }
  }
  return { offset, limit: (maxResults as number | undefined) ?? 100 };
}

export function page<T>(items: readonly T[], request: { offset: number; limit: number }): { items: T[]; nextToken?: string } {
  const end = request.offset + request.limit;
  const slice = items.slice(request.offset, end);
  return end < items.length ? { items: slice, nextToken: encodeToken(end) } : { items: slice };
}

function encodeToken(offset: number): string {
  return Buffer.from(String(offset)).toString('base64url');
}
