import { describe, expect, it } from '@jest/globals';
import { parseModelVersion, parseRequestPath } from '../src/index.js';

describe('parseRequestPath', () => {
  it.each(['/ready', '/version?verbose=1', '/'])('accepts %p', (raw) => expect(parseRequestPath('probe-path', raw)).toBe(raw));
  it.each(['ready', '/a b', 'http://x/ready'])('refuses %p', (raw) => {
    expect(() => parseRequestPath('probe-path', raw)).toThrow(/^input 'probe-path': .* is not a request path like \/ready$/);
  });
});

describe('parseModelVersion', () => {
  it.each(['1.4.0', 'v2', '2026-11-29+abc', '1.0.0-rc.1'])('accepts %p', (raw) =>
    expect(parseModelVersion('model-version', raw)).toBe(raw),
  );
  it.each(['1.4 beta', '-1', '', 'x'.repeat(65)])('refuses %p', (raw) => {
    expect(() => parseModelVersion('model-version', raw)).toThrow(/^input 'model-version': .* is not a model version like 1.4.0$/);
  });
});
