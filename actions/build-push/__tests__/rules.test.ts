import { describe, expect, it } from '@jest/globals';
import { buildahBuild, buildahDigest, buildahLogin, buildahRefusal } from '../src/engines/buildah.js';
import { buildxBuild, buildxDigest, buildxLogin, buildxLogout } from '../src/engines/buildx.js';
import type { BuildSpec } from '../src/engines/spec.js';
import { classifyFailure } from '../src/failures.js';
import { createdAt, imageLabels } from '../src/labels.js';
import { checkDisk } from '../src/preflight.js';
import { blockingFindings } from '../src/scan.js';
import { imageTags, releaseVersion, sanitiseTag, semverTags } from '../src/tags.js';

const SHA = 'abcdef1234567890abcdef1234567890abcdef12';
const ALL = ['sha', 'branch', 'semver', 'model'] as const;

describe('imageTags', () => {
  it.each([
    ['a branch push gets the short SHA and the branch', 'refs/heads/main', ALL, false, [], undefined, ['sha-abcdef1', 'main']],
    ['a release tag gets its semver parts', 'refs/tags/v1.2.3', ALL, false, [], undefined, ['sha-abcdef1', '1.2.3', '1.2', '1']],
    ['a 0.x release gets no bare 0', 'refs/tags/v0.4.1', ['semver'], false, [], undefined, ['0.4.1', '0.4']],
    ['a pre-release gets only its full version', 'refs/tags/v2.0.0-rc.1', ['semver'], false, [], undefined, ['2.0.0-rc.1']],
    ['build metadata becomes a dash', 'refs/tags/1.2.3+build.7', ['semver'], false, [], undefined, ['1.2.3-build.7', '1.2', '1']],
    ['a tag that is not semver gives no semver tag', 'refs/tags/release-candidate', ['semver'], false, [], undefined, []],
    ['a pull request ref gives no branch tag', 'refs/pull/7/merge', ['branch'], false, [], undefined, []],
    [
      'branch names are sanitised and lower-cased',
      'refs/heads/Feature/Add_SVG+Cache',
      ['branch'],
      false,
      [],
      undefined,
      ['feature-add_svg-cache'],
    ],
    ['the model release becomes a tag', 'refs/heads/main', ['model'], false, [], '2026.11+abc', ['model-2026.11-abc']],
    ['latest only when asked', 'refs/heads/main', ['sha'], true, [], undefined, ['sha-abcdef1', 'latest']],
    ['extra tags are added, duplicates dropped', 'refs/heads/main', ['branch'], false, ['main', 'Stable'], undefined, ['main', 'stable']],
  ] as const)('%s', (_name, ref, rules, latest, extra, modelVersion, expected) => {
    expect(imageTags({ rules, latest, extra }, { sha: SHA, ref, modelVersion })).toEqual(expected);
  });

  it('cuts tags to 128 characters', () => {
    const [tag] = imageTags(
      { rules: ['branch'], latest: false, extra: [] },
      { sha: SHA, ref: `refs/heads/${'b'.repeat(300)}`, modelVersion: undefined },
    );
    expect(tag).toHaveLength(128);
  });
});

describe('sanitiseTag', () => {
  it.each([
    ['.hidden', 'hidden'],
    ['-dash', 'dash'],
    ['trailing-', 'trailing'],
    ['UPPER', 'upper'],
    ['a/b:c', 'a-b-c'],
    ['...', undefined],
  ])('%p → %p', (raw, expected) => expect(sanitiseTag(raw)).toBe(expected));
});

describe('semverTags and releaseVersion', () => {
  it('reads v-prefixed and bare versions', () => {
    expect(semverTags('v10.20.30')).toEqual(['10.20.30', '10.20', '10']);
    expect(semverTags('1.2')).toEqual([]);
  });
  it('names the release version of a tag ref only', () => {
    expect(releaseVersion('refs/tags/v1.2.3')).toBe('1.2.3');
    expect(releaseVersion('refs/heads/v1.2.3')).toBeUndefined();
  });
});

