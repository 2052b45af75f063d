import { describe, expect, it } from '@jest/globals';
import { withRunnerEnv } from '@svg-ai-release/action-kit/testing';
import {
  DEFAULT_EVALUATE_COMMAND,
  parseBucketName,
  parseByteSize,
  parseConfidence,
  parseGitSha,
  parseModelName,
  parseSha256,
  readModelValidateInputs,
  type ModelValidateInputs,
} from '../src/inputs.js';

async function read(inputs: Record<string, string>): Promise<ModelValidateInputs> {
  let result: ModelValidateInputs | undefined;
  await withRunnerEnv(inputs, async () => {
    result = readModelValidateInputs();
  });
  return result!;
}
const GATE = { report: 'report.json', 'model-dir': 'models' };

describe('parseSha256', () => {
  const hex = 'ab'.repeat(32);
  it.each([hex, `sha256:${hex}`])('accepts %p', (raw) => expect(parseSha256('expected-sha256', raw)).toBe(hex));
  it.each(['abc', 'AB'.repeat(32), `md5:${hex}`])('refuses %p', (raw) => {
    expect(() => parseSha256('expected-sha256', raw)).toThrow(/^input 'expected-sha256': .* is not a sha256/);
  });
});

describe('parseByteSize', () => {
  it.each([
    ['50MiB', 50 * 1024 * 1024],
    ['20MB', 20_000_000],
    ['1048576B', 1_048_576],
    ['1.5KiB', 1536],
    ['1B', 1],
  ])('reads %p as %p bytes', (raw, bytes) => expect(parseByteSize('max-model-size', raw)).toBe(bytes));
  it.each(['50', '50mb', 'MiB', '-1MB', '0B', '5 TB'])('refuses %p, naming the input', (raw) => {
    expect(() => parseByteSize('max-model-size', raw)).toThrow(/^input 'max-model-size': /);
  });
});

describe('parseConfidence', () => {
  it.each([
    ['0.5', 0.5],
    ['0.95', 0.95],
    ['0.9999', 0.9999],
  ])('accepts %p', (raw, value) => expect(parseConfidence('confidence', raw)).toBe(value));
  it.each(['0.49', '1', '0', '95', 'high'])('refuses %p', (raw) =>
    expect(() => parseConfidence('confidence', raw)).toThrow(/^input 'confidence': /),
  );
});

describe('names', () => {
  it.each(['models', 'my-models.eu', 'abc'])('accepts bucket %p', (raw) => expect(parseBucketName('registry-bucket', raw)).toBe(raw));
  it.each(['ab', 'Models', 'a..b', 's3://models', '-models'])('refuses bucket %p', (raw) => {
    expect(() => parseBucketName('registry-bucket', raw)).toThrow(/^input 'registry-bucket': .* is not a valid S3 bucket name/);
  });
  it.each(['svgai', 'logo_classifier', 'a1'])('accepts model name %p', (raw) => expect(parseModelName('model-name', raw)).toBe(raw));
  it.each(['svgai/prod', 'SVGAI', '', '_x'])('refuses model name %p', (raw) =>
    expect(() => parseModelName('model-name', raw)).toThrow(/^input 'model-name': /),
  );
  it('refuses a short git sha', () =>
    expect(() => parseGitSha('git-sha', 'abc1234')).toThrow(/^input 'git-sha': .* is not a full git commit SHA/));
});

describe('readModelValidateInputs: from INPUT_* text to settings', () => {
  it('uses the documented defaults', async () => {
    const inputs = await read(GATE);
    expect(inputs).toMatchObject({
      mode: 'gate',
      evaluate: false,
      evaluateCommand: DEFAULT_EVALUATE_COMMAND,
      evaluateDirectory: 'service',
      minAccuracy: 0.95,
      confidence: 0.95,
      maxP95LatencyMs: 100,
      minClassRecall: undefined,
      maxModelSizeBytes: 50 * 1024 * 1024,
      maxAccuracyDrop: 0.01,
      modelName: 'svgai',
      awsRegion: 'us-east-1',
      endpointUrl: undefined,
    });
  });

  it('reads every threshold', async () => {
    const inputs = await read({
      ...GATE,
      'min-accuracy': '0.9',
      confidence: '0.99',
      'max-p95-latency': '25ms',
      'min-class-recall': '0.8',
      'max-model-size': '2MB',
      'max-accuracy-drop': '0',
    });
    expect(inputs).toMatchObject({
      minAccuracy: 0.9,
      confidence: 0.99,
      maxP95LatencyMs: 25,
      minClassRecall: 0.8,
      maxModelSizeBytes: 2_000_000,
      maxAccuracyDrop: 0,
    });
  });

  it.each([
    ['min-accuracy', '1.01', /^input 'min-accuracy': "1.01" is out of range \(allowed: 0 to 1\)/],
    ['min-accuracy', '-0.01', /^input 'min-accuracy': "-0.01" is out of range \(allowed: 0 to 1\)/],
    ['min-accuracy', '95%', /^input 'min-accuracy': "95%" is not a number/],
    ['min-class-recall', '2', /^input 'min-class-recall': "2" is out of range \(allowed: 0 to 1\)/],
    ['max-accuracy-drop', '1.5', /^input 'max-accuracy-drop': "1.5" is out of range/],
    ['max-p95-latency', '25', /^input 'max-p95-latency': "25" is not a duration/],
    ['max-p95-latency', '2m', /^input 'max-p95-latency': "2m" is longer than the maximum 1m/],
    ['mode', 'deploy', /^input 'mode': "deploy" is not one of: gate, publish, promote, rollback/],
    ['evaluate', 'yes', /^input 'evaluate': "yes" is not a boolean/],
    ['endpoint-url', 'localhost:4566', /^input 'endpoint-url': /],
    ['aws-region', 'europe', /^input 'aws-region': /],
    ['model-version', 'v 1', /^input 'model-version': /],
  ])('refuses %s = %p, naming the input', async (name, raw, message) => {
    await expect(read({ ...GATE, [name]: raw })).rejects.toThrow(message);
  });

  it.each([0, 1])('accepts min-accuracy %p, the edges of [0, 1]', async (value) => {
    await expect(read({ ...GATE, 'min-accuracy': String(value) })).resolves.toMatchObject({ minAccuracy: value });
  });

  it.each([
    ['gate without a report', { 'model-dir': 'm' }, /^input 'report': is required but was not given$/],
    ['gate without a model set', { report: 'r.json' }, /^input 'model-dir': is required in mode gate/],
    ['publish without a bucket', { ...GATE, mode: 'publish' }, /^input 'registry-bucket': is required in mode publish/],
    ['promote without a version', { mode: 'promote', 'registry-bucket': 'models' }, /^input 'model-version': is required in mode promote/],
    ['rollback without a bucket', { mode: 'rollback' }, /^input 'registry-bucket': is required in mode rollback/],
  ])('refuses %s', async (_name, inputs, message) => {
    await expect(read(inputs)).rejects.toThrow(message);
  });

  it('needs neither report nor model set to promote', async () => {
    await expect(read({ mode: 'promote', 'registry-bucket': 'models', 'model-version': '1.1.0' })).resolves.toMatchObject({
      mode: 'promote',
      modelVersion: '1.1.0',
    });
  });
});
