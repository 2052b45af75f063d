/**
 * Routing of path-style S3 REST requests to operations, and the one place errors become S3's XML error
 * document, so nothing thrown by an operation escapes the handler.
 */
import { randomBytes } from 'node:crypto';
import type { AwsHandler, AwsRequest, AwsResponse } from '../http-types.js';
import {
  createBucket,
  deleteBucket,
  getBucketLocation,
  getBucketVersioning,
  headBucket,
  listBuckets,
  putBucketVersioning,
} from './buckets.js';
import type { S3Context } from './context.js';
import { S3Error } from './errors.js';
import { listObjectVersions, listObjectsV2 } from './listings.js';
import { deleteObject, deleteObjectTagging, getObject, getObjectTagging, putObject, putObjectTagging } from './objects.js';
import { header, parseAddress } from './request.js';
import type { S3Store } from './store.js';
import { element, leaf, xmlResponse } from './xml.js';

type Operation = (context: S3Context, bucket: string, key: string) => AwsResponse;

/** Query parameters that select a sub-resource, and so an operation, rather than tune one. */
const SUBRESOURCES = ['versioning', 'versions', 'tagging', 'location'] as const;

/** Parameters the supported operations read; anything else names a feature this stand-in lacks. */
const PARAMETERS = new Set([
  ...SUBRESOURCES,
  'x-id',
  'versionId',
  'list-type',
  'prefix',
  'delimiter',
  'max-keys',
  'continuation-token',
  'start-after',
  'fetch-owner',
  'encoding-type',
  'key-marker',
  'version-id-marker',
  'max-buckets',
  'bucket-region',
]);

/** Keyed by `<method> <level> <sub-resource>`, level being service, bucket or object. */
const OPERATIONS: Readonly<Record<string, Operation>> = {
  'GET service ': (context) => listBuckets(context),
  'PUT bucket ': (context, bucket) => createBucket(context, bucket),
  'HEAD bucket ': (context, bucket) => headBucket(context, bucket),
  'DELETE bucket ': (context, bucket) => deleteBucket(context, bucket),
  'GET bucket ': (context, bucket) => {
    if (context.request.query.get('list-type') !== '2') {
      throw notImplemented('ListObjects (version 1) is not supported by this stand-in; use ListObjectsV2.');
    }
    return listObjectsV2(context, bucket);
  },
  'GET bucket versions': (context, bucket) => listObjectVersions(context, bucket),
  'PUT bucket versioning': (context, bucket) => putBucketVersioning(context, bucket),
  'GET bucket versioning': (context, bucket) => getBucketVersioning(context, bucket),
  'GET bucket location': (context, bucket) => getBucketLocation(context, bucket),
  'PUT object ': (context, bucket, key) => {
    if (header(context.request, 'x-amz-copy-source') !== undefined) {
      throw notImplemented('CopyObject is not supported by this stand-in.');
    }
    return putObject(context, bucket, key);
  },
  'GET object ': getObject,
  'HEAD object ': getObject,
  'DELETE object ': deleteObject,
  'PUT object tagging': putObjectTagging,
  'GET object tagging': getObjectTagging,
  'DELETE object tagging': deleteObjectTagging,
};

export function createS3Router(store: S3Store, region: string): AwsHandler {
  return async (request) => {
    const requestId = randomBytes(8).toString('hex').toUpperCase();
    let response: AwsResponse;
    try {
      response = route({ store, region, request });
    } catch (error) {
      response = errorResponse(error, request, requestId);
    }
    return {
      ...response,
      headers: { ...response.headers, 'x-amz-request-id': requestId, 'x-amz-id-2': randomBytes(24).toString('base64') },
    };
  };
}

function route(context: S3Context): AwsResponse {
  const { request } = context;
  for (const name of request.query.keys()) {
    if (!PARAMETERS.has(name) && !name.startsWith('response-')) {
      throw notImplemented(`The '${name}' query parameter names a feature this stand-in does not implement.`);
    }
  }
  const { bucket, key } = parseAddress(request.path);
  const level = bucket === undefined ? 'service' : key === undefined ? 'bucket' : 'object';
  const subresource = SUBRESOURCES.find((name) => request.query.has(name)) ?? '';
  const method = request.method.toUpperCase();
  const operation = OPERATIONS[`${method} ${level} ${subresource}`];
  if (operation) return operation(context, bucket ?? '', key ?? '');
  if (!['GET', 'PUT', 'HEAD', 'DELETE', 'POST'].includes(method)) {
    throw new S3Error('MethodNotAllowed', 405, 'The specified method is not allowed against this resource.', {
      Method: method,
      ResourceType: level.toUpperCase(),
    });
  }
  throw notImplemented(`${method} on this ${level}${subresource ? ` (${subresource})` : ''} is not supported by this stand-in.`);
}

function notImplemented(detail: string): S3Error {
  return new S3Error('NotImplemented', 501, `A header or query you provided implies functionality that is not implemented. ${detail}`);
}

function errorResponse(error: unknown, request: AwsRequest, requestId: string): AwsResponse {
  const s3Error =
    error instanceof S3Error
      ? error
      : new S3Error('InternalError', 500, `We encountered an internal error: ${error instanceof Error ? error.message : String(error)}`);
  // HEAD responses carry no body, so the SDK learns only the status (and any headers).
  if (request.method.toUpperCase() === 'HEAD') return { status: s3Error.status, headers: { ...s3Error.headers } };
  const fields = Object.entries(s3Error.fields).map(([name, value]) => leaf(name, value));
  return xmlResponse(
    s3Error.status,
    element('Error', [leaf('Code', s3Error.code), leaf('Message', s3Error.message), ...fields, leaf('RequestId', requestId)]),
    { ...s3Error.headers },
  );
}
