import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  BatchDeleteImageCommand,
  BatchGetImageCommand,
  CreateRepositoryCommand,
  DeleteLifecyclePolicyCommand,
  DeleteRepositoryCommand,
  DescribeImageScanFindingsCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetAuthorizationTokenCommand,
  GetLifecyclePolicyCommand,
  ListImagesCommand,
  PutImageCommand,
  PutImageScanningConfigurationCommand,
  PutImageTagMutabilityCommand,
  PutLifecyclePolicyCommand,
  StartImageScanCommand,
  paginateDescribeImages,
} from '@aws-sdk/client-ecr';
import { createEcrHandler } from '../src/ecr/index.js';
import { type HandlerServer, serveHandler } from './helpers/handler-server.js';

const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';
let ecr: ReturnType<typeof createEcrHandler>;
let server: HandlerServer;
let client: ECRClient;

function clientFor(endpoint: string): ECRClient {
  return new ECRClient({
    endpoint,
    region: REGION,
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' },
    maxAttempts: 1,
  });
}

beforeAll(async () => {
  ecr = createEcrHandler({ region: REGION, accountId: ACCOUNT });
  server = await serveHandler(ecr.handle);
  client = clientFor(server.endpoint);
});

afterAll(async () => {
  client.destroy();
  await server.close();
});

async function failure(promise: Promise<unknown>): Promise<{ name: string; status?: number; message: string }> {
  try {
    await promise;
  } catch (error) {
    const { name, message, $metadata } = error as {
      name: string;
      message: string;
      $metadata?: { httpStatusCode?: number };
    };
    return { name, message, status: $metadata?.httpStatusCode };
  }
  throw new Error('expected the call to fail, but it succeeded');
}

function sha256(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

/** An OCI image manifest whose layers have the given compressed sizes; `seed` makes distinct images. */
function imageManifest(seed: string, layerSizes: number[]): string {
  return JSON.stringify(
    {
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(`config-${seed}`), size: 1469 },
      layers: layerSizes.map((size, index) => ({
        mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
        digest: sha256(`layer-${seed}-${index}`),
        size,
      })),
    },
    null,
    2,
  );
}

async function newRepository(name: string, options: { immutable?: boolean; scanOnPush?: boolean } = {}) {
  const { repository } = await client.send(
    new CreateRepositoryCommand({
      repositoryName: name,
      imageTagMutability: options.immutable ? 'IMMUTABLE' : 'MUTABLE',
      imageScanningConfiguration: { scanOnPush: options.scanOnPush ?? false },
    }),
  );
  return repository;
}

async function push(repositoryName: string, manifest: string, imageTag?: string) {
  const { image } = await client.send(new PutImageCommand({ repositoryName, imageManifest: manifest, imageTag }));
  return image;
}

const POLICY = JSON.stringify({
  rules: [
    {
      rulePriority: 1,
      description: 'keep the last 30 release images',
      selection: { tagStatus: 'tagged', tagPrefixList: ['v'], countType: 'imageCountMoreThan', countNumber: 30 },
      action: { type: 'expire' },
    },
  ],
});

