import { describe, expect, it } from '@jest/globals';
import {
  InputError,
  parseArn,
  parseBoolean,
  parseDuration,
  parseEnum,
  parseImageDigestRef,
  parseInteger,
  parseKeyValueList,
  parseList,
  parseNumber,
  parsePercentSteps,
  parseRegion,
  parseS3Uri,
} from '../src/index.js';

const LISTENER = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/svg-ai/50dc6c495c0c9188/f2f7dc8efc522ab2';
const RULE =
  'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener-rule/app/svg-ai/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee';
const SERVICE = 'arn:aws:ecs:eu-west-1:123456789012:service/prod/svg-ai-blue';
const DIGEST = `sha256:${'a'.repeat(64)}`;

function thrown(fn: () => unknown): InputError {
  try {
    fn();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError, but the parser accepted the value');
}

describe('parseBoolean', () => {
  it.each([
    ['true', true],
    ['True', true],
    ['FALSE', false],
    [' false ', false],
  ])('accepts %p as %p', (raw, expected) => expect(parseBoolean('promote', raw)).toBe(expected));

  it.each(['yes', '1', 'on', '', 'truee'])('refuses %p, naming the input', (raw) => {
    expect(thrown(() => parseBoolean('promote', raw)).message).toMatch(/^input 'promote': .* is not a boolean; use true or false$/);
  });
});

describe('parseInteger', () => {
  it.each([
    ['whole number', '3', {}, 3],
    ['padded', ' 42 ', {}, 42],
    ['at the lower bound', '0', { min: 0, max: 10 }, 0],
    ['at the upper bound', '10', { min: 0, max: 10 }, 10],
    ['negative when allowed', '-5', { min: -10 }, -5],
  ])('accepts a %s', (_name, raw, range, expected) => expect(parseInteger('count', raw, range)).toBe(expected));

  it.each([
    ['a unit suffix', '5x', {}, /is not a whole number/],
    ['a fraction', '1.5', {}, /is not a whole number/],
    ['hex', '0x10', {}, /is not a whole number/],
    ['exponent', '1e3', {}, /is not a whole number/],
    ['empty', '', { min: 1 }, /is not a whole number \(allowed: 1 or more\)/],
    ['below the range', '-1', { min: 0, max: 5 }, /out of range \(allowed: 0 to 5\)/],
    ['above the range', '110', { min: 0, max: 100 }, /out of range \(allowed: 0 to 100\)/],
    ['beyond safe integers', '99999999999999999999', {}, /too large/],
  ])('refuses %s', (_name, raw, range, pattern) => {
    const error = thrown(() => parseInteger('count', raw, range));
    expect(error.input).toBe('count');
    expect(error.message).toMatch(pattern);
  });
});

describe('parseNumber', () => {
  it.each([
    ['0.05', 0.05],
    ['.5', 0.5],
    ['2', 2],
  ])('accepts %p', (raw, expected) => expect(parseNumber('ratio', raw, { min: 0, max: 10 })).toBe(expected));
  it.each(['abc', '1..2', '5%', '-0.1'])('refuses %p', (raw) => {
    expect(() => parseNumber('ratio', raw, { min: 0, max: 10 })).toThrow(/input 'ratio'/);
  });
});

describe('parseDuration', () => {
  it.each([
    ['seconds', '90s', 90_000],
    ['minutes', '5m', 300_000],
    ['hours and minutes', '1h30m', 5_400_000],
    ['all units', '1h2m3s4ms', 3_723_004],
    ['milliseconds', '250ms', 250],
    ['zero', '0', 0],
  ])('reads %s', (_name, raw, expected) => expect(parseDuration('bake-time', raw)).toBe(expected));

  it.each([
    ['an unknown unit', '5x'],
    ['a negative value', '-1m'],
    ['a bare number', '30'],
    ['units out of order', '5m1h'],
    ['a repeated unit', '5m5m'],
    ['a fraction', '1.5m'],
    ['spaces inside', '1h 30m'],
    ['an empty value', ''],
  ])('refuses %s', (_name, raw) => {
    expect(thrown(() => parseDuration('bake-time', raw)).message).toMatch(
      /^input 'bake-time': .* is not a duration like 90s, 5m, 1h30m or 500ms$/,
    );
  });

  it('enforces bounds with a readable limit', () => {
    expect(thrown(() => parseDuration('bake-time', '2h', { max: 3_600_000 })).message).toContain('longer than the maximum 1h');
    expect(thrown(() => parseDuration('interval', '500ms', { min: 1_000 })).message).toContain('shorter than the minimum 1s');
  });

  it('quotes limits in the form the input takes', () => {
    expect(thrown(() => parseDuration('bake-time', '2h', { max: 5_400_000 })).message).toBe(
      `input 'bake-time': "2h" is longer than the maximum 1h30m`,
    );
  });
});

describe('parsePercentSteps', () => {
  it.each([
    ['a canary ladder', '10,25,50,100', [10, 25, 50, 100]],
    ['spaces around steps', ' 5, 50 ,100', [5, 50, 100]],
    ['all at once', '100', [100]],
  ])('reads %s', (_name, raw, expected) => expect(parsePercentSteps('steps', raw)).toEqual(expected));

  it.each([
    ['non-increasing steps', '10,5,100', /must increase strictly; 5 follows 10/],
    ['a repeated step', '10,10,100', /must increase strictly/],
    ['a step above 100', '10,110', /110 .* out of range \(allowed: 1 to 100\)/],
    ['a zero step', '0,100', /out of range/],
    ['a ladder that stops short', '10,50', /must end at 100/],
    ['a fraction', '12.5,100', /is not a whole percentage/],
    ['a percent sign', '10%,100', /is not a whole percentage/],
    ['an empty value', '', /is empty/],
    ['an empty step', '10,,100', /is not a whole percentage/],
  ])('refuses %s', (_name, raw, pattern) => {
    const error = thrown(() => parsePercentSteps('steps', raw));
    expect(error.message.startsWith("input 'steps': ")).toBe(true);
    expect(error.message).toMatch(pattern);
  });
});

describe('parseEnum', () => {
  const modes = ['deploy', 'resume', 'abort', 'promote'] as const;
  it('accepts a listed value', () => expect(parseEnum('mode', 'abort', modes)).toBe('abort'));
  it.each(['Deploy', 'rollback', ''])('refuses %p and lists the choices', (raw) => {
    expect(thrown(() => parseEnum('mode', raw, modes)).message).toContain('is not one of: deploy, resume, abort, promote');
  });
});

describe('parseRegion', () => {
  it.each(['eu-west-1', 'us-east-1', 'ap-southeast-2', 'us-gov-west-1'])('accepts %p', (raw) =>
    expect(parseRegion('aws-region', raw)).toBe(raw),
  );
  it.each(['eu-west', 'EU-WEST-1', 'euwest1', 'us-east-1a', ''])('refuses %p', (raw) => {
    expect(() => parseRegion('aws-region', raw)).toThrow(/input 'aws-region': .* is not an AWS region code/);
  });
});

describe('parseArn', () => {
  const listenerOrRule = { service: 'elasticloadbalancing', resourceTypes: ['listener', 'listener-rule'] };

  it('splits a listener ARN', () => {
    expect(parseArn('listener', LISTENER, listenerOrRule)).toMatchObject({
      partition: 'aws',
      service: 'elasticloadbalancing',
      region: 'eu-west-1',
      accountId: '123456789012',
      resourceType: 'listener',
    });
  });
  it('accepts a rule where rules are allowed', () => {
    expect(parseArn('listener', RULE, listenerOrRule).resourceType).toBe('listener-rule');
  });
  it('accepts another partition', () => {
    expect(parseArn('service', SERVICE.replace('arn:aws:', 'arn:aws-cn:'), { service: 'ecs', resourceTypes: ['service'] }).partition).toBe(
      'aws-cn',
    );
  });
  it.each([
    ['not an ARN', 'my-listener', listenerOrRule, /is not an ARN; expected an ARN of elasticloadbalancing listener or listener-rule/],
    ['the wrong service', SERVICE, listenerOrRule, /is an ARN of ecs; expected an ARN of elasticloadbalancing/],
    [
      'the wrong resource type',
      LISTENER.replace(':listener/', ':targetgroup/'),
      listenerOrRule,
      /is a elasticloadbalancing targetgroup; expected/,
    ],
    ['a type with no id', 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener', listenerOrRule, /expected/],
    ['the wrong region', LISTENER, { ...listenerOrRule, region: 'us-east-1' }, /is in region eu-west-1, but the action works in us-east-1/],
    ['a short account id', LISTENER.replace('123456789012', '12345'), listenerOrRule, /no 12-digit account id/],
    ['a bad region', LISTENER.replace('eu-west-1', 'mars'), listenerOrRule, /no valid region/],
    ['a bad partition', LISTENER.replace('arn:aws:', 'arn:gcp:'), listenerOrRule, /unknown partition/],
  ])('refuses %s', (_name, raw, expectation, pattern) => {
    expect(thrown(() => parseArn('listener', raw, expectation)).message).toMatch(pattern);
  });
});

describe('parseS3Uri', () => {
  it.each([
    ['s3://svg-ai-models/classifier/v1.2.0/model.pt', { bucket: 'svg-ai-models', key: 'classifier/v1.2.0/model.pt' }],
    ['s3://svg-ai-models', { bucket: 'svg-ai-models', key: '' }],
    ['s3://svg-ai-models/', { bucket: 'svg-ai-models', key: '' }],
  ])('reads %p', (raw, expected) => expect(parseS3Uri('model-uri', raw)).toEqual(expected));
  it.each([
    ['https://bucket/key', /is not an S3 URI/],
    ['s3://Upper/key', /is not a valid S3 bucket name/],
    ['s3://ab/key', /is not a valid S3 bucket name/],
    ['s3://a..b/key', /is not a valid S3 bucket name/],
  ])('refuses %p', (raw, pattern) => expect(() => parseS3Uri('model-uri', raw)).toThrow(pattern));
});

describe('parseKeyValueList', () => {
  it('reads lines and commas, keeps = inside values, skips comments', () => {
    const parsed = parseKeyValueList('environment', 'MODEL_VERSION=1.2.0\n# a comment\nFLAGS=a=b, LOG_LEVEL=info\n');
    expect(Object.fromEntries(parsed)).toEqual({ MODEL_VERSION: '1.2.0', FLAGS: 'a=b', LOG_LEVEL: 'info' });
  });
  it('accepts an empty value', () => expect(parseKeyValueList('environment', 'EMPTY=').get('EMPTY')).toBe(''));
  it('keeps commas inside a value when no KEY= follows them (a JSON object of S3 VersionIds)', () => {
    const ids = '{"classifier.torchscript":"v1","quality_predictor.torchscript":"v2","manifest.json":"v3"}';
    const parsed = parseKeyValueList('environment', `MODEL_VERSION=1.1.0\nMODEL_S3_VERSION_IDS=${ids}\nA=x, B=y,z`);
    expect(Object.fromEntries(parsed)).toEqual({ MODEL_VERSION: '1.1.0', MODEL_S3_VERSION_IDS: ids, A: 'x', B: 'y,z' });
    expect(parseKeyValueList('environment', `MODEL_S3_VERSION_IDS=${ids}`).get('MODEL_S3_VERSION_IDS')).toBe(ids);
  });
  it.each([
    ['a missing =', 'MODEL_VERSION', /is not a KEY=value pair/],
    ['an empty key', '=x', /is not a KEY=value pair/],
    ['a bad key', '1X=2', /is not a valid key/],
    ['a duplicate key', 'A=1\nA=2', /key "A" is given twice/],
  ])('refuses %s', (_name, raw, pattern) => expect(() => parseKeyValueList('environment', raw)).toThrow(pattern));
});

describe('parseList', () => {
  it('splits lines and commas', () => expect(parseList('alarms', 'a\nb, c')).toEqual(['a', 'b', 'c']));
  it('refuses duplicates', () => expect(() => parseList('alarms', 'a,a')).toThrow(/"a" is listed twice/));
});

describe('parseImageDigestRef', () => {
  it('accepts an ECR image by digest', () => {
    const ref = `123456789012.dkr.ecr.eu-west-1.amazonaws.com/svg-ai@${DIGEST}`;
    expect(parseImageDigestRef('image', ref)).toBe(ref);
  });
  it.each([
    ['a tag', 'svg-ai:latest'],
    ['a short digest', 'svg-ai@sha256:abc'],
    ['upper-case repository', `SVG@${DIGEST}`],
  ])('refuses %s', (_name, raw) => expect(() => parseImageDigestRef('image', raw)).toThrow(/is not an image pinned by digest/));
});
