import { describe, expect, it } from '@jest/globals';
import type { TaskDefinition } from '@aws-sdk/client-ecs';
import type { RolloutLock } from '@svg-ai-release/rollout';
import {
  canonical,
  combine,
  decodeTagValue,
  encodeTagValue,
  isTransientAwsError,
  listenerOfRule,
  loadBalancerDimension,
  lockToTags,
  renderRevision,
  sameRevision,
  tagsToLock,
  targetGroupDimension,
  toPercent,
  windowPeriod,
  withWeights,
  type BlueGreenTopology,
} from '../src/index.js';

const PREFIX = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:';
const BLUE_TG = `${PREFIX}targetgroup/svg-ai-blue/73e2d6bc24d8a067`;
const GREEN_TG = `${PREFIX}targetgroup/svg-ai-green/2453ed029918f21f`;
const topology: BlueGreenTopology = {
  production: {
    arn: `${PREFIX}listener/app/svg-ai/50dc/f2f7`,
    kind: 'listener',
    listenerArn: `${PREFIX}listener/app/svg-ai/50dc/f2f7`,
    loadBalancerArn: `${PREFIX}loadbalancer/app/svg-ai/50dc`,
  },
  loadBalancerDimension: 'app/svg-ai/50dc',
  cluster: 'svg-ai',
  sides: {
    blue: { service: 'svg-ai-blue', targetGroupArn: BLUE_TG, targetGroupDimension: 'targetgroup/svg-ai-blue/73e2d6bc24d8a067' },
    green: { service: 'svg-ai-green', targetGroupArn: GREEN_TG, targetGroupDimension: 'targetgroup/svg-ai-green/2453ed029918f21f' },
  },
};

describe('ARN-derived names', () => {
  it('gives the CloudWatch dimensions', () => {
    expect(loadBalancerDimension(`${PREFIX}loadbalancer/app/svg-ai/50dc6c495c0c9188`)).toBe('app/svg-ai/50dc6c495c0c9188');
    expect(targetGroupDimension(BLUE_TG)).toBe('targetgroup/svg-ai-blue/73e2d6bc24d8a067');
  });
  it('finds the listener of a rule', () => {
    expect(listenerOfRule(`${PREFIX}listener-rule/app/svg-ai/50dc/f2f7/9683`)).toBe(`${PREFIX}listener/app/svg-ai/50dc/f2f7`);
  });
  it('refuses what is not a target group', () =>
    expect(() => targetGroupDimension(`${PREFIX}listener/app/x/1/2`)).toThrow(/not a target group ARN/));
});

describe('toPercent', () => {
  it.each([
    [
      'a clean 100/0',
      [
        { arn: BLUE_TG, weight: 100 },
        { arn: GREEN_TG, weight: 0 },
      ],
      { blue: 100, green: 0 },
    ],
    [
      'relative weights',
      [
        { arn: BLUE_TG, weight: 3 },
        { arn: GREEN_TG, weight: 1 },
      ],
      { blue: 75, green: 25 },
    ],
    [
      'ALB maxima',
      [
        { arn: BLUE_TG, weight: 999 },
        { arn: GREEN_TG, weight: 999 },
      ],
      { blue: 50, green: 50 },
    ],
    ['a missing colour weighs 0', [{ arn: GREEN_TG, weight: 5 }], { blue: 0, green: 100 }],
  ])('reads %s', (_name, groups, expected) => expect(toPercent(topology, groups)).toEqual(expected));
  it('refuses weights that serve nothing', () => {
    expect(() =>
      toPercent(topology, [
        { arn: BLUE_TG, weight: 0 },
        { arn: GREEN_TG, weight: 0 },
      ]),
    ).toThrow(/serves no traffic/);
  });
});

