/**
 * HTTP conditional requests as S3 evaluates them (RFC 9110 §13.2.2 order): on reads If-Match and
 * If-Unmodified-Since can fail the request (412) and If-None-Match and If-Modified-Since can short-cut it
 * (304); on writes If-None-Match: * and If-Match guard against overwriting what someone else wrote.
 */
import type { AwsRequest } from '../http-types.js';
import { S3Error, noSuchKey, preconditionFailed } from './errors.js';
import { header } from './request.js';
import type { ObjectVersion } from './store.js';

export type ReadOutcome = 'proceed' | 'not-modified';

export function evaluateReadConditions(request: AwsRequest, object: ObjectVersion): ReadOutcome {
  const ifMatch = header(request, 'if-match');
  const ifNoneMatch = header(request, 'if-none-match');
  const ifModifiedSince = httpDate(header(request, 'if-modified-since'));
  const ifUnmodifiedSince = httpDate(header(request, 'if-unmodified-since'));
  const modifiedSecond = Math.floor(object.lastModified.getTime() / 1000) * 1000;

  if (ifMatch !== undefined) {
    if (!etagListMatches(ifMatch, object.etag)) throw preconditionFailed('If-Match');
  } else if (ifUnmodifiedSince !== undefined && modifiedSecond > ifUnmodifiedSince) {
    throw preconditionFailed('If-Unmodified-Since');
  }
  if (ifNoneMatch !== undefined) {
    if (etagListMatches(ifNoneMatch, object.etag)) return 'not-modified';
  } else if (ifModifiedSince !== undefined && modifiedSecond <= ifModifiedSince) {
    return 'not-modified';
  }
  return 'proceed';
}

/** Throws when a conditional PUT must not overwrite `current` (the latest version, possibly a delete marker). */
export function checkWriteConditions(request: AwsRequest, key: string, current: ObjectVersion | undefined): void {
  const exists = current !== undefined && !current.deleteMarker;
  const ifNoneMatch = header(request, 'if-none-match');
  if (ifNoneMatch !== undefined) {
    if (ifNoneMatch.trim() !== '*') {
      throw new S3Error('NotImplemented', 501, 'A header you provided implies functionality that is not implemented', {
        Header: 'If-None-Match',
      });
    }
    if (exists) throw preconditionFailed('If-None-Match');
  }
  const ifMatch = header(request, 'if-match');
  if (ifMatch !== undefined) {
    if (!exists) throw noSuchKey(key);
    if (!etagListMatches(ifMatch, current.etag)) throw preconditionFailed('If-Match');
  }
}

/** `*`, or a comma-separated list of (possibly weak) entity tags, one of which equals the object's. */
function etagListMatches(list: string, etag: string): boolean {
  return list.split(',').some((candidate) => {
    const trimmed = candidate.trim().replace(/^W\//, '');
    if (trimmed === '*') return true;
    const quoted = trimmed.startsWith('"') ? trimmed : `"${trimmed}"`;
    return quoted === etag;
  });
}

/** Milliseconds since the epoch, or undefined for an absent or unparsable date (which HTTP says to ignore). */
function httpDate(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? undefined : parsed;
}
