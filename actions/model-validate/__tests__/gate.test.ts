import { describe, expect, it } from '@jest/globals';
import {
  accuracyCheck,
  championCheck,
  identityCheck,
  integrityChecks,
  latencyCheck,
  overallVerdict,
  proportionCheck,
  recallChecks,
  sizeChecks,
  type Check,
} from '../src/gate.js';
import { judge } from '../src/judge.js';
import { DATASET, SHA_B, THRESHOLDS, firstWrong, makeReport, makeSet } from './fixtures.js';

const check = (verdict: Check['verdict']): Check => ({ id: verdict, verdict, measured: '', threshold: '', detail: '' });

describe('overallVerdict', () => {
  it.each([
    ['all pass', ['pass', 'pass'], 'pass'],
    ['one inconclusive', ['pass', 'inconclusive'], 'inconclusive'],
    ['fail beats inconclusive', ['inconclusive', 'fail', 'pass'], 'fail'],
    ['no checks is not a pass', [], 'inconclusive'],
  ] as const)('%s', (_name, verdicts, expected) => expect(overallVerdict(verdicts.map(check))).toBe(expected));
});

describe('proportionCheck: judged on the Wilson lower bound', () => {
  it.each([
    ['a lower bound over the bar passes', 985, 1000, 'pass'],
    ['the point estimate at the bar but not its bound is inconclusive', 950, 1000, 'inconclusive'],
    ['0.95 on 800 samples does not prove 0.95', 760, 800, 'inconclusive'],
    ['just below the bar fails', 949, 1000, 'fail'],
    ['a perfect score on 40 samples cannot prove 0.95', 40, 40, 'inconclusive'],
    ['a perfect score on 80 samples proves 0.95', 80, 80, 'pass'],
    ['a perfect score on 72 samples does not (lower bound 0.9494)', 72, 72, 'inconclusive'],
  ])('%s', (_name, successes, n, verdict) => {
    expect(proportionCheck('accuracy', 'accuracy', successes, n, 0.95, 0.95).verdict).toBe(verdict);
  });

  it('reports the interval and the counts', () => {
    const c = proportionCheck('accuracy', 'accuracy', 970, 1000, 0.95, 0.95);
    expect(c.measured).toBe('0.9700 [0.9575, 0.9789] (970/1000)');
    expect(c.threshold).toBe('95% lower bound ≥ 0.95');
  });

  it('a lower confidence level lets a smaller set pass', () => {
    expect(proportionCheck('a', 'a', 965, 1000, 0.95, 0.95).verdict).toBe('pass');
    expect(proportionCheck('a', 'a', 960, 1000, 0.95, 0.95).verdict).toBe('inconclusive');
    expect(proportionCheck('a', 'a', 960, 1000, 0.95, 0.8).verdict).toBe('pass');
  });
});

describe('accuracyCheck', () => {
  it('counts the confusion matrix diagonal', () => {
    expect(accuracyCheck(makeReport({ n: 1000, wrong: firstWrong(30) }), THRESHOLDS).measured).toContain('(970/1000)');
  });
  it('fails 0.945 on 800 samples, the released 1.0.0 figure', () => {
    expect(accuracyCheck(makeReport({ n: 800, wrong: firstWrong(44) }), THRESHOLDS).verdict).toBe('fail');
  });
  it.each([
    ['min-accuracy 0 passes anything', 0, 'pass'],
    ['min-accuracy 1 cannot be proven', 1, 'fail'],
  ])('%s', (_name, minAccuracy, verdict) => {
    expect(accuracyCheck(makeReport({ n: 1000, wrong: firstWrong(1) }), { ...THRESHOLDS, minAccuracy }).verdict).toBe(verdict);
  });
});

describe('recallChecks', () => {
  it('is off without a floor', () => expect(recallChecks(makeReport(), THRESHOLDS)).toEqual([]));
  it('judges every class on its own samples', () => {
    // 1000 samples, 250 per class; 30 gradient samples (label 2: i % 4 === 2) wrong.
    const gradientWrong = (i: number) => i % 4 === 2 && i < 120;
    const checks = recallChecks(makeReport({ n: 1000, wrong: gradientWrong }), { ...THRESHOLDS, minClassRecall: 0.9 });
    expect(checks.map((c) => [c.id, c.verdict])).toEqual([
      ['recall:simple_geometric', 'pass'],
      ['recall:text_based', 'pass'],
      ['recall:gradient', 'fail'],
      ['recall:complex', 'pass'],
    ]);
    expect(checks[2]!.measured).toContain('(220/250)');
  });
});

describe('latencyCheck', () => {
  it.each([
    ['under the limit passes', 99.999, 1000, 'pass'],
    ['exactly at the limit passes', 100, 1000, 'pass'],
    ['just over the limit fails', 100.001, 1000, 'fail'],
    ['too few samples for a p95 is inconclusive', 10, 19, 'inconclusive'],
    ['20 samples are enough', 10, 20, 'pass'],
    ['slow on few samples still fails', 250, 5, 'fail'],
  ])('%s', (_name, p95, samples, verdict) => {
    expect(latencyCheck(makeReport({ p95, latencySamples: samples }), THRESHOLDS).verdict).toBe(verdict);
  });
});

describe('sizeChecks', () => {
  it.each([
    ['at the limit passes', 1000, 'pass'],
    ['one byte over fails', 1001, 'fail'],
  ])('%s', (_name, size, verdict) => {
    const [classifier] = sizeChecks(makeSet({ size }), { ...THRESHOLDS, maxModelSizeBytes: 1000 });
    expect(classifier!.verdict).toBe(verdict);
  });
});

