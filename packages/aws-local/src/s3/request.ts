/** Reading an S3 REST request: header values and the path-style `/<bucket>/<key>` address. */
import type { AwsRequest } from '../http-types.js';
import { S3Error } from './errors.js';

export function header(request: AwsRequest, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}

export interface S3Address {
  /** Undefined for the service itself (`GET /` lists buckets). */
  readonly bucket?: string;
  /** Undefined when the request addresses the bucket, never the empty string. */
  readonly key?: string;
}

/**
 * Path-style addressing: the first segment is the bucket, everything after the next slash is the key
 * (which may itself contain slashes, and is percent-encoded by the SDK).
 */
export function parseAddress(path: string): S3Address {
  const trimmed = path.startsWith('/') ? path.slice(1) : path;
  if (trimmed === '') return {};
  const slash = trimmed.indexOf('/');
  const rawBucket = slash < 0 ? trimmed : trimmed.slice(0, slash);
  const rawKey = slash < 0 ? '' : trimmed.slice(slash + 1);
  const bucket = decode(rawBucket);
  const key = decode(rawKey);
  return key === '' ? { bucket } : { bucket, key };
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new S3Error('InvalidURI', 400, `Couldn't parse the specified URI: ${segment.slice(0, 200)}`);
  }
}