describe('repositories', () => {
  beforeAll(async () => {
    await newRepository('exists');
    await push('exists', imageManifest('exists', [1]), 'latest');
  });

  it('creates a repository with the settings asked for and the ARN and URI ECR would give it', async () => {
    const repository = await newRepository('svg-ai/inference', { immutable: true, scanOnPush: true });
    expect(repository).toMatchObject({
      repositoryName: 'svg-ai/inference',
      registryId: ACCOUNT,
      repositoryArn: `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/svg-ai/inference`,
      repositoryUri: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/svg-ai/inference`,
      imageTagMutability: 'IMMUTABLE',
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: { encryptionType: 'AES256' },
    });
    expect(repository?.createdAt).toBeInstanceOf(Date);
    expect(Math.abs((repository?.createdAt?.getTime() ?? 0) - Date.now())).toBeLessThan(5000);

    const described = await client.send(new DescribeRepositoriesCommand({ repositoryNames: ['svg-ai/inference'] }));
    expect(described.repositories).toEqual([repository]);
  });

  it('pages DescribeRepositories', async () => {
    for (const name of ['paged-1', 'paged-2', 'paged-3']) await newRepository(name);
    const names: string[] = [];
    let nextToken: string | undefined;
    do {
      const result = await client.send(new DescribeRepositoriesCommand({ maxResults: 2, nextToken }));
      expect(result.repositories?.length).toBeLessThanOrEqual(2);
      names.push(...(result.repositories ?? []).map((repository) => repository.repositoryName ?? ''));
      nextToken = result.nextToken;
    } while (nextToken);
    expect(names).toEqual(expect.arrayContaining(['paged-1', 'paged-2', 'paged-3']));
  });

  it.each([
    [
      'describing a missing repository',
      () => client.send(new DescribeRepositoriesCommand({ repositoryNames: ['nope'] })),
      'RepositoryNotFoundException',
    ],
    [
      'creating an existing repository',
      () => client.send(new CreateRepositoryCommand({ repositoryName: 'exists' })),
      'RepositoryAlreadyExistsException',
    ],
    [
      'an invalid repository name',
      () => client.send(new CreateRepositoryCommand({ repositoryName: 'Upper/Case' })),
      'InvalidParameterException',
    ],
    [
      'an unsupported tag mutability',
      () => client.send(new CreateRepositoryCommand({ repositoryName: 'odd', imageTagMutability: 'SOMETIMES' as 'MUTABLE' })),
      'InvalidParameterException',
    ],
    [
      'a missing repository name',
      () => client.send(new CreateRepositoryCommand({} as { repositoryName: string })),
      'InvalidParameterException',
    ],
    [
      'deleting a repository that holds images',
      () => client.send(new DeleteRepositoryCommand({ repositoryName: 'exists' })),
      'RepositoryNotEmptyException',
    ],
    ['a bad page token', () => client.send(new DescribeRepositoriesCommand({ nextToken: 'forged' })), 'InvalidParameterException'],
  ])('answers %s with the ECR error', async (_, call, name) => {
    const { message, ...shape } = await failure(call());
    expect(shape).toEqual({ name, status: 400 });
    expect(message.length).toBeGreaterThan(10);
  });

  it('deletes a repository with its images when forced', async () => {
    await newRepository('forced');
    await push('forced', imageManifest('forced', [10]), 'v1');
    const { repository } = await client.send(new DeleteRepositoryCommand({ repositoryName: 'forced', force: true }));
    expect(repository?.repositoryName).toBe('forced');
    expect(await failure(client.send(new DescribeImagesCommand({ repositoryName: 'forced' })))).toMatchObject({
      name: 'RepositoryNotFoundException',
    });
  });
});

describe('GetAuthorizationToken', () => {
  it('issues a base64 AWS:<password> token for the registry endpoint, valid for twelve hours', async () => {
    const { authorizationData } = await client.send(new GetAuthorizationTokenCommand({}));
    const [data] = authorizationData ?? [];
    const decoded = Buffer.from(data?.authorizationToken ?? '', 'base64').toString('utf8');
    expect(decoded).toMatch(/^AWS:.{20,}$/);
    expect(data?.proxyEndpoint).toBe(`https://${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com`);
    const lifetime = (data?.expiresAt?.getTime() ?? 0) - Date.now();
    expect(lifetime).toBeGreaterThan(11.9 * 3600_000);
    expect(lifetime).toBeLessThanOrEqual(12 * 3600_000);
  });
});

describe('PutImage', () => {
  it('names the image by the sha256 of the exact manifest bytes', async () => {
    await newRepository('digests');
    const manifest = imageManifest('digests', [100, 200]);
    const image = await push('digests', manifest, 'v1');
    expect(image).toEqual({
      registryId: ACCOUNT,
      repositoryName: 'digests',
      imageId: { imageDigest: sha256(manifest), imageTag: 'v1' },
      imageManifest: manifest,
      imageManifestMediaType: 'application/vnd.oci.image.manifest.v1+json',
    });
    // The same document serialised differently is a different image.
    const compact = JSON.stringify(JSON.parse(manifest));
    expect((await push('digests', compact, 'v1-compact'))?.imageId?.imageDigest).toBe(sha256(compact));
  });

  it('refuses to push the same manifest and tag twice', async () => {
    await newRepository('again');
    const manifest = imageManifest('again', [5]);
    await push('again', manifest, 'v1');
    expect(await failure(push('again', manifest, 'v1'))).toMatchObject({
      name: 'ImageAlreadyExistsException',
      status: 400,
    });
    // A new tag for the same manifest is just another tag on the image.
    await push('again', manifest, 'stable');
    const { imageDetails } = await client.send(new DescribeImagesCommand({ repositoryName: 'again' }));
    expect(imageDetails?.map((detail) => detail.imageTags)).toEqual([['v1', 'stable']]);
  });

  it('moves a tag to the new image in a mutable repository, leaving the old one untagged', async () => {
    await newRepository('mutable');
    const old = await push('mutable', imageManifest('old', [1]), 'latest');
    const fresh = await push('mutable', imageManifest('new', [2]), 'latest');
    expect(ecr.resolveImage('mutable', 'latest')).toEqual({ digest: fresh?.imageId?.imageDigest, tags: ['latest'] });
    expect(ecr.resolveImage('mutable', old?.imageId?.imageDigest ?? '')).toEqual({
      digest: old?.imageId?.imageDigest,
      tags: [],
    });
    expect(ecr.resolveImage('mutable', 'missing')).toBeUndefined();
    expect(ecr.resolveImage('no-such-repository', 'latest')).toBeUndefined();
  });

  it('refuses to move a tag in an immutable repository, until mutability is switched', async () => {
    await newRepository('immutable', { immutable: true });
    await push('immutable', imageManifest('first', [1]), 'v1');
    expect(await failure(push('immutable', imageManifest('second', [1]), 'v1'))).toMatchObject({
      name: 'ImageTagAlreadyExistsException',
      status: 400,
    });
    const switched = await client.send(new PutImageTagMutabilityCommand({ repositoryName: 'immutable', imageTagMutability: 'MUTABLE' }));
    expect(switched).toMatchObject({ repositoryName: 'immutable', imageTagMutability: 'MUTABLE', registryId: ACCOUNT });
    await push('immutable', imageManifest('second', [1]), 'v1');
  });

  describe('refusals', () => {
    beforeAll(() => newRepository('bad-pushes'));

    it.each([
      ['a manifest that is not JSON', { imageManifest: '{not json' }, 'InvalidParameterException'],
      ['a schema 1 manifest', { imageManifest: '{"schemaVersion":1,"fsLayers":[]}' }, 'InvalidParameterException'],
      [
        'a layer without a size',
        { imageManifest: JSON.stringify({ schemaVersion: 2, layers: [{ digest: sha256('x') }] }) },
        'InvalidParameterException',
      ],
      ['an invalid tag', { imageManifest: imageManifest('tag', [1]), imageTag: 'has space' }, 'InvalidParameterException'],
      [
        'a digest that is not the manifest digest',
        { imageManifest: imageManifest('d', [1]), imageDigest: sha256('other') },
        'ImageDigestDoesNotMatchException',
      ],
      ['a missing manifest', {}, 'InvalidParameterException'],
      [
        'a media type the manifest contradicts',
        {
          imageManifest: imageManifest('m', [1]),
          imageManifestMediaType: 'application/vnd.docker.distribution.manifest.v2+json',
        },
        'InvalidParameterException',
      ],
    ])('answers %s with the ECR error', async (_, input, name) => {
      expect(
        await failure(
          client.send(
            new PutImageCommand({ repositoryName: 'bad-pushes', ...input } as {
              repositoryName: string;
              imageManifest: string;
            }),
          ),
        ),
      ).toMatchObject({ name, status: 400 });
    });
  });

  it('refuses a push to a missing repository', async () => {
    expect(await failure(push('nowhere', imageManifest('x', [1]), 'v1'))).toMatchObject({
      name: 'RepositoryNotFoundException',
      status: 400,
      message: `The repository with name 'nowhere' does not exist in the registry with id '${ACCOUNT}'`,
    });
  });
});

describe('reading images', () => {
  const manifests = {
    a: imageManifest('read-a', [1000, 2345]),
    b: imageManifest('read-b', [7]),
    c: imageManifest('read-c', [3]),
  };

  beforeAll(async () => {
    await newRepository('reading');
    await push('reading', manifests.a, 'v1');
    await push('reading', manifests.a, 'stable');
    await push('reading', manifests.b, 'v2');
    await push('reading', manifests.c);
  });

  it('describes images with their sizes from the layers, push time and tags', async () => {
    const { imageDetails } = await client.send(new DescribeImagesCommand({ repositoryName: 'reading' }));
    expect(imageDetails?.map((detail) => [detail.imageDigest, detail.imageTags, detail.imageSizeInBytes])).toEqual([
      [sha256(manifests.a), ['v1', 'stable'], 3345],
      [sha256(manifests.b), ['v2'], 7],
      [sha256(manifests.c), undefined, 3],
    ]);
    expect(imageDetails?.[0]).toMatchObject({
      registryId: ACCOUNT,
      repositoryName: 'reading',
      imageManifestMediaType: 'application/vnd.oci.image.manifest.v1+json',
      artifactMediaType: 'application/vnd.oci.image.config.v1+json',
    });
    expect(imageDetails?.[0]?.imagePushedAt).toBeInstanceOf(Date);
  });

  it('filters DescribeImages by tag, digest and tag status, and pages it', async () => {
    const byTag = await client.send(new DescribeImagesCommand({ repositoryName: 'reading', imageIds: [{ imageTag: 'v2' }] }));
    expect(byTag.imageDetails?.map((detail) => detail.imageDigest)).toEqual([sha256(manifests.b)]);
    const byDigest = await client.send(
      new DescribeImagesCommand({ repositoryName: 'reading', imageIds: [{ imageDigest: sha256(manifests.a) }] }),
    );
    expect(byDigest.imageDetails?.[0]?.imageTags).toEqual(['v1', 'stable']);
    const untagged = await client.send(new DescribeImagesCommand({ repositoryName: 'reading', filter: { tagStatus: 'UNTAGGED' } }));
    expect(untagged.imageDetails?.map((detail) => detail.imageDigest)).toEqual([sha256(manifests.c)]);
    const pages: number[] = [];
    for await (const page of paginateDescribeImages({ client, pageSize: 2 }, { repositoryName: 'reading' })) {
      pages.push(page.imageDetails?.length ?? 0);
    }
    expect(pages).toEqual([2, 1]);
    expect(
      await failure(client.send(new DescribeImagesCommand({ repositoryName: 'reading', imageIds: [{ imageTag: 'v9' }] }))),
    ).toMatchObject({ name: 'ImageNotFoundException', status: 400 });
  });

  it('lists image ids, one per tag', async () => {
    const { imageIds } = await client.send(new ListImagesCommand({ repositoryName: 'reading' }));
    expect(imageIds).toEqual([
      { imageDigest: sha256(manifests.a), imageTag: 'v1' },
      { imageDigest: sha256(manifests.a), imageTag: 'stable' },
      { imageDigest: sha256(manifests.b), imageTag: 'v2' },
      { imageDigest: sha256(manifests.c) },
    ]);
    const tagged = await client.send(new ListImagesCommand({ repositoryName: 'reading', filter: { tagStatus: 'TAGGED' }, maxResults: 2 }));
    expect(tagged.imageIds).toHaveLength(2);
    const rest = await client.send(
      new ListImagesCommand({
        repositoryName: 'reading',
        filter: { tagStatus: 'TAGGED' },
        maxResults: 2,
        nextToken: tagged.nextToken,
      }),
    );
    expect(rest.imageIds).toEqual([{ imageDigest: sha256(manifests.b), imageTag: 'v2' }]);
    expect(rest.nextToken).toBeUndefined();
  });

  it('returns manifests from BatchGetImage and reports each miss as a failure', async () => {
    const result = await client.send(
      new BatchGetImageCommand({
        repositoryName: 'reading',
        imageIds: [
          { imageTag: 'stable' },
          { imageDigest: sha256(manifests.b) },
          { imageTag: 'v404' },
          { imageDigest: sha256(manifests.a), imageTag: 'v2' },
          {},
        ],
      }),
    );
    expect(result.images).toEqual([
      {
        registryId: ACCOUNT,
        repositoryName: 'reading',
        imageId: { imageDigest: sha256(manifests.a), imageTag: 'stable' },
        imageManifest: manifests.a,
        imageManifestMediaType: 'application/vnd.oci.image.manifest.v1+json',
      },
      expect.objectContaining({ imageId: { imageDigest: sha256(manifests.b) }, imageManifest: manifests.b }),
    ]);
    expect(result.failures?.map((failed) => failed.failureCode)).toEqual([
      'ImageNotFound',
      'ImageTagDoesNotMatchDigest',
      'MissingDigestAndTag',
    ]);
    const accepted = await client.send(
      new BatchGetImageCommand({
        repositoryName: 'reading',
        imageIds: [{ imageTag: 'v1' }],
        acceptedMediaTypes: ['application/vnd.docker.distribution.manifest.v2+json'],
      }),
    );
    expect(accepted.images).toEqual([]);
    expect(accepted.failures?.[0]?.failureReason).toContain('accepted media types');
  });

  it('sizes an image index by its largest child', async () => {
    const index = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          digest: sha256(manifests.a),
          size: manifests.a.length,
        },
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          digest: sha256(manifests.b),
          size: manifests.b.length,
        },
      ],
    });
    await push('reading', index, 'multi-arch');
    const { imageDetails } = await client.send(
      new DescribeImagesCommand({ repositoryName: 'reading', imageIds: [{ imageTag: 'multi-arch' }] }),
    );
    expect(imageDetails?.[0]).toMatchObject({
      imageSizeInBytes: 3345,
      imageManifestMediaType: 'application/vnd.oci.image.index.v1+json',
    });
  });
});

