/** Repository operations: create, describe, delete, tag mutability and scan-on-push settings. */
import { EcrError, invalidParameter, repositoryNotFound } from './errors.js';
import {
  type Input,
  optionalBoolean,
  optionalObject,
  optionalString,
  optionalStringList,
  page,
  pageRequest,
  requiredString,
} from './input.js';
import { renderRepository } from './render.js';
import { type EcrStore, type Repository, TAG_MUTABILITIES, type TagMutability } from './store.js';

/** ECR's repository name rule: lower-case path components separated by `/`, 2 to 256 characters. */
const REPOSITORY_NAME = /^(?=.{2,256}$)(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

/** The repository an operation names, in the registry it names (only this account's registry exists here). */
export function targetRepository(store: EcrStore, input: Input): Repository {
  const name = requiredString(input, 'repositoryName');
  const registryId = optionalString(input, 'registryId');
  if (registryId !== undefined && registryId !== store.accountId) throw repositoryNotFound(name, registryId);
  return store.repository(name);
}

export function createRepository(store: EcrStore, input: Input): Record<string, unknown> {
  const name = requiredString(input, 'repositoryName');
  if (!REPOSITORY_NAME.test(name)) {
    throw invalidParameter(
      `Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must satisfy regular expression '(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*' and have length between 2 and 256'`,
    );
  }
  if (store.repositories.has(name)) {
    throw new EcrError(
      'RepositoryAlreadyExistsException',
      `The repository with name '${name}' already exists in the registry with id '${store.accountId}'`,
    );
  }
  const encryptionType = optionalString(optionalObject(input, 'encryptionConfiguration') ?? {}, 'encryptionType') ?? 'AES256';
  if (encryptionType !== 'AES256' && encryptionType !== 'KMS') {
    throw invalidParameter(`Invalid parameter at 'encryptionType': ${encryptionType} is not AES256 or KMS`);
  }
  const repository: Repository = {
    name,
    createdAt: new Date(),
    tagMutability: tagMutability(input) ?? 'MUTABLE',
    scanOnPush: optionalBoolean(optionalObject(input, 'imageScanningConfiguration') ?? {}, 'scanOnPush') ?? false,
    encryptionType,
    images: new Map(),
  };
  store.repositories.set(name, repository);
  return { repository: renderRepository(store, repository) };
}

export function describeRepositories(store: EcrStore, input: Input): Record<string, unknown> {
  const names = optionalStringList(input, 'repositoryNames');
  const registryId = optionalString(input, 'registryId');
  if (names !== undefined) {
    if (input['nextToken'] !== undefined || input['maxResults'] !== undefined) {
      throw invalidParameter('maxResults and nextToken cannot be used together with repositoryNames');
    }
    const repositories = names.map((name) => targetRepository(store, { repositoryName: name, registryId }));
    return { repositories: repositories.map((repository) => renderRepository(store, repository)) };
  }
  if (registryId !== undefined && registryId !== store.accountId) return { repositories: [] };
  const result = page([...store.repositories.values()], pageRequest(input));
  return {
    repositories: result.items.map((repository) => renderRepository(store, repository)),
    ...(result.nextToken === undefined ? {} : { nextToken: result.nextToken }),
  };
}

export function deleteRepository(store: EcrStore, input: Input): Record<string, unknown> {
  const repository = targetRepository(store, input);
  if (repository.images.size > 0 && optionalBoolean(input, 'force') !== true) {
    throw new EcrError(
      'RepositoryNotEmptyException',
      `The repository with name '${repository.name}' in registry with id '${store.accountId}' cannot be deleted because it still contains images`,
    );
  }
  store.repositories.delete(repository.name);
  return { repository: renderRepository(store, repository) };
}

export function putImageTagMutability(store: EcrStore, input: Input): Record<string, unknown> {
  const repository = targetRepository(store, input);
  const mutability = tagMutability(input);
  if (mutability === undefined) {
    throw invalidParameter("Invalid parameter at 'imageTagMutability' failed to satisfy constraint: 'Member must not be null'");
  }
  repository.tagMutability = mutability;
  return { registryId: store.accountId, repositoryName: repository.name, imageTagMutability: mutability };
}

export function putImageScanningConfiguration(store: EcrStore, input: Input): Record<string, unknown> {
  const repository = targetRepository(store, input);
  const scanOnPush = optionalBoolean(optionalObject(input, 'imageScanningConfiguration') ?? {}, 'scanOnPush');
  if (scanOnPush === undefined) {
    throw invalidParameter("Invalid parameter at 'imageScanningConfiguration' failed to satisfy constraint: 'Member must not be null'");
  }
  repository.scanOnPush = scanOnPush;
  return {
    registryId: store.accountId,
    repositoryName: repository.name,
    imageScanningConfiguration: { scanOnPush },
  };
}

function tagMutability(input: Input): TagMutability | undefined {
  const value = optionalString(input, 'imageTagMutability');
  if (value === undefined) return undefined;
  if (!(TAG_MUTABILITIES as readonly string[]).includes(value)) {
    throw invalidParameter(
      `Invalid parameter at 'imageTagMutability': ${value} is not supported here; use one of ${TAG_MUTABILITIES.join(', ')}`,
    );
  }
  return value as TagMutability;
}
