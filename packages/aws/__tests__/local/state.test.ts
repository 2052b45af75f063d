import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AddTagsCommand, CreateRuleCommand, DescribeTagsCommand, RemoveTagsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { AwsLocal } from '@svg-ai-release/aws-local';
import type { RolloutLock } from '@svg-ai-release/rollout';
import { ListenerTagStateStore, lockToTags, TAG_PREFIX, type AwsClients } from '../../src/index.js';
import { localClients, startStandIn } from './support.js';

let local: AwsLocal;
let clients: AwsClients;
let listenerArn: string;
let store: ListenerTagStateStore;

beforeAll(async () => {
  local = await startStandIn({ blueCount: 0, greenCount: 0 });
  clients = localClients(local);
  listenerArn = local.resources.listeners['production']!;
  store = new ListenerTagStateStore(clients, listenerArn);
});

afterAll(async () => {
  clients?.destroy();
  await local?.stop();
});

const lock: RolloutLock = {
  rolloutId: 'r-20260601-1',
  owner: 'octo-org/svg-ai run 42',
  runUrl: 'https://github.com/octo-org/svg-ai/actions/runs/42?attempt=2',
  targetImage: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/svg-ai@sha256:' + 'a'.repeat(64),
  modelVersion: '1.4.0',
  canaryColour: 'green',
  phase: 'stepping',
  stepIndex: 2,
  startedAt: Date.parse('2026-06-01T10:00:00.000Z'),
};

async function tags(): Promise<Record<string, string>> {
  const { TagDescriptions } = await clients.elbv2.send(new DescribeTagsCommand({ ResourceArns: [listenerArn] }));
  return Object.fromEntries((TagDescriptions?.[0]?.Tags ?? []).map((tag) => [tag.Key!, tag.Value!]));
}

