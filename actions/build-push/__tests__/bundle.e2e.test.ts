/**
 * The committed bundle run as the runner runs it (node dist/index.js, INPUT_* variables, command files,
 * then its post step with the saved state) against the local stand-in of AWS: real buildah builds pushed
 * over the registry protocol, and a recording stand-in `docker` for the buildx path and its failures.
 * Every run is also searched for the registry password: it must appear in no log, argv, output or summary.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startAwsLocal, type AwsLocal } from '@svg-ai-release/aws-local';
import { runActionProcess, type ProcessResult } from '@svg-ai-release/action-kit/testing';
import { EcrRegistry } from '@svg-ai-release/aws/registry';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildahEnv, scratchContext } from './support/buildah-env.js';

const bundle = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const STUB_DIR = fileURLToPath(new URL('./support/', import.meta.url));
const CREDENTIALS = { AWS_ACCESS_KEY_ID: 'AKIDBUILD', AWS_SECRET_ACCESS_KEY: 'build-secret' };
const SHA = '1f2e3d4c5b6a79881f2e3d4c5b6a79881f2e3d4c';

let aws: AwsLocal;
let ecr: EcrRegistry;

beforeAll(async () => {
  aws = await startAwsLocal({});
  ecr = new EcrRegistry({ region: aws.region, endpoint: aws.endpoint, credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'x' } });
});
afterAll(async () => {
  ecr.destroy();
  await aws.stop();
});

function inputs(extra: Record<string, string>): Record<string, string> {
  return {
    repository: 'svg-ai',
    'create-repository': 'true',
    'aws-region': aws.region,
    'endpoint-url': aws.endpoint,
    'min-free-disk-gb': '0',
    ...extra,
  };
}

/**
 * Everything a run leaves a person to read: both streams, the outputs, the state and the summary. The runner
 * consumes `::add-mask::` commands (they register the secret for masking and are never shown), so those
 * lines are set apart, and must be there for the password.
 */
function everything(result: ProcessResult): string {
  const shown = result.stdout.split('\n').filter((line) => !line.startsWith('::add-mask::'));
  return [...shown, result.stderr, JSON.stringify(result.outputs), result.summary, JSON.stringify(result.state)].join('\n');
}

function expectNoSecret(haystack: string, password: string, result?: ProcessResult): void {
  expect(password.length).toBeGreaterThan(20);
  if (result) expect(result.stdout.split('\n')).toContain(`::add-mask::${password}`);
  expect(haystack.includes(password)).toBe(false);
  expect(haystack.includes(Buffer.from(`AWS:${password}`).toString('base64'))).toBe(false);
}

