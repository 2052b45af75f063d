import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  DeleteObjectTaggingCommand,
  GetBucketLocationCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectVersionsCommand,
  ListObjectsV2Command,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  S3Client,
  paginateListObjectsV2,
} from '@aws-sdk/client-s3';
import { createS3Handler } from '../src/s3/index.js';
import { type HandlerServer, serveHandler } from './helpers/handler-server.js';

const REGION = 'eu-west-1';
let s3Handler: ReturnType<typeof createS3Handler>;
let server: HandlerServer;
let client: S3Client;
/** Method, path and headers of every request the handler saw, to check what the SDK put on the wire. */
const seen: { method: string; path: string; headers: Record<string, unknown> }[] = [];

function clientFor(endpoint: string): S3Client {
  return new S3Client({
    endpoint,
    region: REGION,
    forcePathStyle: true,
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' },
    maxAttempts: 1,
  });
}

beforeAll(async () => {
  s3Handler = createS3Handler({ region: REGION });
  server = await serveHandler((request) => {
    seen.push({ method: request.method, path: request.path, headers: { ...request.headers } });
    return s3Handler.handle(request);
  });
  client = clientFor(server.endpoint);
});

afterAll(async () => {
  client.destroy();
  await server.close();
});

/** The error a call fails with, so tests can assert on the name and status the SDK surfaced. */
async function failure(promise: Promise<unknown>): Promise<{ name: string; status?: number; error: unknown }> {
  try {
    await promise;
  } catch (error) {
    const { name, $metadata } = error as { name: string; $metadata?: { httpStatusCode?: number } };
    return { name, status: $metadata?.httpStatusCode, error };
  }
  throw new Error('expected the call to fail, but it succeeded');
}

async function newBucket(name: string, versioned = false): Promise<string> {
  await client.send(new CreateBucketCommand({ Bucket: name }));
  if (versioned) {
    await client.send(new PutBucketVersioningCommand({ Bucket: name, VersioningConfiguration: { Status: 'Enabled' } }));
  }
  return name;
}

async function bodyOf(bucket: string, key: string, versionId?: string): Promise<string> {
  const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId }));
  return (await response.Body?.transformToString()) ?? '';
}

function md5Etag(data: string | Buffer): string {
  return `"${createHash('md5').update(data).digest('hex')}"`;
}

function crc32Base64(data: Buffer): string {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(crc32(data));
  return bytes.toString('base64');
}