describe('imageLabels', () => {
  it('sets the OCI labels, the model labels, and lets given labels win', () => {
    const labels = imageLabels(
      {
        serverUrl: 'https://github.com',
        repository: 'org/svg-ai',
        sha: SHA,
        created: '2026-01-01T00:00:00.000Z',
        version: undefined,
        modelVersion: '1.4.0',
        modelSha256: 'f'.repeat(64),
      },
      new Map([['org.opencontainers.image.title', 'svg-ai']]),
    );
    expect(Object.fromEntries(labels)).toEqual({
      'org.opencontainers.image.source': 'https://github.com/org/svg-ai',
      'org.opencontainers.image.revision': SHA,
      'org.opencontainers.image.created': '2026-01-01T00:00:00.000Z',
      'org.opencontainers.image.version': 'abcdef1',
      'ai.svg.model.version': '1.4.0',
      'ai.svg.model.sha256': 'f'.repeat(64),
      'org.opencontainers.image.title': 'svg-ai',
    });
  });
  it('takes the creation time from SOURCE_DATE_EPOCH when set', () => {
    expect(createdAt('1700000000', new Date(0))).toBe('2023-11-14T22:13:20.000Z');
    expect(createdAt(undefined, new Date(5000))).toBe('1970-01-01T00:00:05.000Z');
    expect(createdAt('not-a-number', new Date(5000))).toBe('1970-01-01T00:00:05.000Z');
  });
});

const SPEC: BuildSpec = {
  context: 'service',
  file: 'service/Dockerfile',
  target: 'runtime',
  buildArgs: new Map([['TORCH_VERSION', '2.8.0']]),
  secrets: [
    { id: 'pip', kind: 'env', source: 'PIP_TOKEN' },
    { id: 'netrc', kind: 'file', source: '/home/runner/.netrc' },
  ],
  platforms: ['linux/amd64'],
  pull: true,
  labels: new Map([['org.opencontainers.image.revision', SHA]]),
  images: ['1.dkr.ecr.eu-west-1.amazonaws.com/svg-ai:sha-abcdef1', '1.dkr.ecr.eu-west-1.amazonaws.com/svg-ai:main'],
  push: true,
  cacheRef: '1.dkr.ecr.eu-west-1.amazonaws.com/svg-ai:buildcache',
  provenance: 'false',
  sbom: false,
  insecure: false,
  reportFile: '/tmp/run/metadata.json',
  sourceDateEpoch: undefined,
};

