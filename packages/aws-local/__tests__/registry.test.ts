/**
 * The stand-in ECR's registry (OCI distribution API) driven over HTTP the way clients drive it, and checked
 * against the CNCF distribution registry with skopeo: the same image pushed to both must come back byte for
 * byte, and be what the ECR API reports.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  BatchGetImageCommand,
  CreateRepositoryCommand,
  DescribeImageScanFindingsCommand,
  DescribeImagesCommand,
  ECRClient,
  GetAuthorizationTokenCommand,
  PutLifecyclePolicyCommand,
} from '@aws-sdk/client-ecr';
import { readFile } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEcrHandler, createRegistryServer, type RegistryServer } from '../src/ecr/index.js';
import { type HandlerServer, serveHandler } from './helpers/handler-server.js';
import {
  type OciImage,
  type ReferenceRegistry,
  ociImage,
  sha256,
  skopeo,
  startReferenceRegistry,
  writeOciLayout,
} from './helpers/registry-tools.js';

const ACCOUNT = '123456789012';
let ecr: ReturnType<typeof createEcrHandler>;
let api: HandlerServer;
let registry: RegistryServer;
let client: ECRClient;
let password: string;
let auth: string;

beforeAll(async () => {
  ecr = createEcrHandler({ region: 'eu-west-1', accountId: ACCOUNT });
  api = await serveHandler(ecr.handle);
  registry = await createRegistryServer(ecr.store);
  client = new ECRClient({
    endpoint: api.endpoint,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' },
    maxAttempts: 1,
  });
  const token = await client.send(new GetAuthorizationTokenCommand({}));
  const data = token.authorizationData![0]!;
  expect(data.proxyEndpoint).toBe(registry.endpoint);
  const decoded = Buffer.from(data.authorizationToken!, 'base64').toString();
  expect(decoded.startsWith('AWS:')).toBe(true);
  password = decoded.slice(4);
  auth = `Basic ${data.authorizationToken!}`;
});

afterAll(async () => {
  client.destroy();
  await registry.close();
  await api.close();
});

async function createRepository(name: string, extra: Record<string, unknown> = {}): Promise<void> {
  await client.send(new CreateRepositoryCommand({ repositoryName: name, ...extra }));
}

function call(method: string, path: string, init: { body?: Buffer | string; headers?: Record<string, string>; auth?: string | null } = {}) {
  const headers: Record<string, string> = { ...init.headers };
  if (init.auth !== null) headers['authorization'] = init.auth ?? auth;
  return fetch(`${registry.endpoint}${path}`, { method, headers, ...(init.body === undefined ? {} : { body: init.body }) });
}

async function errorCode(response: Response): Promise<string> {
  const body = (await response.json()) as { errors: { code: string }[] };
  return body.errors[0]!.code;
}

async function pushBlob(repository: string, bytes: Buffer): Promise<void> {
  const response = await call('POST', `/v2/${repository}/blobs/uploads/?digest=${sha256(bytes)}`, { body: bytes });
  expect(response.status).toBe(201);
}

async function pushImage(repository: string, image: OciImage, reference: string): Promise<Response> {
  for (const blob of [image.config, ...image.layers]) await pushBlob(repository, blob.bytes);
  return call('PUT', `/v2/${repository}/manifests/${reference}`, {
    body: image.manifest,
    headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
  });
}

describe('registry authentication', () => {
  it('answers 401 with a Basic challenge and the spec error JSON without credentials', async () => {
    const response = await call('GET', '/v2/', { auth: null });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(
      /^Basic realm="https:\/\/123456789012\.dkr\.ecr\.eu-west-1\.amazonaws\.com\/"/,
    );
    expect(response.headers.get('docker-distribution-api-version')).toBe('registry/2.0');
    expect(await errorCode(response)).toBe('UNAUTHORIZED');
  });

  it.each([
    ['a password it never issued', `Basic ${Buffer.from('AWS:not-issued').toString('base64')}`],
    ['the right password under another user', () => `Basic ${Buffer.from(`root:${password}`).toString('base64')}`],
    ['a bearer token', () => `Bearer ${password}`],
  ])('refuses %s', async (_what, header) => {
    const response = await call('GET', '/v2/', { auth: typeof header === 'function' ? header() : header });
    expect(response.status).toBe(401);
  });

  it('accepts AWS:<password> from GetAuthorizationToken', async () => {
    const response = await call('GET', '/v2/');
    expect(response.status).toBe(200);
  });
});

describe('blob uploads', () => {
  beforeAll(() => createRepository('blobs/a').then(() => createRepository('blobs/b')));

  it('takes a monolithic upload and serves it back by digest with HEAD and GET', async () => {
    const bytes = Buffer.from('monolithic blob');
    await pushBlob('blobs/a', bytes);
    const head = await call('HEAD', `/v2/blobs/a/blobs/${sha256(bytes)}`);
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(bytes.length));
    expect(head.headers.get('docker-content-digest')).toBe(sha256(bytes));
    const get = await call('GET', `/v2/blobs/a/blobs/${sha256(bytes)}`);
    expect(Buffer.from(await get.arrayBuffer())).toEqual(bytes);
  });

  it('takes a chunked upload in order, and refuses a chunk that does not continue it with 416', async () => {
    const start = await call('POST', '/v2/blobs/a/blobs/uploads/');
    expect(start.status).toBe(202);
    const location = start.headers.get('location')!;
    const first = await call('PATCH', location, { body: 'hello ', headers: { 'content-range': '0-5' } });
    expect(first.status).toBe(202);
    expect(first.headers.get('range')).toBe('0-5');
    const gap = await call('PATCH', location, { body: 'x', headers: { 'content-range': '9-9' } });
    expect(gap.status).toBe(416);
    expect(await errorCode(gap)).toBe('BLOB_UPLOAD_INVALID');
    const status = await call('GET', location);
    expect([status.status, status.headers.get('range')]).toEqual([204, '0-5']);
    await call('PATCH', location, { body: 'chunks', headers: { 'content-range': '6-11' } });
    const done = await call('PUT', `${location}?digest=${sha256('hello chunks')}`);
    expect(done.status).toBe(201);
    expect(done.headers.get('docker-content-digest')).toBe(sha256('hello chunks'));
    expect(await call('GET', `/v2/blobs/a/blobs/${sha256('hello chunks')}`).then((r) => r.text())).toBe('hello chunks');
  });

  it('refuses to close an upload whose content has another digest, and forgets the upload', async () => {
    const start = await call('POST', '/v2/blobs/a/blobs/uploads/');
    const location = start.headers.get('location')!;
    const wrong = await call('PUT', `${location}?digest=${sha256('something else')}`, { body: 'content' });
    expect(wrong.status).toBe(400);
    expect(await errorCode(wrong)).toBe('DIGEST_INVALID');
    expect((await call('HEAD', `/v2/blobs/a/blobs/${sha256('content')}`)).status).toBe(404);
  });

  it('mounts a blob from another repository without its bytes, and only one that repository holds', async () => {
    const bytes = Buffer.from('shared layer');
    const digest = sha256(bytes);
    expect((await call('HEAD', `/v2/blobs/b/blobs/${digest}`)).status).toBe(404);
    await pushBlob('blobs/a', bytes);
    const mounted = await call('POST', `/v2/blobs/b/blobs/uploads/?mount=${digest}&from=blobs/a`);
    expect(mounted.status).toBe(201);
    expect(mounted.headers.get('location')).toBe(`/v2/blobs/b/blobs/${digest}`);
    expect((await call('HEAD', `/v2/blobs/b/blobs/${digest}`)).status).toBe(200);
    // Not held by the source: the registry starts an ordinary upload instead, as the spec says.
    const fallback = await call('POST', `/v2/blobs/b/blobs/uploads/?mount=${sha256('nowhere')}&from=blobs/a`);
    expect(fallback.status).toBe(202);
  });

  it('says NAME_UNKNOWN for a repository nobody created, since ECR never creates one on push', async () => {
    const response = await call('POST', '/v2/never-created/blobs/uploads/');
    expect(response.status).toBe(404);
    expect(await errorCode(response)).toBe('NAME_UNKNOWN');
  });
});

describe('manifests', () => {
  beforeAll(() =>
    Promise.all([
      createRepository('images'),
      createRepository('frozen', { imageTagMutability: 'IMMUTABLE' }),
      createRepository('scanned', { imageScanningConfiguration: { scanOnPush: true } }),
      createRepository('kept'),
    ]),
  );

  it('refuses a manifest whose blobs were never pushed', async () => {
    const image = ociImage('missing');
    const response = await call('PUT', '/v2/images/manifests/missing', {
      body: image.manifest,
      headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
    });
    expect(response.status).toBe(400);
    expect(await errorCode(response)).toBe('MANIFEST_BLOB_UNKNOWN');
  });

  it('stores a pushed manifest as the image the ECR API reports: digest, tag, size, bytes, push time', async () => {
    const image = ociImage('reported', [2048, 4096]);
    const before = Date.now();
    const response = await pushImage('images', image, 'v1');
    expect(response.status).toBe(201);
    expect(response.headers.get('docker-content-digest')).toBe(image.digest);
    const { imageDetails } = await client.send(new DescribeImagesCommand({ repositoryName: 'images', imageIds: [{ imageTag: 'v1' }] }));
    expect(imageDetails![0]).toMatchObject({
      imageDigest: image.digest,
      imageTags: ['v1'],
      imageSizeInBytes: image.layers.reduce((sum, layer) => sum + layer.bytes.length, 0),
      imageManifestMediaType: 'application/vnd.oci.image.manifest.v1+json',
      artifactMediaType: 'application/vnd.oci.image.config.v1+json',
    });
    expect(imageDetails![0]!.imagePushedAt!.getTime()).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    const { images } = await client.send(new BatchGetImageCommand({ repositoryName: 'images', imageIds: [{ imageDigest: image.digest }] }));
    expect(images![0]!.imageManifest).toBe(image.manifest);
  });

  it('serves the manifest by tag and by digest with its media type, and HEAD without a body', async () => {
    const image = ociImage('served');
    await pushImage('images', image, 'served');
    for (const reference of ['served', image.digest]) {
      const response = await call('GET', `/v2/images/manifests/${reference}`, {
        headers: { accept: 'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json' },
      });
      expect(response.headers.get('content-type')).toBe('application/vnd.oci.image.manifest.v1+json');
      expect(response.headers.get('docker-content-digest')).toBe(image.digest);
      expect(await response.text()).toBe(image.manifest);
    }
    const head = await call('HEAD', `/v2/images/manifests/served`);
    expect([head.status, head.headers.get('content-length')]).toEqual([200, String(Buffer.byteLength(image.manifest))]);
    expect((await call('GET', '/v2/images/manifests/absent')).status).toBe(404);
  });

  it('refuses a push by digest whose bytes have another digest', async () => {
    const image = ociImage('by-digest');
    for (const blob of [image.config, ...image.layers]) await pushBlob('images', blob.bytes);
    const response = await call('PUT', `/v2/images/manifests/${sha256('other')}`, {
      body: image.manifest,
      headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
    });
    expect([response.status, await errorCode(response)]).toEqual([400, 'DIGEST_INVALID']);
  });

  it('stores an image index whose children are in the repository, and refuses one whose are not', async () => {
    const child = ociImage('child');
    await pushImage('images', child, child.digest);
    const index = (digest: string) =>
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.index.v1+json',
        manifests: [
          { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest, size: 100, platform: { os: 'linux', architecture: 'amd64' } },
        ],
      });
    const headers = { 'content-type': 'application/vnd.oci.image.index.v1+json' };
    const refused = await call('PUT', '/v2/images/manifests/multi', { body: index(sha256('absent')), headers });
    expect([refused.status, await errorCode(refused)]).toEqual([400, 'MANIFEST_BLOB_UNKNOWN']);
    const stored = await call('PUT', '/v2/images/manifests/multi', { body: index(child.digest), headers });
    expect(stored.status).toBe(201);
    const got = await call('GET', '/v2/images/manifests/multi', { headers: { accept: 'application/vnd.oci.image.index.v1+json' } });
    expect(got.headers.get('content-type')).toBe('application/vnd.oci.image.index.v1+json');
  });

  it('keeps tags immutable where the repository says so (TAG_INVALID), while the same push again is a no-op', async () => {
    const first = ociImage('frozen-1');
    expect((await pushImage('frozen', first, 'release')).status).toBe(201);
    expect((await pushImage('frozen', first, 'release')).status).toBe(201);
    const moved = await pushImage('frozen', ociImage('frozen-2'), 'release');
    expect(moved.status).toBe(400);
    const body = (await moved.json()) as { errors: { code: string; message: string }[] };
    expect(body.errors[0]).toMatchObject({
      code: 'TAG_INVALID',
      message: expect.stringContaining("The image tag 'release' already exists in the 'frozen' repository and cannot be overwritten"),
    });
  });

  it('scans on push where the repository asks for it', async () => {
    const image = ociImage('scanned');
    ecr.seedScanFindings(image.digest, [{ name: 'CVE-2026-0001', severity: 'HIGH' }]);
    await pushImage('scanned', image, 'v1');
    const findings = await client.send(new DescribeImageScanFindingsCommand({ repositoryName: 'scanned', imageId: { imageTag: 'v1' } }));
    expect(findings.imageScanStatus?.status).toBe('COMPLETE');
    expect(findings.imageScanFindings?.findings?.map((f) => f.name)).toEqual(['CVE-2026-0001']);
  });

  it('applies the lifecycle policy after each push: the last N tagged images stay, untagged ones go', async () => {
    await client.send(
      new PutLifecyclePolicyCommand({
        repositoryName: 'kept',
        lifecyclePolicyText: JSON.stringify({
          rules: [
            {
              rulePriority: 1,
              selection: { tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: 1 },
              action: { type: 'expire' },
            },
            {
              rulePriority: 2,
              selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 2 },
              action: { type: 'expire' },
            },
          ],
        }),
      }),
    );
    const untagged = ['k1', 'k2', 'k3'].map((seed) => ociImage(seed));
    for (const image of untagged) await pushImage('kept', image, image.digest);
    // Three untagged pushes: only the newest untagged one is left.
    let described = await client.send(new DescribeImagesCommand({ repositoryName: 'kept' }));
    expect(described.imageDetails!.map((d) => d.imageDigest)).toEqual([untagged[2]!.digest]);
    // The untagged one is claimed by rule 1 (and kept); rule 2 keeps the two newest of the rest.
    const tagged = ['k4', 'k5', 'k6'].map((seed) => ociImage(seed));
    for (const [index, image] of tagged.entries()) await pushImage('kept', image, `t${index}`);
    described = await client.send(new DescribeImagesCommand({ repositoryName: 'kept' }));
    expect(described.imageDetails!.map((d) => d.imageTags?.[0] ?? d.imageDigest).sort()).toEqual([untagged[2]!.digest, 't1', 't2'].sort());
  });

  it('lists tags in order with n/last pagination and a Link to the next page', async () => {
    const page = await call('GET', '/v2/kept/tags/list?n=1');
    expect(await page.json()).toEqual({ name: 'kept', tags: ['t1'] });
    expect(page.headers.get('link')).toBe('</v2/kept/tags/list?n=1&last=t1>; rel="next"');
    const rest = await call('GET', '/v2/kept/tags/list?n=1&last=t1');
    expect(await rest.json()).toEqual({ name: 'kept', tags: ['t2'] });
  });
});

describe('against the reference registry (CNCF distribution) with skopeo', () => {
  let reference: ReferenceRegistry;
  beforeAll(async () => {
    reference = await startReferenceRegistry();
    await createRepository('svg-ai');
  }, 60_000);
  afterAll(() => reference?.stop());

  it('pushes the same image to both: same digest, manifests byte for byte, inspect and copy back from the stand-in', async () => {
    const image = ociImage('skopeo', [10_000, 300_000]);
    const layout = await writeOciLayout(image, 'v1');
    const creds = `AWS:${password}`;
    await skopeo(['copy', '--dest-tls-verify=false', `oci:${layout}:v1`, `docker://${reference.host}/svg-ai:v1`]);
    await skopeo(['copy', '--dest-tls-verify=false', '--dest-creds', creds, `oci:${layout}:v1`, `docker://${registry.host}/svg-ai:v1`]);

    const raw = async (host: string, extra: string[]) =>
      (await skopeo(['inspect', '--raw', '--tls-verify=false', ...extra, `docker://${host}/svg-ai:v1`])).stdout;
    const fromReference = await raw(reference.host, []);
    const fromStandIn = await raw(registry.host, ['--creds', creds]);
    expect(fromStandIn).toBe(fromReference);
    expect(sha256(fromStandIn)).toBe(image.digest);

    const inspected = JSON.parse(
      (await skopeo(['inspect', '--tls-verify=false', '--creds', creds, `docker://${registry.host}/svg-ai:v1`])).stdout,
    ) as {
      Digest: string;
      Labels: Record<string, string>;
      Layers: string[];
    };
    expect(inspected.Digest).toBe(image.digest);
    expect(inspected.Labels['org.opencontainers.image.title']).toBe('skopeo');
    expect(inspected.Layers).toEqual(image.layers.map((layer) => layer.digest));

    const { imageDetails } = await client.send(new DescribeImagesCommand({ repositoryName: 'svg-ai', imageIds: [{ imageTag: 'v1' }] }));
    expect(imageDetails![0]!.imageDigest).toBe(image.digest);

    const back = await mkdtemp(join(tmpdir(), 'oci-back-'));
    await skopeo([
      'copy',
      '--src-tls-verify=false',
      '--src-creds',
      creds,
      `docker://${registry.host}/svg-ai@${image.digest}`,
      `oci:${back}:v1`,
    ]);
    for (const blob of [image.config, ...image.layers]) {
      expect(await readFile(join(back, 'blobs', 'sha256', blob.digest.slice(7)))).toEqual(blob.bytes);
    }
    expect(await readFile(join(back, 'blobs', 'sha256', image.digest.slice(7)), 'utf8')).toBe(image.manifest);
  }, 120_000);

  it('fails skopeo without credentials, as ECR does', async () => {
    const layout = await writeOciLayout(ociImage('anonymous'), 'v1');
    await expect(skopeo(['copy', '--dest-tls-verify=false', `oci:${layout}:v1`, `docker://${registry.host}/svg-ai:anon`])).rejects.toThrow(
      /unauthorized|authentication required/i,
    );
  }, 60_000);
});
