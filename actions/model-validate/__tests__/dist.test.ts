import { describe, expect, it } from '@jest/globals';
import { runActionProcess } from '@svg-ai-release/action-kit/testing';
import { fileURLToPath } from 'node:url';

const bundle = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const DEFAULTS = { 'min-accuracy': '0.9', 'min-class-f1': '0.8', 'max-accuracy-drop': '0.01' };

describe('model-validate dist/index.js run as the runner runs it', () => {
  it('fails on a missing report, naming the input', async () => {
    const result = await runActionProcess(bundle, { inputs: DEFAULTS });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain("::error::model-validate: input 'report': is required but was not given");
  });

  it('fails on an invalid duration, naming the input', async () => {
    const result = await runActionProcess(bundle, { inputs: { ...DEFAULTS, report: 'r.json', 'max-p95-latency': '25' } });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain('::error::model-validate: input \'max-p95-latency\': "25" is not a duration');
  });

  it('refuses to report a verdict while the gate is not in this version', async () => {
    const result = await runActionProcess(bundle, { inputs: { ...DEFAULTS, report: 'r.json' } });
    expect(result.exitCode).toBe(1);
    expect(result.outputs).toEqual({});
  });
});
