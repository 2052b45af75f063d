/**
 * Strict, pure parsers for action inputs. Each takes the input's name (for the message)
 * and its raw string, and either returns a typed value or throws an InputError that says
 * what was given and what is allowed. No parser ever falls back to a default silently:
 * an empty value is only accepted where the caller asked for an optional input.
 */
import { formatDuration } from '@svg-ai-release/rollout';
import { InputError, quote } from './errors.js';

const TRUE_VALUES = new Set(['true', 'True', 'TRUE']);
const FALSE_VALUES = new Set(['false', 'False', 'FALSE']);

/** YAML 1.2 core-schema booleans, as the runner's `getBooleanInput` accepts them. */
export function parseBoolean(input: string, raw: string): boolean {
  const value = raw.trim();
  if (TRUE_VALUES.has(value)) return true;
  if (FALSE_VALUES.has(value)) return false;
  throw new InputError(input, `${quote(raw)} is not a boolean; use true or false`);
}

export interface IntegerRange {
  readonly min?: number;
  readonly max?: number;
}

/** A whole decimal number within [min, max]; `5x`, `1.5`, `0x10` and `1e3` are refused. */
export function parseInteger(input: string, raw: string, range: IntegerRange = {}): number {
  const value = raw.trim();
  if (!/^[+-]?\d+$/.test(value)) {
    throw new InputError(input, `${quote(raw)} is not a whole number${describeRange(range)}`);
  }
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed)) throw new InputError(input, `${quote(raw)} is too large`);
  checkRange(input, raw, parsed, range);
  return parsed;
}

/** A decimal number (e.g. a ratio or a threshold) within [min, max]. */
export function parseNumber(input: string, raw: string, range: IntegerRange = {}): number {
  const value = raw.trim();
  if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(value)) {
    throw new InputError(input, `${quote(raw)} is not a number${describeRange(range)}`);
  }
  const parsed = Number(value);
  checkRange(input, raw, parsed, range);
  return parsed;
}

function checkRange(input: string, raw: string, value: number, range: IntegerRange): void {
  if ((range.min !== undefined && value < range.min) || (range.max !== undefined && value > range.max)) {
    throw new InputError(input, `${quote(raw)} is out of range${describeRange(range)}`);
  }
}

function describeRange({ min, max }: IntegerRange): string {
  if (min !== undefined && max !== undefined) return ` (allowed: ${min} to ${max})`;
  if (min !== undefined) return ` (allowed: ${min} or more)`;
  if (max !== undefined) return ` (allowed: ${max} or less)`;
  return '';
}

const DURATION_UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/**
 * A duration such as `90s`, `5m`, `1h30m` or `250ms`, in milliseconds. Units are required
 * (a bare `30` is ambiguous between seconds and minutes), each unit appears at most once,
 * in descending order.
 */
export function parseDuration(input: string, raw: string, range: { min?: number; max?: number } = {}): number {
  const value = raw.trim();
  const allowed = 'a duration like 90s, 5m, 1h30m or 500ms';
  if (value === '0') return checkDuration(input, raw, 0, range);
  const match = /^(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+)s)?(?:(\d+)ms)?$/.exec(value);
  if (!match || value === '' || match.slice(1).every((part) => part === undefined)) {
    throw new InputError(input, `${quote(raw)} is not ${allowed}`);
  }
  const [, h, m, s, ms] = match;
  const total =
    Number(h ?? 0) * DURATION_UNITS.h! + Number(m ?? 0) * DURATION_UNITS.m! + Number(s ?? 0) * DURATION_UNITS.s! + Number(ms ?? 0);
  return checkDuration(input, raw, total, range);
}

function checkDuration(input: string, raw: string, ms: number, { min, max }: { min?: number; max?: number }): number {
  if (min !== undefined && ms < min) {
    throw new InputError(input, `${quote(raw)} is shorter than the minimum ${formatDuration(min)}`);
  }
  if (max !== undefined && ms > max) {
    throw new InputError(input, `${quote(raw)} is longer than the maximum ${formatDuration(max)}`);
  }
  return ms;
}

/**
 * Traffic percentages for the canary side, e.g. `10,25,50,100`: whole numbers from 1 to 100,
 * strictly increasing, ending at 100 (a rollout that never reaches 100% is not a rollout).
 */