describe('withWeights', () => {
  it('replaces only the forward weights, keeping stickiness and other actions', () => {
    const actions = [
      {
        Type: 'authenticate-oidc' as const,
        Order: 1,
        AuthenticateOidcConfig: { Issuer: 'x', AuthorizationEndpoint: 'a', TokenEndpoint: 't', UserInfoEndpoint: 'u', ClientId: 'c' },
      },
      {
        Type: 'forward' as const,
        Order: 2,
        TargetGroupArn: BLUE_TG,
        ForwardConfig: {
          TargetGroups: [{ TargetGroupArn: BLUE_TG, Weight: 1 }],
          TargetGroupStickinessConfig: { Enabled: true, DurationSeconds: 60 },
        },
      },
    ];
    const next = withWeights(actions, topology, { blue: 90, green: 10 });
    expect(next[0]).toBe(actions[0]);
    expect(next[1]).toEqual({
      Type: 'forward',
      Order: 2,
      ForwardConfig: {
        TargetGroups: [
          { TargetGroupArn: BLUE_TG, Weight: 90 },
          { TargetGroupArn: GREEN_TG, Weight: 10 },
        ],
        TargetGroupStickinessConfig: { Enabled: true, DurationSeconds: 60 },
      },
    });
  });
  it('refuses actions without a forward', () =>
    expect(() => withWeights([{ Type: 'fixed-response' }], topology, { blue: 0, green: 100 })).toThrow(/no forward action/));
});

describe('lock tags', () => {
  const lock: RolloutLock = {
    rolloutId: 'example-org/svg-ai/123',
    owner: 'github-actions example-org/svg-ai run 123 attempt 1',
    runUrl: 'https://github.com/example-org/svg-ai/actions/runs/123',
    targetImage: `123456789012.dkr.ecr.eu-west-1.amazonaws.com/svg-ai@sha256:${'a'.repeat(64)}`,
    modelVersion: '1.4.0',
    canaryColour: 'green',
    phase: 'stepping',
    stepIndex: 2,
    startedAt: Date.parse('2026-11-29T06:00:00.000Z'),
  };

  it('round-trips a lock through tags', () => expect(tagsToLock(lockToTags(lock))).toEqual(lock));
  it('writes plain values when tags allow them, so the console shows them', () => {
    expect(lockToTags(lock).find((t) => t.Key === 'svg-ai-release:run-url')?.Value).toBe(lock.runUrl);
  });
  it.each(['owner "quoted" {json}', 'b64:looks encoded', ' padded '])('encodes %p and reads it back exactly', (value) => {
    const encoded = encodeTagValue(value);
    expect(encoded.startsWith('b64:')).toBe(true);
    expect(decodeTagValue(encoded)).toBe(value);
  });
  it('splits long values over numbered tags within AWS limits (values 255, keys 127 characters), and reads them back', () => {
    const definition = JSON.stringify({ steps: '5,20,100', environment: 'A=1\n'.repeat(400) });
    const long = {
      ...lock,
      owner: 'o'.repeat(600),
      definition,
      taskDefinition: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/svg-ai:8',
    };
    const tags = lockToTags(long);
    expect(Math.max(...tags.map((t) => t.Value.length))).toBe(255);
    expect(Math.max(...tags.map((t) => t.Key.length))).toBeLessThanOrEqual(127);
    expect(tags.filter((t) => t.Key.startsWith('svg-ai-release:owner')).map((t) => t.Key)).toEqual([
      'svg-ai-release:owner',
      'svg-ai-release:owner.2',
      'svg-ai-release:owner.3',
    ]);
    expect(tagsToLock(tags)).toEqual(long);
  });
  it('reads no lock from unrelated tags', () => expect(tagsToLock([{ Key: 'team', Value: 'ml' }])).toBeUndefined());
  it('refuses damaged lock tags', () => {
    const damaged = lockToTags(lock).map((t) => (t.Key === 'svg-ai-release:canary' ? { ...t, Value: 'purple' } : t));
    expect(() => tagsToLock(damaged)).toThrow(/rollout lock tags .* are damaged/);
  });
});

