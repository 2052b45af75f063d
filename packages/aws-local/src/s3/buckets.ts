/** Bucket-level operations: create, head, list, delete, versioning configuration. */
import type { AwsResponse } from '../http-types.js';
import type { S3Context } from './context.js';
import { S3Error, malformedXml } from './errors.js';
import { compareKeys } from './paginate.js';
import { readPayload } from './payload.js';
import { child, childText, element, leaf, parseXml, S3_NAMESPACE, xmlResponse } from './xml.js';

/** S3's general-purpose bucket naming rules (3–63 characters, lower case, no adjacent dots, not an IP). */
function checkBucketName(name: string): void {
  const valid = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name) && !name.includes('..') && !/^\d+\.\d+\.\d+\.\d+$/.test(name);
  if (!valid) {
    throw new S3Error('InvalidBucketName', 400, 'The specified bucket is not valid.', { BucketName: name });
  }
}

export function createBucket(context: S3Context, name: string): AwsResponse {
  checkBucketName(name);
  const { data } = readPayload(context.request);
  let region = context.region;
  if (data.length > 0) {
    const constraint = childText(child(parseXml(data), 'CreateBucketConfiguration'), 'LocationConstraint');
    if (constraint !== undefined && constraint !== '' && constraint !== context.region) {
      throw new S3Error(
        'IllegalLocationConstraintException',
        400,
        `The ${constraint} location constraint is incompatible for the region specific endpoint this request was sent to (${context.region}).`,
      );
    }
    region = constraint || context.region;
  }
  context.store.createBucket(name, region);
  return { status: 200, headers: { location: `/${name}` } };
}

export function headBucket(context: S3Context, name: string): AwsResponse {
  const bucket = context.store.bucket(name);
  return { status: 200, headers: { 'x-amz-bucket-region': bucket.region } };
}

export function deleteBucket(context: S3Context, name: string): AwsResponse {
  context.store.deleteBucket(name);
  return { status: 204 };
}

export function getBucketLocation(context: S3Context, name: string): AwsResponse {
  const bucket = context.store.bucket(name);
  // us-east-1 is reported as an empty constraint, for historical reasons.
  const constraint = bucket.region === 'us-east-1' ? '' : bucket.region;
  return xmlResponse(200, element('LocationConstraint', [constraint], S3_NAMESPACE));
}

export function listBuckets(context: S3Context): AwsResponse {
  const { query } = context.request;
  const prefix = query.get('prefix') ?? '';
  const after = decodeToken(query.get('continuation-token'));
  const maxBuckets = parseMaxBuckets(query.get('max-buckets'));
  const regionFilter = query.get('bucket-region');
  const matching = [...context.store.buckets.values()]
    .filter((bucket) => bucket.name.startsWith(prefix))
    .filter((bucket) => regionFilter === null || bucket.region === regionFilter)
    .filter((bucket) => after === undefined || compareKeys(bucket.name, after) > 0)
    .sort((a, b) => compareKeys(a.name, b.name));
  const page = matching.slice(0, maxBuckets);
  const last = page.at(-1);
  const next = matching.length > page.length && last ? Buffer.from(last.name).toString('base64url') : undefined;
  const buckets = page.map((bucket) =>
    element('Bucket', [
      leaf('Name', bucket.name),
      leaf('CreationDate', bucket.createdAt.toISOString()),
      leaf('BucketRegion', bucket.region),
    ]),
  );
  return xmlResponse(
    200,
    element(
      'ListAllMyBucketsResult',
      [element('Buckets', buckets), leaf('ContinuationToken', next), leaf('Prefix', query.get('prefix') ?? undefined)],
      S3_NAMESPACE,
    ),
  );
}

export function putBucketVersioning(context: S3Context, name: string): AwsResponse {
  const bucket = context.store.bucket(name);
  const document = parseXml(readPayload(context.request).data);
  const configuration = child(document, 'VersioningConfiguration');
  if (configuration === undefined) throw malformedXml();
  const status = childText(configuration, 'Status');
  if (status !== undefined) {
    if (status !== 'Enabled' && status !== 'Suspended') throw malformedXml();
    bucket.versioning = status;
  }
  return { status: 200 };
}

export function getBucketVersioning(context: S3Context, name: string): AwsResponse {
  const bucket = context.store.bucket(name);
  return xmlResponse(200, element('VersioningConfiguration', [leaf('Status', bucket.versioning)], S3_NAMESPACE));
}

function parseMaxBuckets(raw: string | null): number {
  if (raw === null) return 10000;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < 1 || value > 10000) {
    throw new S3Error('InvalidArgument', 400, 'Argument max-buckets must be an integer between 1 and 10000.', {
      ArgumentName: 'max-buckets',
      ArgumentValue: raw,
    });
  }
  return value;
}

/** Continuation tokens are the base64url of the last bucket name returned; anything else was not issued here. */
function decodeToken(token: string | null): string | undefined {
  if (token === null) return undefined;
  const decoded = Buffer.from(token, 'base64url').toString('utf8');
  if (token === '' || Buffer.from(decoded).toString('base64url') !== token) {
    throw new S3Error('InvalidArgument', 400, 'The continuation token provided is incorrect', {
      ArgumentName: 'continuation-token',
      ArgumentValue: token,
    });
  }
  return decoded;
}
