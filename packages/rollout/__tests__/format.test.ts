import { describe, expect, it } from '@jest/globals';
import { errorMessage, escapeCell, formatDuration, markdownTable, textTable } from '../src/index.js';

describe('formatDuration', () => {
  it.each<[number, string]>([
    [0, '0s'],
    [250, '250ms'],
    [1_500, '1s500ms'],
    [90_000, '1m30s'],
    [5_400_000, '1h30m'],
    [3_600_000 + 5 * 60_000 + 3_000, '1h5m3s'],
  ])('%p ms reads %p exactly, the way a duration input is written', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it.each<[number, string]>([
    [250, '250ms'],
    [999, '999ms'],
    [1_000, '1s'],
    [1_499, '1s'],
    [1_500, '2s'],
    [12_345, '12s'],
    [89_600, '1m30s'],
  ])('%p ms measured reads %p to the second', (ms, text) => {
    expect(formatDuration(ms, 'second')).toBe(text);
  });

  it('shows a value that is no duration as it is, not as 0s', () => {
    expect(formatDuration(-5)).toBe('-5ms');
    expect(formatDuration(Number.NaN)).toBe('NaNms');
  });
});

describe('errorMessage', () => {
  it.each<[unknown, string]>([
    [new Error('boom'), 'boom'],
    [new TypeError(''), 'TypeError'],
    ['plain', 'plain'],
    [{ message: 'from an SDK shape' }, 'from an SDK shape'],
    [{ code: 7 }, '{"code":7}'],
    [undefined, 'undefined'],
  ])('%p reads %p', (error, text) => {
    expect(errorMessage(error)).toBe(text);
  });
});

describe('tables', () => {
  it('escapes what would break a Markdown cell, and shows a missing value as a dash', () => {
    expect(escapeCell('a|b\nc\\d')).toBe('a\\|b<br>c\\\\d');
    expect(markdownTable(['x', 'y'], [[1, null]])).toBe('| x | y |\n| --- | --- |\n| 1 | – |');
  });

  it('pads plain-text columns to their widest cell', () => {
    expect(textTable(['name', 'n'], [['a', 10]])).toBe('name  n\n----  --\na     10');
  });
});
