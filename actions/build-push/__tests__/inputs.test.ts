import { describe, expect, it } from '@jest/globals';
import { withRunnerEnv } from '@svg-ai-release/action-kit/testing';
import { parseRepositoryName, parseTags, readBuildPushInputs } from '../src/inputs.js';

describe('parseRepositoryName', () => {
  it.each(['svg-ai', 'team/svg-ai', 'a.b_c-d/e'])('accepts %p', (raw) => expect(parseRepositoryName('repository', raw)).toBe(raw));
  it.each(['SVG-AI', 'svg-ai/', '-svg', 'a', 'svg ai'])('refuses %p', (raw) => {
    expect(() => parseRepositoryName('repository', raw)).toThrow(/^input 'repository': .* is not an ECR repository name/);
  });
});

describe('parseTags', () => {
  it('reads lines and commas', () => expect(parseTags('tags', 'v1.2.0\nlatest, abc123')).toEqual(['v1.2.0', 'latest', 'abc123']));
  it.each(['.hidden', 'a b', 'x'.repeat(129), 'tag:colon'])('refuses %p', (raw) => {
    expect(() => parseTags('tags', raw)).toThrow(/^input 'tags': /);
  });
});

describe('readBuildPushInputs from INPUT_* text', () => {
  const BASE = { repository: 'svg-ai', 'aws-region': 'eu-west-1' };
  async function read(extra: Record<string, string>) {
    let inputs: ReturnType<typeof readBuildPushInputs> | undefined;
    let error: unknown;
    await withRunnerEnv({ ...BASE, ...extra }, async () => {
      try {
        inputs = readBuildPushInputs();
      } catch (caught) {
        error = caught;
      }
    });
    if (error) throw error;
    return inputs!;
  }

  it('gives the documented defaults when only the required inputs are set', async () => {
    const inputs = await read({});
    expect(inputs).toMatchObject({
      builder: 'auto',
      keepImages: 10,
      createRepository: false,
      tagRules: ['sha', 'branch', 'semver', 'model'],
      latest: false,
      provenance: 'false',
      sbom: false,
      push: true,
      waitForScan: false,
      failOnSeverity: 'CRITICAL',
      scanTimeoutMs: 600_000,
      minFreeDiskGb: 10,
      dryRun: false,
    });
  });

  it.each([
    ['keep-images', '1', { keepImages: 1 }],
    ['keep-images', '1000', { keepImages: 1000 }],
    ['min-free-disk-gb', '0', { minFreeDiskGb: 0 }],
    ['scan-timeout', '1s', { scanTimeoutMs: 1000 }],
    ['secret-envs', 'pip=PIP_TOKEN', { secretEnvs: [{ id: 'pip', kind: 'env', source: 'PIP_TOKEN' }] }],
    ['platforms', 'linux/amd64,linux/arm64', { platforms: ['linux/amd64', 'linux/arm64'] }],
  ])('%s %p is accepted', async (name, raw, expected) => {
    expect(await read({ [name]: raw })).toMatchObject(expected);
  });

  it.each([
    ['keep-images', '0', /input 'keep-images': "0" is out of range \(allowed: 1 to 1000\)/],
    ['keep-images', '1001', /input 'keep-images': "1001" is out of range/],
    ['min-free-disk-gb', '-1', /input 'min-free-disk-gb': "-1" is out of range/],
    ['scan-timeout', '999ms', /input 'scan-timeout': "999ms" is shorter than the minimum/],
    ['builder', 'docker', /input 'builder': "docker" is not one of: auto, buildx, buildah/],
    ['tag-rules', 'sha,tags', /input 'tag-rules': "tags" is not one of: sha, branch, semver, model/],
    ['provenance', 'true', /input 'provenance': "true" is not one of: false, mode=min, mode=max/],
    [
      'secret-envs',
      'pip=ghp-abc.123',
      /input 'secret-envs': .* is not an environment variable name; give the variable's name, not its value/,
    ],
    ['model-sha256', 'abc', /input 'model-sha256': "abc" is not a sha256 checksum/],
    ['target', '1stage', /input 'target': "1stage" is not a build stage name/],
  ])('%s %p is refused, naming the input', async (name, raw, message) => {
    await expect(read({ [name]: raw })).rejects.toThrow(message);
  });
});
