import { describe, expect, it } from '@jest/globals';
import { declareInputs, input, inputNames, mergeInputs, parseDuration, parseInteger, parseList, readInputs } from '../src/index.js';
import { declarationDifferences, type ActionMetadata } from '../src/testing/index.js';

const DECLARATION = declareInputs({
  cluster: input.required({ name: 'cluster', description: 'Name of the ECS cluster.', parse: (_n, raw) => raw.trim() }),
  bakeTime: input.withDefault({ name: 'bake-time', description: 'How long each step bakes.', default: '5m', parse: parseDuration }),
  alarms: input.optional({ name: 'alarms', description: 'Alarm names.', parse: parseList }),
  versionPath: input.defaultOrOff({
    name: 'version-path',
    description: 'Version endpoint; empty skips.',
    default: '/version',
    parse: (_n, r) => r.trim(),
  }),
});

const from = (values: Record<string, string>) => (name: string) => values[name] ?? '';

describe('readInputs', () => {
  it('reads each input through its parser, into the declaration keys', () => {
    const values = readInputs(DECLARATION, from({ cluster: ' svg-ai ', 'bake-time': '90s', alarms: 'a\nb', 'version-path': '/v' }));
    expect(values).toEqual({ cluster: 'svg-ai', bakeTime: 90_000, alarms: ['a', 'b'], versionPath: '/v' });
  });

  it('reads a left-out input with a default as its default, and a left-out optional one as undefined', () => {
    expect(readInputs(DECLARATION, from({ cluster: 'c' }))).toEqual({
      cluster: 'c',
      bakeTime: 300_000,
      alarms: undefined,
      versionPath: undefined,
    });
  });

  it('refuses a required input left empty, naming it', () => {
    expect(() => readInputs(DECLARATION, from({ cluster: '  ' }))).toThrow("input 'cluster': is required but was not given");
  });

  it('refuses a value its parser refuses, naming the input and the value', () => {
    expect(() => readInputs(DECLARATION, from({ cluster: 'c', 'bake-time': '300' }))).toThrow(
      `input 'bake-time': "300" is not a duration like 90s, 5m, 1h30m or 500ms`,
    );
  });

  it('gives the action.yml names by key', () => {
    expect(inputNames(DECLARATION)).toEqual({ cluster: 'cluster', bakeTime: 'bake-time', alarms: 'alarms', versionPath: 'version-path' });
  });
});

describe('declareInputs', () => {
  it.each([
    ['a name that is not kebab-case', { a: input.optional({ name: 'Bake_Time', description: 'x', parse: parseList }) }, /not kebab-case/],
    [
      'a name declared twice',
      {
        a: input.optional({ name: 'x', description: 'x', parse: parseList }),
        b: input.optional({ name: 'x', description: 'y', parse: parseList }),
      },
      /name 'x' is declared twice/,
    ],
    ['an empty description', { a: input.optional({ name: 'x', description: ' ', parse: parseList }) }, /has no description/],
    [
      'a default its own parser refuses',
      { a: input.withDefault({ name: 'count', description: 'x', default: '0', parse: (n, r) => parseInteger(n, r, { min: 1 }) }) },
      /input 'count': "0" is out of range/,
    ],
  ])('refuses %s', (_name, declaration, pattern) => {
    expect(() => declareInputs(declaration)).toThrow(pattern);
  });

  it('refuses to merge declarations that share a key', () => {
    expect(() => mergeInputs(DECLARATION, { cluster: DECLARATION.cluster })).toThrow("input declaration 'cluster' is declared twice");
  });
});

describe('declarationDifferences', () => {
  const agreeing: ActionMetadata = {
    name: 'x',
    description: 'x',
    runs: { using: 'node24', main: 'dist/index.js' },
    inputs: {
      cluster: { description: 'Name of the ECS\n  cluster.', required: true },
      'bake-time': { description: 'How long each step bakes.', required: false, default: '5m' },
      alarms: { description: 'Alarm names.', required: false },
      'version-path': { description: 'Version endpoint; empty skips.', default: '/version' },
    },
  };

  it('finds nothing when action.yml agrees (white space of folded YAML aside)', () => {
    expect(declarationDifferences(agreeing, DECLARATION)).toEqual([]);
  });

  it('names every drift, both ways', () => {
    const drifted: ActionMetadata = {
      ...agreeing,
      inputs: {
        cluster: { description: 'Name of the ECS cluster.', required: false },
        'bake-time': { description: 'How long each step bakes.', default: '10m' },
        alarms: { description: 'CloudWatch alarm names.' },
        'metric-period': { description: 'Resolution.', default: '1m' },
      },
    };
    expect(declarationDifferences(drifted, DECLARATION)).toEqual([
      "input 'metric-period' is in action.yml but not in the declaration",
      "input 'cluster': required is false in action.yml but true in the declaration",
      `input 'bake-time': default is "10m" in action.yml but "5m" in the declaration`,
      `input 'alarms': action.yml describes it as "CloudWatch alarm names.", the declaration as "Alarm names."`,
      "input 'version-path' is declared but not in action.yml",
    ]);
  });
});
