import { describe, expect, it } from '@jest/globals';
import { parseRepositoryName, parseTags } from '../src/inputs.js';

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
