/**
 * The S3 hold fault: a matching S3 request is held (neither run nor answered) until it is released through
 * the admin endpoint, so a test can order two writers exactly (hold one at its write, let the other finish,
 * release the first) instead of hoping for a race. A held request runs when released, against the state of
 * that moment, as a slow request would.
 *
 *   POST   /_aws-local/s3-holds                 add a hold: { "key": "svgai/production.json", "bucket"?, "method"?, "count"? }
 *   GET    /_aws-local/s3-holds                 every hold, with what it holds now
 *   GET    /_aws-local/s3-holds/<id>/held       answers once the hold holds a request (?count= requests, default 1;
 *                                               ?timeoutMs=, default 30000)
 *   POST   /_aws-local/s3-holds/<id>/release    lets its held requests run, and removes the hold
 *   DELETE /_aws-local/s3-holds                 releases everything, removes every hold
 *
 * S3 REST requests have no operation name on the wire, so a hold matches by HTTP method (default PUT, a
 * write) and key: exact, or a pattern where `*` stands for any characters, `/` included.
 */
import { AwsError, toAwsError } from './errors.js';
import type { AwsRequest, AwsResponse } from './http-types.js';
import { parseAddress } from './s3/request.js';

export const S3_HOLDS_PATH = '/_aws-local/s3-holds';

const METHODS = ['PUT', 'GET', 'HEAD', 'DELETE', 'POST'] as const;
type Method = (typeof METHODS)[number];
const FIELDS = ['key', 'bucket', 'method', 'count'];
const DEFAULT_WAIT_MS = 30_000;
const MAX_WAIT_MS = 600_000;

export interface S3HoldSpec {
  /** Key, or a pattern with `*`. */
  readonly key: string;
  /** Any bucket when absent. */
  readonly bucket?: string;
  readonly method: Method;
  /** How many matching requests to hold; later ones pass. */
  readonly count: number;
}

interface HeldRequest {
  readonly method: string;
  readonly bucket: string;
  readonly key: string;
  readonly release: () => void;
}

interface Hold extends S3HoldSpec {
  readonly id: string;
  remaining: number;
  readonly held: HeldRequest[];
  readonly waiters: (() => void)[];
}

/** Checks a hold from JSON, naming what is wrong. */
export function checkS3Hold(input: unknown): S3HoldSpec {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new AwsError('ValidationError', 'An S3 hold is a JSON object: { "key": ..., "bucket"?, "method"?, "count"? }');
  const spec = input as Record<string, unknown>;
  for (const field of Object.keys(spec)) {
    if (!FIELDS.includes(field)) throw new AwsError('ValidationError', `Unknown S3 hold field '${field}' (expected ${FIELDS.join(', ')})`);
  }
  const { key, bucket, method = 'PUT', count = 1 } = spec;
  if (typeof key !== 'string' || key === '')
    throw new AwsError('ValidationError', `S3 hold 'key' must be a non-empty key or pattern, got ${JSON.stringify(key)}`);
  if (bucket !== undefined && (typeof bucket !== 'string' || bucket === ''))
    throw new AwsError('ValidationError', `S3 hold 'bucket' must be a non-empty bucket name, got ${JSON.stringify(bucket)}`);
  if (typeof method !== 'string' || !METHODS.includes(method.toUpperCase() as Method))
    throw new AwsError('ValidationError', `S3 hold 'method' must be one of ${METHODS.join(', ')}, got ${JSON.stringify(method)}`);
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1)
    throw new AwsError('ValidationError', `S3 hold 'count' must be a whole number from 1, got ${JSON.stringify(count)}`);
  return { key, ...(bucket === undefined ? {} : { bucket: bucket as string }), method: method.toUpperCase() as Method, count };
}

export class S3Holds {
  private holds: Hold[] = [];
  private nextId = 1;

  add(spec: S3HoldSpec): Hold {
    const hold: Hold = { ...spec, id: `hold-${this.nextId++}`, remaining: spec.count, held: [], waiters: [] };
    this.holds.push(hold);
    return hold;
  }

  /** Resolves at once unless a hold takes the request; then when that hold is released. */
  before(request: AwsRequest): Promise<void> {
    if (this.holds.length === 0) return Promise.resolve();
    let address;
    try {
      address = parseAddress(request.path);
    } catch {
      return Promise.resolve(); // the S3 handler answers a malformed address itself
    }
    const { bucket, key } = address;
    if (bucket === undefined || key === undefined) return Promise.resolve();
    const method = request.method.toUpperCase();
    const hold = this.holds.find(
      (h) => h.remaining > 0 && h.method === method && (h.bucket === undefined || h.bucket === bucket) && keyMatches(h.key, key),
    );
    if (!hold) return Promise.resolve();
    hold.remaining -= 1;
    return new Promise((resolve) => {
      hold.held.push({ method, bucket, key, release: resolve });
      for (const wake of hold.waiters.splice(0)) wake();
    });
  }

