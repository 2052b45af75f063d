/** Image operations: push a manifest, fetch manifests, describe, list and delete images. */
import { EcrError, invalidParameter } from './errors.js';
import {
  type ImageIdentifier,
  type Input,
  imageIds,
  optionalObject,
  optionalString,
  optionalStringList,
  page,
  pageRequest,
  requiredString,
} from './input.js';
import { parseManifest } from './manifest.js';
import { imageIdsOf, renderImageDetail } from './render.js';
import { targetRepository } from './repositories.js';
import type { EcrStore, Image, Repository } from './store.js';

/** Docker's tag grammar, which ECR enforces. */
const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,299}$/;

export function putImage(store: EcrStore, input: Input): Record<string, unknown> {
  const repository = targetRepository(store, input);
  const manifest = requiredString(input, 'imageManifest');
  const tag = optionalString(input, 'imageTag');
  if (tag !== undefined && !IMAGE_TAG.test(tag)) {
    throw invalidParameter(`Invalid parameter at 'imageTag' failed to satisfy constraint: '${tag}' is not a valid tag`);
  }
  const parsed = parseManifest(manifest, optionalString(input, 'imageManifestMediaType'));
  const declaredDigest = optionalString(input, 'imageDigest');
  if (declaredDigest !== undefined && declaredDigest !== parsed.digest) {
    throw new EcrError(
      'ImageDigestDoesNotMatchException',
      `The image digest ${declaredDigest} does not match the digest of the manifest, ${parsed.digest}`,
    );
  }
  const image = store.putImage(repository, parsed, manifest, tag);
  return {
    image: {
      registryId: store.accountId,
      repositoryName: repository.name,
      imageId: { imageDigest: image.digest, ...(tag === undefined ? {} : { imageTag: tag }) },
      imageManifest: image.manifest,
      imageManifestMediaType: image.manifestMediaType,
    },
  };
}

interface ImageFailure {
  imageId: ImageIdentifier;
  failureCode: string;
  failureReason: string;
}

/** Per-identifier lookup for the batch operations, which report misses as failures instead of throwing. */
function lookup(store: EcrStore, repository: Repository, id: ImageIdentifier): Image | ImageFailure {
  if (id.imageDigest === undefined && id.imageTag === undefined) {
    return { imageId: id, failureCode: 'MissingDigestAndTag', failureReason: 'Missing image digest and tag' };
  }
  const image = store.findImage(repository, id);
  if (image) return image;
  if (id.imageDigest !== undefined && id.imageTag !== undefined && repository.images.has(id.imageDigest)) {
    return { imageId: id, failureCode: 'ImageTagDoesNotMatchDigest', failureReason: 'Tag does not match digest' };
  }
  return { imageId: id, failureCode: 'ImageNotFound', failureReason: 'Requested image not found' };
}

function isFailure(result: Image | ImageFailure): result is ImageFailure {
  return 'failureCode' in result;
}

export function batchGetImage(store: EcrStore, input: Input): Record<string, unknown> {
  const repository = targetRepository(store, input);
  const accepted = optionalStringList(input, 'acceptedMediaTypes');
  const images: Record<string, unknown>[] = [];
  const failures: ImageFailure[] = [];
  for (const id of imageIds(input)) {
    const result = lookup(store, repository, id);
    if (isFailure(result)) {
      failures.push(result);
    } else if (accepted !== undefined && !accepted.includes(result.manifestMediaType)) {
      // ECR converts only to the long-gone schema 1; a stand-in cannot, so it says what it holds instead.
      failures.push({
        imageId: id,
        failureCode: 'ImageNotFound',
        failureReason: `The image's manifest media type ${result.manifestMediaType} is not among the accepted media types`,
      });
    } else {
      images.push({
        registryId: store.accountId,
        repositoryName: repository.name,
        imageId: { imageDigest: result.digest, ...(id.imageTag === undefined ? {} : { imageTag: id.imageTag }) },
        imageManifest: result.manifest,
        imageManifestMediaType: result.manifestMediaType,
      });
    }
  }
  return { images, failures };
}

export function describeImages(store: EcrStore, input: Input): Record<string, unknown> {
  const repository = targetRepository(store, input);
  const requested = input['imageIds'] === undefined ? undefined : imageIds(input);
  const images = requested
    ? unique(requested.map((id) => store.requireImage(repository, id)))
    : filterByTagStatus(input, [...repository.images.values()]);
  const result = page(images, pageRequest(input));
  return {
    imageDetails: result.items.map((image) => renderImageDetail(store, repository, image)),
    ...(result.nextToken === undefined ? {} : { nextToken: result.nextToken }),
  };
}

export function listImages(store: EcrStore, input: Input): Record<string, unknown> {
  const repository = targetRepository(store, input);
  const ids = filterByTagStatus(input, [...repository.images.values()]).flatMap(imageIdsOf);
  const result = page(ids, pageRequest(input));
  return { imageIds: result.items, ...(result.nextToken === undefined ? {} : { nextToken: result.nextToken }) };
}

/**
 * Deleting by tag removes the tag, and the image with its last tag; deleting by digest removes the image
 * and every tag on it.
 */
export function batchDeleteImage(store: EcrStore, input: Input): Record<string, unknown> {
  const repository = targetRepository(store, input);
  const deleted: { imageDigest: string; imageTag?: string }[] = [];
  const failures: ImageFailure[] = [];
  for (const id of imageIds(input)) {
    const result = lookup(store, repository, id);
    if (isFailure(result)) {
      failures.push(result);
      continue;
    }
    if (id.imageDigest === undefined && id.imageTag !== undefined && result.tags.length > 1) {
      result.tags = result.tags.filter((tag) => tag !== id.imageTag);
      deleted.push({ imageDigest: result.digest, imageTag: id.imageTag });
      continue;
    }
    deleted.push(...imageIdsOf(result));
    repository.images.delete(result.digest);
  }
  return { imageIds: deleted, failures };
}

function filterByTagStatus(input: Input, images: Image[]): Image[] {
  const status = optionalString(optionalObject(input, 'filter') ?? {}, 'tagStatus') ?? 'ANY';
  switch (status) {
    case 'ANY':
      return images;
    case 'TAGGED':
      return images.filter((image) => image.tags.length > 0);
    case 'UNTAGGED':
      return images.filter((image) => image.tags.length === 0);
    default:
      throw invalidParameter(`Invalid parameter at 'filter.tagStatus': ${status} is not TAGGED, UNTAGGED or ANY`);
  }
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}
