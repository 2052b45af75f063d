/** Object-level operations: put, get/head (whole or by range, by version, conditional), delete, tagging. */
import type { AwsResponse } from '../http-types.js';
import { checksumHeaderName, md5 } from './checksums.js';
import { checkWriteConditions, evaluateReadConditions } from './conditions.js';
import type { S3Context } from './context.js';
import { S3Error, invalidArgument, noSuchKey, noSuchVersion } from './errors.js';
import { readPayload } from './payload.js';
import { header } from './request.js';
import { type Bucket, type ObjectVersion, isVersionIdShape } from './store.js';
import { renderTagging, tagsFromDocument, tagsFromHeader } from './tagging.js';
import { parseXml, xmlResponse } from './xml.js';

/** Headers that describe the stored representation and come back unchanged on GET and HEAD. */
const STORED_HEADERS = ['content-type', 'content-encoding', 'content-disposition', 'content-language', 'cache-control', 'expires'];
const METADATA_PREFIX = 'x-amz-meta-';
/** S3 caps the user-defined metadata of one object at 2 KB (names and values, UTF-8). */
const MAX_METADATA_BYTES = 2048;

export function putObject(context: S3Context, bucketName: string, key: string): AwsResponse {
  const { store, request } = context;
  const bucket = store.bucket(bucketName);
  const payload = readPayload(request);
  const tagging = header(request, 'x-amz-tagging');
  const tags = tagging === undefined ? [] : tagsFromHeader(tagging);
  const metadata = userMetadata(request.headers);
  // Checked and written with nothing asynchronous in between, so of two racing conditional writes one wins.
  checkWriteConditions(request, key, store.latest(bucket, key));
  const version = store.put(bucket, {
    key,
    body: payload.data,
    etag: `"${md5(payload.data).toString('hex')}"`,
    headers: storedHeaders(context),
    metadata,
    tags,
    ...(payload.checksum ? { checksum: payload.checksum } : {}),
  });
  const headers: Record<string, string> = { etag: version.etag, ...versionHeader(bucket, version) };
  if (version.checksum) {
    headers[checksumHeaderName(version.checksum.algorithm)] = version.checksum.value;
    headers['x-amz-checksum-type'] = 'FULL_OBJECT';
  }
  return { status: 200, headers };
}

/** GetObject and HeadObject: the same lookups, conditions and headers; HEAD just sends no body. */
export function getObject(context: S3Context, bucketName: string, key: string): AwsResponse {
  const { request } = context;
  const bucket = context.store.bucket(bucketName);
  const object = findReadable(context, bucket, key);
  const headers = objectHeaders(context, bucket, object);
  if (evaluateReadConditions(request, object) === 'not-modified') {
    return {
      status: 304,
      headers: {
        etag: object.etag,
        'last-modified': object.lastModified.toUTCString(),
        ...versionHeader(bucket, object),
      },
    };
  }
  const range = parseRange(header(request, 'range'), object.body.length);
  if (range === 'unsatisfiable') {
    throw new S3Error('InvalidRange', 416, 'The requested range is not satisfiable', {
      RangeRequested: header(request, 'range') ?? '',
      ActualObjectSize: String(object.body.length),
    });
  }
  const checksumWanted = header(request, 'x-amz-checksum-mode')?.toUpperCase() === 'ENABLED';
  // A checksum describes the whole object, so S3 leaves it out of partial responses.
  if (checksumWanted && object.checksum && range === undefined) {
    headers[checksumHeaderName(object.checksum.algorithm)] = object.checksum.value;
    headers['x-amz-checksum-type'] = 'FULL_OBJECT';
  }
  const body = range === undefined ? object.body : object.body.subarray(range.start, range.end + 1);
  headers['content-length'] = String(body.length);
  if (range !== undefined) headers['content-range'] = `bytes ${range.start}-${range.end}/${object.body.length}`;
  const status = range === undefined ? 200 : 206;
  return request.method === 'HEAD' ? { status, headers } : { status, headers, body };
}

export function deleteObject(context: S3Context, bucketName: string, key: string): AwsResponse {
  const bucket = context.store.bucket(bucketName);
  const versionId = requestedVersionId(context);
  if (versionId !== undefined) {
    const removed = context.store.deleteVersion(bucket, key, versionId);
    const headers: Record<string, string> = { 'x-amz-version-id': versionId };
    if (removed?.deleteMarker) headers['x-amz-delete-marker'] = 'true';
    return { status: 204, headers };
  }
  const marker = context.store.deleteLatest(bucket, key);
  return {
    status: 204,
    headers: marker ? { 'x-amz-delete-marker': 'true', 'x-amz-version-id': marker.versionId } : {},
  };
}

export function putObjectTagging(context: S3Context, bucketName: string, key: string): AwsResponse {
  const bucket = context.store.bucket(bucketName);
  const tags = tagsFromDocument(parseXml(readPayload(context.request).data));
  const object = findReadable(context, bucket, key);
  object.tags = tags;
  return { status: 200, headers: versionHeader(bucket, object) };
}

