/**
 * Lifecycle policies: stored and returned, and validated as ECR validates them, so a policy that ECR would
 * refuse fails here too. The stand-in never evaluates them, so no image expires.
 */
import { EcrError, invalidParameter } from './errors.js';
import { type Input, requiredString } from './input.js';
import { targetRepository } from './repositories.js';
import type { EcrStore } from './store.js';

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