describe('buildx argv (golden)', () => {
  it.each([
    [
      'a full push with registry cache in the form ECR accepts',
      SPEC,
      [
        'buildx',
        'build',
        '--file',
        'service/Dockerfile',
        '--target',
        'runtime',
        '--platform',
        'linux/amd64',
        '--build-arg',
        'TORCH_VERSION=2.8.0',
        '--secret',
        'id=pip,env=PIP_TOKEN',
        '--secret',
        'id=netrc,src=/home/runner/.netrc',
        '--label',
        `org.opencontainers.image.revision=${SHA}`,
        '--tag',
        '1.dkr.ecr.eu-west-1.amazonaws.com/svg-ai:sha-abcdef1',
        '--tag',
        '1.dkr.ecr.eu-west-1.amazonaws.com/svg-ai:main',
        '--pull',
        '--cache-from',
        'type=registry,ref=1.dkr.ecr.eu-west-1.amazonaws.com/svg-ai:buildcache',
        '--cache-to',
        'type=registry,ref=1.dkr.ecr.eu-west-1.amazonaws.com/svg-ai:buildcache,mode=max,image-manifest=true,oci-mediatypes=true',
        '--provenance=false',
        '--sbom=false',
        '--metadata-file',
        '/tmp/run/metadata.json',
        '--output',
        'type=image,push=true,oci-mediatypes=true',
        'service',
      ],
    ],
    [
      'a build-only run on two platforms with attestations, no cache, plain-HTTP registry',
      {
        ...SPEC,
        target: undefined,
        buildArgs: new Map(),
        secrets: [],
        labels: new Map(),
        images: ['127.0.0.1:5000/svg-ai:x'],
        platforms: ['linux/amd64', 'linux/arm64'],
        pull: false,
        push: false,
        cacheRef: undefined,
        provenance: 'mode=max',
        sbom: true,
        insecure: true,
      },
      [
        'buildx',
        'build',
        '--file',
        'service/Dockerfile',
        '--platform',
        'linux/amd64,linux/arm64',
        '--tag',
        '127.0.0.1:5000/svg-ai:x',
        '--provenance=mode=max',
        '--sbom=true',
        '--metadata-file',
        '/tmp/run/metadata.json',
        'service',
      ],
    ],
    [
      'a plain-HTTP registry push says registry.insecure',
      {
        ...SPEC,
        target: undefined,
        buildArgs: new Map(),
        secrets: [],
        labels: new Map(),
        images: ['127.0.0.1:5000/svg-ai:x'],
        pull: false,
        cacheRef: undefined,
        insecure: true,
      },
      [
        'buildx',
        'build',
        '--file',
        'service/Dockerfile',
        '--platform',
        'linux/amd64',
        '--tag',
        '127.0.0.1:5000/svg-ai:x',
        '--provenance=false',
        '--sbom=false',
        '--metadata-file',
        '/tmp/run/metadata.json',
        '--output',
        'type=image,push=true,oci-mediatypes=true,registry.insecure=true',
        'service',
      ],
    ],
  ] as const)('%s', (_name, spec, expected) => {
    const [step, ...rest] = buildxBuild(spec as BuildSpec);
    expect(rest).toEqual([]);
    expect(step!.program).toBe('docker');
    expect(step!.args).toEqual(expected);
  });

  it('passes SOURCE_DATE_EPOCH in the environment, not argv', () => {
    expect(buildxBuild({ ...SPEC, sourceDateEpoch: 1700000000 })[0]!.env).toEqual({ SOURCE_DATE_EPOCH: '1700000000' });
  });

  it('logs in with the password on stdin and out by host', () => {
    expect(buildxLogin('r.example')).toEqual({
      program: 'docker',
      args: ['login', '--username', 'AWS', '--password-stdin', 'r.example'],
      stdinPassword: true,
      step: 'login',
    });
    expect(buildxLogout('r.example').args).toEqual(['logout', 'r.example']);
  });

  it('reads the digest from the metadata file, and refuses one without it', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(buildxDigest(JSON.stringify({ 'containerimage.digest': digest, 'image.name': 'x' }))).toBe(digest);
    expect(() => buildxDigest('{}')).toThrow(/names no containerimage.digest/);
    expect(() => buildxDigest('not json')).toThrow(/not JSON/);
  });
});