export function parsePercentSteps(input: string, raw: string): readonly number[] {
  const parts = raw.split(',').map((part) => part.trim());
  if (parts.length === 0 || parts.every((part) => part === '')) {
    throw new InputError(input, 'is empty; give increasing percentages ending at 100, like 10,25,50,100');
  }
  const steps = parts.map((part) => {
    if (!/^\d+$/.test(part)) {
      throw new InputError(input, `${quote(part)} in ${quote(raw)} is not a whole percentage`);
    }
    const percent = Number(part);
    if (percent < 1 || percent > 100) {
      throw new InputError(input, `${part} in ${quote(raw)} is out of range (allowed: 1 to 100)`);
    }
    return percent;
  });
  for (let i = 1; i < steps.length; i++) {
    if (steps[i]! <= steps[i - 1]!) {
      throw new InputError(input, `${quote(raw)} must increase strictly; ${steps[i]} follows ${steps[i - 1]}`);
    }
  }
  if (steps.at(-1) !== 100) {
    throw new InputError(input, `${quote(raw)} must end at 100 so that the rollout completes`);
  }
  return steps;
}

/** One of a fixed set of values, compared exactly (case matters, as it does in YAML). */
export function parseEnum<const T extends string>(input: string, raw: string, allowed: readonly T[]): T {
  const value = raw.trim();
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new InputError(input, `${quote(raw)} is not one of: ${allowed.join(', ')}`);
}

export interface Arn {
  readonly arn: string;
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly accountId: string;
  /** Everything after the account id, e.g. `listener/app/my-alb/50dc6c495c0c9188/f2f7dc8efc522ab2`. */
  readonly resource: string;
  /** The leading resource type, e.g. `listener`, `listener-rule`, `targetgroup`, `service`. */
  readonly resourceType: string;
}

const REGION_PATTERN = /^(?:[a-z]{2}(?:-gov|-iso[a-z]*)?-[a-z]+-\d)$/;

/** An AWS region code such as `eu-west-1` or `us-gov-west-1`. */
export function parseRegion(input: string, raw: string): string {
  const value = raw.trim();
  if (REGION_PATTERN.test(value)) return value;
  throw new InputError(input, `${quote(raw)} is not an AWS region code like eu-west-1`);
}

export interface ArnExpectation {
  /** The service namespace, e.g. `elasticloadbalancing`, `ecs`, `s3`. */
  readonly service: string;
  /** Allowed resource types (the part before the first `/` or `:`). */
  readonly resourceTypes: readonly string[];
  /** When set, an ARN in another region is refused (resources must live where the clients point). */
  readonly region?: string;
}

/** An ARN of a given service and resource type, e.g. an ALB listener or an ECS service. */
export function parseArn(input: string, raw: string, expected: ArnExpectation): Arn {
  const value = raw.trim();
  const wanted = `an ARN of ${expected.service} ${expected.resourceTypes.join(' or ')}`;
  const parts = value.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') {
    throw new InputError(input, `${quote(raw)} is not an ARN; expected ${wanted}`);
  }
  const [, partition, service, region, accountId] = parts as [string, string, string, string, string];
  const resource = parts.slice(5).join(':');
  const resourceType = resource.split(/[/:]/)[0] ?? '';
  if (!/^aws(-[a-z]+)*$/.test(partition)) {
    throw new InputError(input, `${quote(raw)} has an unknown partition ${quote(partition)}`);
  }
  if (service !== expected.service) {
    throw new InputError(input, `${quote(raw)} is an ARN of ${service || 'no service'}; expected ${wanted}`);
  }
  if (service !== 's3' && !REGION_PATTERN.test(region)) {
    throw new InputError(input, `${quote(raw)} has no valid region; expected ${wanted}`);
  }
  if (expected.region !== undefined && region !== expected.region) {
    throw new InputError(input, `${quote(raw)} is in region ${region}, but the action works in ${expected.region}`);
  }
  if (service !== 's3' && !/^\d{12}$/.test(accountId)) {
    throw new InputError(input, `${quote(raw)} has no 12-digit account id`);
  }
  if (!expected.resourceTypes.includes(resourceType) || resource === resourceType) {
    throw new InputError(input, `${quote(raw)} is a ${service} ${resourceType || 'resource'}; expected ${wanted}`);
  }
  return { arn: value, partition, service, region, accountId, resource, resourceType };
}

export interface S3Uri {
  readonly bucket: string;
  /** The key or prefix, without a leading slash; empty for the bucket root. */
  readonly key: string;
}

