import { describe, expect, it } from '@jest/globals';
import { evaluate, type MetricAlarm } from '../src/cloudwatch/alarms.js';
import { evaluateExpression } from '../src/cloudwatch/expression.js';
import { matcherAccepts } from '../src/dataplane/health.js';
import { commandFor } from '../src/dataplane/images.js';
import { actionsFor, chooseTargetGroup } from '../src/dataplane/routing.js';
import { detectService } from '../src/dispatch.js';
import { parseQuery } from '../src/protocols/query.js';

describe('parseQuery', () => {
  it('folds member lists at every depth, ordered by index', () => {
    const body =
      'Action=ModifyRule&RuleArn=r&Actions.member.1.Type=forward' +
      '&Actions.member.1.ForwardConfig.TargetGroups.member.2.TargetGroupArn=b&Actions.member.1.ForwardConfig.TargetGroups.member.2.Weight=10' +
      '&Actions.member.1.ForwardConfig.TargetGroups.member.1.TargetGroupArn=a&Actions.member.1.ForwardConfig.TargetGroups.member.1.Weight=90';
    expect(parseQuery(body)).toEqual({
      Action: 'ModifyRule',
      RuleArn: 'r',
      Actions: [
        {
          Type: 'forward',
          ForwardConfig: {
            TargetGroups: [
              { TargetGroupArn: 'a', Weight: '90' },
              { TargetGroupArn: 'b', Weight: '10' },
            ],
          },
        },
      ],
    });
  });
});

describe('chooseTargetGroup', () => {
  const groups = [
    { targetGroupArn: 'blue', weight: 90 },
    { targetGroupArn: 'green', weight: 10 },
  ];
  it.each([
    ['the low end goes to the first group', 0, 'blue'],
    ['just under 90% goes to the first group', 0.8999, 'blue'],
    ['90% and above goes to the second', 0.9, 'green'],
    ['the top end goes to the second', 0.99999, 'green'],
  ])('%s', (_name, random, expected) => {
    expect(chooseTargetGroup(groups, () => random)).toBe(expected);
  });
  it('never picks a zero-weight group and gives nothing when all weights are zero', () => {
    expect(
      chooseTargetGroup(
        [
          { targetGroupArn: 'a', weight: 0 },
          { targetGroupArn: 'b', weight: 5 },
        ],
        () => 0,
      ),
    ).toBe('b');
    expect(chooseTargetGroup([{ targetGroupArn: 'a', weight: 0 }], () => 0.5)).toBeUndefined();
  });
});

describe('actionsFor', () => {
  const fixed = (code: string) => [{ type: 'fixed-response', fixedResponse: { statusCode: code } }];
  const rules = [
    { arn: 'r2', listenerArn: 'l', priority: 20, conditions: [{ field: 'path-pattern', values: ['/api/*'] }], actions: fixed('202') },
    {
      arn: 'r1',
      listenerArn: 'l',
      priority: 10,
      conditions: [{ field: 'http-header', headerName: 'X-Canary', values: ['yes'] }],
      actions: fixed('201'),
    },
  ];
  const facts = (path: string, headers: Record<string, string> = {}) => ({ method: 'GET', path, host: 'x', headers });
  it.each([
    ['the lowest priority matching rule wins', facts('/api/x', { 'x-canary': 'yes' }), '201'],
    ['a path rule matches by wildcard', facts('/api/convert'), '202'],
    ['no match falls back to the default', facts('/health'), '200'],
  ])('%s', (_name, request, code) => {
    expect(actionsFor(rules, fixed('200'), request)[0]?.fixedResponse?.statusCode).toBe(code);
  });
});

describe('matcherAccepts', () => {
  it.each([
    ['200', 200, true],
    ['200', 204, false],
    ['200,204', 204, true],
    ['200-299', 299, true],
    ['200-299', 300, false],
  ])('%s accepts %d: %s', (matcher, status, expected) => {
    expect(matcherAccepts(matcher, status)).toBe(expected);
  });
});

