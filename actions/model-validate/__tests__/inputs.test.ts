import { describe, expect, it } from '@jest/globals';
import { withRunnerEnv } from '@svg-ai-release/action-kit/testing';
import { parseSha256, readModelValidateInputs } from '../src/inputs.js';

describe('parseSha256', () => {
  const hex = 'ab'.repeat(32);
  it.each([hex, `sha256:${hex}`])('accepts %p', (raw) => expect(parseSha256('expected-sha256', raw)).toBe(hex));
  it.each(['abc', 'AB'.repeat(32), `md5:${hex}`])('refuses %p', (raw) => {
    expect(() => parseSha256('expected-sha256', raw)).toThrow(/^input 'expected-sha256': .* is not a sha256/);
  });
});

describe('readModelValidateInputs', () => {
  it('refuses a threshold above 1, naming the input', async () => {
    await expect(
      withRunnerEnv({ report: 'report.json', 'min-accuracy': '95', 'min-class-f1': '0.8', 'max-accuracy-drop': '0.01' }, async () => {
        readModelValidateInputs();
      }),
    ).rejects.toThrow(/^input 'min-accuracy': "95" is out of range \(allowed: 0 to 1\)/);
  });
});