describe('BatchDeleteImage', () => {
  it('removes a tag, the image with its last tag, and whole images by digest', async () => {
    await newRepository('deleting');
    const shared = imageManifest('shared', [1]);
    const single = imageManifest('single', [1]);
    await push('deleting', shared, 'a');
    await push('deleting', shared, 'b');
    await push('deleting', single, 'only');
    const first = await client.send(
      new BatchDeleteImageCommand({
        repositoryName: 'deleting',
        imageIds: [{ imageTag: 'a' }, { imageTag: 'only' }, { imageTag: 'gone' }],
      }),
    );
    expect(first.imageIds).toEqual([
      { imageDigest: sha256(shared), imageTag: 'a' },
      { imageDigest: sha256(single), imageTag: 'only' },
    ]);
    expect(first.failures).toEqual([
      { imageId: { imageTag: 'gone' }, failureCode: 'ImageNotFound', failureReason: 'Requested image not found' },
    ]);
    expect((await client.send(new ListImagesCommand({ repositoryName: 'deleting' }))).imageIds).toEqual([
      { imageDigest: sha256(shared), imageTag: 'b' },
    ]);
    const second = await client.send(
      new BatchDeleteImageCommand({ repositoryName: 'deleting', imageIds: [{ imageDigest: sha256(shared) }] }),
    );
    expect(second.imageIds).toEqual([{ imageDigest: sha256(shared), imageTag: 'b' }]);
    expect((await client.send(new ListImagesCommand({ repositoryName: 'deleting' }))).imageIds).toEqual([]);
  });
});

