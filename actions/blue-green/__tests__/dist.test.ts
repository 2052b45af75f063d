import { describe, expect, it } from '@jest/globals';
import { runActionProcess } from '@svg-ai-release/action-kit/testing';
import { fileURLToPath } from 'node:url';
import { VALID_INPUTS } from './fixtures.js';

const bundle = fileURLToPath(new URL('../dist/index.js', import.meta.url));

describe('blue-green dist/index.js run as the runner runs it', () => {
  it('fails on a missing required input, naming it, with exit code 1', async () => {
    const { cluster: _omitted, ...inputs } = VALID_INPUTS;
    const result = await runActionProcess(bundle, { inputs });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain("::error::blue-green: input 'cluster': is required but was not given");
  });
});
