import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { CreateBucketCommand, GetObjectCommand, PutBucketVersioningCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startAwsLocal, type AwsLocal } from '../src/index.js';
import { failure } from './support.js';

describe('the S3 hold fault', () => {
  let awsLocal: AwsLocal;
  let s3: S3Client;
  const holds = (path = '', init?: RequestInit) => fetch(`${awsLocal.endpoint}/_aws-local/s3-holds${path}`, init);
  const addHold = async (body: unknown) => {
    const response = await holds('', { method: 'POST', body: JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const text = async (key: string) =>
    (await (await s3.send(new GetObjectCommand({ Bucket: 'held', Key: key }))).Body!.transformToString()) as string;

  beforeAll(async () => {
    awsLocal = await startAwsLocal({});
    s3 = new S3Client({
      endpoint: awsLocal.endpoint,
      region: awsLocal.region,
      forcePathStyle: true,
      credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' },
      maxAttempts: 1,
    });
    await s3.send(new CreateBucketCommand({ Bucket: 'held', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: 'held', VersioningConfiguration: { Status: 'Enabled' } }));
  });
  afterEach(async () => {
    await holds('', { method: 'DELETE' });
  });
  afterAll(async () => {
    s3.destroy();
    await awsLocal.stop();
  });

  it('holds a matching write until it is released, and runs it against the state of that moment', async () => {
    const first = await s3.send(new PutObjectCommand({ Bucket: 'held', Key: 'm/production.json', Body: 'zero' }));
    const hold = await addHold({ bucket: 'held', key: 'm/*.json' });
    expect(hold).toEqual({
      status: 200,
      body: { id: expect.any(String), bucket: 'held', key: 'm/*.json', method: 'PUT', count: 1, remaining: 1, held: [] },
    });
    const id = hold.body['id'] as string;

    // A conditional write on what was read, held at the write.
    const slow = s3.send(new PutObjectCommand({ Bucket: 'held', Key: 'm/production.json', Body: 'slow', IfMatch: first.ETag }));
    const held = await holds(`/${id}/held`);
    expect(await held.json()).toMatchObject({ id, remaining: 0, held: [{ method: 'PUT', bucket: 'held', key: 'm/production.json' }] });
    expect(await text('m/production.json')).toBe('zero');

    // The hold took its one request: the next writer passes and wins.
    await s3.send(new PutObjectCommand({ Bucket: 'held', Key: 'm/production.json', Body: 'fast', IfMatch: first.ETag }));
    expect(await text('m/production.json')).toBe('fast');

    expect(await (await holds(`/${id}/release`, { method: 'POST' })).json()).toEqual({ released: 1 });
    expect(await failure(slow)).toMatchObject({ name: 'PreconditionFailed', status: 412 });
    expect(await text('m/production.json')).toBe('fast');
    expect(await (await holds()).json()).toEqual({ holds: [] });
  });

  it('lets requests that do not match pass: other keys, other methods, other buckets', async () => {
    const { body } = await addHold({ bucket: 'held', key: 'm/production.json' });
    await s3.send(new PutObjectCommand({ Bucket: 'held', Key: 'm/1.0.0/manifest.json', Body: 'other key' }));
    await s3.send(new PutObjectCommand({ Bucket: 'held', Key: 'm/production.jsonx', Body: 'no prefix match' }));
    expect(await failure(s3.send(new GetObjectCommand({ Bucket: 'held', Key: 'm/nothing.json' })))).toMatchObject({ status: 404 });
    expect(await failure(s3.send(new PutObjectCommand({ Bucket: 'nosuchbucket', Key: 'm/production.json', Body: 'x' })))).toMatchObject({
      name: 'NoSuchBucket',
    });
    expect(await (await holds()).json()).toEqual({ holds: [{ ...body, held: [] }] });
  });

  it('releases held requests when every hold is removed', async () => {
    const { body } = await addHold({ key: 'all/*', count: 2 });
    const writes = [
      s3.send(new PutObjectCommand({ Bucket: 'held', Key: 'all/a', Body: 'a' })),
      s3.send(new PutObjectCommand({ Bucket: 'held', Key: 'all/b', Body: 'b' })),
    ];
    const held = (await (await holds(`/${String(body['id'])}/held?count=2`)).json()) as { held: { key: string }[] };
    expect(held.held.map((h) => h.key).sort()).toEqual(['all/a', 'all/b']);
    expect(await (await holds('', { method: 'DELETE' })).json()).toEqual({ released: 2 });
    await Promise.all(writes);
    expect([await text('all/a'), await text('all/b')]).toEqual(['a', 'b']);
  });

  it('says when nothing was held in time', async () => {
    const { body } = await addHold({ key: 'never' });
    const response = await holds(`/${String(body['id'])}/held?timeoutMs=50`);
    expect(response.status).toBe(408);
    expect(await response.json()).toEqual({
      error: 'RequestTimeout',
      message: `S3 hold ${String(body['id'])} (PUT never) held 0 of 1 requests within 50 ms`,
    });
  });

  it.each([
    ['not an object', [], 'An S3 hold is a JSON object: { "key": ..., "bucket"?, "method"?, "count"? }'],
    ['no key', {}, `S3 hold 'key' must be a non-empty key or pattern, got undefined`],
    ['an empty key', { key: '' }, `S3 hold 'key' must be a non-empty key or pattern, got ""`],
    ['an unknown field', { key: 'k', operation: 'PutObject' }, `Unknown S3 hold field 'operation' (expected key, bucket, method, count)`],
    ['an empty bucket', { key: 'k', bucket: '' }, `S3 hold 'bucket' must be a non-empty bucket name, got ""`],
    ['an unknown method', { key: 'k', method: 'PATCH' }, `S3 hold 'method' must be one of PUT, GET, HEAD, DELETE, POST, got "PATCH"`],
    ['a count of zero', { key: 'k', count: 0 }, `S3 hold 'count' must be a whole number from 1, got 0`],
    ['a fractional count', { key: 'k', count: 1.5 }, `S3 hold 'count' must be a whole number from 1, got 1.5`],
  ])('refuses a hold with %s, naming the field', async (_name, hold, message) => {
    expect(await addHold(hold)).toEqual({ status: 400, body: { error: 'ValidationError', message } });
  });

  it('refuses bad JSON, unknown holds and a bad timeout', async () => {
    const bad = await holds('', { method: 'POST', body: '{' });
    expect([bad.status, await bad.json()]).toEqual([400, { error: 'ValidationError', message: 'The S3 hold must be a JSON object' }]);
    const unknown = await holds('/hold-999/release', { method: 'POST' });
    expect([unknown.status, await unknown.json()]).toEqual([404, { error: 'NotFound', message: 'No S3 hold hold-999 (holds: none)' }]);
    const { body } = await addHold({ key: 'k' });
    const timeout = await holds(`/${String(body['id'])}/held?timeoutMs=soon`);
    expect([timeout.status, await timeout.json()]).toEqual([
      400,
      { error: 'ValidationError', message: `'timeoutMs' must be a whole number of milliseconds from 1 to 600000, got "soon"` },
    ]);
    const many = await holds(`/${String(body['id'])}/held?count=2`);
    expect([many.status, await many.json()]).toEqual([
      400,
      { error: 'ValidationError', message: `S3 hold ${String(body['id'])} holds at most 1 requests, not 2` },
    ]);
  });
});