/** `s3://bucket/key`, with a bucket name that S3 would accept. */
export function parseS3Uri(input: string, raw: string): S3Uri {
  const value = raw.trim();
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(value);
  if (!match) throw new InputError(input, `${quote(raw)} is not an S3 URI like s3://bucket/path/to/key`);
  const [, bucket = '', key = ''] = match;
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket) || bucket.includes('..')) {
    throw new InputError(input, `${quote(bucket)} is not a valid S3 bucket name (3-63 lower-case letters, digits, dots, hyphens)`);
  }
  return { bucket, key };
}

/**
 * `KEY=value` pairs, one per line or separated by commas; keys unique and non-empty.
 * Values may contain `=`, and commas: a comma separates pairs only where a `KEY=` follows it, so a JSON
 * value (`MODEL_S3_VERSION_IDS={"a.pt":"v1","b.pt":"v2"}`, as a model release pins) stays whole.
 * Blank lines and `#` comments are skipped.
 */
export function parseKeyValueList(input: string, raw: string): ReadonlyMap<string, string> {
  const result = new Map<string, string>();
  const entries = raw
    .split(/\r?\n|,(?=\s*[A-Za-z_][A-Za-z0-9_.-]*=)/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  for (const entry of entries) {
    const eq = entry.indexOf('=');
    if (eq <= 0) throw new InputError(input, `${quote(entry)} is not a KEY=value pair`);
    const key = entry.slice(0, eq).trim();
    if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(key)) throw new InputError(input, `${quote(key)} is not a valid key`);
    if (result.has(key)) throw new InputError(input, `key ${quote(key)} is given twice`);
    result.set(key, entry.slice(eq + 1).trim());
  }
  return result;
}

/** A non-empty list, one item per line or comma-separated, duplicates refused. */
export function parseList(input: string, raw: string): readonly string[] {
  const items = raw
    .split(/\r?\n|,/)
    .map((item) => item.trim())
    .filter((item) => item !== '');
  const seen = new Set<string>();
  for (const item of items) {
    if (seen.has(item)) throw new InputError(input, `${quote(item)} is listed twice`);
    seen.add(item);
  }
  return items;
}

/** A container image reference pinned by digest: `repo@sha256:<64 hex>` (tags move; digests do not). */
export function parseImageDigestRef(input: string, raw: string): string {
  const value = raw.trim();
  if (/^[a-z0-9][a-z0-9._\-/:]*[a-z0-9]@sha256:[a-f0-9]{64}$/.test(value)) return value;
  throw new InputError(
    input,
    `${quote(raw)} is not an image pinned by digest like 123456789012.dkr.ecr.eu-west-1.amazonaws.com/svg-ai@sha256:<64 hex>`,
  );
}

const ECS_NAME = /^[A-Za-z0-9_-]{1,255}$/;

/** An ECS cluster or service given by name or by ARN; returns it unchanged (the SDK takes either). */
export function parseEcsRef(input: string, raw: string, resourceType: 'cluster' | 'service'): string {
  const value = raw.trim();
  if (value.startsWith('arn:')) return parseArn(input, value, { service: 'ecs', resourceTypes: [resourceType] }).arn;
  if (ECS_NAME.test(value)) return value;
  throw new InputError(input, `${quote(raw)} is neither an ECS ${resourceType} name (letters, digits, - and _) nor an ARN`);
}

/** An http(s) URL, e.g. an endpoint override. */
export function parseHttpUrl(input: string, raw: string): URL {
  const value = raw.trim();
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InputError(input, `${quote(raw)} is not a URL like http://127.0.0.1:4566`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InputError(input, `${quote(raw)} must use http or https`);
  }
  return url;
}

/** A request path such as `/ready` or `/version?verbose=1`: starts with a slash, no white space. */
export function parseRequestPath(input: string, raw: string): string {
  const value = raw.trim();
  if (value.startsWith('/') && !/\s/.test(value)) return value;
  throw new InputError(input, `${quote(raw)} is not a request path like /ready`);
}

/** A model version as the service reports it: letters, digits and `._+-`, e.g. `1.4.0` or `2026-11-29+abc`. */
export function parseModelVersion(input: string, raw: string): string {
  const value = raw.trim();
  if (/^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$/.test(value)) return value;
  throw new InputError(input, `${quote(raw)} is not a model version like 1.4.0`);
}