describe('build-push with buildah, for real', () => {
  const setup = buildahEnv();
  const { context, file } = scratchContext();
  const env = { ...CREDENTIALS, ...setup.env, GITHUB_SHA: SHA, GITHUB_REF: 'refs/tags/v1.1.0', SOURCE_DATE_EPOCH: '1764547200' };
  let first: ProcessResult;

  beforeAll(async () => {
    first = await runActionProcess(bundle, {
      inputs: inputs({ builder: 'buildah', context, file, 'model-version': '1.1.0', 'scan-on-push': 'true', 'wait-for-scan': 'true' }),
      env,
      timeoutMs: 180_000,
    });
  }, 200_000);

  it('builds a FROM scratch image, pushes it, and outputs the digest ECR describes', async () => {
    expect(first.exitCode).toBe(0);
    const { digest, image, tags } = first.outputs;
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(image).toBe(`${aws.registry}/svg-ai@${digest}`);
    expect(tags!.split('\n')).toEqual(['sha-1f2e3d4', '1.1.0', '1.1', '1', 'model-1.1.0'].map((tag) => `${aws.registry}/svg-ai:${tag}`));
    const described = await ecr.image('svg-ai', digest!);
    expect(described?.digest).toBe(digest);
    expect([...described!.tags].sort()).toEqual(['1', '1.1', '1.1.0', 'model-1.1.0', 'sha-1f2e3d4']);
    expect(first.outputs['image-size']).toBe(String(described!.sizeInBytes));
    expect(await ecr.confirm('svg-ai', digest!, ['1.1.0', 'sha-1f2e3d4'])).toEqual([]);
    const metadata = JSON.parse(first.outputs['metadata']!) as {
      labels: Record<string, string>;
      builder: string;
      scan: { status: string };
    };
    expect(metadata.builder).toBe('buildah');
    expect(metadata.scan.status).toBe('COMPLETE');
    expect(metadata.labels).toMatchObject({
      'org.opencontainers.image.revision': SHA,
      'org.opencontainers.image.version': '1.1.0',
      'org.opencontainers.image.created': '2025-12-01T00:00:00.000Z',
      'ai.svg.model.version': '1.1.0',
    });
    expect(first.stdout).toContain('builder: buildah (asked for buildah)');
    expect(first.summary).toContain(digest);
  });

  it('pushed an image whose labels and files are the ones built (skopeo inspect from the stand-in)', async () => {
    const login = await ecr.login();
    // Asynchronously: the stand-in answering skopeo runs in this process.
    const inspected = JSON.parse(
      (
        await promisify(execFile)('skopeo', [
          'inspect',
          '--tls-verify=false',
          '--creds',
          `AWS:${login.password}`,
          `docker://${first.outputs['image']}`,
        ])
      ).stdout,
    ) as { Digest: string; Labels: Record<string, string>; Layers: string[] };
    expect(inspected.Digest).toBe(first.outputs['digest']);
    expect(inspected.Labels).toMatchObject({ 'org.opencontainers.image.title': 'svg-ai test image', 'ai.svg.model.version': '1.1.0' });
    expect(inspected.Layers).toHaveLength(1);
  });

  it('never shows the registry password, and the post step logs out', async () => {
    const auth = JSON.parse(readFileSync(setup.authFile, 'utf8')) as { auths: Record<string, { auth: string }> };
    const password = Buffer.from(auth.auths[aws.registry]!.auth, 'base64').toString().slice('AWS:'.length);
    expectNoSecret(everything(first), password, first);
    const post = await runActionProcess(bundle, { inputs: inputs({ builder: 'buildah' }), env, state: first.state });
    expect(post.exitCode).toBe(0);
    expect(post.stdout).toContain(`logged out of ${aws.registry}`);
    const after = existsSync(setup.authFile)
      ? (JSON.parse(readFileSync(setup.authFile, 'utf8')) as { auths?: Record<string, unknown> })
      : {};
    expect(after.auths?.[aws.registry]).toBeUndefined();
  });

  it('builds the same digest again from the same commit and SOURCE_DATE_EPOCH', async () => {
    const again = await runActionProcess(bundle, {
      inputs: inputs({ builder: 'buildah', context, file, 'model-version': '1.1.0' }),
      env,
      timeoutMs: 180_000,
    });
    expect(again.exitCode).toBe(0);
    expect(again.outputs['digest']).toBe(first.outputs['digest']);
  }, 200_000);

  it('waits for the scan and fails at or above the threshold, listing the findings', async () => {
    // The same build again has the same digest (above); pushed to a new repository, it is scanned on push.
    aws.admin.seedScanFindings(first.outputs['digest']!, [
      { name: 'CVE-2026-1234', severity: 'HIGH', uri: 'https://example.com/CVE-2026-1234' },
      { name: 'CVE-2026-0042', severity: 'LOW' },
    ]);
    const gated = await runActionProcess(bundle, {
      inputs: inputs({
        builder: 'buildah',
        context,
        file,
        'model-version': '1.1.0',
        repository: 'scanned',
        'wait-for-scan': 'true',
        'fail-on-severity': 'HIGH',
      }),
      env,
      timeoutMs: 180_000,
    });
    expect(gated.exitCode).toBe(1);
    expect(gated.stdout).toContain('::error::build-push: the image scan found 1 finding(s) at or above HIGH');
    expect(gated.stdout).toContain('HIGH CVE-2026-1234 (https://example.com/CVE-2026-1234)');
    expect(gated.stdout).not.toContain('LOW CVE-2026-0042');
  }, 200_000);
});

