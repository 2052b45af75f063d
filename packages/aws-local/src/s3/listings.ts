/** ListObjectsV2 and ListObjectVersions: the pagination tokens and markers, and the XML S3 returns. */
import type { AwsResponse } from '../http-types.js';
import type { S3Context } from './context.js';
import { invalidArgument } from './errors.js';
import { type ListItem, compareKeys, paginate } from './paginate.js';
import type { Bucket, ObjectVersion } from './store.js';
import { element, leaf, S3_NAMESPACE, xmlResponse } from './xml.js';

const MAX_KEYS = 1000;

export function listObjectsV2(context: S3Context, bucketName: string): AwsResponse {
  const bucket = context.store.bucket(bucketName);
  const { query } = context.request;
  const common = commonParameters(context);
  const token = query.get('continuation-token');
  const startAfter = query.get('start-after') ?? undefined;
  const marker = token === null ? startAfter : decodeContinuationToken(token);
  const current = sortedKeys(bucket).flatMap((key) => {
    const latest = bucket.objects.get(key)?.[0];
    return latest && !latest.deleteMarker ? [latest] : [];
  });
  const entries = marker === undefined ? current : current.filter((object) => compareKeys(object.key, marker) > 0);
  const page = paginate(entries, { ...common, ...(marker === undefined ? {} : { marker }) });
  const last = page.items.at(-1);
  const next = page.truncated && last ? Buffer.from(itemKey(last)).toString('base64url') : undefined;
  const encode = common.encode;
  return xmlResponse(
    200,
    element(
      'ListBucketResult',
      [
        leaf('Name', bucket.name),
        leaf('Prefix', encode(common.prefix)),
        leaf('Delimiter', common.delimiter === undefined ? undefined : encode(common.delimiter)),
        leaf('MaxKeys', common.maxKeys),
        leaf('KeyCount', page.items.length),
        leaf('IsTruncated', page.truncated),
        leaf('EncodingType', common.encodingType),
        leaf('ContinuationToken', token ?? undefined),
        leaf('NextContinuationToken', next),
        leaf('StartAfter', startAfter === undefined ? undefined : encode(startAfter)),
        ...page.items.map((item) => (item.kind === 'prefix' ? renderPrefix(item.prefix, encode) : renderContents(item.entry, encode))),
      ],
      S3_NAMESPACE,
    ),
  );
}

interface VersionEntry {
  readonly key: string;
  readonly version: ObjectVersion;
  readonly isLatest: boolean;
}

export function listObjectVersions(context: S3Context, bucketName: string): AwsResponse {
  const bucket = context.store.bucket(bucketName);
  const { query } = context.request;
  const common = commonParameters(context);
  const keyMarker = query.get('key-marker') ?? undefined;
  const versionIdMarker = query.get('version-id-marker') ?? undefined;
  if (versionIdMarker !== undefined && keyMarker === undefined) {
    throw invalidArgument('A version-id marker cannot be specified without a key marker.', 'version-id-marker', versionIdMarker);
  }
  const entries: VersionEntry[] = [];
  for (const key of sortedKeys(bucket)) {
    const versions = bucket.objects.get(key) ?? [];
    versions
      .slice(resumeIndex(key, versions, keyMarker, versionIdMarker))
      .forEach((version) => entries.push({ key, version, isLatest: version === versions[0] }));
  }
  const page = paginate(entries, { ...common, ...(keyMarker === undefined ? {} : { marker: keyMarker }) });
  const last = page.items.at(-1);
  const encode = common.encode;
  const nextMarkers =
    page.truncated && last
      ? [
          leaf('NextKeyMarker', encode(itemKey(last))),
          leaf('NextVersionIdMarker', last.kind === 'entry' ? last.entry.version.versionId : undefined),
        ]
      : [];
  return xmlResponse(
    200,
    element(
      'ListVersionsResult',
      [
        leaf('Name', bucket.name),
        leaf('Prefix', encode(common.prefix)),
        leaf('KeyMarker', keyMarker === undefined ? '' : encode(keyMarker)),
        leaf('VersionIdMarker', versionIdMarker ?? ''),
        ...nextMarkers,
        leaf('Delimiter', common.delimiter === undefined ? undefined : encode(common.delimiter)),
        leaf('MaxKeys', common.maxKeys),
        leaf('EncodingType', common.encodingType),
        leaf('IsTruncated', page.truncated),
        ...page.items.map((item) => (item.kind === 'prefix' ? renderPrefix(item.prefix, encode) : renderVersion(item.entry, encode))),
      ],
      S3_NAMESPACE,
    ),
  );
}

