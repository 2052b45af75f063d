/**
 * S3's 409 ConditionalRequestConflict (a concurrent conditional write while ours was in flight), which the
 * stand-in cannot produce because it checks and writes in one step: injected at the SDK level. AWS says to
 * retry; the registry retries only while the alias is still what it read, else it reports the winner.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import {
  GetBucketVersioningCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { PromotionConflict, S3ModelRegistry, type AliasDocument, type ReleaseRecord } from '../src/model-registry.js';

const s3 = mockClient(S3Client);
afterEach(() => {
  s3.reset();
});

/** What the registry reads of a GetObject body. */
const body = (value: unknown) => ({ transformToString: async () => JSON.stringify(value) }) as never;
const error = (name: string, status: number) =>
  new S3ServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: status }, message: name });
const record: ReleaseRecord = {
  model: 'svgai',
  version: '1.1.0',
  approval: 'approved',
  publishedAt: '2026-12-01T00:00:00Z',
  gitSha: null,
  tag: null,
  objects: { 'manifest.json': { key: 'svgai/1.1.0/manifest.json', versionId: 'm1', sha256: 'ab'.repeat(32), size: 10 } },
  evaluation: {},
};
const winner: Partial<AliasDocument> = { model: 'svgai', version: '2.0.0', promotedAt: 'now', promotedBy: 'someone else', history: [] };

function registryWith(aliasReads: (() => unknown)[]) {
  s3.on(GetBucketVersioningCommand).resolves({ Status: 'Enabled' });
  s3.on(GetObjectCommand, { Key: 'svgai/1.1.0/release.json' }).callsFake(() => ({ Body: body(record), VersionId: 'r1' }));
  s3.on(GetObjectTaggingCommand).resolves({ TagSet: [{ Key: 'approval', Value: 'approved' }] });
  s3.on(HeadObjectCommand).resolves({ ContentLength: 10, ChecksumSHA256: Buffer.from('ab'.repeat(32), 'hex').toString('base64') });
  let read = 0;
  s3.on(GetObjectCommand, { Key: 'svgai/production.json' }).callsFake(() => {
    const next = aliasReads[Math.min(read, aliasReads.length - 1)]!;
    read += 1;
    return next();
  });
  return new S3ModelRegistry(new S3Client({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } }), 'models');
}

const absent = () => {
  throw error('NoSuchKey', 404);
};

describe('S3ModelRegistry on 409 ConditionalRequestConflict', () => {
  it('retries while the alias is unchanged, and succeeds', async () => {
    const registry = registryWith([absent, absent, () => ({ Body: body({ ...winner, version: '1.1.0' }), ETag: '"e2"', VersionId: 'a2' })]);
    s3.on(PutObjectCommand).rejectsOnce(error('ConditionalRequestConflict', 409)).resolves({ VersionId: 'a2', ETag: '"e2"' });
    const change = await registry.promote('svgai', '1.1.0', 'test');
    expect(change.to.version).toBe('1.1.0');
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(2);
    expect(s3.commandCalls(PutObjectCommand)[1]!.args[0].input).toMatchObject({ IfNoneMatch: '*' });
  });

  it('reports the winner when the alias changed meanwhile', async () => {
    const registry = registryWith([absent, () => ({ Body: body(winner), ETag: '"e9"', VersionId: 'a9' })]);
    s3.on(PutObjectCommand).rejects(error('ConditionalRequestConflict', 409));
    const failure = await registry.promote('svgai', '1.1.0', 'test').catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(PromotionConflict);
    expect((failure as Error).message).toContain('now names version 2.0.0 (promoted at now by someone else)');
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(1);
  });
});
