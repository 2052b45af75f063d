/**
 * From `INPUT_*` text to typed settings, at the edges of every rule: each input read through its one
 * declaration, with an injected `get` and (a few) through the committed bundle as the runner runs it.
 */
import { describe, expect, it } from '@jest/globals';
import { runActionProcess } from '@svg-ai-release/action-kit/testing';
import { fileURLToPath } from 'node:url';
import { readBuildPushInputs, type BuildPushInputs } from '../src/inputs.js';

const BASE: Readonly<Record<string, string>> = { repository: 'svg-ai', 'aws-region': 'eu-west-1' };

function read(inputs: Readonly<Record<string, string>>): BuildPushInputs {
  return readBuildPushInputs((name) => inputs[name] ?? '');
}

describe('build-push inputs: accepted at the edges', () => {
  it('reads an unset input as its declared default', () => {
    expect(read(BASE)).toEqual({
      repository: 'svg-ai',
      createRepository: false,
      imageTagMutability: 'MUTABLE',
      scanOnPush: true,
      encryption: 'AES256',
      manageLifecyclePolicy: true,
      keepImages: 10,
      builder: 'auto',
      context: '.',
      file: 'Dockerfile',
      target: undefined,
      buildArgs: new Map(),
      secretEnvs: [],
      secretFiles: [],
      platforms: ['linux/amd64'],
      pull: false,
      cache: true,
      provenance: 'false',
      sbom: false,
      tags: [],
      tagRules: ['sha', 'branch', 'semver', 'model'],
      latest: false,
      modelVersion: undefined,
      modelSha256: undefined,
      labels: new Map(),
      push: true,
      waitForScan: false,
      failOnSeverity: 'CRITICAL',
      scanTimeoutMs: 600_000,
      minFreeDiskGb: 10,
      dryRun: false,
      region: 'eu-west-1',
      endpointUrl: undefined,
    });
  });

  it.each<[string, string, Partial<BuildPushInputs>]>([
    ['repository', 'ab', { repository: 'ab' }],
    ['repository', 'team/svg-ai.v2_x', { repository: 'team/svg-ai.v2_x' }],
    ['create-repository', 'true', { createRepository: true }],
    ['create-repository', 'True', { createRepository: true }],
    ['create-repository', 'FALSE', { createRepository: false }],
    ['image-tag-mutability', 'IMMUTABLE', { imageTagMutability: 'IMMUTABLE' }],
    ['encryption', 'KMS', { encryption: 'KMS' }],
    ['keep-images', '1', { keepImages: 1 }],
    ['keep-images', '1000', { keepImages: 1000 }],
    ['builder', 'buildx', { builder: 'buildx' }],
    ['builder', 'buildah', { builder: 'buildah' }],
    ['target', 'runtime', { target: 'runtime' }],
    [
      'build-args',
      'A=1\nB=two',
      {
        buildArgs: new Map([
          ['A', '1'],
          ['B', 'two'],
        ]),
      },
    ],
    ['secret-envs', 'pip=PIP_TOKEN', { secretEnvs: [{ id: 'pip', kind: 'env', source: 'PIP_TOKEN' }] }],
    ['secret-files', 'npmrc=/run/npmrc', { secretFiles: [{ id: 'npmrc', kind: 'file', source: '/run/npmrc' }] }],
    ['platforms', 'linux/arm64', { platforms: ['linux/arm64'] }],
    ['platforms', 'linux/amd64,linux/arm64', { platforms: ['linux/amd64', 'linux/arm64'] }],
    ['provenance', 'mode=min', { provenance: 'mode=min' }],
    ['provenance', 'mode=max', { provenance: 'mode=max' }],
    ['sbom', 'true', { sbom: true }],
    ['tags', 'v1.2.0\nlatest, abc123', { tags: ['v1.2.0', 'latest', 'abc123'] }],
    ['tags', `_${'x'.repeat(127)}`, { tags: [`_${'x'.repeat(127)}`] }],
    ['tag-rules', 'model', { tagRules: ['model'] }],
    ['tag-rules', 'semver, sha', { tagRules: ['semver', 'sha'] }],
    ['latest', 'true', { latest: true }],
    ['model-version', '1.4.0', { modelVersion: '1.4.0' }],
    ['model-sha256', `sha256:${'AB'.repeat(32)}`, { modelSha256: 'ab'.repeat(32) }],
    ['labels', 'team=ml', { labels: new Map([['team', 'ml']]) }],
    ['push', 'false', { push: false }],
    ['wait-for-scan', 'true', { waitForScan: true }],
    ['fail-on-severity', 'NONE', { failOnSeverity: 'NONE' }],
    ['fail-on-severity', 'LOW', { failOnSeverity: 'LOW' }],
    ['scan-timeout', '1s', { scanTimeoutMs: 1000 }],
    ['scan-timeout', '1000ms', { scanTimeoutMs: 1000 }],
    ['scan-timeout', '1h', { scanTimeoutMs: 3_600_000 }],
    ['min-free-disk-gb', '0', { minFreeDiskGb: 0 }],
    ['min-free-disk-gb', '0.5', { minFreeDiskGb: 0.5 }],
    ['min-free-disk-gb', '10000', { minFreeDiskGb: 10_000 }],
    ['dry-run', 'true', { dryRun: true }],
    ['endpoint-url', 'http://127.0.0.1:4566', { endpointUrl: new URL('http://127.0.0.1:4566') }],
  ])('%s %p', (name, raw, expected) => {
    expect(read({ ...BASE, [name]: raw })).toMatchObject(expected);
  });
});