describe('buildah argv (golden)', () => {
  const FILES: BuildSpec = {
    ...SPEC,
    secrets: [{ id: 'netrc', kind: 'file', source: '/run/netrc' }],
    sourceDateEpoch: 1700000000,
    insecure: true,
  };

  it('builds once, then pushes each tag with its own digest file', () => {
    expect(buildahBuild(FILES).map((step) => [step.program, ...step.args])).toEqual([
      [
        'buildah',
        'build',
        '--format',
        'oci',
        '--file',
        'service/Dockerfile',
        '--target',
        'runtime',
        '--platform',
        'linux/amd64',
        '--build-arg',
        'TORCH_VERSION=2.8.0',
        '--secret',
        'id=netrc,src=/run/netrc',
        '--label',
        `org.opencontainers.image.revision=${SHA}`,
        '--tag',
        '1.dkr.ecr.eu-west-1.amazonaws.com/svg-ai:sha-abcdef1',
        '--tag',
        '1.dkr.ecr.eu-west-1.amazonaws.com/svg-ai:main',
        '--pull=always',
        '--layers',
        '--timestamp',
        '1700000000',
        'service',
      ],
      [
        'buildah',
        'push',
        '--digestfile',
        '/tmp/run/metadata.json',
        '--tls-verify=false',
        '1.dkr.ecr.eu-west-1.amazonaws.com/svg-ai:sha-abcdef1',
        'docker://1.dkr.ecr.eu-west-1.amazonaws.com/svg-ai:sha-abcdef1',
      ],
      [
        'buildah',
        'push',
        '--digestfile',
        '/tmp/run/metadata.json.1',
        '--tls-verify=false',
        '1.dkr.ecr.eu-west-1.amazonaws.com/svg-ai:main',
        'docker://1.dkr.ecr.eu-west-1.amazonaws.com/svg-ai:main',
      ],
    ]);
  });

  it('refuses what buildah cannot do rather than ignoring it', () => {
    expect(buildahRefusal({ ...FILES, platforms: ['linux/amd64', 'linux/arm64'] })).toMatch(/one platform/);
    expect(buildahRefusal({ ...FILES, provenance: 'mode=min' })).toMatch(/no provenance/);
    expect(buildahRefusal({ ...FILES, sbom: true })).toMatch(/no SBOM/);
    expect(() => buildahBuild(SPEC)).toThrow(/secret pip must be handed to buildah as a file/);
  });

  it('logs in on stdin, with TLS verification off only for a plain-HTTP registry', () => {
    expect(buildahLogin('r', true).args).toEqual(['login', '--username', 'AWS', '--password-stdin', '--tls-verify=false', 'r']);
    expect(buildahLogin('r', false).args).toEqual(['login', '--username', 'AWS', '--password-stdin', 'r']);
  });

  it('reads the digest file', () => {
    expect(buildahDigest(`sha256:${'b'.repeat(64)}\n`)).toBe(`sha256:${'b'.repeat(64)}`);
    expect(() => buildahDigest('')).toThrow(/not a sha256 digest/);
  });
});

describe('classifyFailure', () => {
  it.each([
    ['login', ['Error response from daemon: login attempt to https://r/v2/ failed with status: 401 Unauthorized'], 'login-refused'],
    ['build', ['ERROR: failed to solve: failed to push r/svg-ai:x: unexpected status from PUT request: 403 Forbidden'], 'push-denied'],
    ['push', ['Error: writing blob: initiating layer upload: denied: requested access to the resource is denied'], 'push-denied'],
    [
      'build',
      [
        "ERROR: failed to push: tag invalid: The image tag 'x' already exists in the 'svg-ai' repository and cannot be overwritten because the repository is immutable.",
      ],
      'tag-immutable',
    ],
    ['push', ["name unknown: The repository with name 'svg-ai' does not exist in the registry with id '1'"], 'repository-missing'],
    ['build', ['ERROR: failed to copy: write /var/lib/docker/tmp/x: no space left on device'], 'disk-full'],
    ['build', ['ERROR: failed to solve: process "/bin/sh -c pip install" did not complete successfully: exit code: 1'], 'build-failed'],
  ] as const)('%s: %s', (step, tail, cause) => expect(classifyFailure(step, tail)).toBe(cause));
});

describe('blockingFindings', () => {
  const findings = [
    { name: 'CVE-1', severity: 'LOW', uri: undefined },
    { name: 'CVE-2', severity: 'CRITICAL', uri: undefined },
    { name: 'CVE-3', severity: 'HIGH', uri: undefined },
  ];
  it.each([
    ['CRITICAL', ['CVE-2']],
    ['HIGH', ['CVE-2', 'CVE-3']],
    ['LOW', ['CVE-2', 'CVE-3', 'CVE-1']],
    ['NONE', []],
  ] as const)('at or above %s', (threshold, names) => expect(blockingFindings(findings, threshold).map((f) => f.name)).toEqual(names));
});

describe('checkDisk', () => {
  it('passes at exactly the minimum and fails just below it, naming the path and the input', () => {
    const gb = 1024 ** 3;
    expect(checkDisk(['/'], 10, () => 10 * gb)).toEqual([{ path: '/', freeGb: 10 }]);
    expect(() => checkDisk(['/'], 10, () => 10 * gb - 1)).toThrow(/only 10\.0 GB are free on \/, and min-free-disk-gb is 10/);
  });
});
