import { describe, expect, it } from '@jest/globals';
import { comparePaired, mcnemarExact, pairedCounts, percentile, wilsonInterval, zForConfidence } from '../src/stats.js';

describe('zForConfidence', () => {
  it.each([
    [0.9, 1.644854],
    [0.95, 1.959964],
    [0.99, 2.575829],
    [0.999, 3.290527],
  ])('at %p is %p', (confidence, z) => expect(zForConfidence(confidence)).toBeCloseTo(z, 5));
  it.each([0, 1, -0.1, 1.5, Number.NaN])('refuses %p', (confidence) => expect(() => zForConfidence(confidence)).toThrow(RangeError));
});

describe('wilsonInterval', () => {
  // Reference values computed independently from the Wilson formula (as statsmodels' proportion_confint(method='wilson')).
  it.each([
    ['0 of 10 has a lower bound of 0', 0, 10, 0, 0.2775],
    ['10 of 10 has an upper bound of 1', 10, 10, 0.7225, 1],
    ['95 of 100', 95, 100, 0.8882, 0.9785],
    ['760 of 800 (0.95) does not prove 0.95', 760, 800, 0.9326, 0.9631],
    ['970 of 1000', 970, 1000, 0.9575, 0.9789],
    ['1 of 1', 1, 1, 0.2065, 1],
  ])('%s', (_name, successes, n, lower, upper) => {
    const interval = wilsonInterval(successes, n, 0.95);
    expect(interval.lower).toBeCloseTo(lower, 4);
    expect(interval.upper).toBeCloseTo(upper, 4);
  });

  it('narrows as the confidence falls', () => {
    const wide = wilsonInterval(95, 100, 0.99);
    const narrow = wilsonInterval(95, 100, 0.9);
    expect(wide.lower).toBeLessThan(narrow.lower);
    expect(wide.upper).toBeGreaterThan(narrow.upper);
  });

  it.each([
    ['zero samples', 0, 0],
    ['more successes than samples', 11, 10],
    ['negative successes', -1, 10],
    ['a fractional count', 1.5, 10],
  ])('refuses %s', (_name, successes, n) => expect(() => wilsonInterval(successes, n, 0.95)).toThrow(RangeError));
});

describe('mcnemarExact', () => {
  it.each([
    ['no discordant pairs', 0, 0, 1],
    ['balanced discordance', 5, 5, 1],
    ['10 to 0', 10, 0, 2 * 0.5 ** 10],
    ['0 to 10 (symmetric)', 0, 10, 2 * 0.5 ** 10],
    ['1 to 0', 1, 0, 1],
    // scipy.stats.binomtest(3, 15, 0.5).pvalue
    ['3 to 12', 3, 12, 0.03515625],
  ])('%s', (_name, b, c, p) => expect(mcnemarExact(b, c)).toBeCloseTo(p, 8));

  it('stays finite for large counts', () => {
    const p = mcnemarExact(400, 600);
    expect(p).toBeGreaterThan(0);
    expect(p).toBeLessThan(1e-8);
  });
});

describe('pairedCounts and comparePaired', () => {
  const labels = [0, 1, 2, 3, 0, 1, 2, 3];
  it('counts only the discordant pairs', () => {
    const challenger = [0, 1, 2, 3, 0, 1, 0, 0]; // wrong at 6, 7
    const champion = [1, 1, 2, 0, 0, 1, 0, 3]; // wrong at 0, 3, 6
    expect(pairedCounts(labels, challenger, champion)).toEqual({ n: 8, challengerOnly: 2, championOnly: 1 });
  });

  it('refuses predictions of another length', () => {
    expect(() => pairedCounts(labels, labels.slice(1), labels)).toThrow(/same samples/);
  });

  it.each([
    ['identical models: the interval is tight around 0', 1000, 0, 0, -0.0028, 0.0028],
    ['a clear improvement lies above 0', 1000, 40, 5, 0.0217, 0.0482],
    ['a clear regression lies below 0', 1000, 5, 40, -0.0482, -0.0217],
    ['a small set straddles 0', 40, 2, 0, -0.0446, 0.1398],
  ])('%s', (_name, n, b, c, lower, upper) => {
    const result = comparePaired({ n, challengerOnly: b, championOnly: c }, 0.95);
    expect(result.difference).toBeCloseTo((b - c) / n, 10);
    expect(result.interval.lower).toBeCloseTo(lower, 3);
    expect(result.interval.upper).toBeCloseTo(upper, 3);
  });

  it('is deterministic', () => {
    const counts = { n: 500, challengerOnly: 17, championOnly: 9 };
    expect(comparePaired(counts, 0.95)).toEqual(comparePaired(counts, 0.95));
  });

  it.each([
    ['zero samples', { n: 0, challengerOnly: 0, championOnly: 0 }],
    ['more discordant pairs than samples', { n: 5, challengerOnly: 3, championOnly: 3 }],
  ])('refuses %s', (_name, counts) => expect(() => comparePaired(counts, 0.95)).toThrow(RangeError));
});

describe('percentile', () => {
  it.each([
    [[5], 95, 5],
    [[1, 2, 3, 4], 50, 2.5],
    [[10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 95, 95.5],
  ])('of %p at %p is %p', (values, p, expected) => expect(percentile(values, p)).toBeCloseTo(expected, 10));
  it('refuses an empty list', () => expect(() => percentile([], 95)).toThrow(RangeError));
});
