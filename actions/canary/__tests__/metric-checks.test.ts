import { describe, expect, it } from '@jest/globals';
import { parseMetricChecks } from '../src/metric-checks.js';

const quality = {
  name: 'quality',
  namespace: 'SVGAI',
  'metric-name': 'PredictedQuality',
  stat: 'Average',
  'canary-dimensions': { ModelVersion: '1.4.0' },
  'baseline-dimensions': { ModelVersion: '1.3.0' },
};

describe('parseMetricChecks', () => {
  it('reads a canary-versus-baseline check', () => {
    const [check] = parseMetricChecks('metric-checks', JSON.stringify([{ ...quality, 'max-drop-ratio': 1.05 }]));
    expect(check).toMatchObject({
      name: 'quality',
      metricName: 'PredictedQuality',
      allowNoData: false,
      rule: { kind: 'max-drop-ratio', value: 1.05 },
    });
  });

  it('reads an absolute threshold without dimensions', () => {
    const [check] = parseMetricChecks(
      'metric-checks',
      JSON.stringify([{ name: 'q', namespace: 'N', 'metric-name': 'M', stat: 'p95', max: 2 }]),
    );
    expect(check?.rule).toEqual({ kind: 'max', value: 2 });
    expect(check?.dimensions).toEqual({});
  });

  it('accepts a ratio of exactly 1 (no regression allowed) and allow-no-data', () => {
    const [check] = parseMetricChecks('metric-checks', JSON.stringify([{ ...quality, 'max-rise-ratio': 1, 'allow-no-data': true }]));
    expect(check).toMatchObject({ allowNoData: true, rule: { kind: 'max-rise-ratio', value: 1 } });
  });

  it.each([
    ['not an array', { a: 1 }, /must be a JSON array/],
    ['an entry that is not an object', [1], /check #1 is not an object/],
    ['an unknown key', [{ ...quality, min: 1, treshold: 2 }], /unknown key 'treshold'/],
    ['no rule', [quality], /needs exactly one of min, max, max-drop-ratio, max-rise-ratio; found 0/],
    ['two rules', [{ ...quality, min: 1, max: 2 }], /found 2/],
    ['a rule that is not a number', [{ ...quality, min: '0.8' }], /'min' must be a number/],
    ['a bad statistic', [{ ...quality, stat: 'Median', min: 1 }], /stat 'Median' is not one of/],
    [
      'a ratio without baseline dimensions',
      [{ ...quality, 'baseline-dimensions': {}, 'max-drop-ratio': 1.1 }],
      /needs 'canary-dimensions' and 'baseline-dimensions'/,
    ],
    ['a negative ratio', [{ ...quality, 'max-drop-ratio': -1 }], /'max-drop-ratio' is -1; a ratio to the baseline must be 1 or more/],
    [
      'a ratio written as a fraction',
      [{ ...quality, 'max-rise-ratio': 0.05 }],
      /'max-rise-ratio' is 0.05; a ratio to the baseline must be 1 or more/,
    ],
    ['allow-no-data that is not a boolean', [{ ...quality, min: 1, 'allow-no-data': 'yes' }], /'allow-no-data' must be true or false/],
    [
      'a duplicate name',
      [
        { ...quality, min: 1 },
        { ...quality, min: 2 },
      ],
      /check #2: the name 'quality' is used twice/,
    ],
    ['a dimension that is not a string', [{ ...quality, min: 1, dimensions: { A: 1 } }], /'dimensions.A' must be a string/],
  ])('refuses %s', (_name, value, pattern) => {
    expect(() => parseMetricChecks('metric-checks', JSON.stringify(value))).toThrow(pattern);
  });
});