describe('image scanning', () => {
  const findings = [
    {
      name: 'CVE-2024-0001',
      severity: 'HIGH' as const,
      description: 'heap overflow',
      uri: 'https://example.test/CVE-2024-0001',
      attributes: [{ key: 'package_name', value: 'libfoo' }],
    },
    { name: 'CVE-2024-0002', severity: 'HIGH' as const },
    { name: 'CVE-2024-0003', severity: 'LOW' as const },
  ];

  it('scans on push and reports the seeded findings', async () => {
    await newRepository('scanned', { scanOnPush: true });
    const manifest = imageManifest('scanned', [1]);
    ecr.seedScanFindings(sha256(manifest), findings);
    await push('scanned', manifest, 'v1');
    const result = await client.send(new DescribeImageScanFindingsCommand({ repositoryName: 'scanned', imageId: { imageTag: 'v1' } }));
    expect(result.imageScanStatus?.status).toBe('COMPLETE');
    expect(result.imageId).toEqual({ imageDigest: sha256(manifest), imageTag: 'v1' });
    expect(result.imageScanFindings?.findingSeverityCounts).toEqual({ HIGH: 2, LOW: 1 });
    expect(result.imageScanFindings?.findings).toEqual([
      findings[0],
      { ...findings[1], attributes: [] },
      { ...findings[2], attributes: [] },
    ]);
    expect(result.imageScanFindings?.imageScanCompletedAt).toBeInstanceOf(Date);
    const { imageDetails } = await client.send(new DescribeImagesCommand({ repositoryName: 'scanned' }));
    expect(imageDetails?.[0]).toMatchObject({
      imageScanStatus: { status: 'COMPLETE' },
      imageScanFindingsSummary: { findingSeverityCounts: { HIGH: 2, LOW: 1 } },
    });
  });

  it('has no findings before a scan, and clean findings for an unseeded image after StartImageScan', async () => {
    await newRepository('manual-scan');
    const manifest = imageManifest('manual', [1]);
    await push('manual-scan', manifest, 'v1');
    expect(
      await failure(client.send(new DescribeImageScanFindingsCommand({ repositoryName: 'manual-scan', imageId: { imageTag: 'v1' } }))),
    ).toMatchObject({ name: 'ScanNotFoundException', status: 400 });
    const started = await client.send(new StartImageScanCommand({ repositoryName: 'manual-scan', imageId: { imageTag: 'v1' } }));
    expect(started.imageScanStatus?.status).toBe('IN_PROGRESS');
    const result = await client.send(
      new DescribeImageScanFindingsCommand({
        repositoryName: 'manual-scan',
        imageId: { imageDigest: sha256(manifest) },
      }),
    );
    expect(result.imageScanStatus?.status).toBe('COMPLETE');
    expect(result.imageScanFindings).toMatchObject({ findingSeverityCounts: {}, findings: [] });
    expect(
      await failure(client.send(new StartImageScanCommand({ repositoryName: 'manual-scan', imageId: { imageTag: 'v404' } }))),
    ).toMatchObject({ name: 'ImageNotFoundException', status: 400 });
  });

  it('switches scan on push', async () => {
    await newRepository('scan-config');
    const result = await client.send(
      new PutImageScanningConfigurationCommand({
        repositoryName: 'scan-config',
        imageScanningConfiguration: { scanOnPush: true },
      }),
    );
    expect(result.imageScanningConfiguration).toEqual({ scanOnPush: true });
    await push('scan-config', imageManifest('scan-config', [1]), 'v1');
    const found = await client.send(new DescribeImageScanFindingsCommand({ repositoryName: 'scan-config', imageId: { imageTag: 'v1' } }));
    expect(found.imageScanStatus?.status).toBe('COMPLETE');
  });

  it('refuses seeded findings with an unknown severity', () => {
    expect(() => ecr.seedScanFindings(sha256('x'), [{ name: 'x', severity: 'SEVERE' as 'HIGH' }])).toThrow(
      'findings[0].severity must be one of',
    );
  });
});