export function getObjectTagging(context: S3Context, bucketName: string, key: string): AwsResponse {
  const bucket = context.store.bucket(bucketName);
  const object = findReadable(context, bucket, key);
  return xmlResponse(200, renderTagging(object.tags), versionHeader(bucket, object));
}

export function deleteObjectTagging(context: S3Context, bucketName: string, key: string): AwsResponse {
  const bucket = context.store.bucket(bucketName);
  const object = findReadable(context, bucket, key);
  object.tags = [];
  return { status: 204, headers: versionHeader(bucket, object) };
}

function requestedVersionId(context: S3Context): string | undefined {
  const versionId = context.request.query.get('versionId');
  if (versionId === null) return undefined;
  if (!isVersionIdShape(versionId)) throw invalidArgument('Invalid version id specified', 'versionId', versionId);
  return versionId;
}

/**
 * The version a read addresses. A delete marker is never readable: as the latest version it makes the key
 * look absent (404), addressed by id it is a resource that only supports DELETE (405).
 */
function findReadable(context: S3Context, bucket: Bucket, key: string): ObjectVersion {
  const versionId = requestedVersionId(context);
  if (versionId === undefined) {
    const latest = context.store.latest(bucket, key);
    if (!latest) throw noSuchKey(key);
    if (latest.deleteMarker) {
      throw noSuchKey(key, { 'x-amz-delete-marker': 'true', 'x-amz-version-id': latest.versionId });
    }
    return latest;
  }
  const version = context.store.version(bucket, key, versionId);
  if (!version) throw noSuchVersion(key, versionId);
  if (version.deleteMarker) {
    throw new S3Error(
      'MethodNotAllowed',
      405,
      'The specified method is not allowed against this resource.',
      { Method: context.request.method, ResourceType: 'DeleteMarker' },
      {
        'x-amz-delete-marker': 'true',
        'x-amz-version-id': version.versionId,
        'last-modified': version.lastModified.toUTCString(),
        allow: 'DELETE',
      },
    );
  }
  return version;
}

function objectHeaders(context: S3Context, bucket: Bucket, object: ObjectVersion): Record<string, string> {
  const headers: Record<string, string> = {
    ...object.headers,
    etag: object.etag,
    'last-modified': object.lastModified.toUTCString(),
    'accept-ranges': 'bytes',
    ...versionHeader(bucket, object),
  };
  for (const [name, value] of Object.entries(object.metadata)) headers[`${METADATA_PREFIX}${name}`] = value;
  if (object.tags.length > 0) headers['x-amz-tagging-count'] = String(object.tags.length);
  // GetObject's response-* parameters override the stored representation headers for this one response.
  for (const name of STORED_HEADERS) {
    const override = context.request.query.get(`response-${name}`);
    if (override !== null) headers[name] = override;
  }
  return headers;
}

/** S3 reports version ids only once versioning has been configured on the bucket. */
function versionHeader(bucket: Bucket, object: ObjectVersion): Record<string, string> {
  return bucket.versioning === undefined ? {} : { 'x-amz-version-id': object.versionId };
}

function storedHeaders(context: S3Context): Record<string, string> {
  const stored: Record<string, string> = { 'content-type': 'binary/octet-stream' };
  for (const name of STORED_HEADERS) {
    const value = header(context.request, name);
    if (value !== undefined) stored[name] = value;
  }
  // aws-chunked is framing for the upload, not part of the object's encoding.
  const encoding = (stored['content-encoding'] ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '' && part !== 'aws-chunked')
    .join(',');
  if (encoding === '') delete stored['content-encoding'];
  else stored['content-encoding'] = encoding;
  return stored;
}

function userMetadata(headers: S3Context['request']['headers']): Record<string, string> {
  const metadata: Record<string, string> = {};
  let bytes = 0;
  for (const [name, value] of Object.entries(headers)) {
    if (!name.startsWith(METADATA_PREFIX) || value === undefined) continue;
    const text = Array.isArray(value) ? value.join(',') : value;
    const metadataName = name.slice(METADATA_PREFIX.length);
    metadata[metadataName] = text;
    bytes += Buffer.byteLength(metadataName) + Buffer.byteLength(text);
  }
  if (bytes > MAX_METADATA_BYTES) {
    throw new S3Error('MetadataTooLarge', 400, 'Your metadata headers exceed the maximum allowed metadata size', {
      Size: String(bytes),
      MaxSizeAllowed: String(MAX_METADATA_BYTES),
    });
  }
  return metadata;
}

/**
 * A single `bytes=` range. Anything S3 would ignore (another unit, several ranges, bad syntax) yields
 * undefined, meaning the whole object; a well-formed range past the end is unsatisfiable.
 */
function parseRange(value: string | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | undefined {
  const match = value === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(value.trim());
  if (!match) return undefined;
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return undefined;
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  if (start >= size) return 'unsatisfiable';
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  return end < start ? undefined : { start, end };
}
