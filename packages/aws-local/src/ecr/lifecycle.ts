/**
 * Lifecycle policies: stored and returned, and validated as ECR validates them, so a policy that ECR would
 * refuse fails here too. ECR evaluates a policy within a day of a push; the stand-in applies it right after
 * each push, with ECR's rules: rules in priority order, an image selected by a rule's tag filter is out of
 * reach of lower-priority rules, and `imageCountMoreThan` keeps the newest pushes.
 */
import { EcrError, invalidParameter } from './errors.js';
import { type Input, requiredString } from './input.js';
import { targetRepository } from './repositories.js';
import type { EcrStore, Image, Repository } from './store.js';

const MIN_LENGTH = 100;
const MAX_LENGTH = 30720;

export function putLifecyclePolicy(store: EcrStore, input: Input): Record<string, unknown> {
  const repository = targetRepository(store, input);
  const text = requiredString(input, 'lifecyclePolicyText');
  validatePolicy(text);
  repository.lifecyclePolicy = text;
  return { registryId: store.accountId, repositoryName: repository.name, lifecyclePolicyText: text };
}

export function getLifecyclePolicy(store: EcrStore, input: Input): Record<string, unknown> {
  const repository = targetRepository(store, input);
  const text = repository.lifecyclePolicy;
  if (text === undefined) throw lifecyclePolicyNotFound(store, repository.name);
  return { registryId: store.accountId, repositoryName: repository.name, lifecyclePolicyText: text };
}

export function deleteLifecyclePolicy(store: EcrStore, input: Input): Record<string, unknown> {
  const repository = targetRepository(store, input);
  const text = repository.lifecyclePolicy;
  if (text === undefined) throw lifecyclePolicyNotFound(store, repository.name);
  delete repository.lifecyclePolicy;
  return { registryId: store.accountId, repositoryName: repository.name, lifecyclePolicyText: text };
}

function lifecyclePolicyNotFound(store: EcrStore, name: string): EcrError {
  return new EcrError(
    'LifecyclePolicyNotFoundException',
    `Lifecycle policy does not exist for the repository with name '${name}' in the registry with id '${store.accountId}'`,
  );
}

/** Throws InvalidParameterException naming the first rule of ECR's policy grammar the text breaks. */
export function validatePolicy(text: string): void {
  const refuse = (reason: string) =>
    invalidParameter(`Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: '${reason}'`);
  if (text.length < MIN_LENGTH || text.length > MAX_LENGTH) {
    throw refuse(`Lifecycle policy text must be between ${MIN_LENGTH} and ${MAX_LENGTH} characters`);
  }
  let policy: unknown;
  try {
    policy = JSON.parse(text);
  } catch {
    throw refuse('Lifecycle policy validation failure: the text is not valid JSON');
  }
  const rules = isObject(policy) ? policy['rules'] : undefined;
  if (!Array.isArray(rules) || rules.length === 0) throw refuse('Lifecycle policy validation failure: rules must be a non-empty array');
  const priorities = new Set<number>();
  rules.forEach((rule: unknown, index) => {
    const where = `rules[${index}]`;
    if (!isObject(rule)) throw refuse(`${where} must be an object`);
    const priority = rule['rulePriority'];
    if (!Number.isInteger(priority) || (priority as number) < 1) throw refuse(`${where}.rulePriority must be a positive integer`);
    if (priorities.has(priority as number)) throw refuse(`${where}.rulePriority ${String(priority)} is used by another rule`);
    priorities.add(priority as number);
    validateSelection(rule['selection'], `${where}.selection`, refuse);
    const action = rule['action'];
    if (!isObject(action) || action['type'] !== 'expire') throw refuse(`${where}.action.type must be "expire"`);
  });
}

function validateSelection(selection: unknown, where: string, refuse: (reason: string) => Error): void {
  if (!isObject(selection)) throw refuse(`${where} must be an object`);
  const tagStatus = selection['tagStatus'];
  if (tagStatus !== 'tagged' && tagStatus !== 'untagged' && tagStatus !== 'any') {
    throw refuse(`${where}.tagStatus must be "tagged", "untagged" or "any"`);
  }
  if (tagStatus === 'tagged') {
    const prefixes = selection['tagPrefixList'];
    const patterns = selection['tagPatternList'];
    const listed = (value: unknown) => Array.isArray(value) && value.length > 0 && value.every((entry) => typeof entry === 'string');
    if (!listed(prefixes) && !listed(patterns)) throw refuse(`${where} with tagStatus "tagged" needs tagPrefixList or tagPatternList`);
  }
  const countType = selection['countType'];
  if (countType !== 'imageCountMoreThan' && countType !== 'sinceImagePushed') {
    throw refuse(`${where}.countType must be "imageCountMoreThan" or "sinceImagePushed"`);
  }
  const countNumber = selection['countNumber'];
  if (!Number.isInteger(countNumber) || (countNumber as number) < 1) throw refuse(`${where}.countNumber must be a positive integer`);
  if (countType === 'sinceImagePushed' && selection['countUnit'] !== 'days') {
    throw refuse(`${where}.countUnit must be "days" when countType is "sinceImagePushed"`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

interface Selection {
  readonly tagStatus: 'tagged' | 'untagged' | 'any';
  readonly tagPrefixList?: readonly string[];
  readonly tagPatternList?: readonly string[];
  readonly countType: 'imageCountMoreThan' | 'sinceImagePushed';
  readonly countNumber: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Expires what the repository's policy selects; returns the digests it removed. */
export function applyLifecyclePolicy(repository: Repository, now = new Date()): string[] {
  if (repository.lifecyclePolicy === undefined) return [];
  const rules = (JSON.parse(repository.lifecyclePolicy) as { rules: { rulePriority: number; selection: Selection }[] }).rules
    .slice()
    .sort((a, b) => a.rulePriority - b.rulePriority);
  const claimed = new Set<string>();
  const expired: string[] = [];
  for (const { selection } of rules) {
    // Newest first; images pushed in the same millisecond are ordered by push order (the map's order).
    const selected = [...repository.images.values()]
      .map((image, order) => ({ image, order }))
      .filter(({ image }) => !claimed.has(image.digest) && selects(selection, image))
      .sort((a, b) => b.image.pushedAt.getTime() - a.image.pushedAt.getTime() || b.order - a.order)
      .map(({ image }) => image);
    for (const image of selected) claimed.add(image.digest);
    const doomed =
      selection.countType === 'imageCountMoreThan'
        ? selected.slice(selection.countNumber)
        : selected.filter((image) => now.getTime() - image.pushedAt.getTime() > selection.countNumber * DAY_MS);
    expired.push(...doomed.map((image) => image.digest));
  }
  for (const digest of expired) repository.images.delete(digest);
  return expired;
}

/** A tagged rule with several prefixes or patterns selects only images that match every one of them, as in ECR. */
function selects(selection: Selection, image: Image): boolean {
  if (selection.tagStatus === 'any') return true;
  if (selection.tagStatus === 'untagged') return image.tags.length === 0;
  if (image.tags.length === 0) return false;
  const prefixes = selection.tagPrefixList ?? [];
  const patterns = (selection.tagPatternList ?? []).map((pattern) => new RegExp(`^${pattern.split('*').map(escape).join('.*')}$`));
  return (
    prefixes.every((prefix) => image.tags.some((tag) => tag.startsWith(prefix))) &&
    patterns.every((pattern) => image.tags.some((tag) => pattern.test(tag)))
  );
}

function escape(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}