describe('lifecycle policies', () => {
  it('stores a policy verbatim and returns it until deleted', async () => {
    await newRepository('lifecycle');
    expect(await failure(client.send(new GetLifecyclePolicyCommand({ repositoryName: 'lifecycle' })))).toMatchObject({
      name: 'LifecyclePolicyNotFoundException',
      status: 400,
    });
    const put = await client.send(new PutLifecyclePolicyCommand({ repositoryName: 'lifecycle', lifecyclePolicyText: POLICY }));
    expect(put).toMatchObject({ repositoryName: 'lifecycle', registryId: ACCOUNT, lifecyclePolicyText: POLICY });
    const got = await client.send(new GetLifecyclePolicyCommand({ repositoryName: 'lifecycle' }));
    expect(got.lifecyclePolicyText).toBe(POLICY);
    await client.send(new DeleteLifecyclePolicyCommand({ repositoryName: 'lifecycle' }));
    expect(await failure(client.send(new GetLifecyclePolicyCommand({ repositoryName: 'lifecycle' })))).toMatchObject({
      name: 'LifecyclePolicyNotFoundException',
    });
  });

  const rule = JSON.parse(POLICY).rules[0] as Record<string, unknown>;
  beforeAll(() => newRepository('bad-lifecycle'));

  it.each([
    ['text that is not JSON', `{"rules": [ ${'x'.repeat(120)}`],
    ['a policy without rules', JSON.stringify({ description: 'x'.repeat(120) })],
    ['an empty rule list', JSON.stringify({ rules: [], padding: 'x'.repeat(120) })],
    ['a rule without an expire action', JSON.stringify({ rules: [{ ...rule, action: { type: 'archive' } }] })],
    ['duplicate rule priorities', JSON.stringify({ rules: [rule, rule] })],
    [
      'a tagged selection without prefixes',
      JSON.stringify({
        rules: [{ ...rule, selection: { tagStatus: 'tagged', countType: 'imageCountMoreThan', countNumber: 3 } }],
      }),
    ],
    [
      'sinceImagePushed without days',
      JSON.stringify({
        rules: [
          {
            ...rule,
            selection: { tagStatus: 'any', countType: 'sinceImagePushed', countNumber: 3 },
            description: 'x'.repeat(60),
          },
        ],
      }),
    ],
  ])('refuses %s', async (_, text) => {
    const refused = await failure(
      client.send(new PutLifecyclePolicyCommand({ repositoryName: 'bad-lifecycle', lifecyclePolicyText: text })),
    );
    expect(refused).toMatchObject({ name: 'InvalidParameterException', status: 400 });
    expect(refused.message).toContain("Invalid parameter at 'LifecyclePolicyText'");
  });
});

