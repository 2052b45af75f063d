import { describe, expect, it } from '@jest/globals';
import { escapeCell, markdownTable, textTable } from '../src/index.js';

describe('markdownTable', () => {
  it('renders headers, separator and rows, escaping pipes and newlines', () => {
    expect(
      markdownTable(
        ['step', 'verdict'],
        [
          [1, 'pass'],
          [2, 'fail | 5xx\nrolled back'],
        ],
      ),
    ).toBe('| step | verdict |\n| --- | --- |\n| 1 | pass |\n| 2 | fail \\| 5xx<br>rolled back |');
  });
  it.each([
    [null, '–'],
    [undefined, '–'],
    [0, '0'],
    [false, 'false'],
  ])('shows %p as %p', (value, shown) => expect(escapeCell(value)).toBe(shown));
});

describe('textTable', () => {
  it('pads columns to the widest cell', () => {
    expect(
      textTable(
        ['step', 'weight'],
        [
          ['shift', '10%'],
          ['promote', '100%'],
        ],
      ),
    ).toBe('step     weight\n-------  ------\nshift    10%\npromote  100%');
  });
});

describe('RELEASE_VERSION', () => {
  it('is the version of the repository', async () => {
    const { readFileSync } = await import('node:fs');
    const { RELEASE_VERSION } = await import('../src/index.js');
    const root = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(RELEASE_VERSION).toBe(root.version);
  });
});
