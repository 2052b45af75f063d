/**
 * The model registry: approved model sets in a versioned S3 bucket, and a `production` alias per model that
 * deployments pin exactly.
 *
 * Layout, under the bucket:
 *   <model>/<version>/manifest.json, <model>/<version>/<file>...   the model set, byte for byte
 *   <model>/<version>/release.json                                the release record: every object's VersionId
 *                                                                 and sha256, the gate's metrics, dataset hash,
 *                                                                 git SHA and tag
 *   <model>/production.json                                       the alias: one exact version and its VersionIds
 *
 * Versions are immutable: the release record is written with `If-None-Match: *`, so a version is published
 * once. The alias only changes by a conditional write on what was read (`If-Match` on its ETag,
 * `If-None-Match: *` for the first promotion): of two concurrent promotions one wins and the other is told
 * which version won. Every write is read back. A bucket without versioning is refused: without VersionIds
 * nothing can be pinned.
 */
import {
  GetBucketVersioningCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { clientConfig, type AwsSettings } from './clients.js';
import { awsCall } from './errors.js';

export const ALIAS_NAME = 'production';
export const RELEASE_RECORD = 'release.json';
export const APPROVAL_TAG = 'approval';

export interface RegistryFile {
  readonly name: string;
  readonly body: Buffer;
  readonly sha256: string;
}

export interface PublishRequest {
  readonly model: string;
  readonly version: string;
  /** manifest.json and the files it pins; names are plain file names. */
  readonly files: readonly RegistryFile[];
  /** What the gate measured and on what: stored in the release record as given. */
  readonly evaluation: Readonly<Record<string, unknown>>;
  readonly gitSha: string | undefined;
  readonly tag: string | undefined;
  /** `approved` when the gate passed. */
  readonly approval: 'approved';
}

export interface StoredObject {
  readonly key: string;
  readonly versionId: string;
  readonly sha256: string;
  readonly size: number;
}

export interface ReleaseRecord {
  readonly model: string;
  readonly version: string;
  readonly approval: string;
  readonly publishedAt: string;
  readonly gitSha: string | null;
  readonly tag: string | null;
  /** file name → its object. */
  readonly objects: Readonly<Record<string, StoredObject>>;
  readonly evaluation: Readonly<Record<string, unknown>>;
}

export interface PublishedRelease {
  readonly record: ReleaseRecord;
  readonly recordVersionId: string;
}

export interface AliasDocument {
  readonly model: string;
  readonly version: string;
  /** Key prefix of the model set, e.g. `svgai/1.1.0/` (the service's MODEL_S3_PREFIX). */
  readonly prefix: string;
  /** VersionId of manifest.json (the service's MODEL_S3_MANIFEST_VERSION_ID). */
  readonly manifestVersionId: string;
  /** file name → VersionId, manifest.json included (the service's MODEL_S3_VERSION_IDS). */
  readonly versionIds: Readonly<Record<string, string>>;
  readonly releaseVersionId: string;
  readonly promotedAt: string;
  readonly promotedBy: string;
  /** Versions that were in production before, most recent first (what rollback returns to). */
  readonly history: readonly string[];
}

export interface AliasState {
  readonly document: AliasDocument;
  readonly etag: string;
  readonly versionId: string;
}

export interface AliasChange {
  readonly from: string | undefined;
  readonly to: AliasDocument;
  readonly etag: string;
  readonly versionId: string;
}

export type RegistrySubject = 'bucket' | 'model' | 'version' | 'alias';

/** A registry refusal the user can act on; `subject` says which input or object it is about. */
export class RegistryError extends Error {
  override readonly name = 'RegistryError';
  constructor(
    readonly subject: RegistrySubject,
    message: string,
  ) {
    super(message);
  }
}

/** Another promotion changed the alias between our read and our conditional write. */
export class PromotionConflict extends Error {
  override readonly name = 'PromotionConflict';
  constructor(
    readonly wanted: string,
    readonly winner: AliasDocument | undefined,
  ) {
    super(
      winner
        ? `another promotion won: ${winner.model}'s ${ALIAS_NAME} alias now names version ${winner.version} (promoted at ${winner.promotedAt} by ${winner.promotedBy}), so ${wanted} was not promoted; re-run to promote over it if that is still wanted`
        : `another writer changed the ${ALIAS_NAME} alias while ${wanted} was being promoted; it was not promoted; re-run`,
    );
  }
}

export function createS3Client(settings: AwsSettings): S3Client {
  // Path-style addressing when an endpoint is given: a local stand-in or a VPC endpoint has no bucket DNS names.
  return new S3Client({ ...clientConfig(settings), ...(settings.endpoint ? { forcePathStyle: true } : {}) });
}

interface SdkError {
  name?: string;
  $metadata?: { httpStatusCode?: number };
}

const statusOf = (error: unknown) => (error as SdkError | undefined)?.$metadata?.httpStatusCode;
const nameOf = (error: unknown) => (error as SdkError | undefined)?.name;
const isNotFound = (error: unknown) => nameOf(error) === 'NoSuchKey' || nameOf(error) === 'NotFound' || statusOf(error) === 404;
const isPreconditionFailed = (error: unknown) => nameOf(error) === 'PreconditionFailed' || statusOf(error) === 412;
const isConditionalConflict = (error: unknown) => nameOf(error) === 'ConditionalRequestConflict' || statusOf(error) === 409;

export class S3ModelRegistry {
  constructor(
    private readonly s3: S3Client,
    readonly bucket: string,
    /** Attempts of a conditional write that S3 answers with 409 ConditionalRequestConflict (it says: retry). */
    private readonly conflictAttempts = 3,
  ) {}

  uri(key: string, versionId?: string): string {
    return `s3://${this.bucket}/${key}${versionId ? `?versionId=${encodeURIComponent(versionId)}` : ''}`;
  }

  /** Refuses a bucket without versioning enabled (suspended counts as without). */
  async ensureVersioned(): Promise<void> {
    let status: string | undefined;
    try {
      status = (await this.s3.send(new GetBucketVersioningCommand({ Bucket: this.bucket }))).Status;
    } catch (error) {
      if (nameOf(error) === 'NoSuchBucket' || statusOf(error) === 404) {
        throw new RegistryError('bucket', `bucket ${this.bucket} does not exist; create it with versioning enabled`);
      }
      return awsCall(`GetBucketVersioning ${this.bucket}`, () => Promise.reject(error));
    }
    if (status !== 'Enabled') {
      throw new RegistryError(
        'bucket',
        `bucket ${this.bucket} has versioning ${status === undefined ? 'never enabled' : status.toLowerCase()}: the registry pins objects by VersionId, so it needs a versioned bucket (aws s3api put-bucket-versioning --bucket ${this.bucket} --versioning-configuration Status=Enabled)`,
      );
    }
  }

  /** Uploads a model set and its release record; the version must not exist yet. */
  async publish(request: PublishRequest): Promise<PublishedRelease> {
    await this.ensureVersioned();
    const prefix = `${request.model}/${request.version}/`;
    const recordKey = prefix + RELEASE_RECORD;
    if (await this.exists(recordKey)) {
      throw new RegistryError(
        'version',
        `${request.model} ${request.version} is already published (${this.uri(recordKey)}); versions are immutable, release a new version`,
      );
    }
    const tagging = new URLSearchParams({ [APPROVAL_TAG]: request.approval, model: request.model, version: request.version }).toString();
    const objects: Record<string, StoredObject> = {};
    for (const file of request.files) {
      const key = prefix + file.name;
      const put = await awsCall(`PutObject ${this.uri(key)}`, () =>
        this.s3.send(
          new PutObjectCommand({
            Bucket: this.bucket,
            Key: key,
            Body: file.body,
            // S3 recomputes the SHA-256 and refuses the upload when it differs: no corrupted byte is stored.
            ChecksumSHA256: Buffer.from(file.sha256, 'hex').toString('base64'),
            ContentType: file.name.endsWith('.json') ? 'application/json' : 'application/octet-stream',
            Tagging: tagging,
          }),
        ),
      );
      if (!put.VersionId)
        throw new RegistryError('bucket', `S3 returned no VersionId for ${this.uri(key)}: is versioning enabled on ${this.bucket}?`);
      objects[file.name] = { key, versionId: put.VersionId, sha256: file.sha256, size: file.body.length };
    }
    // Read back every object by its VersionId before recording it.
    for (const object of Object.values(objects)) await this.verifyObject(object);
    const record: ReleaseRecord = {
      model: request.model,
      version: request.version,
      approval: request.approval,
      publishedAt: new Date().toISOString(),
      gitSha: request.gitSha ?? null,
      tag: request.tag ?? null,
      objects,
      evaluation: request.evaluation,
    };
    const body = Buffer.from(JSON.stringify(record, null, 2) + '\n');
    let put;
    try {
      put = await this.s3.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: recordKey,
          Body: body,
          IfNoneMatch: '*',
          ContentType: 'application/json',
          ChecksumSHA256: createHash('sha256').update(body).digest('base64'),
          Tagging: tagging,
        }),
      );
    } catch (error) {
      if (isPreconditionFailed(error) || isConditionalConflict(error)) {
        throw new RegistryError(
          'version',
          `${request.model} ${request.version} was published by someone else at the same time (${this.uri(recordKey)}); release a new version`,
        );
      }
      return awsCall(`PutObject ${this.uri(recordKey)}`, () => Promise.reject(error));
    }
    if (!put.VersionId) throw new RegistryError('bucket', `S3 returned no VersionId for ${this.uri(recordKey)}`);
    const readBack = await this.release(request.model, request.version);
    if (readBack.recordVersionId !== put.VersionId) {
      throw new Error(
        `read-back of ${this.uri(recordKey)} returned VersionId ${readBack.recordVersionId}, not the ${put.VersionId} just written`,
      );
    }
    return { record, recordVersionId: put.VersionId };
  }

  /** The release record of one version; a RegistryError naming the model or the version when absent. */
  async release(model: string, version: string): Promise<PublishedRelease> {
    const key = `${model}/${version}/${RELEASE_RECORD}`;
    try {
      const got = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      const text = await got.Body!.transformToString();
      return { record: JSON.parse(text) as ReleaseRecord, recordVersionId: got.VersionId ?? '' };
    } catch (error) {
      if (!isNotFound(error)) return awsCall(`GetObject ${this.uri(key)}`, () => Promise.reject(error));
      const versions = await this.versions(model);
      if (versions.length === 0) {
        throw new RegistryError('model', `no model ${model} in s3://${this.bucket}/: nothing was ever published under ${model}/`);
      }
      throw new RegistryError('version', `${model} has no published version ${version} (published: ${versions.join(', ')})`);
    }
  }

  /** Published versions of a model (those with a release record), in key order. */
  async versions(model: string): Promise<string[]> {
    const found: string[] = [];
    let token: string | undefined;
    do {
      const page = await awsCall(`ListObjectsV2 s3://${this.bucket}/${model}/`, () =>
        this.s3.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: `${model}/`, Delimiter: '/', ContinuationToken: token })),
      );
      for (const p of page.CommonPrefixes ?? []) if (p.Prefix) found.push(p.Prefix.slice(model.length + 1, -1));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    const published: string[] = [];
    for (const version of found) if (await this.exists(`${model}/${version}/${RELEASE_RECORD}`)) published.push(version);
    return published;
  }

  /** The approval tag of a release record's exact version (tags can be changed later, e.g. to `revoked`). */
  async approval(release: PublishedRelease): Promise<string | undefined> {
    const key = `${release.record.model}/${release.record.version}/${RELEASE_RECORD}`;
    const tags = await awsCall(`GetObjectTagging ${this.uri(key)}`, () =>
      this.s3.send(new GetObjectTaggingCommand({ Bucket: this.bucket, Key: key, VersionId: release.recordVersionId })),
    );
    return tags.TagSet?.find((tag) => tag.Key === APPROVAL_TAG)?.Value;
  }

  /** The alias as stored, with the ETag a conditional write needs; undefined before the first promotion. */
  async alias(model: string): Promise<AliasState | undefined> {
    const key = aliasKey(model);
    try {
      const got = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return {
        document: JSON.parse(await got.Body!.transformToString()) as AliasDocument,
        etag: got.ETag ?? '',
        versionId: got.VersionId ?? '',
      };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      return awsCall(`GetObject ${this.uri(key)}`, () => Promise.reject(error));
    }
  }

  /** Points the alias at an approved, published version. */
  async promote(model: string, version: string, promotedBy: string): Promise<AliasChange> {
    await this.ensureVersioned();
    const release = await this.release(model, version);
    await this.requireApproved(release);
    for (const object of Object.values(release.record.objects)) await this.verifyObject(object);
    const current = await this.alias(model);
    if (current?.document.version === version) {
      return { from: version, to: current.document, etag: current.etag, versionId: current.versionId };
    }
    const history = current ? [current.document.version, ...current.document.history.filter((v) => v !== current.document.version)] : [];
    return this.writeAlias(
      model,
      current,
      aliasFor(
        release,
        promotedBy,
        history.filter((v) => v !== version),
      ),
    );
  }

  /** Points the alias back at the most recent earlier version that is still approved. */
  async rollback(model: string, promotedBy: string): Promise<AliasChange> {
    await this.ensureVersioned();
    const current = await this.alias(model);
    if (!current) {
      if ((await this.versions(model)).length === 0)
        throw new RegistryError('model', `no model ${model} in s3://${this.bucket}/: nothing to roll back`);
      throw new RegistryError('alias', `${model} was never promoted (no ${this.uri(aliasKey(model))}): there is nothing to roll back from`);
    }
    const skipped: string[] = [];
    for (const [i, candidate] of current.document.history.entries()) {
      const release = await this.release(model, candidate);
      const approval = await this.approval(release);
      if (approval !== 'approved') {
        skipped.push(`${candidate} (${approval ?? 'untagged'})`);
        continue;
      }
      const rest = current.document.history.slice(i + 1);
      return this.writeAlias(model, current, aliasFor(release, promotedBy, rest));
    }
    throw new RegistryError(
      'alias',
      `${model} has no earlier approved version to roll back to from ${current.document.version}${skipped.length ? ` (not approved: ${skipped.join(', ')})` : ''}`,
    );
  }

  private async writeAlias(model: string, current: AliasState | undefined, next: AliasDocument): Promise<AliasChange> {
    const key = aliasKey(model);
    const body = Buffer.from(JSON.stringify(next, null, 2) + '\n');
    for (let attempt = 1; ; attempt += 1) {
      try {
        const put = await this.s3.send(
          new PutObjectCommand({
            Bucket: this.bucket,
            Key: key,
            Body: body,
            ContentType: 'application/json',
            ChecksumSHA256: createHash('sha256').update(body).digest('base64'),
            ...(current ? { IfMatch: current.etag } : { IfNoneMatch: '*' }),
          }),
        );
        const readBack = await this.alias(model);
        if (!readBack || readBack.versionId !== put.VersionId) {
          // Our write landed, and another one already replaced it: report who holds the alias now.
          throw new PromotionConflict(next.version, readBack?.document);
        }
        return { from: current?.document.version, to: next, etag: readBack.etag, versionId: readBack.versionId };
      } catch (error) {
        if (isPreconditionFailed(error)) throw new PromotionConflict(next.version, (await this.alias(model))?.document);
        if (isConditionalConflict(error) && attempt < this.conflictAttempts) {
          // S3 saw a concurrent conditional write and asks for a retry: retry only if the alias is still what we read.
          const now = await this.alias(model);
          if ((now?.etag ?? '') !== (current?.etag ?? '')) throw new PromotionConflict(next.version, now?.document);
          continue;
        }
        if (isConditionalConflict(error)) throw new PromotionConflict(next.version, (await this.alias(model))?.document);
        if (error instanceof PromotionConflict) throw error;
        return awsCall(`PutObject ${this.uri(key)}`, () => Promise.reject(error));
      }
    }
  }

  private async requireApproved(release: PublishedRelease): Promise<void> {
    const approval = await this.approval(release);
    if (approval !== 'approved') {
      throw new RegistryError(
        'version',
        `${release.record.model} ${release.record.version} is ${approval ?? 'not tagged with an approval'} (tag ${APPROVAL_TAG} on ${this.uri(`${release.record.model}/${release.record.version}/${RELEASE_RECORD}`)}), not approved: it cannot be promoted`,
      );
    }
  }

  private async verifyObject(object: StoredObject): Promise<void> {
    let head;
    try {
      head = await this.s3.send(
        new HeadObjectCommand({ Bucket: this.bucket, Key: object.key, VersionId: object.versionId, ChecksumMode: 'ENABLED' }),
      );
    } catch (error) {
      if (isNotFound(error) || statusOf(error) === 400) {
        throw new RegistryError(
          'version',
          `${this.uri(object.key, object.versionId)} is gone: the release record names an object version that no longer exists`,
        );
      }
      return awsCall(`HeadObject ${this.uri(object.key, object.versionId)}`, () => Promise.reject(error));
    }
    const expected = Buffer.from(object.sha256, 'hex').toString('base64');
    if (head.ContentLength !== object.size || (head.ChecksumSHA256 !== undefined && head.ChecksumSHA256 !== expected)) {
      throw new RegistryError(
        'version',
        `${this.uri(object.key, object.versionId)} is not the recorded object (size ${head.ContentLength} vs ${object.size}, sha256 ${head.ChecksumSHA256 ?? 'unknown'} vs ${expected})`,
      );
    }
  }

  private async exists(key: string): Promise<boolean> {
    try {
      await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      return awsCall(`HeadObject ${this.uri(key)}`, () => Promise.reject(error));
    }
  }
}

export function aliasKey(model: string): string {
  return `${model}/${ALIAS_NAME}.json`;
}

function aliasFor(release: PublishedRelease, promotedBy: string, history: readonly string[]): AliasDocument {
  const { record } = release;
  const versionIds: Record<string, string> = {};
  for (const [name, object] of Object.entries(record.objects)) versionIds[name] = object.versionId;
  const manifest = record.objects['manifest.json'];
  if (!manifest) throw new RegistryError('version', `the release record of ${record.model} ${record.version} has no manifest.json`);
  return {
    model: record.model,
    version: record.version,
    prefix: `${record.model}/${record.version}/`,
    manifestVersionId: manifest.versionId,
    versionIds,
    releaseVersionId: release.recordVersionId,
    promotedAt: new Date().toISOString(),
    promotedBy,
    history: [...history],
  };
}

export { MODEL_REGISTRY_API_ACTIONS } from './api-actions.js';
