/**
 * ECR state as plain JSON (dates as ISO strings), so a stopped stand-in can be resumed. Restoring checks the
 * shape first and names the first thing that is wrong.
 */
import { array, date, object, string } from '../snapshot-fields.js';
import {
  type EcrStore,
  type Finding,
  type Image,
  type Repository,
  SEVERITIES,
  type Severity,
  TAG_MUTABILITIES,
  type TagMutability,
} from './store.js';

export interface EcrSnapshot {
  readonly repositories: readonly {
    readonly name: string;
    readonly createdAt: string;
    readonly tagMutability: TagMutability;
    readonly scanOnPush: boolean;
    readonly encryptionType: string;
    readonly lifecyclePolicy: string | null;
    readonly images: readonly {
      readonly digest: string;
      readonly manifest: string;
      readonly manifestMediaType: string;
      readonly artifactMediaType: string | null;
      readonly sizeInBytes: number;
      readonly pushedAt: string;
      readonly tags: readonly string[];
      readonly scan: { readonly completedAt: string; readonly findings: readonly Finding[] } | null;
    }[];
  }[];
  readonly seededFindings: Readonly<Record<string, readonly Finding[]>>;
}

export function snapshotStore(store: EcrStore): EcrSnapshot {
  return {
    repositories: [...store.repositories.values()].map((repository) => ({
      name: repository.name,
      createdAt: repository.createdAt.toISOString(),
      tagMutability: repository.tagMutability,
      scanOnPush: repository.scanOnPush,
      encryptionType: repository.encryptionType,
      lifecyclePolicy: repository.lifecyclePolicy ?? null,
      images: [...repository.images.values()].map((image) => ({
        digest: image.digest,
        manifest: image.manifest,
        manifestMediaType: image.manifestMediaType,
        artifactMediaType: image.artifactMediaType ?? null,
        sizeInBytes: image.sizeInBytes,
        pushedAt: image.pushedAt.toISOString(),
        tags: [...image.tags],
        scan: image.scan ? { completedAt: image.scan.completedAt.toISOString(), findings: [...image.scan.findings] } : null,
      })),
    })),
    seededFindings: Object.fromEntries(store.seededFindings),
  };
}

/** Replaces the store's contents with the snapshot's; on a malformed snapshot the store is left untouched. */
export function restoreStore(store: EcrStore, data: unknown): void {
  const root = object(data, 'snapshot');
  const repositories = array(root['repositories'], 'snapshot.repositories').map(restoreRepository);
  const seeded = Object.entries(object(root['seededFindings'], 'snapshot.seededFindings')).map(
    ([digest, findings]) => [digest, parseFindings(findings, `snapshot.seededFindings.${digest}`)] as const,
  );
  store.repositories.clear();
  for (const repository of repositories) store.repositories.set(repository.name, repository);
  store.seededFindings.clear();
  for (const [digest, findings] of seeded) store.seededFindings.set(digest, findings);
}

function restoreRepository(raw: unknown, index: number): Repository {
  const where = `snapshot.repositories[${index}]`;
  const value = object(raw, where);
  const tagMutability = string(value, 'tagMutability', where);
  if (!(TAG_MUTABILITIES as readonly string[]).includes(tagMutability)) throw new Error(`${where}.tagMutability is not valid`);
  const scanOnPush = value['scanOnPush'];
  if (typeof scanOnPush !== 'boolean') throw new Error(`${where}.scanOnPush must be a boolean`);
  const lifecyclePolicy = value['lifecyclePolicy'];
  if (lifecyclePolicy !== null && typeof lifecyclePolicy !== 'string') throw new Error(`${where}.lifecyclePolicy must be a string or null`);
  const images = array(value['images'], `${where}.images`).map((image, position) => restoreImage(image, `${where}.images[${position}]`));
  return {
    name: string(value, 'name', where),
    createdAt: date(value, 'createdAt', where),
    tagMutability: tagMutability as TagMutability,
    scanOnPush,
    encryptionType: string(value, 'encryptionType', where),
    ...(lifecyclePolicy === null ? {} : { lifecyclePolicy }),
    images: new Map(images.map((image) => [image.digest, image])),
  };
}

function restoreImage(raw: unknown, where: string): Image {
  const value = object(raw, where);
  const sizeInBytes = value['sizeInBytes'];
  if (!Number.isInteger(sizeInBytes)) throw new Error(`${where}.sizeInBytes must be an integer`);
  const tags = array(value['tags'], `${where}.tags`);
  if (tags.some((tag) => typeof tag !== 'string')) throw new Error(`${where}.tags must be strings`);
  const artifactMediaType = value['artifactMediaType'];
  const scan = value['scan'] === null ? undefined : object(value['scan'], `${where}.scan`);
  return {
    digest: string(value, 'digest', where),
    manifest: string(value, 'manifest', where),
    manifestMediaType: string(value, 'manifestMediaType', where),
    ...(typeof artifactMediaType === 'string' ? { artifactMediaType } : {}),
    sizeInBytes: sizeInBytes as number,
    pushedAt: date(value, 'pushedAt', where),
    tags: tags as string[],
    ...(scan
      ? {
          scan: {
            completedAt: date(scan, 'completedAt', `${where}.scan`),
            findings: parseFindings(scan['findings'], `${where}.scan.findings`),
          },
        }
      : {}),
  };
}

export function parseFindings(raw: unknown, where: string): Finding[] {
  return array(raw, where).map((entry, index) => {
    const at = `${where}[${index}]`;
    const value = object(entry, at);
    const severity = string(value, 'severity', at);
    if (!(SEVERITIES as readonly string[]).includes(severity)) {
      throw new Error(`${at}.severity must be one of ${SEVERITIES.join(', ')}`);
    }
    const attributes = value['attributes'] === undefined ? undefined : array(value['attributes'], `${at}.attributes`);
    return {
      name: string(value, 'name', at),
      severity: severity as Severity,
      ...(typeof value['description'] === 'string' ? { description: value['description'] } : {}),
      ...(typeof value['uri'] === 'string' ? { uri: value['uri'] } : {}),
      ...(attributes
        ? {
            attributes: attributes.map((attribute, position) => {
              const pair = object(attribute, `${at}.attributes[${position}]`);
              return {
                key: string(pair, 'key', `${at}.attributes[${position}]`),
                value: string(pair, 'value', `${at}.attributes[${position}]`),
              };
            }),
          }
        : {}),
    };
  });
}