/** Where this page starts within one key's versions (newest first), given the previous page's markers. */
function resumeIndex(
  key: string,
  versions: readonly ObjectVersion[],
  keyMarker: string | undefined,
  versionIdMarker: string | undefined,
): number {
  if (keyMarker === undefined || compareKeys(key, keyMarker) > 0) return 0;
  if (key !== keyMarker || versionIdMarker === undefined) return versions.length;
  const index = versions.findIndex((version) => version.versionId === versionIdMarker);
  return index < 0 ? versions.length : index + 1;
}

interface CommonParameters {
  readonly prefix: string;
  readonly delimiter?: string;
  readonly maxKeys: number;
  readonly encodingType?: 'url';
  /** Applied to keys and prefixes in the response when the client asked for `encoding-type=url`. */
  readonly encode: (value: string) => string;
}

function commonParameters(context: S3Context): CommonParameters {
  const { query } = context.request;
  const rawMaxKeys = query.get('max-keys');
  if (rawMaxKeys !== null && !/^\d+$/.test(rawMaxKeys)) {
    throw invalidArgument('Provided max-keys not an integer or within integer range', 'max-keys', rawMaxKeys);
  }
  const encodingType = query.get('encoding-type');
  if (encodingType !== null && encodingType !== 'url') {
    throw invalidArgument('Invalid Encoding Method specified in Request', 'encoding-type', encodingType);
  }
  const delimiter = query.get('delimiter');
  return {
    prefix: query.get('prefix') ?? '',
    ...(delimiter ? { delimiter } : {}),
    maxKeys: rawMaxKeys === null ? MAX_KEYS : Math.min(Number(rawMaxKeys), MAX_KEYS),
    ...(encodingType === 'url' ? { encodingType } : {}),
    encode: encodingType === 'url' ? encodeURIComponent : (value) => value,
  };
}

function decodeContinuationToken(token: string): string {
  const decoded = Buffer.from(token, 'base64url').toString('utf8');
  if (token === '' || Buffer.from(decoded).toString('base64url') !== token) {
    throw invalidArgument('The continuation token provided is incorrect', 'continuation-token', token);
  }
  return decoded;
}

function sortedKeys(bucket: Bucket): string[] {
  return [...bucket.objects.keys()].sort(compareKeys);
}

function itemKey(item: ListItem<{ readonly key: string }>): string {
  return item.kind === 'prefix' ? item.prefix : item.entry.key;
}

function renderPrefix(prefix: string, encode: (value: string) => string): string {
  return element('CommonPrefixes', [leaf('Prefix', encode(prefix))]);
}

function renderContents(object: ObjectVersion, encode: (value: string) => string): string {
  return element('Contents', [
    leaf('Key', encode(object.key)),
    leaf('LastModified', object.lastModified.toISOString()),
    leaf('ETag', object.etag),
    leaf('ChecksumAlgorithm', object.checksum?.algorithm),
    leaf('ChecksumType', object.checksum ? 'FULL_OBJECT' : undefined),
    leaf('Size', object.body.length),
    leaf('StorageClass', 'STANDARD'),
  ]);
}

function renderVersion(entry: VersionEntry, encode: (value: string) => string): string {
  const { version } = entry;
  const common = [
    leaf('Key', encode(entry.key)),
    leaf('VersionId', version.versionId),
    leaf('IsLatest', entry.isLatest),
    leaf('LastModified', version.lastModified.toISOString()),
  ];
  if (version.deleteMarker) return element('DeleteMarker', common);
  return element('Version', [
    ...common,
    leaf('ETag', version.etag),
    leaf('ChecksumAlgorithm', version.checksum?.algorithm),
    leaf('ChecksumType', version.checksum ? 'FULL_OBJECT' : undefined),
    leaf('Size', version.body.length),
    leaf('StorageClass', 'STANDARD'),
  ]);
}