describe('task definition rendering', () => {
  const live: TaskDefinition = {
    taskDefinitionArn: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/svg-ai:7',
    family: 'svg-ai',
    revision: 7,
    status: 'ACTIVE',
    networkMode: 'awsvpc',
    cpu: '1024',
    memory: '2048',
    requiresCompatibilities: ['FARGATE'],
    containerDefinitions: [
      { name: 'log-router', image: 'fluent-bit:3', essential: false },
      {
        name: 'svg-ai',
        image: 'svg-ai@sha256:old',
        essential: true,
        environment: [
          { name: 'MODEL_VERSION', value: '1.3.0' },
          { name: 'LOG_LEVEL', value: 'info' },
        ],
      },
    ],
    registeredAt: new Date(),
  };

  it('changes only the image and environment of the first essential container', () => {
    const rendered = renderRevision(live, { image: 'svg-ai@sha256:new', environment: { MODEL_VERSION: '1.4.0' } });
    expect(rendered.containerDefinitions?.[0]).toEqual(live.containerDefinitions?.[0]);
    expect(rendered.containerDefinitions?.[1]).toMatchObject({
      image: 'svg-ai@sha256:new',
      environment: [
        { name: 'LOG_LEVEL', value: 'info' },
        { name: 'MODEL_VERSION', value: '1.4.0' },
      ],
    });
    expect(rendered).not.toHaveProperty('revision');
    expect(rendered).not.toHaveProperty('taskDefinitionArn');
  });

  it('treats a described revision with the same content as identical, whatever the order of environment entries', () => {
    const rendered = renderRevision(live, { image: 'svg-ai@sha256:new' });
    const described = {
      ...live,
      revision: 8,
      containerDefinitions: rendered.containerDefinitions?.map((c) => ({ ...c, environment: [...(c.environment ?? [])].reverse() })),
    };
    expect(sameRevision(rendered, described)).toBe(true);
    expect(sameRevision(renderRevision(live, { image: 'svg-ai@sha256:other' }), described)).toBe(false);
  });

  it('names the containers when the requested one is missing', () => {
    expect(() => renderRevision(live, { image: 'x' }, 'web')).toThrow(/has no container named web \(containers: log-router, svg-ai\)/);
  });

  it('canonical form ignores empty lists and key order', () => expect(canonical({ b: 1, a: [], c: undefined })).toBe(canonical({ b: 1 })));
});

describe('isTransientAwsError', () => {
  const sdkError = (name: string, status: number) => Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });
  it.each([
    ['ELB throttling', sdkError('Throttling', 400), true],
    ['ECS throttling', sdkError('ThrottlingException', 400), true],
    ['a control-plane 503', sdkError('ServiceUnavailable', 503), true],
    ['a reset connection', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), true],
    ['a validation error', sdkError('ValidationError', 400), false],
    ['a missing listener', sdkError('ListenerNotFound', 400), false],
    ['access denied', sdkError('AccessDenied', 403), false],
  ])('classifies %s', (_name, error, expected) => expect(isTransientAwsError(error)).toBe(expected));
});

describe('metric windows', () => {
  it.each([
    ['a 5 s window at 1 s resolution', { start: 0, end: 5_000 }, 1, 5],
    ['a 90 s window at 1 s resolution', { start: 0, end: 90_000 }, 1, 30],
    ['a 3 s window at 1 s resolution', { start: 0, end: 3_000 }, 1, 1],
    ['a 5 min window at 60 s resolution', { start: 0, end: 300_000 }, 60, 300],
    ['a 20 s window at 60 s resolution', { start: 0, end: 20_000 }, 60, 60],
  ])('divides %s into valid periods that stay inside it', (_name, window, resolution, period) =>
    expect(windowPeriod(window, resolution)).toBe(period),
  );

  it.each([
    ['Sum adds up', [1, 2, 3], 'Sum', 6],
    ['Maximum keeps the highest', [0.1, 0.3, 0.2], 'Maximum', 0.3],
    ['percentiles without weights average', [0.1, 0.3, 0.2], 'p99', 0.2],
    ['Average averages', [1, 3], 'Average', 2],
  ])('%s', (_name, values, stat, expected) => expect(combine({ Id: 'x', Values: values }, stat)).toBeCloseTo(expected as number));

  it('weights percentiles by the requests behind each data point', () => {
    const at = [new Date(1_000), new Date(2_000)];
    const weights = new Map([
      [1_000, 90],
      [2_000, 10],
    ]);
    expect(combine({ Id: 'p95', Values: [0.1, 1.0], Timestamps: at }, 'p95', weights)).toBeCloseTo(0.19);
  });

  it('reads no data as undefined, never zero', () => expect(combine({ Id: 'x', Values: [] }, 'Sum')).toBeUndefined());
});