describe('protocol errors', () => {
  beforeAll(() => newRepository('protocol'));

  async function call(target: string | undefined, body: string, method = 'POST') {
    const headers: Record<string, string> = { 'content-type': 'application/x-amz-json-1.1' };
    if (target !== undefined) headers['x-amz-target'] = target;
    const response = await fetch(server.endpoint, { method, headers, ...(method === 'GET' ? {} : { body }) });
    return {
      status: response.status,
      contentType: response.headers.get('content-type'),
      json: (await response.json()) as Record<string, unknown>,
    };
  }

  it.each([
    ['malformed JSON', 'AmazonEC2ContainerRegistry_V20150921.DescribeRepositories', '{"repositoryNames": [', 'SerializationException'],
    ['a JSON array', 'AmazonEC2ContainerRegistry_V20150921.DescribeRepositories', '[]', 'SerializationException'],
    ['an unknown operation', 'AmazonEC2ContainerRegistry_V20150921.FlyToTheMoon', '{}', 'UnknownOperationException'],
    ['another service', 'AmazonEC2ContainerServiceV20141113.ListClusters', '{}', 'UnknownOperationException'],
    ['an inherited property name', 'AmazonEC2ContainerRegistry_V20150921.constructor', '{}', 'UnknownOperationException'],
    ['no target', undefined, '{}', 'UnknownOperationException'],
    ['a mistyped member', 'AmazonEC2ContainerRegistry_V20150921.CreateRepository', '{"repositoryName": 42}', 'InvalidParameterException'],
    [
      'a mistyped image id list',
      'AmazonEC2ContainerRegistry_V20150921.BatchGetImage',
      '{"repositoryName": "protocol", "imageIds": "v1"}',
      'InvalidParameterException',
    ],
  ])('answers %s with a JSON error', async (_, target, body, type) => {
    const response = await call(target, body);
    expect(response.status).toBe(400);
    expect(response.contentType).toBe('application/x-amz-json-1.1');
    expect(response.json).toEqual({ __type: type, message: expect.any(String) });
  });
});