describe('ListenerTagStateStore against the stand-in', () => {
  it('reads nothing from a listener without a lock', async () => {
    await expect(store.read()).resolves.toBeUndefined();
  });

  it('writes a lock as tags and reads it back exactly', async () => {
    await store.write(lock);

    await expect(store.read()).resolves.toEqual(lock);
    const written = await tags();
    expect(written[`${TAG_PREFIX}rollout-id`]).toBe('r-20260601-1');
    expect(written[`${TAG_PREFIX}started-at`]).toBe('2026-06-01T10:00:00.000Z');
  });

  it('stores values that tags cannot hold base64-encoded, and reads them back decoded', async () => {
    const unusual = { ...lock, owner: 'Zoë <zoe@example.com> (run #7)', runUrl: 'https://example.com/a?b=c&d=e' };

    await store.write(unusual);

    const written = await tags();
    expect(written[`${TAG_PREFIX}owner`]).toMatch(/^b64:[A-Za-z0-9_-]+$/);
    expect(written[`${TAG_PREFIX}run-url`]).toMatch(/^b64:/);
    await expect(store.read()).resolves.toEqual(unusual);
  });

  it('removes optional fields the new lock no longer has', async () => {
    await store.write(lock);
    const { runUrl: _runUrl, modelVersion: _modelVersion, ...bare } = lock;

    await store.write({ ...bare, phase: 'promoting' });

    const written = await tags();
    expect(Object.keys(written)).not.toContain(`${TAG_PREFIX}run-url`);
    expect(Object.keys(written)).not.toContain(`${TAG_PREFIX}model-version`);
    await expect(store.read()).resolves.toEqual({ ...bare, phase: 'promoting' });
  });

  it('clears only its own tags', async () => {
    await store.write(lock);

    await store.clear();

    await expect(store.read()).resolves.toBeUndefined();
    const left = await tags();
    expect(Object.keys(left).filter((key) => key.startsWith(TAG_PREFIX))).toEqual([]);
    expect(left['aws-local:name']).toBe('production');
  });

  it('refuses tags damaged by hand instead of guessing', async () => {
    await store.write(lock);
    await clients.elbv2.send(
      new AddTagsCommand({ ResourceArns: [listenerArn], Tags: [{ Key: `${TAG_PREFIX}phase`, Value: 'half-done' }] }),
    );

    await expect(store.read()).rejects.toThrow(/the rollout lock tags \(svg-ai-release:\*\) are damaged/);
    await store.clear();
  });

  it('keeps a lock on a listener rule too', async () => {
    const { Rules } = await clients.elbv2.send(
      new CreateRuleCommand({
        ListenerArn: listenerArn,
        Priority: 10,
        Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/api/*'] } }],
        Actions: [{ Type: 'forward', TargetGroupArn: local.resources.targetGroups['svg-ai-blue'] }],
      }),
    );
    const ruleStore = new ListenerTagStateStore(clients, Rules![0]!.RuleArn!);

    await ruleStore.write(lock);

    await expect(ruleStore.read()).resolves.toEqual(lock);
    await ruleStore.clear();
    await expect(ruleStore.read()).resolves.toBeUndefined();
  });

  it('refuses a lock that would take the resource past 50 tags, saying how many it needs and how many are there, writing nothing', async () => {
    const { Rules } = await clients.elbv2.send(
      new CreateRuleCommand({
        ListenerArn: listenerArn,
        Priority: 20,
        Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/full/*'] } }],
        Actions: [{ Type: 'forward', TargetGroupArn: local.resources.targetGroups['svg-ai-blue'] }],
      }),
    );
    const ruleArn = Rules![0]!.RuleArn!;
    const others = Array.from({ length: 44 }, (_, i) => ({ Key: `team:${i}`, Value: 'x' }));
    await clients.elbv2.send(new AddTagsCommand({ ResourceArns: [ruleArn], Tags: others }));
    const ruleStore = new ListenerTagStateStore(clients, ruleArn);
    const needed = lockToTags(lock).length;
    expect(needed).toBe(9);

    await expect(ruleStore.write(lock)).rejects.toThrow(
      `the rollout lock needs 9 tags on ${ruleArn}, which already has 44 other tags; AWS allows 50 per resource: ` +
        'remove 3 of its other tags, or give shorter inputs (environment, metric-checks, alarms) so that the record needs fewer tags',
    );
    const { TagDescriptions } = await clients.elbv2.send(new DescribeTagsCommand({ ResourceArns: [ruleArn] }));
    expect(TagDescriptions?.[0]?.Tags?.filter((tag) => tag.Key?.startsWith(TAG_PREFIX))).toEqual([]);

    // Within the budget it fits exactly: 41 others and 9 for the lock make 50.
    await clients.elbv2.send(new RemoveTagsCommand({ ResourceArns: [ruleArn], TagKeys: ['team:0', 'team:1', 'team:2'] }));
    await ruleStore.write(lock);
    await expect(ruleStore.read()).resolves.toEqual(lock);
  });

  it('is held to AWS limits by the stand-in: a 51st tag is TooManyTags, a 257-character value a ValidationError', async () => {
    const { Rules } = await clients.elbv2.send(
      new CreateRuleCommand({
        ListenerArn: listenerArn,
        Priority: 30,
        Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/limits/*'] } }],
        Actions: [{ Type: 'forward', TargetGroupArn: local.resources.targetGroups['svg-ai-blue'] }],
      }),
    );
    const ruleArn = Rules![0]!.RuleArn!;
    const fifty = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    await clients.elbv2.send(new AddTagsCommand({ ResourceArns: [ruleArn], Tags: fifty }));
    await expect(
      clients.elbv2.send(new AddTagsCommand({ ResourceArns: [ruleArn], Tags: [{ Key: 'k50', Value: 'v' }] })),
    ).rejects.toMatchObject({ name: 'TooManyTagsException' });
    // Updating a key that exists adds no tag.
    await clients.elbv2.send(new AddTagsCommand({ ResourceArns: [ruleArn], Tags: [{ Key: 'k0', Value: 'w' }] }));
    await expect(
      clients.elbv2.send(new AddTagsCommand({ ResourceArns: [ruleArn], Tags: [{ Key: 'k1', Value: 'v'.repeat(257) }] })),
    ).rejects.toMatchObject({ name: 'ValidationError' });
    await expect(
      clients.elbv2.send(new AddTagsCommand({ ResourceArns: [ruleArn], Tags: [{ Key: 'k1', Value: '{json}' }] })),
    ).rejects.toMatchObject({ name: 'ValidationError' });
  });
});
