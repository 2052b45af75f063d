/**
 * S3 state and its versioning rules: which version a write creates, what a delete leaves behind
 * (nothing, a delete marker, or a null-version marker), and which version a read sees.
 */
import { randomBytes } from 'node:crypto';
import type { Checksum } from './checksums.js';
import { S3Error, noSuchBucket } from './errors.js';

/** Undefined until versioning is first configured; a bucket can never go back to that state. */
export type VersioningStatus = 'Enabled' | 'Suspended' | undefined;

export interface Tag {
  readonly key: string;
  readonly value: string;
}

/** The version id S3 gives objects written while versioning is off or suspended. */
export const NULL_VERSION = 'null';

export interface ObjectVersion {
  readonly key: string;
  readonly versionId: string;
  readonly deleteMarker: boolean;
  readonly lastModified: Date;
  readonly body: Buffer;
  /** Quoted hex MD5, as S3 sends it in `ETag`. */
  readonly etag: string;
  /** Representation headers stored with the object (content-type, cache-control, …), names lower-cased. */
  readonly headers: Readonly<Record<string, string>>;
  /** User metadata, names lower-cased without the `x-amz-meta-` prefix. */
  readonly metadata: Readonly<Record<string, string>>;
  readonly checksum?: Checksum;
  tags: readonly Tag[];
}

export interface Bucket {
  readonly name: string;
  readonly region: string;
  readonly createdAt: Date;
  versioning: VersioningStatus;
  /** Every version of every key, newest first. Keys with no versions left are removed. */
  readonly objects: Map<string, ObjectVersion[]>;
}

export type NewObject = Omit<ObjectVersion, 'versionId' | 'deleteMarker' | 'lastModified'>;

export class S3Store {
  readonly buckets = new Map<string, Bucket>();

  createBucket(name: string, region: string): Bucket {
    if (this.buckets.has(name)) {
      throw new S3Error(
        'BucketAlreadyOwnedByYou',
        409,
        'Your previous request to create the named bucket succeeded and you already own it.',
        { BucketName: name },
      );
    }
    const bucket: Bucket = { name, region, createdAt: new Date(), versioning: undefined, objects: new Map() };
    this.buckets.set(name, bucket);
    return bucket;
  }

  bucket(name: string): Bucket {
    const bucket = this.buckets.get(name);
    if (!bucket) throw noSuchBucket(name);
    return bucket;
  }

  deleteBucket(name: string): void {
    const bucket = this.bucket(name);
    if (bucket.objects.size > 0) {
      throw new S3Error('BucketNotEmpty', 409, 'The bucket you tried to delete is not empty', { BucketName: name });
    }
    this.buckets.delete(name);
  }

  /** The version a plain GET sees: the newest one, which may be a delete marker. */
  latest(bucket: Bucket, key: string): ObjectVersion | undefined {
    return bucket.objects.get(key)?.[0];
  }

  version(bucket: Bucket, key: string, versionId: string): ObjectVersion | undefined {
    return bucket.objects.get(key)?.find((version) => version.versionId === versionId);
  }

  put(bucket: Bucket, object: NewObject): ObjectVersion {
    return this.push(bucket, {
      ...object,
      versionId: this.nextVersionId(bucket),
      deleteMarker: false,
      lastModified: new Date(),
    });
  }

  /**
   * DELETE without a version id. Unversioned buckets lose the object; otherwise a delete marker becomes the
   * latest version (with a fresh id when versioning is enabled, replacing the null version when suspended).
   */
  deleteLatest(bucket: Bucket, key: string): ObjectVersion | undefined {
    if (bucket.versioning === undefined) {
      bucket.objects.delete(key);
      return undefined;
    }
    return this.push(bucket, {
      key,
      versionId: this.nextVersionId(bucket),
      deleteMarker: true,
      lastModified: new Date(),
      body: Buffer.alloc(0),
      etag: '',
      headers: {},
      metadata: {},
      tags: [],
    });
  }

  /** DELETE with a version id removes that version for good, whatever it is; the removed version is returned. */
  deleteVersion(bucket: Bucket, key: string, versionId: string): ObjectVersion | undefined {
    const versions = bucket.objects.get(key);
    const index = versions?.findIndex((version) => version.versionId === versionId) ?? -1;
    if (!versions || index < 0) return undefined;
    const [removed] = versions.splice(index, 1);
    if (versions.length === 0) bucket.objects.delete(key);
    return removed;
  }

  private push(bucket: Bucket, version: ObjectVersion): ObjectVersion {
    const others = (bucket.objects.get(version.key) ?? []).filter(
      // A null-version write replaces the previous null version instead of stacking on it.
      (existing) => version.versionId !== NULL_VERSION || existing.versionId !== NULL_VERSION,
    );
    bucket.objects.set(version.key, [version, ...others]);
    return version;
  }

  private nextVersionId(bucket: Bucket): string {
    return bucket.versioning === 'Enabled' ? randomBytes(24).toString('base64url') : NULL_VERSION;
  }
}

/** Whether a client-supplied version id could name a version at all (S3 answers 400 otherwise). */
export function isVersionIdShape(versionId: string): boolean {
  return versionId === NULL_VERSION || /^[A-Za-z0-9._-]{1,1024}$/.test(versionId);
}
