/**
 * From `INPUT_*` text to typed settings, at the edges of every threshold: each input read through its one
 * declaration, with an injected `get` and (a few) through the committed bundle as the runner runs it.
 */
import { describe, expect, it } from '@jest/globals';
import { runActionProcess } from '@svg-ai-release/action-kit/testing';
import { fileURLToPath } from 'node:url';
import { readModelValidateInputs, type ModelValidateInputs } from '../src/inputs.js';

const GATE: Readonly<Record<string, string>> = { report: 'report.json', 'model-dir': 'models' };
const SHA = '0123456789abcdef0123456789abcdef01234567';

function read(inputs: Readonly<Record<string, string>>): ModelValidateInputs {
  return readModelValidateInputs((name) => inputs[name] ?? '');
}

describe('model-validate inputs: accepted at the edges', () => {
  it.each<[string, string, Partial<ModelValidateInputs>]>([
    ['min-accuracy', '0', { minAccuracy: 0 }],
    ['min-accuracy', '1', { minAccuracy: 1 }],
    ['min-accuracy', ' 0.95 ', { minAccuracy: 0.95 }],
    ['confidence', '0.5', { confidence: 0.5 }],
    ['confidence', '0.9999', { confidence: 0.9999 }],
    ['max-p95-latency', '1ms', { maxP95LatencyMs: 1 }],
    ['max-p95-latency', '1m', { maxP95LatencyMs: 60_000 }],
    ['max-p95-latency', '60000ms', { maxP95LatencyMs: 60_000 }],
    ['min-class-recall', '0', { minClassRecall: 0 }],
    ['min-class-recall', '1', { minClassRecall: 1 }],
    ['max-accuracy-drop', '0', { maxAccuracyDrop: 0 }],
    ['max-accuracy-drop', '1', { maxAccuracyDrop: 1 }],
    ['max-model-size', '1B', { maxModelSizeBytes: 1 }],
    ['max-model-size', '1KB', { maxModelSizeBytes: 1000 }],
    ['max-model-size', '1KiB', { maxModelSizeBytes: 1024 }],
    ['max-model-size', '2MB', { maxModelSizeBytes: 2_000_000 }],
    ['max-model-size', '50MiB', { maxModelSizeBytes: 50 * 1024 ** 2 }],
    ['max-model-size', '1GB', { maxModelSizeBytes: 1e9 }],
    ['max-model-size', '1GiB', { maxModelSizeBytes: 1024 ** 3 }],
    ['max-model-size', '1.5KiB', { maxModelSizeBytes: 1536 }],
    ['evaluate', 'true', { evaluate: true }],
    ['evaluate', 'false', { evaluate: false }],
    ['expected-sha256', `sha256:${'ab'.repeat(32)}`, { expectedSha256: 'ab'.repeat(32) }],
    ['git-sha', SHA, { gitSha: SHA }],
    ['release-tag', 'model-v1.1.0', { releaseTag: 'model-v1.1.0' }],
    ['endpoint-url', 'http://127.0.0.1:4566', { endpointUrl: new URL('http://127.0.0.1:4566') }],
  ])('%s %p', (name, raw, expected) => {
    expect(read({ ...GATE, [name]: raw })).toMatchObject(expected);
  });

  it('reads an unset input as its declared default', () => {
    expect(read(GATE)).toMatchObject({
      mode: 'gate',
      minAccuracy: 0.95,
      confidence: 0.95,
      maxP95LatencyMs: 100,
      minClassRecall: undefined,
      maxModelSizeBytes: 50 * 1024 ** 2,
      maxAccuracyDrop: 0.01,
      evaluateDirectory: 'service',
      modelName: 'svgai',
      awsRegion: 'us-east-1',
    });
  });

  // action.yml defaults git-sha and release-tag to expressions the runner substitutes; outside a runner they
  // arrive empty or unexpanded, and then there is nothing to record.
  it.each(['', '${{ github.sha }}', '  ${{ github.sha }}  '])('reads git-sha %p outside a runner as not known', (raw) => {
    expect(read({ ...GATE, 'git-sha': raw }).gitSha).toBeUndefined();
  });
  it.each(['', '${{ github.ref_name }}'])('reads release-tag %p outside a runner as not known', (raw) => {
    expect(read({ ...GATE, 'release-tag': raw }).releaseTag).toBeUndefined();
  });
});

