/**
 * The rollout lock and progress record, kept as tags on the production listener (or rule): next to
 * the traffic it governs, readable in the console, and gone with the listener. Tag values allow only
 * letters, digits, spaces and `_ . : / = + - @`; other values are stored base64url-encoded behind a
 * `b64:` prefix so that they read back exactly.
 */
import { AddTagsCommand, DescribeTagsCommand, RemoveTagsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Colour, RolloutLock, RolloutPhase, StateStore } from '@svg-ai-release/rollout';
import type { AwsClients } from './clients.js';
import { awsCall } from './errors.js';

export const TAG_PREFIX = 'svg-ai-release:';
const FIELDS = ['rollout-id', 'owner', 'run-url', 'image', 'model-version', 'canary', 'phase', 'step', 'started-at'] as const;
type Field = (typeof FIELDS)[number];
const PLAIN = /^[\p{L}\p{N}\s_.:/=+\-@]{0,256}$/u;
const PHASES: readonly RolloutPhase[] = ['deploying', 'stepping', 'paused', 'promoting', 'rolling-back'];

export function encodeTagValue(value: string): string {
  return PLAIN.test(value) && !value.startsWith('b64:') ? value : `b64:${Buffer.from(value, 'utf8').toString('base64url')}`;
}

export function decodeTagValue(value: string): string {
  return value.startsWith('b64:') ? Buffer.from(value.slice(4), 'base64url').toString('utf8') : value;
}

export function lockToTags(lock: RolloutLock): { Key: string; Value: string }[] {
  const values: Record<Field, string | undefined> = {
    'rollout-id': lock.rolloutId,
    owner: lock.owner,
    'run-url': lock.runUrl,
    image: lock.targetImage,
    'model-version': lock.modelVersion,
    canary: lock.canaryColour,
    phase: lock.phase,
    step: String(lock.stepIndex),
    'started-at': new Date(lock.startedAt).toISOString(),
  };
  return FIELDS.filter((field) => values[field] !== undefined).map((field) => ({
    Key: TAG_PREFIX + field,
    Value: encodeTagValue(values[field]!),
  }));
}

/** The lock the tags describe; undefined when there is none; an error when the tags are damaged (edited by hand). */
export function tagsToLock(tags: readonly { Key?: string; Value?: string }[]): RolloutLock | undefined {
  const value = (field: Field) => {
    const tag = tags.find((t) => t.Key === TAG_PREFIX + field);
    return tag?.Value === undefined ? undefined : decodeTagValue(tag.Value);
  };
  const rolloutId = value('rollout-id');
  if (rolloutId === undefined) return undefined;
  const canary = value('canary');
  const phase = value('phase');
  const step = Number(value('step'));
  const startedAt = Date.parse(value('started-at') ?? '');
  const targetImage = value('image');
  if (
    (canary !== 'blue' && canary !== 'green') ||
    !PHASES.includes(phase as RolloutPhase) ||
    !Number.isInteger(step) ||
    Number.isNaN(startedAt) ||
    !targetImage
  ) {
    throw new Error(
      `the rollout lock tags (${TAG_PREFIX}*) are damaged: ${JSON.stringify(tags.filter((t) => t.Key?.startsWith(TAG_PREFIX)))}`,
    );
  }
  const runUrl = value('run-url');
  const modelVersion = value('model-version');
  return {
    rolloutId,
    owner: value('owner') ?? 'unknown',
    ...(runUrl !== undefined ? { runUrl } : {}),
    targetImage,
    ...(modelVersion !== undefined ? { modelVersion } : {}),
    canaryColour: canary as Colour,
    phase: phase as RolloutPhase,
    stepIndex: step,
    startedAt,
  };
}

export class ListenerTagStateStore implements StateStore {
  constructor(
    private readonly clients: AwsClients,
    /** The production listener or rule ARN. */
    private readonly resourceArn: string,
  ) {}

  async read(): Promise<RolloutLock | undefined> {
    const { TagDescriptions } = await awsCall(`DescribeTags ${this.resourceArn}`, () =>
      this.clients.elbv2.send(new DescribeTagsCommand({ ResourceArns: [this.resourceArn] })),
    );
    return tagsToLock(TagDescriptions?.[0]?.Tags ?? []);
  }

  async write(lock: RolloutLock): Promise<void> {
    const tags = lockToTags(lock);
    await awsCall(`AddTags ${this.resourceArn}`, () =>
      this.clients.elbv2.send(new AddTagsCommand({ ResourceArns: [this.resourceArn], Tags: tags })),
    );
    // Optional fields absent from this lock must not survive from an earlier one.
    const stale = FIELDS.map((field) => TAG_PREFIX + field).filter((key) => !tags.some((tag) => tag.Key === key));
    if (stale.length > 0) {
      await awsCall(`RemoveTags ${this.resourceArn}`, () =>
        this.clients.elbv2.send(new RemoveTagsCommand({ ResourceArns: [this.resourceArn], TagKeys: stale })),
      );
    }
  }

  async clear(): Promise<void> {
    await awsCall(`RemoveTags ${this.resourceArn}`, () =>
      this.clients.elbv2.send(
        new RemoveTagsCommand({ ResourceArns: [this.resourceArn], TagKeys: FIELDS.map((field) => TAG_PREFIX + field) }),
      ),
    );
  }
}
