/**
 * The model registry against the stand-in's S3, over HTTP with the real SDK: versioning required, every
 * object's VersionId recorded and read back, versions immutable, the alias moved only by conditional writes.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  CreateBucketCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  PutBucketVersioningCommand,
  PutObjectTaggingCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { startAwsLocal, type AwsLocal } from '@svg-ai-release/aws-local';
import { createHash } from 'node:crypto';
import { createS3Client, PromotionConflict, RegistryError, S3ModelRegistry, type PublishRequest } from '../../src/model-registry.js';

let local: AwsLocal;
let s3: S3Client;
const clients: S3Client[] = [];

const client = () => {
  const made = createS3Client({
    region: local.region,
    endpoint: local.endpoint,
    maxAttempts: 1,
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
  });
  clients.push(made);
  return made;
};

async function bucket(name: string, versioning?: 'Enabled' | 'Suspended'): Promise<string> {
  await s3.send(new CreateBucketCommand({ Bucket: name, CreateBucketConfiguration: { LocationConstraint: local.region as 'eu-west-1' } }));
  if (versioning) await s3.send(new PutBucketVersioningCommand({ Bucket: name, VersioningConfiguration: { Status: versioning } }));
  return name;
}

const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');
function modelSet(version: string, model = 'svgai'): PublishRequest {
  const classifier = Buffer.from(`classifier ${version}`);
  const manifest = Buffer.from(
    JSON.stringify({ version, models: { logo_classifier: { file: 'logo_classifier.torchscript', sha256: sha(classifier) } } }),
  );
  return {
    model,
    version,
    files: [
      { name: 'manifest.json', body: manifest, sha256: sha(manifest) },
      { name: 'logo_classifier.torchscript', body: classifier, sha256: sha(classifier) },
    ],
    evaluation: { accuracy: 0.99 },
    gitSha: 'f'.repeat(40),
    tag: `model-v${version}`,
    approval: 'approved',
  };
}

async function refusal(promise: Promise<unknown>): Promise<RegistryError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof RegistryError)) throw new Error(`expected a RegistryError, got ${String(error)}`);
  return error;
}

beforeAll(async () => {
  local = await startAwsLocal({});
  s3 = client();
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  await local?.stop();
});

describe('S3ModelRegistry: the bucket', () => {
  it.each([
    ['never versioned', undefined, /has versioning never enabled/],
    ['versioning suspended', 'Suspended' as const, /has versioning suspended/],
  ])('refuses a bucket with %s', async (_name, versioning, message) => {
    const name = await bucket(`plain-${versioning ?? 'none'}`.toLowerCase(), versioning);
    const error = await refusal(new S3ModelRegistry(client(), name).publish(modelSet('1.0.0')));
    expect(error.subject).toBe('bucket');
    expect(error.message).toMatch(message);
  });

  it('refuses a bucket that does not exist', async () => {
    const error = await refusal(new S3ModelRegistry(client(), 'no-such-bucket').ensureVersioned());
    expect(error).toMatchObject({ subject: 'bucket', message: expect.stringContaining('does not exist') });
  });
});

describe('S3ModelRegistry: publish, promote, roll back', () => {
  let registry: S3ModelRegistry;
  beforeAll(async () => {
    registry = new S3ModelRegistry(client(), await bucket('models', 'Enabled'));
  });

  it('publishes a model set, recording and tagging every object version', async () => {
    const published = await registry.publish(modelSet('1.0.0'));
    expect(Object.keys(published.record.objects)).toEqual(['manifest.json', 'logo_classifier.torchscript']);
    for (const object of Object.values(published.record.objects)) {
      const got = await s3.send(new GetObjectCommand({ Bucket: 'models', Key: object.key, VersionId: object.versionId }));
      expect(sha(Buffer.from(await got.Body!.transformToByteArray()))).toBe(object.sha256);
      const tags = await s3.send(new GetObjectTaggingCommand({ Bucket: 'models', Key: object.key, VersionId: object.versionId }));
      expect(tags.TagSet).toEqual(expect.arrayContaining([{ Key: 'approval', Value: 'approved' }]));
    }
    expect(published.record).toMatchObject({ gitSha: 'f'.repeat(40), tag: 'model-v1.0.0', evaluation: { accuracy: 0.99 } });
    expect((await registry.release('svgai', '1.0.0')).recordVersionId).toBe(published.recordVersionId);
  });

  it('refuses to publish the same version twice', async () => {
    const error = await refusal(registry.publish(modelSet('1.0.0')));
    expect(error).toMatchObject({ subject: 'version', message: expect.stringContaining('already published') });
  });

  it('refuses a file whose bytes are not the sha256 given, storing nothing under its name', async () => {
    const set = modelSet('0.9.0');
    const corrupted = { ...set, files: [set.files[0]!, { ...set.files[1]!, sha256: sha(Buffer.from('other')) }] };
    await expect(registry.publish(corrupted)).rejects.toThrow(/PutObject .*logo_classifier.torchscript/);
    await expect(registry.versions('svgai')).resolves.not.toContain('0.9.0');
  });

  it('names an unknown model and an unknown version', async () => {
    expect(await refusal(registry.promote('nope', '1.0.0', 'test'))).toMatchObject({
      subject: 'model',
      message: expect.stringContaining('no model nope'),
    });
    expect(await refusal(registry.promote('svgai', '7.0.0', 'test'))).toMatchObject({
      subject: 'version',
      message: 'svgai has no published version 7.0.0 (published: 1.0.0)',
    });
  });

  it('promotes the first version with If-None-Match and the next with If-Match, keeping the history', async () => {
    const first = await registry.promote('svgai', '1.0.0', 'test');
    expect(first.from).toBeUndefined();
    expect(first.to).toMatchObject({ version: '1.0.0', prefix: 'svgai/1.0.0/', history: [] });
    const release = await registry.release('svgai', '1.0.0');
    expect(first.to.manifestVersionId).toBe(release.record.objects['manifest.json']!.versionId);
    await registry.publish(modelSet('1.1.0'));
    const second = await registry.promote('svgai', '1.1.0', 'test');
    expect(second).toMatchObject({ from: '1.0.0', to: { version: '1.1.0', history: ['1.0.0'] } });
    expect((await registry.alias('svgai'))!.document.versionIds).toEqual(second.to.versionIds);
  });

  it('promoting the version already in production changes nothing', async () => {
    const before = await registry.alias('svgai');
    const again = await registry.promote('svgai', '1.1.0', 'test');
    expect(again.etag).toBe(before!.etag);
  });

  it('refuses to promote a version that is not approved', async () => {
    await registry.publish(modelSet('1.2.0'));
    const record = await registry.release('svgai', '1.2.0');
    await s3.send(
      new PutObjectTaggingCommand({
        Bucket: 'models',
        Key: 'svgai/1.2.0/release.json',
        VersionId: record.recordVersionId,
        Tagging: { TagSet: [{ Key: 'approval', Value: 'revoked' }] },
      }),
    );
    expect(await refusal(registry.promote('svgai', '1.2.0', 'test'))).toMatchObject({
      subject: 'version',
      message: expect.stringContaining('is revoked'),
    });
  });

  it('of two concurrent promotions, one wins and the other is told which version won', async () => {
    await registry.publish(modelSet('2.0.0'));
    await registry.publish(modelSet('2.1.0'));
    // Both promotions read the alias before either writes it: each client holds its conditional PutObject
    // of the alias until the other has reached the same point.
    let arrived = 0;
    let release!: () => void;
    const bothThere = new Promise<void>((resolve) => (release = resolve));
    const racer = () => {
      const c = client();
      c.middlewareStack.add(
        (next, context) => async (args) => {
          const input = args.input as { Key?: string };
          if (context.commandName === 'PutObjectCommand' && input.Key === 'svgai/production.json') {
            arrived += 1;
            if (arrived === 2) release();
            await bothThere;
          }
          return next(args);
        },
        { step: 'initialize', name: 'raceBarrier' },
      );
      return new S3ModelRegistry(c, 'models');
    };
    const results = await Promise.allSettled([racer().promote('svgai', '2.0.0', 'racer A'), racer().promote('svgai', '2.1.0', 'racer B')]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    const winner = (await registry.alias('svgai'))!.document;
    expect(lost[0]!.reason).toBeInstanceOf(PromotionConflict);
    expect((lost[0]!.reason as PromotionConflict).message).toContain(
      `another promotion won: svgai's production alias now names version ${winner.version}`,
    );
    expect(winner.history[0]).toBe('1.1.0');
  });

  it('rolls back to the previous approved version, skipping revoked ones, and says which', async () => {
    const current = (await registry.alias('svgai'))!.document;
    const change = await registry.rollback('svgai', 'test');
    expect(change).toMatchObject({ from: current.version, to: { version: '1.1.0', history: ['1.0.0'] } });
    const release = await registry.release('svgai', '1.1.0');
    expect(change.to.versionIds['manifest.json']).toBe(release.record.objects['manifest.json']!.versionId);
    const further = await registry.rollback('svgai', 'test');
    expect(further).toMatchObject({ from: '1.1.0', to: { version: '1.0.0', history: [] } });
    expect(await refusal(registry.rollback('svgai', 'test'))).toMatchObject({
      subject: 'alias',
      message: expect.stringContaining('no earlier approved version'),
    });
  });

  it('refuses to roll back a model that was never promoted', async () => {
    await registry.publish(modelSet('1.0.0', 'other'));
    expect(await refusal(registry.rollback('other', 'test'))).toMatchObject({
      subject: 'alias',
      message: expect.stringContaining('was never promoted'),
    });
    expect(await refusal(registry.rollback('ghost', 'test'))).toMatchObject({ subject: 'model' });
  });
});