describe('snapshots', () => {
  it('round-trips repositories, images, tags, scans and policies through JSON', async () => {
    await newRepository('snapshotted', { immutable: true, scanOnPush: true });
    const manifest = imageManifest('snapshotted', [42]);
    await push('snapshotted', manifest, 'v1');
    await client.send(new PutLifecyclePolicyCommand({ repositoryName: 'snapshotted', lifecyclePolicyText: POLICY }));
    const json = JSON.parse(JSON.stringify(ecr.snapshot())) as unknown;

    const restored = createEcrHandler({ region: REGION, accountId: ACCOUNT });
    restored.restore(json);
    expect(restored.resolveImage('snapshotted', 'v1')).toEqual({ digest: sha256(manifest), tags: ['v1'] });
    const restoredServer = await serveHandler(restored.handle);
    const restoredClient = clientFor(restoredServer.endpoint);
    try {
      const original = await client.send(new DescribeImagesCommand({ repositoryName: 'snapshotted' }));
      const copy = await restoredClient.send(new DescribeImagesCommand({ repositoryName: 'snapshotted' }));
      expect(copy.imageDetails).toEqual(original.imageDetails);
      expect((await restoredClient.send(new GetLifecyclePolicyCommand({ repositoryName: 'snapshotted' }))).lifecyclePolicyText).toBe(
        POLICY,
      );
      expect(
        await failure(
          restoredClient.send(
            new PutImageCommand({
              repositoryName: 'snapshotted',
              imageManifest: imageManifest('other', [1]),
              imageTag: 'v1',
            }),
          ),
        ),
      ).toMatchObject({
        name: 'ImageTagAlreadyExistsException',
      });
    } finally {
      restoredClient.destroy();
      await restoredServer.close();
    }
  });

  it('refuses a malformed snapshot and keeps the state it had', () => {
    const target = createEcrHandler({ region: REGION, accountId: ACCOUNT });
    expect(() => target.restore({ repositories: [{ name: 'x' }], seededFindings: {} })).toThrow(
      'snapshot.repositories[0].tagMutability must be a string',
    );
    expect(() => target.restore(null)).toThrow('snapshot must be an object');
    expect(target.snapshot()).toEqual({ repositories: [], seededFindings: {} });
  });
});

