/**
 * The rollout lock and record, kept as tags on the production listener (or rule): next to the traffic
 * it governs, readable in the console, and gone with the listener. The record holds what a later run
 * needs to continue the rollout from the lock alone (image, model version, colours, the step reached,
 * the task definition, and the rollout's definition: plan and analysis settings).
 *
 * Within AWS's documented tag limits: at most 50 tags per resource (`aws:` tags not counted), keys of
 * 127 and values of 255 Unicode characters (the ELB guide; the API reference allows 128 and 256, so the
 * stricter figures are kept). Values allow only letters, digits, spaces and `_ . : / = + - @`; others are
 * stored base64url-encoded behind a `b64:` prefix. A value longer than one tag holds continues in
 * numbered tags (`<key>.2`, `<key>.3`, …), so long definitions fit as long as the tag budget allows.
 */
import { AddTagsCommand, DescribeTagsCommand, RemoveTagsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Colour, RolloutLock, RolloutPhase, StateStore } from '@svg-ai-release/rollout';
import type { AwsClients } from './clients.js';
import { AwsCallError, awsCall } from './errors.js';

export const TAG_PREFIX = 'svg-ai-release:';
/** AWS's limits as the ELB guide states them. */
export const MAX_TAGS_PER_RESOURCE = 50;
export const MAX_TAG_VALUE_LENGTH = 255;
const FIELDS = [
  'rollout-id',
  'owner',
  'run-url',
  'image',
  'model-version',
  'canary',
  'phase',
  'step',
  'started-at',
  'task-definition',
  'definition',
] as const;
type Field = (typeof FIELDS)[number];
const PLAIN = /^[\p{L}\p{N}\s_.:/=+\-@]*$/u;
const PHASES: readonly RolloutPhase[] = ['deploying', 'stepping', 'paused', 'promoting', 'rolling-back'];

export interface Tag {
  readonly Key: string;
  readonly Value: string;
}

export function encodeTagValue(value: string): string {
  return PLAIN.test(value) && !value.startsWith('b64:') && value.trim() === value
    ? value
    : `b64:${Buffer.from(value, 'utf8').toString('base64url')}`;
}

export function decodeTagValue(value: string): string {
  return value.startsWith('b64:') ? Buffer.from(value.slice(4), 'base64url').toString('utf8') : value;
}

/** `svg-ai-release:definition`, then `svg-ai-release:definition.2`, … */
function chunkKey(field: Field, index: number): string {
  return index === 0 ? TAG_PREFIX + field : `${TAG_PREFIX}${field}.${index + 1}`;
}

function isLockKey(key: string | undefined): boolean {
  return key !== undefined && key.startsWith(TAG_PREFIX);
}

export function lockToTags(lock: RolloutLock): Tag[] {
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
    'task-definition': lock.taskDefinition,
    definition: lock.definition,
  };
  const tags: Tag[] = [];
  for (const field of FIELDS) {
    const value = values[field];
    if (value === undefined) continue;
    const encoded = encodeTagValue(value);
    const count = Math.max(1, Math.ceil(encoded.length / MAX_TAG_VALUE_LENGTH));
    for (let i = 0; i < count; i++) {
      tags.push({ Key: chunkKey(field, i), Value: encoded.slice(i * MAX_TAG_VALUE_LENGTH, (i + 1) * MAX_TAG_VALUE_LENGTH) });
    }
  }
  return tags;
}

/** The lock the tags describe; undefined when there is none; an error when the tags are damaged (edited by hand). */
export function tagsToLock(tags: readonly { Key?: string; Value?: string }[]): RolloutLock | undefined {
  const byKey = new Map(tags.filter((t) => isLockKey(t.Key)).map((t) => [t.Key!, t.Value ?? '']));
  const value = (field: Field): string | undefined => {
    const first = byKey.get(chunkKey(field, 0));
    if (first === undefined) return undefined;
    let encoded = first;
    for (let i = 1; byKey.has(chunkKey(field, i)); i++) encoded += byKey.get(chunkKey(field, i));
    return decodeTagValue(encoded);
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
    throw new Error(`the rollout lock tags (${TAG_PREFIX}*) are damaged: ${JSON.stringify(Object.fromEntries(byKey))}`);
  }
  const optional = (field: Field, name: keyof RolloutLock) => {
    const found = value(field);
    return found === undefined ? {} : { [name]: found };
  };
  return {
    rolloutId,
    owner: value('owner') ?? 'unknown',
    ...optional('run-url', 'runUrl'),
    targetImage,
    ...optional('model-version', 'modelVersion'),
    canaryColour: canary as Colour,
    phase: phase as RolloutPhase,
    stepIndex: step,
    startedAt,
    ...optional('task-definition', 'taskDefinition'),
    ...optional('definition', 'definition'),
  };
}