describe('commandFor', () => {
  const commands = { 'svg-ai:canary': { command: ['canary'] }, 'svg-ai:*': { command: ['any-tag'] }, '*': { command: ['fallback'] } };
  it.each([
    ['the first matching pattern wins', 'svg-ai:canary', 'canary'],
    ['the registry host is ignored', '123456789012.dkr.ecr.eu-west-1.amazonaws.com/svg-ai:stable', 'any-tag'],
    ['no tag means latest', 'svg-ai', 'any-tag'],
    ['anything else takes the fallback', 'other:1', 'fallback'],
  ])('%s', (_name, image, expected) => {
    expect(commandFor(image, commands)?.command[0]).toBe(expected);
  });
  it('matches a digest through its aliases', () => {
    expect(commandFor('svg-ai@sha256:abc', { 'svg-ai:stable': { command: ['stable'] } }, ['svg-ai:stable'])?.command[0]).toBe('stable');
  });
});

describe('detectService', () => {
  const request = (headers: Record<string, string>, body = '', method = 'POST', path = '/') => ({
    method,
    path,
    query: new URLSearchParams(),
    headers,
    body: Buffer.from(body),
  });
  it.each([
    [
      'the credential scope wins',
      request({ authorization: 'AWS4-HMAC-SHA256 Credential=AK/20260101/eu-west-1/monitoring/aws4_request, SignedHeaders=host' }),
      'monitoring',
    ],
    ['a JSON target prefix', request({ 'x-amz-target': 'AmazonEC2ContainerRegistry_V20150921.PutImage' }), 'ecr'],
    [
      'a Query version',
      request({ 'content-type': 'application/x-www-form-urlencoded' }, 'Action=GetCallerIdentity&Version=2011-06-15'),
      'sts',
    ],
    ['a bucket path', request({}, '', 'GET', '/svg-ai-models'), 's3'],
    ['nothing recognisable', request({ 'content-type': 'text/plain' }, 'x'), undefined],
  ])('%s', (_name, req, expected) => {
    expect(detectService(req)).toBe(expected);
  });
});

describe('evaluateExpression', () => {
  const series = {
    a: new Map([
      [0, 10],
      [1, 20],
    ]),
    b: new Map([
      [0, 5],
      [1, 0],
    ]),
    c: new Map([[1, 4]]),
  };
  const lookup = (id: string) => series[id as keyof typeof series] ?? new Map<number, number>();
  const run = (expression: string) => Object.fromEntries(evaluateExpression(expression, lookup, [0, 1]));
  it.each([
    ['a ratio, dropping a division by zero', 'a / b', { 0: 2 }],
    ['precedence and parentheses', '100 * (a - b) / a', { 0: 50, 1: 100 }],
    ['only shared timestamps combine', 'a + c', { 1: 24 }],
    ['FILL supplies missing periods', 'a + FILL(c, 0)', { 0: 10, 1: 24 }],
    ['unary minus', '-a', { 0: -10, 1: -20 }],
  ])('%s', (_name, expression, expected) => {
    expect(run(expression)).toEqual(expected);
  });
  it.each(['a +', 'SEARCH(a)', 'a $ b', '2 * 3'])('rejects %s', (expression) => {
    expect(() => run(expression)).toThrow(/metric math expression/);
  });
});

describe('alarm evaluation', () => {
  const alarm = (treatMissingData: string): MetricAlarm => ({
    name: 'a',
    arn: 'arn',
    actionsEnabled: true,
    okActions: [],
    alarmActions: [],
    insufficientDataActions: [],
    dimensions: [],
    period: 60,
    evaluationPeriods: 3,
    datapointsToAlarm: 2,
    threshold: 1,
    comparisonOperator: 'GreaterThanThreshold',
    treatMissingData,
    state: 'OK',
    stateReason: '',
    stateUpdatedAt: 0,
    stateTransitionedAt: 0,
    configurationUpdatedAt: 0,
  });
  it.each([
    ['2 of 3 breaching alarms', 'missing', [2, 0, 2], 'ALARM'],
    ['1 of 3 breaching stays OK', 'missing', [2, 0, 0], 'OK'],
    ['all missing is insufficient data', 'missing', [undefined, undefined, undefined], 'INSUFFICIENT_DATA'],
    ['missing counted as breaching', 'breaching', [2, undefined, 0], 'ALARM'],
    ['missing counted as not breaching', 'notBreaching', [undefined, undefined, undefined], 'OK'],
  ])('%s', (_name, treat, values, state) => {
    expect(evaluate(alarm(treat), values)?.state).toBe(state);
  });
  it('keeps the state when told to ignore missing data', () => {
    expect(evaluate(alarm('ignore'), [undefined, undefined, undefined])).toBeUndefined();
  });
});