describe('robustness', () => {
  it.each([
    ['binary garbage', Buffer.from([0xff, 0x00, 0xfe, 0x7b]), 'AmazonEC2ContainerRegistry_V20150921.PutImage'],
    ['JSON null', Buffer.from('null'), 'AmazonEC2ContainerRegistry_V20150921.PutImage'],
    [
      'a manifest that is a number',
      Buffer.from('{"repositoryName":"robust","imageManifest":7}'),
      'AmazonEC2ContainerRegistry_V20150921.PutImage',
    ],
    [
      'image ids that are not identifiers',
      Buffer.from('{"repositoryName":"robust","imageIds":[1,null]}'),
      'AmazonEC2ContainerRegistry_V20150921.BatchDeleteImage',
    ],
    ['a repeated target header', Buffer.from('{}'), ['AmazonEC2ContainerRegistry_V20150921.ListImages', 'x']],
    [
      'a non-integer page size',
      Buffer.from('{"repositoryName":"robust","maxResults":2.5}'),
      'AmazonEC2ContainerRegistry_V20150921.ListImages',
    ],
  ])('answers %s with an ECR error instead of throwing', async (_, body, target) => {
    await ecr.handle({
      method: 'POST',
      path: '/',
      query: new URLSearchParams(),
      headers: { 'x-amz-target': 'AmazonEC2ContainerRegistry_V20150921.CreateRepository' },
      body: Buffer.from('{"repositoryName":"robust"}'),
    });
    const response = await ecr.handle({
      method: 'POST',
      path: '/',
      query: new URLSearchParams(),
      headers: { 'x-amz-target': target as string },
      body,
    });
    expect(response.status).toBe(400);
    expect(JSON.parse(String(response.body))).toEqual({
      __type: expect.stringMatching(/Exception$/),
      message: expect.any(String),
    });
  });
});
