import { describe, expect, it } from '@jest/globals';
import { runActionProcess } from '@svg-ai-release/action-kit/testing';
import { fileURLToPath } from 'node:url';
import { VALID_INPUTS } from './fixtures.js';

const bundle = fileURLToPath(new URL('../dist/index.js', import.meta.url));

describe('canary dist/index.js run as the runner runs it', () => {
  it('fails on a missing required input, naming it, with exit code 1', async () => {
    const { 'listener-arn': _omitted, ...inputs } = VALID_INPUTS;
    const result = await runActionProcess(bundle, { inputs });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain("::error::canary: input 'listener-arn': is required but was not given");
    expect(result.outputs).toEqual({});
  });

  it('fails on an invalid input, naming the input and the value', async () => {
    const result = await runActionProcess(bundle, { inputs: { ...VALID_INPUTS, steps: '10,5,100' } });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(/::error::canary: input 'steps': "10,5,100" must increase strictly/);
  });

  it('reports a refusal before anything changed once: its post step says nothing more and succeeds', async () => {
    const main = await runActionProcess(bundle, { inputs: { ...VALID_INPUTS, steps: '10,5,100' } });
    expect(main.exitCode).toBe(1);
    expect(main.stdout.split('\n').filter((line) => line.startsWith('::error::'))).toHaveLength(1);
    expect(main.state).toEqual({ started: 'true' });

    // The runner runs the post step with the same inputs and the state the main step saved.
    const post = await runActionProcess(bundle, { inputs: { ...VALID_INPUTS, steps: '10,5,100' }, state: main.state });
    expect(post.exitCode).toBe(0);
    expect(post.stdout.split('\n').filter((line) => /^::(error|warning)::/.test(line))).toEqual([]);
  });
});