describe('integrityChecks', () => {
  it('passes files that match the manifest', () => {
    expect(integrityChecks(makeSet()).every((c) => c.verdict === 'pass')).toBe(true);
  });
  it('fails a file whose sha256 differs, naming both', () => {
    const checks = integrityChecks(makeSet({ actualSha: SHA_B }));
    const failed = checks.filter((c) => c.verdict === 'fail');
    expect(failed.map((c) => c.id)).toEqual(['integrity:logo_classifier.torchscript']);
    expect(failed[0]!.detail).toContain(SHA_B);
  });
  it('fails a file that is not TorchScript', () => {
    const checks = integrityChecks(makeSet({ formatProblems: ['is a raw Python pickle'] }));
    expect(checks.find((c) => c.id === 'torchscript:logo_classifier.torchscript')!.verdict).toBe('fail');
  });
  it('fails a missing file', () => {
    const set = makeSet();
    const missing = { ...set, files: [{ ...set.files[0]!, actualSha256: undefined, size: undefined }, set.files[1]!] };
    expect(integrityChecks(missing)[0]).toMatchObject({ verdict: 'fail', measured: 'missing' });
  });
});

describe('identityCheck: the report must be about the model set given', () => {
  it('passes the matching set', () => expect(identityCheck(makeReport(), makeSet(), THRESHOLDS).verdict).toBe('pass'));
  it.each([
    ['another version', makeReport({ version: '1.0.0' }), makeSet(), THRESHOLDS, /report is for version 1.0.0, the model set is 1.1.0/],
    ['another classifier', makeReport({ sha256: SHA_B }), makeSet(), THRESHOLDS, /sha256 bbbbbbbbbbbb is not the manifest's aaaaaaaaaaaa/],
    ['not the expected sha256', makeReport(), makeSet(), { ...THRESHOLDS, expectedSha256: SHA_B }, /is not the expected bbbbbbbbbbbb/],
  ])('fails %s', (_name, report, set, thresholds, detail) => {
    const c = identityCheck(report, set, thresholds);
    expect(c.verdict).toBe('fail');
    expect(c.detail).toMatch(detail);
  });
});

describe('championCheck: paired on the same samples', () => {
  const champion = makeReport({ version: '1.0.0', sha256: SHA_B, wrong: firstWrong(50) });
  it.each([
    ['a clearly better challenger passes', makeReport({ wrong: firstWrong(20) }), 'pass'],
    [
      'an identical accuracy on different samples passes within the margin',
      makeReport({ wrong: new Set([...firstWrong(50)].map((i) => i + 1)) }),
      'pass',
    ],
    ['a challenger 3 points worse fails', makeReport({ wrong: firstWrong(80) }), 'fail'],
    [
      'a challenger worse by the margin, unproven, is inconclusive',
      makeReport({ wrong: (i) => i < 50 || (i >= 500 && i < 508) }),
      'inconclusive',
    ],
  ])('%s', (_name, challenger, verdict) => {
    expect(championCheck(challenger, champion, THRESHOLDS).check.verdict).toBe(verdict);
  });

  it('is inconclusive on a set too small to tell', () => {
    const small = championCheck(makeReport({ n: 40 }), makeReport({ n: 40, sha256: SHA_B, wrong: firstWrong(2) }), THRESHOLDS);
    expect(small.check.verdict).toBe('inconclusive');
    expect(small.check.detail).toMatch(/40 paired samples cannot tell/);
  });

  it('refuses a champion evaluated on another dataset', () => {
    const other = makeReport({ version: '1.0.0', sha256: SHA_B, dataset: 'e'.repeat(64) });
    const result = championCheck(makeReport(), other, THRESHOLDS);
    expect(result.check.verdict).toBe('fail');
    expect(result.comparison).toBeUndefined();
    expect(result.check.detail).toContain(`the challenger on ${DATASET.slice(0, 12)}`);
    expect(result.check.detail).toMatch(/refused, compare on the same evaluation set/);
  });

  it('refuses the same model as its own champion', () => {
    expect(championCheck(makeReport(), makeReport(), THRESHOLDS).check.detail).toMatch(/same model file/);
  });

  it('reports both accuracies with their intervals', () => {
    const result = championCheck(makeReport({ wrong: firstWrong(20) }), champion, THRESHOLDS);
    expect(result.challengerAccuracy.point).toBeCloseTo(0.98, 10);
    expect(result.championAccuracy.point).toBeCloseTo(0.95, 10);
    expect(result.comparison).toMatchObject({ n: 1000, challengerOnly: 30, championOnly: 0 });
  });
});

describe('judge', () => {
  it('passes a good model set and lists every check', () => {
    const judgement = judge(makeReport({ wrong: firstWrong(10) }), makeSet(), THRESHOLDS);
    expect(judgement.verdict).toBe('pass');
    expect(judgement.checks.map((c) => c.id)).toEqual([
      'model-identity',
      'integrity:logo_classifier.torchscript',
      'torchscript:logo_classifier.torchscript',
      'integrity:quality_predictor.torchscript',
      'torchscript:quality_predictor.torchscript',
      'size:logo_classifier.torchscript',
      'size:quality_predictor.torchscript',
      'accuracy',
      'latency-p95',
    ]);
  });
  it('fails when any one check fails', () => {
    expect(judge(makeReport({ wrong: firstWrong(10), p95: 150 }), makeSet(), THRESHOLDS).verdict).toBe('fail');
  });
});