describe('build-push with buildx (recording docker stand-in)', () => {
  const { context, file } = scratchContext();
  const stubBin = mkdtempSync(join(tmpdir(), 'docker-bin-'));
  execFileSync('ln', ['-s', join(STUB_DIR, 'docker-stub.mjs'), join(stubBin, 'docker')]);
  const path = [stubBin, dirname(process.execPath), process.env['PATH'] ?? ''].join(delimiter);

  async function run(extra: Record<string, string>, fail = '') {
    const log = join(mkdtempSync(join(tmpdir(), 'docker-log-')), 'calls.jsonl');
    const result = await runActionProcess(bundle, {
      inputs: inputs({ context, file, ...extra }),
      env: { ...CREDENTIALS, PATH: path, DOCKER_STUB_LOG: log, DOCKER_STUB_FAIL: fail, GITHUB_SHA: SHA, GITHUB_REF: 'refs/heads/main' },
      timeoutMs: 60_000,
    });
    const calls = existsSync(log)
      ? readFileSync(log, 'utf8')
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as { args: string[]; stdin?: string })
      : [];
    return { result, calls };
  }

  it('auto picks buildx, logs in on stdin, builds and pushes in one call, and reads the digest from the metadata file', async () => {
    const { result, calls } = await run({ 'secret-envs': 'pip=PIP_TOKEN', latest: 'true' });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('builder: buildx (auto: docker buildx is available)');
    const login = calls.find((call) => call.args[0] === 'login')!;
    expect(login.args).toEqual(['login', '--username', 'AWS', '--password-stdin', aws.registry]);
    const password = login.stdin!.trim();
    const build = calls.find((call) => call.args[1] === 'build')!;
    expect(build.args).toEqual(
      expect.arrayContaining([
        '--secret',
        'id=pip,env=PIP_TOKEN',
        '--tag',
        `${aws.registry}/svg-ai:latest`,
        '--cache-to',
        `type=registry,ref=${aws.registry}/svg-ai:buildcache,mode=max,image-manifest=true,oci-mediatypes=true`,
        '--provenance=false',
        '--sbom=false',
      ]),
    );
    const described = await ecr.image('svg-ai', result.outputs['digest']!);
    expect([...described!.tags].sort()).toEqual(['latest', 'main', 'sha-1f2e3d4']);
    // The password: not in any argv, log line, output or summary.
    expectNoSecret([everything(result), JSON.stringify(calls.map((call) => call.args))].join('\n'), password, result);
  });

  it('dry-run prints the plan and neither logs in nor builds', async () => {
    const { result, calls } = await run({ 'dry-run': 'true', repository: 'not-created-yet' });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('dry run: would create and push to repository not-created-yet');
    expect(result.stdout).toMatch(/dry run: docker buildx build --file .* --metadata-file/);
    expect(calls.map((call) => call.args.slice(0, 2).join(' '))).toEqual(['buildx version']);
    expect(await ecr.repository('not-created-yet')).toBeUndefined();
    expect(result.summary).toContain('Plan (dry run: nothing was built or pushed)');
  });

  it.each([
    ['login', /login with docker failed \(exit 1, login-refused\): the registry refused the login/],
    [
      'push',
      /build with docker failed \(exit 1, push-denied\): the registry denied the push; the job's role needs ecr:InitiateLayerUpload/,
    ],
    ['disk', /build with docker failed \(exit 1, disk-full\): the runner ran out of disk space/],
    ['build', /build with docker failed \(exit 1, build-failed\)[\s\S]*did not complete successfully: exit code: 1/],
  ])('names the cause when docker fails at %s, with its last lines', async (fail, message) => {
    const { result } = await run({}, fail);
    expect(result.exitCode).toBe(1);
    expect(result.stdout.split('\n').find((line) => line.startsWith('::error::'))).toMatch(message);
    expect(result.outputs['digest']).toBeUndefined();
  });

  it('names an immutable tag that already names another image', async () => {
    const first = await run({ repository: 'frozen', 'image-tag-mutability': 'IMMUTABLE', tags: 'release', 'tag-rules': 'model' });
    expect(first.result.exitCode).toBe(0);
    const second = await run({ repository: 'frozen', tags: 'release', 'tag-rules': 'model', labels: 'rebuilt=yes' });
    expect(second.result.exitCode).toBe(1);
    expect(second.result.stdout).toMatch(/::error::build-push: build with docker failed \(exit 1, tag-immutable\)/);
  });

  it('refuses a missing repository it may not create, naming it and the input', async () => {
    const { result, calls } = await run({ repository: 'nowhere', 'create-repository': 'false' });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain('::error::build-push: the ECR repository nowhere does not exist in registry');
    expect(result.stdout).toContain('set create-repository: true');
    expect(calls.some((call) => call.args[1] === 'build')).toBe(false);
  });

  it('says there are no credentials when the default chain finds none', async () => {
    const result = await runActionProcess(bundle, {
      inputs: inputs({ context, file }),
      env: { PATH: path, AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent', AWS_EC2_METADATA_DISABLED: 'true' },
      timeoutMs: 60_000,
    });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(/::error::build-push: no usable AWS credentials for sts:GetCallerIdentity .*configure-aws-credentials/);
  });
});