  /** Lets a hold's requests run and removes it; the number released. */
  release(id: string): number {
    const hold = this.find(id);
    this.holds = this.holds.filter((h) => h !== hold);
    return this.free(hold);
  }

  releaseAll(): number {
    const all = this.holds;
    this.holds = [];
    return all.reduce((sum, hold) => sum + this.free(hold), 0);
  }

  describe() {
    return this.holds.map(({ id, key, bucket, method, count, remaining, held }) => ({
      id,
      key,
      bucket,
      method,
      count,
      remaining,
      held: held.map(({ method: m, bucket: b, key: k }) => ({ method: m, bucket: b, key: k })),
    }));
  }

  /** The admin routes under S3_HOLDS_PATH. */
  async admin(request: AwsRequest): Promise<AwsResponse> {
    try {
      const rest = request.path.slice(S3_HOLDS_PATH.length).replace(/\/+$/, '');
      const method = request.method.toUpperCase();
      if (rest === '') {
        if (method === 'GET') return json(200, { holds: this.describe() });
        if (method === 'DELETE') return json(200, { released: this.releaseAll() });
        if (method === 'POST') {
          let body: unknown;
          try {
            body = JSON.parse(request.body.toString('utf8'));
          } catch {
            throw new AwsError('ValidationError', 'The S3 hold must be a JSON object');
          }
          const hold = this.add(checkS3Hold(body));
          return json(
            200,
            this.describe().find((h) => h.id === hold.id),
          );
        }
      }
      const [, id = '', action] = /^\/([^/]+)\/([^/]+)$/.exec(rest) ?? [];
      if (method === 'GET' && action === 'held') {
        const held = await this.waitHeld(id, heldCount(request.query.get('count')), waitMs(request.query.get('timeoutMs')));
        return json(200, held);
      }
      if (method === 'POST' && action === 'release') return json(200, { released: this.release(id) });
      throw new AwsError('NotFound', `No S3 hold route ${method} ${request.path}`, 404);
    } catch (error) {
      const failure = toAwsError(error);
      return json(failure.status, { error: failure.code, message: failure.message });
    }
  }

  private async waitHeld(id: string, count: number, timeoutMs: number) {
    const hold = this.find(id);
    if (count > hold.count) throw new AwsError('ValidationError', `S3 hold ${id} holds at most ${hold.count} requests, not ${count}`);
    const deadline = Date.now() + timeoutMs;
    while (hold.held.length < count && this.holds.includes(hold)) {
      let timer: NodeJS.Timeout | undefined;
      const woken = await new Promise<boolean>((resolve) => {
        hold.waiters.push(() => resolve(true));
        timer = setTimeout(() => resolve(false), Math.max(0, deadline - Date.now()));
      }).finally(() => clearTimeout(timer));
      if (!woken)
        throw new AwsError(
          'RequestTimeout',
          `S3 hold ${id} (${hold.method} ${hold.key}) held ${hold.held.length} of ${count} requests within ${timeoutMs} ms`,
          408,
        );
    }
    return this.describe().find((h) => h.id === id) ?? { id, released: true };
  }

  private find(id: string): Hold {
    const hold = this.holds.find((h) => h.id === id);
    if (!hold) throw new AwsError('NotFound', `No S3 hold ${id} (holds: ${this.holds.map((h) => h.id).join(', ') || 'none'})`, 404);
    return hold;
  }

  private free(hold: Hold): number {
    const held = hold.held.splice(0);
    for (const request of held) request.release();
    for (const wake of hold.waiters.splice(0)) wake();
    return held.length;
  }
}

function keyMatches(pattern: string, key: string): boolean {
  if (!pattern.includes('*')) return pattern === key;
  const parts = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('.*')}$`, 's').test(key);
}

function heldCount(value: string | null): number {
  if (value === null) return 1;
  if (!/^\d+$/.test(value) || Number(value) < 1)
    throw new AwsError('ValidationError', `'count' must be a whole number from 1, got ${JSON.stringify(value)}`);
  return Number(value);
}

function waitMs(value: string | null): number {
  if (value === null) return DEFAULT_WAIT_MS;
  const ms = Number(value);
  if (!/^\d+$/.test(value) || ms < 1 || ms > MAX_WAIT_MS)
    throw new AwsError(
      'ValidationError',
      `'timeoutMs' must be a whole number of milliseconds from 1 to ${MAX_WAIT_MS}, got ${JSON.stringify(value)}`,
    );
  return ms;
}

function json(status: number, body: unknown): AwsResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}