/** Writing the lock would take the resource past AWS's tag limit. */
export class TagBudgetError extends Error {
  override readonly name = 'TagBudgetError';
}

function budgetMessage(resourceArn: string, needed: number, others: number): string {
  return (
    `the rollout lock needs ${needed} tags on ${resourceArn}, which already has ${others} other tags; AWS allows ` +
    `${MAX_TAGS_PER_RESOURCE} per resource: remove ${needed + others - MAX_TAGS_PER_RESOURCE} of its other tags, or give ` +
    'shorter inputs (environment, metric-checks, alarms) so that the record needs fewer tags'
  );
}

export class ListenerTagStateStore implements StateStore {
  constructor(
    private readonly clients: AwsClients,
    /** The production listener or rule ARN. */
    private readonly resourceArn: string,
  ) {}

  private async tags(): Promise<{ Key?: string; Value?: string }[]> {
    const { TagDescriptions } = await awsCall(`DescribeTags ${this.resourceArn}`, () =>
      this.clients.elbv2.send(new DescribeTagsCommand({ ResourceArns: [this.resourceArn] })),
    );
    return TagDescriptions?.[0]?.Tags ?? [];
  }

  async read(): Promise<RolloutLock | undefined> {
    return tagsToLock(await this.tags());
  }

  async write(lock: RolloutLock): Promise<void> {
    const tags = lockToTags(lock);
    const current = await this.tags();
    const others = current.filter((tag) => !isLockKey(tag.Key) && !tag.Key?.startsWith('aws:')).length;
    const keys = new Set(tags.map((tag) => tag.Key));
    const stale = current.map((tag) => tag.Key).filter((key): key is string => isLockKey(key) && !keys.has(key!));
    // Keys of the old lock are still there while the new one is added: count them, as AWS does.
    if (others + keys.size + stale.length > MAX_TAGS_PER_RESOURCE && stale.length > 0) {
      await this.remove(stale);
      stale.length = 0;
    }
    if (others + keys.size > MAX_TAGS_PER_RESOURCE) throw new TagBudgetError(budgetMessage(this.resourceArn, keys.size, others));
    try {
      await awsCall(`AddTags ${this.resourceArn}`, () =>
        this.clients.elbv2.send(new AddTagsCommand({ ResourceArns: [this.resourceArn], Tags: tags })),
      );
    } catch (error) {
      // Another writer added tags in between: say what the budget is, not only that it ran out.
      if (error instanceof AwsCallError && (error.code === 'TooManyTags' || error.code === 'TooManyTagsException')) {
        const now = (await this.tags()).filter((tag) => !isLockKey(tag.Key) && !tag.Key?.startsWith('aws:')).length;
        throw new TagBudgetError(`${budgetMessage(this.resourceArn, keys.size, now)} (AddTags: ${error.message})`);
      }
      throw error;
    }
    // Fields absent from this lock (or chunks it no longer needs) must not survive from an earlier one.
    if (stale.length > 0) await this.remove(stale);
  }

  async clear(): Promise<void> {
    const keys = (await this.tags()).map((tag) => tag.Key).filter((key): key is string => isLockKey(key));
    if (keys.length > 0) await this.remove(keys);
  }

  private async remove(keys: readonly string[]): Promise<void> {
    await awsCall(`RemoveTags ${this.resourceArn}`, () =>
      this.clients.elbv2.send(new RemoveTagsCommand({ ResourceArns: [this.resourceArn], TagKeys: [...keys] })),
    );
  }
}
