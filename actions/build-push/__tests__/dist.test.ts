import { describe, expect, it } from '@jest/globals';
import { runActionProcess } from '@svg-ai-release/action-kit/testing';
import { fileURLToPath } from 'node:url';

const bundle = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const VALID = {
  repository: 'svg-ai',
  context: '.',
  file: 'Dockerfile',
  tags: 'abc123',
  builder: 'auto',
  platforms: 'linux/amd64',
  push: 'true',
  'fail-on-severity': 'CRITICAL',
  'aws-region': 'eu-west-1',
};

describe('build-push dist/index.js run as the runner runs it', () => {
  it('fails on a missing required input, naming it', async () => {
    const { repository: _omitted, ...inputs } = VALID;
    const result = await runActionProcess(bundle, { inputs });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain("::error::build-push: input 'repository': is required but was not given");
  });

  it('fails on an invalid input, naming it', async () => {
    const result = await runActionProcess(bundle, { inputs: { ...VALID, platforms: 'windows/amd64' } });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain('::error::build-push: input \'platforms\': "windows/amd64" is not one of: linux/amd64, linux/arm64');
  });

  it('fails before building when no engine is on PATH, naming both it looked for', async () => {
    const result = await runActionProcess(bundle, { inputs: VALID, env: { PATH: '/nonexistent' } });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain('::error::build-push: builder is auto, but neither `docker buildx` nor `buildah` is available');
    expect(result.outputs).toEqual({});
  });
});