describe('model-validate inputs: refused with a message naming the input', () => {
  it.each([
    ['min-accuracy', '-0.01', `input 'min-accuracy': "-0.01" is out of range (allowed: 0 to 1)`],
    ['min-accuracy', '1.01', `input 'min-accuracy': "1.01" is out of range (allowed: 0 to 1)`],
    ['min-accuracy', 'abc', `input 'min-accuracy': "abc" is not a number (allowed: 0 to 1)`],
    ['min-accuracy', 'NaN', `input 'min-accuracy': "NaN" is not a number (allowed: 0 to 1)`],
    ['min-accuracy', 'Infinity', `input 'min-accuracy': "Infinity" is not a number (allowed: 0 to 1)`],
    ['confidence', '0.49', `input 'confidence': "0.49" is out of range (allowed: 0.5 to 0.9999)`],
    ['confidence', '0.99991', `input 'confidence': "0.99991" is out of range (allowed: 0.5 to 0.9999)`],
    ['confidence', '1', `input 'confidence': "1" is out of range (allowed: 0.5 to 0.9999)`],
    ['confidence', 'NaN', `input 'confidence': "NaN" is not a number (allowed: 0.5 to 0.9999)`],
    ['max-p95-latency', '0ms', `input 'max-p95-latency': "0ms" is shorter than the minimum 1ms`],
    ['max-p95-latency', '60001ms', `input 'max-p95-latency': "60001ms" is longer than the maximum 1m`],
    ['max-p95-latency', '25', `input 'max-p95-latency': "25" is not a duration like 90s, 5m, 1h30m or 500ms`],
    ['min-class-recall', '1.01', `input 'min-class-recall': "1.01" is out of range (allowed: 0 to 1)`],
    ['max-accuracy-drop', '-0.01', `input 'max-accuracy-drop': "-0.01" is out of range (allowed: 0 to 1)`],
    ['max-model-size', '0B', `input 'max-model-size': "0B" is out of range (allowed: 1B or more)`],
    ['max-model-size', '0.5B', `input 'max-model-size': "0.5B" is out of range (allowed: 1B or more)`],
    ['max-model-size', '50mb', `input 'max-model-size': "50mb" is not a size like 50MiB, 20MB or 1048576B`],
    ['max-model-size', '5TB', `input 'max-model-size': "5TB" is not a size like 50MiB, 20MB or 1048576B`],
    ['max-model-size', '50', `input 'max-model-size': "50" is not a size like 50MiB, 20MB or 1048576B`],
    ['mode', 'Gate', `input 'mode': "Gate" is not one of: gate, publish, promote, rollback`],
    ['evaluate', 'yes', `input 'evaluate': "yes" is not a boolean; use true or false`],
    ['expected-sha256', 'abc', `input 'expected-sha256': "abc" is not a sha256 (64 lower-case hex digits)`],
    ['git-sha', 'abc1234', `input 'git-sha': "abc1234" is not a full git commit SHA (40 lower-case hex digits)`],
    [
      'registry-bucket',
      'ab',
      `input 'registry-bucket': "ab" is not a valid S3 bucket name (3-63 lower-case letters, digits, dots, hyphens)`,
    ],
    ['model-name', 'a/b', `input 'model-name': "a/b" is not a model name (lower-case letters, digits, - and _, up to 63)`],
    ['aws-region', 'europe', `input 'aws-region': "europe" is not an AWS region code like eu-west-1`],
    ['endpoint-url', 'localhost:4566', `input 'endpoint-url': "localhost:4566" must use http or https`],
  ])('%s %p', (name, raw, message) => {
    expect(() => read({ ...GATE, [name]: raw })).toThrow(new Error(message));
  });
});

describe('model-validate dist/index.js refuses out-of-range thresholds before reading anything', () => {
  const bundle = fileURLToPath(new URL('../dist/index.js', import.meta.url));
  it.each([
    ['min-accuracy', '1.01', `input 'min-accuracy': "1.01" is out of range (allowed: 0 to 1)`],
    ['confidence', '0.49', `input 'confidence': "0.49" is out of range (allowed: 0.5 to 0.9999)`],
    ['max-model-size', '0B', `input 'max-model-size': "0B" is out of range (allowed: 1B or more)`],
  ])('%s %p', async (name, raw, message) => {
    const result = await runActionProcess(bundle, { inputs: { ...GATE, [name]: raw } });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain(`::error::model-validate: ${message}\n`);
  });
});