/** An unsigned request straight to the handler, for wire shapes the SDK would never send. */
async function raw(method: string, path: string, headers: Record<string, string> = {}, body?: Buffer | string) {
  const response = await fetch(`${server.endpoint}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body }),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

describe('buckets', () => {
  it('creates, heads, lists and deletes a bucket', async () => {
    await newBucket('bucket-lifecycle');
    const head = await client.send(new HeadBucketCommand({ Bucket: 'bucket-lifecycle' }));
    expect(head.BucketRegion).toBe(REGION);
    const { Buckets } = await client.send(new ListBucketsCommand({}));
    expect(Buckets?.map((bucket) => bucket.Name)).toContain('bucket-lifecycle');
    expect(Buckets?.find((bucket) => bucket.Name === 'bucket-lifecycle')?.CreationDate).toBeInstanceOf(Date);
    const location = await client.send(new GetBucketLocationCommand({ Bucket: 'bucket-lifecycle' }));
    expect(location.LocationConstraint).toBe(REGION);
    await client.send(new DeleteBucketCommand({ Bucket: 'bucket-lifecycle' }));
    expect(await failure(client.send(new HeadBucketCommand({ Bucket: 'bucket-lifecycle' })))).toMatchObject({
      name: 'NotFound',
      status: 404,
    });
  });

  it('pages ListBuckets with a prefix and max-buckets', async () => {
    await newBucket('paged-a');
    await newBucket('paged-b');
    await newBucket('paged-c');
    const first = await client.send(new ListBucketsCommand({ Prefix: 'paged-', MaxBuckets: 2 }));
    expect(first.Buckets?.map((bucket) => bucket.Name)).toEqual(['paged-a', 'paged-b']);
    const second = await client.send(
      new ListBucketsCommand({ Prefix: 'paged-', MaxBuckets: 2, ContinuationToken: first.ContinuationToken }),
    );
    expect(second.Buckets?.map((bucket) => bucket.Name)).toEqual(['paged-c']);
    expect(second.ContinuationToken).toBeUndefined();
    expect(await failure(client.send(new ListBucketsCommand({ ContinuationToken: '!!' })))).toMatchObject({
      name: 'InvalidArgument',
      status: 400,
    });
  });

  it.each([
    ['creating a bucket twice', () => client.send(new CreateBucketCommand({ Bucket: 'twice' })), 'BucketAlreadyOwnedByYou', 409],
    ['an invalid bucket name', () => client.send(new CreateBucketCommand({ Bucket: 'Bad_Name' })), 'InvalidBucketName', 400],
    ['deleting a missing bucket', () => client.send(new DeleteBucketCommand({ Bucket: 'never-made' })), 'NoSuchBucket', 404],
    ['listing a missing bucket', () => client.send(new ListObjectsV2Command({ Bucket: 'never-made' })), 'NoSuchBucket', 404],
    [
      'a location constraint for another region',
      () =>
        client.send(
          new CreateBucketCommand({
            Bucket: 'elsewhere',
            CreateBucketConfiguration: { LocationConstraint: 'us-west-2' },
          }),
        ),
      'IllegalLocationConstraintException',
      400,
    ],
  ])('answers %s with the S3 error', async (_, call, name, status) => {
    if (name === 'BucketAlreadyOwnedByYou') await newBucket('twice');
    expect(await failure(call())).toMatchObject({ name, status });
  });

  it('refuses to delete a bucket that still holds objects, delete markers included', async () => {
    const bucket = await newBucket('not-empty', true);
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'x' }));
    const { VersionId } = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'k' }));
    await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'k', VersionId }));
    await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'k' }));
    expect(await failure(client.send(new DeleteBucketCommand({ Bucket: bucket })))).toMatchObject({
      name: 'BucketNotEmpty',
      status: 409,
    });
  });
});

describe('objects', () => {
  it('stores the body, content type, metadata and tags of a put, with an MD5 ETag', async () => {
    const bucket = await newBucket('objects-basic');
    const put = await client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'dir/report v1.json',
        Body: '{"ok":true}',
        ContentType: 'application/json',
        CacheControl: 'max-age=60',
        Metadata: { Commit: 'abc123', Stage: 'canary' },
        Tagging: 'team=release&tier=gold',
      }),
    );
    expect(put.ETag).toBe(md5Etag('{"ok":true}'));
    expect(put.VersionId).toBeUndefined();

    const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: 'dir/report v1.json' }));
    expect(await got.Body?.transformToString()).toBe('{"ok":true}');
    expect(got).toMatchObject({
      ContentType: 'application/json',
      CacheControl: 'max-age=60',
      ContentLength: 11,
      ETag: md5Etag('{"ok":true}'),
      Metadata: { commit: 'abc123', stage: 'canary' },
      TagCount: 2,
    });
    expect(got.LastModified).toBeInstanceOf(Date);

    const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'dir/report v1.json' }));
    expect(head).toMatchObject({ ContentLength: 11, ContentType: 'application/json', Metadata: { commit: 'abc123' } });

    const tagging = await client.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 'dir/report v1.json' }));
    expect(tagging.TagSet).toEqual([
      { Key: 'team', Value: 'release' },
      { Key: 'tier', Value: 'gold' },
    ]);
  });

  it('defaults the content type as S3 does', async () => {
    const bucket = await newBucket('objects-default-type');
    await raw('PUT', `/${bucket}/plain`, {}, Buffer.from('x'));
    const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'plain' }));
    expect(head.ContentType).toBe('binary/octet-stream');
  });

  it('replaces and deletes object tags', async () => {
    const bucket = await newBucket('objects-tags');
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'x', Tagging: 'a=1' }));
    await client.send(
      new PutObjectTaggingCommand({
        Bucket: bucket,
        Key: 'k',
        Tagging: { TagSet: [{ Key: 'env', Value: ' prod ' }] },
      }),
    );
    expect((await client.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 'k' }))).TagSet).toEqual([
      { Key: 'env', Value: ' prod ' },
    ]);
    await client.send(new DeleteObjectTaggingCommand({ Bucket: bucket, Key: 'k' }));
    expect((await client.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 'k' }))).TagSet).toEqual([]);
  });

  it('rejects tag sets S3 would reject', async () => {
    const bucket = await newBucket('objects-bad-tags');
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'x' }));
    const tooMany = Array.from({ length: 11 }, (_, index) => ({ Key: `k${index}`, Value: 'v' }));
    expect(
      await failure(client.send(new PutObjectTaggingCommand({ Bucket: bucket, Key: 'k', Tagging: { TagSet: tooMany } }))),
    ).toMatchObject({ name: 'InvalidTag', status: 400 });
    expect(await failure(client.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'x', Tagging: 'a=1&a=2' })))).toMatchObject({
      name: 'InvalidTag',
      status: 400,
    });
  });

  it('reports missing keys as NoSuchKey (GET) and NotFound (HEAD, which has no body)', async () => {
    const bucket = await newBucket('objects-missing');
    const get = await failure(client.send(new GetObjectCommand({ Bucket: bucket, Key: 'absent' })));
    expect(get).toMatchObject({ name: 'NoSuchKey', status: 404 });
    expect((get.error as { Key?: string }).Key).toBe('absent');
    expect(await failure(client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'absent' })))).toMatchObject({
      name: 'NotFound',
      status: 404,
    });
    const rawGet = await raw('GET', `/${bucket}/absent`);
    expect(rawGet.text).toMatch(
      /<Error><Code>NoSuchKey<\/Code><Message>[^<]+<\/Message><Key>absent<\/Key><RequestId>\w+<\/RequestId><\/Error>/,
    );
    expect(rawGet.headers.get('x-amz-request-id')).toMatch(/^\w+$/);
  });

  it('deletes an object from an unversioned bucket for good', async () => {
    const bucket = await newBucket('objects-delete');
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'x' }));
    const deleted = await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'k' }));
    expect(deleted.DeleteMarker).toBeUndefined();
    expect(await failure(client.send(new GetObjectCommand({ Bucket: bucket, Key: 'k' })))).toMatchObject({
      name: 'NoSuchKey',
    });
    expect((await client.send(new ListObjectVersionsCommand({ Bucket: bucket }))).Versions).toBeUndefined();
    await client.send(new DeleteBucketCommand({ Bucket: bucket }));
  });

  it('serves byte ranges and refuses unsatisfiable ones', async () => {
    const bucket = await newBucket('objects-range');
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: '0123456789' }));
    const middle = await client.send(new GetObjectCommand({ Bucket: bucket, Key: 'k', Range: 'bytes=2-5' }));
    expect(await middle.Body?.transformToString()).toBe('2345');
    expect(middle).toMatchObject({ ContentRange: 'bytes 2-5/10', ContentLength: 4 });
    const suffix = await client.send(new GetObjectCommand({ Bucket: bucket, Key: 'k', Range: 'bytes=-3' }));
    expect(await suffix.Body?.transformToString()).toBe('789');
    expect(await failure(client.send(new GetObjectCommand({ Bucket: bucket, Key: 'k', Range: 'bytes=20-30' })))).toMatchObject({
      name: 'InvalidRange',
      status: 416,
    });
  });

  it('applies response-* overrides to one GET', async () => {
    const bucket = await newBucket('objects-overrides');
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'x', ContentType: 'text/plain' }));
    const got = await client.send(
      new GetObjectCommand({
        Bucket: bucket,
        Key: 'k',
        ResponseContentType: 'application/x-test',
        ResponseContentDisposition: 'attachment',
      }),
    );
    expect(got).toMatchObject({ ContentType: 'application/x-test', ContentDisposition: 'attachment' });
  });
});

describe('versioning', () => {
  it('reports no status until versioning is configured, then the configured one', async () => {
    const bucket = await newBucket('versioning-status');
    expect((await client.send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status).toBeUndefined();
    await client.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    expect((await client.send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status).toBe('Enabled');
  });

  it('keeps every version, serves each by VersionId, and hides the key behind a delete marker', async () => {
    const bucket = await newBucket('versioning-history', true);
    const first = await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'model.pt', Body: 'v1' }));
    const second = await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'model.pt', Body: 'v2' }));
    expect(first.VersionId).toMatch(/^\S+$/);
    expect(second.VersionId).not.toBe(first.VersionId);
    expect(await bodyOf(bucket, 'model.pt')).toBe('v2');
    expect(await bodyOf(bucket, 'model.pt', first.VersionId)).toBe('v1');
    const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'model.pt', VersionId: first.VersionId }));
    expect(head).toMatchObject({ VersionId: first.VersionId, ETag: md5Etag('v1') });

    const marker = await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'model.pt' }));
    expect(marker.DeleteMarker).toBe(true);
    expect(marker.VersionId).toMatch(/^\S+$/);

    const hidden = await failure(client.send(new GetObjectCommand({ Bucket: bucket, Key: 'model.pt' })));
    expect(hidden).toMatchObject({ name: 'NoSuchKey', status: 404 });
    expect(await failure(client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'model.pt' })))).toMatchObject({
      status: 404,
    });
    const markerGet = await failure(client.send(new GetObjectCommand({ Bucket: bucket, Key: 'model.pt', VersionId: marker.VersionId })));
    expect(markerGet).toMatchObject({ name: 'MethodNotAllowed', status: 405 });
    expect(await bodyOf(bucket, 'model.pt', second.VersionId)).toBe('v2');

    const listing = await client.send(new ListObjectVersionsCommand({ Bucket: bucket }));
    expect(listing.Versions?.map((version) => [version.VersionId, version.IsLatest, version.Size])).toEqual([
      [second.VersionId, false, 2],
      [first.VersionId, false, 2],
    ]);
    expect(listing.DeleteMarkers?.map((entry) => [entry.VersionId, entry.IsLatest])).toEqual([[marker.VersionId, true]]);
    expect((await client.send(new ListObjectsV2Command({ Bucket: bucket }))).KeyCount).toBe(0);

    // Removing the marker brings the key back.
    const unmarked = await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'model.pt', VersionId: marker.VersionId }));
    expect(unmarked).toMatchObject({ DeleteMarker: true, VersionId: marker.VersionId });
    expect(await bodyOf(bucket, 'model.pt')).toBe('v2');

    // Deleting a version by id removes it for good.
    await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'model.pt', VersionId: second.VersionId }));
    expect(await bodyOf(bucket, 'model.pt')).toBe('v1');
  });

  it('answers unknown and malformed version ids as S3 does', async () => {
    const bucket = await newBucket('versioning-errors', true);
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'x' }));
    expect(
      await failure(client.send(new GetObjectCommand({ Bucket: bucket, Key: 'k', VersionId: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }))),
    ).toMatchObject({ name: 'NoSuchVersion', status: 404 });
    expect(await failure(client.send(new GetObjectCommand({ Bucket: bucket, Key: 'k', VersionId: 'not a version!' })))).toMatchObject({
      name: 'InvalidArgument',
      status: 400,
    });
  });

  it('writes null versions while suspended, replacing the previous null version', async () => {
    const bucket = await newBucket('versioning-suspended', true);
    const kept = await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'enabled' }));
    await client.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Suspended' } }));
    const firstNull = await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'null-1' }));
    expect(firstNull.VersionId).toBe('null');
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'null-2' }));
    const versions = await client.send(new ListObjectVersionsCommand({ Bucket: bucket }));
    expect(versions.Versions?.map((version) => version.VersionId)).toEqual(['null', kept.VersionId]);
    expect(await bodyOf(bucket, 'k', 'null')).toBe('null-2');
    const marker = await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'k' }));
    expect(marker).toMatchObject({ DeleteMarker: true, VersionId: 'null' });
    expect(await bodyOf(bucket, 'k', kept.VersionId)).toBe('enabled');
  });

  it('pages ListObjectVersions with key and version-id markers', async () => {
    const bucket = await newBucket('versioning-pages', true);
    for (const body of ['a1', 'a2', 'a3']) await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'a', Body: body }));
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'b', Body: 'b1' }));
    const seen: string[] = [];
    let markers: { KeyMarker?: string; VersionIdMarker?: string } = {};
    for (let page = 0; page < 5; page++) {
      const result = await client.send(new ListObjectVersionsCommand({ Bucket: bucket, MaxKeys: 2, ...markers }));
      for (const version of result.Versions ?? []) seen.push(`${version.Key}:${version.Size}:${version.IsLatest}`);
      if (!result.IsTruncated) break;
      markers = { KeyMarker: result.NextKeyMarker, VersionIdMarker: result.NextVersionIdMarker };
    }
    expect(seen).toEqual(['a:2:true', 'a:2:false', 'a:2:false', 'b:2:true']);
  });
});

describe('ListObjectsV2', () => {
  it('filters by prefix, rolls up common prefixes and pages with continuation tokens', async () => {
    const bucket = await newBucket('listing');
    const keys = ['logs/2024/a', 'logs/2024/b', 'logs/2025/a', 'logs/readme', 'models/x', 'top'];
    for (const key of keys) await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: key }));

    const rolled = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'logs/', Delimiter: '/' }));
    expect(rolled.CommonPrefixes?.map((entry) => entry.Prefix)).toEqual(['logs/2024/', 'logs/2025/']);
    expect(rolled.Contents?.map((entry) => entry.Key)).toEqual(['logs/readme']);
    expect(rolled).toMatchObject({ KeyCount: 3, IsTruncated: false, Prefix: 'logs/', Delimiter: '/' });
    expect(rolled.Contents?.[0]).toMatchObject({ Size: 11, ETag: md5Etag('logs/readme'), StorageClass: 'STANDARD' });

    const pages: string[][] = [];
    for await (const page of paginateListObjectsV2({ client, pageSize: 2 }, { Bucket: bucket })) {
      pages.push((page.Contents ?? []).map((entry) => entry.Key ?? ''));
    }
    expect(pages).toEqual([keys.slice(0, 2), keys.slice(2, 4), keys.slice(4)]);

    const delimitedPages: string[][] = [];
    for await (const page of paginateListObjectsV2({ client, pageSize: 1 }, { Bucket: bucket, Delimiter: '/' })) {
      delimitedPages.push([
        ...(page.CommonPrefixes ?? []).map((entry) => entry.Prefix ?? ''),
        ...(page.Contents ?? []).map((entry) => entry.Key ?? ''),
      ]);
    }
    expect(delimitedPages).toEqual([['logs/'], ['models/'], ['top']]);

    const after = await client.send(new ListObjectsV2Command({ Bucket: bucket, StartAfter: 'logs/readme' }));
    expect(after.Contents?.map((entry) => entry.Key)).toEqual(['models/x', 'top']);
  });

  it('rejects a forged continuation token and a non-numeric max-keys', async () => {
    const bucket = await newBucket('listing-errors');
    expect(await failure(client.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: '***' })))).toMatchObject({
      name: 'InvalidArgument',
      status: 400,
    });
    const response = await raw('GET', `/${bucket}?list-type=2&max-keys=ten`);
    expect(response.status).toBe(400);
    expect(response.text).toContain('<Code>InvalidArgument</Code>');
  });
});

describe('conditional requests', () => {
  it('lets exactly one of two racing If-None-Match: * writes win', async () => {
    const bucket = await newBucket('conditional-race');
    const attempts = await Promise.allSettled(
      ['first', 'second'].map((body) => client.send(new PutObjectCommand({ Bucket: bucket, Key: 'lock', Body: body, IfNoneMatch: '*' }))),
    );
    const won = attempts.filter((attempt) => attempt.status === 'fulfilled');
    const lost = attempts.flatMap((attempt) => (attempt.status === 'rejected' ? [attempt.reason] : []));
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]).toMatchObject({ name: 'PreconditionFailed', $metadata: { httpStatusCode: 412 } });
  });

  it('overwrites with If-Match only while the ETag still matches', async () => {
    const bucket = await newBucket('conditional-match');
    const { ETag } = await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'one' }));
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'two', IfMatch: ETag }));
    expect(await failure(client.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'three', IfMatch: ETag })))).toMatchObject({
      name: 'PreconditionFailed',
      status: 412,
    });
    expect(await bodyOf(bucket, 'k')).toBe('two');
    expect(await failure(client.send(new PutObjectCommand({ Bucket: bucket, Key: 'absent', Body: 'x', IfMatch: ETag })))).toMatchObject({
      name: 'NoSuchKey',
      status: 404,
    });
  });

  it('allows If-None-Match: * over a delete marker', async () => {
    const bucket = await newBucket('conditional-marker', true);
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'x' }));
    await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'k' }));
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'y', IfNoneMatch: '*' }));
    expect(await bodyOf(bucket, 'k')).toBe('y');
  });

  it('answers conditional reads with 304 and 412', async () => {
    const bucket = await newBucket('conditional-read');
    const { ETag } = await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'x' }));
    expect(await failure(client.send(new GetObjectCommand({ Bucket: bucket, Key: 'k', IfNoneMatch: ETag })))).toMatchObject({
      status: 304,
    });
    expect(await failure(client.send(new GetObjectCommand({ Bucket: bucket, Key: 'k', IfMatch: '"0000"' })))).toMatchObject({
      name: 'PreconditionFailed',
      status: 412,
    });
    expect(
      await failure(client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'k', IfModifiedSince: new Date(Date.now() + 60_000) }))),
    ).toMatchObject({ status: 304 });
    const fresh = await client.send(new GetObjectCommand({ Bucket: bucket, Key: 'k', IfMatch: ETag, IfNoneMatch: '"other"' }));
    expect(await fresh.Body?.transformToString()).toBe('x');
  });
});

describe('checksums', () => {
  it('verifies and returns the CRC32 the SDK sends by default', async () => {
    const bucket = await newBucket('checksum-default');
    const put = await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'hello checksum' }));
    expect(put.ChecksumCRC32).toBe(crc32Base64(Buffer.from('hello checksum')));
    const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: 'k', ChecksumMode: 'ENABLED' }));
    expect(got.ChecksumCRC32).toBe(put.ChecksumCRC32);
    expect(got.ChecksumType).toBe('FULL_OBJECT');
    expect(await got.Body?.transformToString()).toBe('hello checksum');
    const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
    expect(listed.Contents?.[0]?.ChecksumAlgorithm).toEqual(['CRC32']);
  });

  it.each([
    ['SHA256', 'ChecksumSHA256', createHash('sha256').update('123456789').digest('base64')],
    ['SHA1', 'ChecksumSHA1', createHash('sha1').update('123456789').digest('base64')],
    // The CRC-32C check value from the Castagnoli paper: 0xE3069283.
    ['CRC32C', 'ChecksumCRC32C', Buffer.from('e3069283', 'hex').toString('base64')],
  ] as const)('verifies and returns %s when the client asks for it', async (algorithm, field, expected) => {
    const bucket = await newBucket(`checksum-${algorithm.toLowerCase()}`);
    const put = await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: '123456789', ChecksumAlgorithm: algorithm }));
    expect(put[field]).toBe(expected);
    const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'k', ChecksumMode: 'ENABLED' }));
    expect(head[field]).toBe(expected);
  });

  it('decodes a multi-megabyte aws-chunked upload streamed by the SDK and checks its trailer', async () => {
    const bucket = await newBucket('checksum-streamed');
    const data = randomBytes(6 * 1024 * 1024 + 123);
    const pieces = Array.from({ length: Math.ceil(data.length / 65536) }, (_, index) => data.subarray(index * 65536, (index + 1) * 65536));
    const put = await client.send(
      new PutObjectCommand({ Bucket: bucket, Key: 'big.bin', Body: Readable.from(pieces), ContentLength: data.length }),
    );
    const wire = seen.filter((request) => request.method === 'PUT' && request.path === `/${bucket}/big.bin`);
    expect(wire.map((request) => request.headers)).toEqual([
      expect.objectContaining({
        'content-encoding': 'aws-chunked',
        'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
        'x-amz-trailer': 'x-amz-checksum-crc32',
      }),
    ]);
    expect(put.ChecksumCRC32).toBe(crc32Base64(data));
    expect(put.ETag).toBe(md5Etag(data));
    const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: 'big.bin', ChecksumMode: 'ENABLED' }));
    const received = Buffer.from((await got.Body?.transformToByteArray()) ?? []);
    expect(received.equals(data)).toBe(true);
    expect(got.ContentEncoding).toBeUndefined();
  });

  describe('refuses a body that does not match what the client claimed', () => {
    const chunked = (payload: Buffer, trailer: string): Buffer =>
      Buffer.concat([
        Buffer.from(`${payload.length.toString(16)};chunk-signature=${'0'.repeat(64)}\r\n`),
        payload,
        Buffer.from(`\r\n0;chunk-signature=${'0'.repeat(64)}\r\n${trailer}\r\n\r\n`),
      ]);
    const chunkedHeaders = (length: number) => ({
      'content-encoding': 'aws-chunked',
      'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
      'x-amz-decoded-content-length': String(length),
      'x-amz-trailer': 'x-amz-checksum-crc32',
    });
    const payload = Buffer.from('payload bytes');
    beforeAll(() => newBucket('checksum-refused'));

    it.each([
      ['a wrong CRC32 header', { 'x-amz-checksum-crc32': 'AAAAAA==' }, payload, 'BadDigest'],
      ['a CRC32 header that is not a CRC32', { 'x-amz-checksum-crc32': 'bm90IGEgY3JjMzI=' }, payload, 'InvalidRequest'],
      ['a wrong SHA256 header', { 'x-amz-checksum-sha256': createHash('sha256').update('other').digest('base64') }, payload, 'BadDigest'],
      [
        'two checksum headers',
        {
          'x-amz-checksum-crc32': crc32Base64(payload),
          'x-amz-checksum-sha1': createHash('sha1').update(payload).digest('base64'),
        },
        payload,
        'InvalidRequest',
      ],
      ['an algorithm with no checksum', { 'x-amz-sdk-checksum-algorithm': 'CRC32' }, payload, 'InvalidRequest'],
      ['a wrong Content-MD5', { 'content-md5': createHash('md5').update('other').digest('base64') }, payload, 'BadDigest'],
      ['a wrong x-amz-content-sha256', { 'x-amz-content-sha256': 'a'.repeat(64) }, payload, 'XAmzContentSHA256Mismatch'],
      ['a wrong aws-chunked trailer', chunkedHeaders(payload.length), chunked(payload, 'x-amz-checksum-crc32:AAAAAA=='), 'BadDigest'],
      ['a missing aws-chunked trailer', chunkedHeaders(payload.length), chunked(payload, ''), 'MalformedTrailerError'],
      [
        'a wrong decoded length',
        chunkedHeaders(payload.length + 1),
        chunked(payload, `x-amz-checksum-crc32:${crc32Base64(payload)}`),
        'IncompleteBody',
      ],
      ['a truncated aws-chunked body', chunkedHeaders(payload.length), Buffer.from('ff\r\nshort'), 'IncompleteBody'],
      ['a bad aws-chunked size line', chunkedHeaders(payload.length), Buffer.from('zz\r\n'), 'InvalidRequest'],
    ])('%s', async (name, headers, body, code) => {
      const path = `/checksum-refused/${encodeURIComponent(name)}`;
      const response = await raw('PUT', path, headers as Record<string, string>, body);
      expect(response.status).toBe(400);
      expect(response.text).toContain(`<Code>${code}</Code>`);
      expect((await raw('HEAD', path)).status).toBe(404);
    });

    it('accepts the same aws-chunked body with the right trailer', async () => {
      await newBucket('checksum-chunked-ok');
      const response = await raw(
        'PUT',
        '/checksum-chunked-ok/k',
        { ...chunkedHeaders(payload.length), 'content-encoding': 'aws-chunked,gzip' },
        chunked(payload, `x-amz-checksum-crc32:${crc32Base64(payload)}`),
      );
      expect(response.status).toBe(200);
      expect(response.headers.get('x-amz-checksum-crc32')).toBe(crc32Base64(payload));
      const head = await client.send(new HeadObjectCommand({ Bucket: 'checksum-chunked-ok', Key: 'k' }));
      expect(head).toMatchObject({ ContentLength: payload.length, ContentEncoding: 'gzip' });
    });
  });
});

describe('malformed and unsupported requests', () => {
  beforeAll(async () => {
    await newBucket('malformed');
    await client.send(new PutObjectCommand({ Bucket: 'malformed', Key: 'k', Body: 'x' }));
  });

  it.each([
    ['bad XML in a versioning configuration', 'PUT', '/malformed?versioning', '<VersioningConfiguration><Status>', 400, 'MalformedXML'],
    [
      'an unknown versioning status',
      'PUT',
      '/malformed?versioning',
      '<VersioningConfiguration><Status>On</Status></VersioningConfiguration>',
      400,
      'MalformedXML',
    ],
    ['an empty tagging document', 'PUT', '/malformed/k?tagging', '', 400, 'MalformedXML'],
    ['a broken percent-encoding', 'GET', '/malformed/%E0%A4%A', undefined, 400, 'InvalidURI'],
    ['an unsupported sub-resource', 'GET', '/malformed?acl', undefined, 501, 'NotImplemented'],
    ['ListObjects version 1', 'GET', '/malformed', undefined, 501, 'NotImplemented'],
    ['an unknown method', 'PATCH', '/malformed/k', 'x', 405, 'MethodNotAllowed'],
    ['a write to a missing bucket', 'PUT', '/no-such-bucket/k', 'x', 404, 'NoSuchBucket'],
  ])('answers %s with an S3 error document', async (_, method, path, body, status, code) => {
    const response = await raw(method, path, {}, body === undefined ? undefined : Buffer.from(body));
    expect(response.status).toBe(status);
    expect(response.text).toContain(`<Code>${code}</Code>`);
  });
});

describe('snapshots', () => {
  it('round-trips buckets, versions, delete markers, tags and checksums through JSON', async () => {
    const bucket = await newBucket('snapshot-source', true);
    const v1 = await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'one', Tagging: 'a=1' }));
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'two', Metadata: { m: 'v' } }));
    await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'k' }));
    const json = JSON.parse(JSON.stringify(s3Handler.snapshot())) as unknown;

    const restored = createS3Handler({ region: REGION });
    restored.restore(json);
    const restoredServer = await serveHandler(restored.handle);
    const restoredClient = clientFor(restoredServer.endpoint);
    try {
      const versions = await restoredClient.send(new ListObjectVersionsCommand({ Bucket: bucket }));
      expect(versions.Versions).toHaveLength(2);
      expect(versions.DeleteMarkers).toHaveLength(1);
      const first = await restoredClient.send(
        new GetObjectCommand({ Bucket: bucket, Key: 'k', VersionId: v1.VersionId, ChecksumMode: 'ENABLED' }),
      );
      expect(await first.Body?.transformToString()).toBe('one');
      expect(first).toMatchObject({ TagCount: 1, ChecksumCRC32: v1.ChecksumCRC32, ETag: v1.ETag });
      expect((await restoredClient.send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status).toBe('Enabled');
    } finally {
      restoredClient.destroy();
      await restoredServer.close();
    }
  });

  it('refuses a malformed snapshot and keeps the state it had', async () => {
    const target = createS3Handler();
    target.restore({ buckets: [] });
    expect(() => target.restore({ buckets: [{ name: 'x' }] })).toThrow('snapshot.buckets[0].versioning is missing');
    expect(() => target.restore('nonsense')).toThrow('snapshot must be an object');
    expect(target.snapshot()).toEqual({ buckets: [] });
  });
});

describe('robustness', () => {
  const garbage = randomBytes(512);
  interface Shape {
    method: string;
    path: string;
    headers?: Record<string, string | string[]>;
    body?: Buffer;
  }
  it.each<[string, Shape]>([
    ['a lone percent sign in the path', { method: 'GET', path: '/%' }],
    [
      'binary garbage as an aws-chunked body',
      { method: 'PUT', path: '/robust/k', headers: { 'content-encoding': 'aws-chunked' }, body: garbage },
    ],
    ['binary garbage as a versioning document', { method: 'PUT', path: '/robust?versioning', body: garbage }],
    ['binary garbage as a tagging document', { method: 'PUT', path: '/robust/k?tagging', body: garbage }],
    ['a lower-case method and an empty path', { method: 'delete', path: '' }],
    ['repeated headers', { method: 'PUT', path: '/robust/k', headers: { 'x-amz-checksum-crc32': ['AAAAAA==', 'AAAAAA=='] } }],
    ['a checksum for an algorithm S3 does not know', { method: 'PUT', path: '/robust/k', headers: { 'x-amz-checksum-md4': 'AAAA' } }],
  ])('answers %s with an S3 error instead of throwing', async (_, shape) => {
    await s3Handler.handle({
      method: 'PUT',
      path: '/robust',
      query: new URLSearchParams(),
      headers: {},
      body: Buffer.alloc(0),
    });
    const url = new URL(shape.path || '/', 'http://localhost');
    const response = await s3Handler.handle({
      method: shape.method,
      path: shape.path.split('?')[0] ?? '',
      query: url.searchParams,
      headers: shape.headers ?? {},
      body: shape.body ?? Buffer.alloc(0),
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(String(response.body)).toMatch(/<Error><Code>\w+<\/Code>/);
  });
});