describe('build-push inputs: refused with a message naming the input', () => {
  const REPO = 'is not an ECR repository name (lower-case letters, digits, and . _ - / between them)';
  it.each([
    ['repository', '', `input 'repository': is required but was not given`],
    ['repository', 'a', `input 'repository': "a" ${REPO}`],
    ['repository', 'SVG', `input 'repository': "SVG" ${REPO}`],
    ['aws-region', '', `input 'aws-region': is required but was not given`],
    ['aws-region', 'Europe', `input 'aws-region': "Europe" is not an AWS region code like eu-west-1`],
    ['create-repository', 'yes', `input 'create-repository': "yes" is not a boolean; use true or false`],
    ['dry-run', '1', `input 'dry-run': "1" is not a boolean; use true or false`],
    ['wait-for-scan', 'on', `input 'wait-for-scan': "on" is not a boolean; use true or false`],
    ['image-tag-mutability', 'mutable', `input 'image-tag-mutability': "mutable" is not one of: MUTABLE, IMMUTABLE`],
    ['encryption', 'kms', `input 'encryption': "kms" is not one of: AES256, KMS`],
    ['keep-images', '0', `input 'keep-images': "0" is out of range (allowed: 1 to 1000)`],
    ['keep-images', '1001', `input 'keep-images': "1001" is out of range (allowed: 1 to 1000)`],
    ['keep-images', '1.5', `input 'keep-images': "1.5" is not a whole number (allowed: 1 to 1000)`],
    ['builder', 'docker', `input 'builder': "docker" is not one of: auto, buildx, buildah`],
    ['target', '1stage', `input 'target': "1stage" is not a build stage name (letters, digits, _ . -, starting with a letter)`],
    ['build-args', 'NOEQUALS', `input 'build-args': "NOEQUALS" is not a KEY=value pair`],
    [
      'secret-envs',
      'pip=ghp-abc.123',
      `input 'secret-envs': "ghp-abc.123" for secret "pip" is not an environment variable name; give the variable's name, not its value`,
    ],
    ['secret-files', 'pip=', `input 'secret-files': "" for secret "pip" is not a usable file path (non-empty, no commas)`],
    ['platforms', 'linux/arm/v7', `input 'platforms': "linux/arm/v7" is not one of: linux/amd64, linux/arm64`],
    ['provenance', 'true', `input 'provenance': "true" is not one of: false, mode=min, mode=max`],
    ['tags', '.hidden', `input 'tags': ".hidden" is not a valid image tag`],
    ['tags', 'tag:colon', `input 'tags': "tag:colon" is not a valid image tag`],
    ['tags', `_${'x'.repeat(128)}`, `input 'tags': "_${'x'.repeat(128)}" is not a valid image tag`],
    ['tag-rules', 'sha,tags', `input 'tag-rules': "tags" is not one of: sha, branch, semver, model`],
    ['tag-rules', 'SHA', `input 'tag-rules': "SHA" is not one of: sha, branch, semver, model`],
    ['model-version', 'v 1', `input 'model-version': "v 1" is not a model version like 1.4.0`],
    ['model-sha256', 'abc', `input 'model-sha256': "abc" is not a sha256 checksum (64 hex digits)`],
    ['labels', 'x', `input 'labels': "x" is not a KEY=value pair`],
    ['fail-on-severity', 'critical', `input 'fail-on-severity': "critical" is not one of: CRITICAL, HIGH, MEDIUM, LOW, NONE`],
    ['scan-timeout', '999ms', `input 'scan-timeout': "999ms" is shorter than the minimum 1s`],
    ['scan-timeout', '1h1s', `input 'scan-timeout': "1h1s" is longer than the maximum 1h`],
    ['scan-timeout', '10', `input 'scan-timeout': "10" is not a duration like 90s, 5m, 1h30m or 500ms`],
    ['min-free-disk-gb', '-1', `input 'min-free-disk-gb': "-1" is out of range (allowed: 0 to 10000)`],
    ['min-free-disk-gb', '10001', `input 'min-free-disk-gb': "10001" is out of range (allowed: 0 to 10000)`],
    ['min-free-disk-gb', 'NaN', `input 'min-free-disk-gb': "NaN" is not a number (allowed: 0 to 10000)`],
    ['endpoint-url', 'ftp://x', `input 'endpoint-url': "ftp://x" must use http or https`],
  ])('%s %p', (name, raw, message) => {
    expect(() => read({ ...BASE, [name]: raw })).toThrow(new Error(message));
  });
});

describe('build-push dist/index.js refuses bad inputs before building anything', () => {
  const bundle = fileURLToPath(new URL('../dist/index.js', import.meta.url));
  it.each([
    ['tag-rules', 'sha,tags', `input 'tag-rules': "tags" is not one of: sha, branch, semver, model`],
    ['dry-run', 'yes', `input 'dry-run': "yes" is not a boolean; use true or false`],
    ['scan-timeout', '999ms', `input 'scan-timeout': "999ms" is shorter than the minimum 1s`],
    ['fail-on-severity', 'SEVERE', `input 'fail-on-severity': "SEVERE" is not one of: CRITICAL, HIGH, MEDIUM, LOW, NONE`],
  ])('%s %p', async (name, raw, message) => {
    const result = await runActionProcess(bundle, { inputs: { ...BASE, [name]: raw } });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain(`::error::build-push: ${message}\n`);
    expect(result.outputs).toEqual({});
  });
});
