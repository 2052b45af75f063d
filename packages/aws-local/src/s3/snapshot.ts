/**
 * S3 state as plain JSON (dates as ISO strings, bodies as base64), so a stopped stand-in can be resumed.
 * Restoring checks the shape first and names the first thing that is wrong.
 */
import { array, date, field, object, string, stringRecord } from '../snapshot-fields.js';
import { isChecksumAlgorithm } from './checksums.js';
import type { Bucket, ObjectVersion, S3Store, Tag } from './store.js';

interface VersionSnapshot {
  readonly key: string;
  readonly versionId: string;
  readonly deleteMarker: boolean;
  readonly lastModified: string;
  readonly body: string;
  readonly etag: string;
  readonly headers: Record<string, string>;
  readonly metadata: Record<string, string>;
  readonly tags: readonly Tag[];
  readonly checksum?: { readonly algorithm: string; readonly value: string };
}

interface BucketSnapshot {
  readonly name: string;
  readonly region: string;
  readonly createdAt: string;
  readonly versioning: 'Enabled' | 'Suspended' | null;
  /** Versions key by key, newest first within a key. */
  readonly versions: readonly VersionSnapshot[];
}

export interface S3Snapshot {
  readonly buckets: readonly BucketSnapshot[];
}

export function snapshotStore(store: S3Store): S3Snapshot {
  return {
    buckets: [...store.buckets.values()].map((bucket) => ({
      name: bucket.name,
      region: bucket.region,
      createdAt: bucket.createdAt.toISOString(),
      versioning: bucket.versioning ?? null,
      versions: [...bucket.objects.values()].flat().map((version) => ({
        key: version.key,
        versionId: version.versionId,
        deleteMarker: version.deleteMarker,
        lastModified: version.lastModified.toISOString(),
        body: version.body.toString('base64'),
        etag: version.etag,
        headers: { ...version.headers },
        metadata: { ...version.metadata },
        tags: version.tags.map((tag) => ({ ...tag })),
        ...(version.checksum ? { checksum: { ...version.checksum } } : {}),
      })),
    })),
  };
}

/** Replaces the store's contents with the snapshot's; on a malformed snapshot the store is left untouched. */
export function restoreStore(store: S3Store, data: unknown): void {
  const buckets = array(field(object(data, 'snapshot'), 'buckets', 'snapshot'), 'snapshot.buckets').map(restoreBucket);
  store.buckets.clear();
  for (const bucket of buckets) store.buckets.set(bucket.name, bucket);
}

function restoreBucket(raw: unknown, index: number): Bucket {
  const where = `snapshot.buckets[${index}]`;
  const value = object(raw, where);
  const versioning = field(value, 'versioning', where);
  if (versioning !== null && versioning !== 'Enabled' && versioning !== 'Suspended') {
    throw new Error(`${where}.versioning must be "Enabled", "Suspended" or null`);
  }
  const objects = new Map<string, ObjectVersion[]>();
  array(field(value, 'versions', where), `${where}.versions`).forEach((entry, position) => {
    const version = restoreVersion(entry, `${where}.versions[${position}]`);
    objects.set(version.key, [...(objects.get(version.key) ?? []), version]);
  });
  return {
    name: string(value, 'name', where),
    region: string(value, 'region', where),
    createdAt: date(value, 'createdAt', where),
    versioning: versioning ?? undefined,
    objects,
  };
}

function restoreVersion(raw: unknown, where: string): ObjectVersion {
  const value = object(raw, where);
  const deleteMarker = field(value, 'deleteMarker', where);
  if (typeof deleteMarker !== 'boolean') throw new Error(`${where}.deleteMarker must be a boolean`);
  const tags = array(field(value, 'tags', where), `${where}.tags`).map((tag, position) => {
    const tagWhere = `${where}.tags[${position}]`;
    const entry = object(tag, tagWhere);
    return { key: string(entry, 'key', tagWhere), value: string(entry, 'value', tagWhere) };
  });
  const rawChecksum = value['checksum'];
  let checksum: ObjectVersion['checksum'];
  if (rawChecksum !== undefined) {
    const entry = object(rawChecksum, `${where}.checksum`);
    const algorithm = string(entry, 'algorithm', `${where}.checksum`);
    if (!isChecksumAlgorithm(algorithm)) throw new Error(`${where}.checksum.algorithm ${algorithm} is not supported`);
    checksum = { algorithm, value: string(entry, 'value', `${where}.checksum`) };
  }
  return {
    key: string(value, 'key', where),
    versionId: string(value, 'versionId', where),
    deleteMarker,
    lastModified: date(value, 'lastModified', where),
    body: Buffer.from(string(value, 'body', where), 'base64'),
    etag: string(value, 'etag', where),
    headers: stringRecord(field(value, 'headers', where), `${where}.headers`),
    metadata: stringRecord(field(value, 'metadata', where), `${where}.metadata`),
    tags,
    ...(checksum ? { checksum } : {}),
  };
}
