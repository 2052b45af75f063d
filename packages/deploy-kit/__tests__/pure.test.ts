import { describe, expect, it } from '@jest/globals';
import { revisionSpec, runContext } from '../src/index.js';

const IMAGE = `svg-ai@sha256:${'d'.repeat(64)}`;

describe('runContext', () => {
  it('names the rollout after the run, not the attempt, so a re-run finds its own lock', () => {
    const env = { GITHUB_REPOSITORY: 'example-org/svg-ai', GITHUB_RUN_ID: '42', GITHUB_RUN_ATTEMPT: '2', GITHUB_ACTOR: 'ana' };
    expect(runContext(env, 'canary')).toEqual({
      rolloutId: 'example-org/svg-ai/runs/42/canary',
      owner: 'canary in example-org/svg-ai run 42 attempt 2 by ana',
      runUrl: 'https://github.com/example-org/svg-ai/actions/runs/42',
    });
    expect(runContext({ ...env, GITHUB_RUN_ATTEMPT: '3' }, 'canary').rolloutId).toBe('example-org/svg-ai/runs/42/canary');
  });

  it('has no run URL outside a workflow run', () => expect(runContext({}, 'canary').runUrl).toBeUndefined());
});

describe('revisionSpec', () => {
  it.each([
    [
      'sets MODEL_VERSION from the model version',
      new Map(),
      '1.4.0',
      { image: IMAGE, modelVersion: '1.4.0', environment: { MODEL_VERSION: '1.4.0' } },
    ],
    [
      'keeps an explicit MODEL_VERSION',
      new Map([['MODEL_VERSION', 'pinned']]),
      '1.4.0',
      { image: IMAGE, modelVersion: '1.4.0', environment: { MODEL_VERSION: 'pinned' } },
    ],
    [
      'takes the model version from the environment when not given',
      new Map([['MODEL_VERSION', '2.0.0']]),
      undefined,
      { image: IMAGE, modelVersion: '2.0.0', environment: { MODEL_VERSION: '2.0.0' } },
    ],
    ['has no environment when none is given', new Map(), undefined, { image: IMAGE }],
  ])('%s', (_name, environment, modelVersion, expected) => {
    expect(revisionSpec(IMAGE, environment, modelVersion)).toEqual(expected);
  });
});
