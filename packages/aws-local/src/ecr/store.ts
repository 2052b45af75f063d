/**
 * ECR state and its image rules: a digest is stored once per repository, a tag points at one image at a
 * time (moving on push unless the repository is immutable), and an image without tags stays until deleted.
 */
import { EcrError, imageNotFound, repositoryNotFound } from './errors.js';
import type { ImageIdentifier } from './input.js';
import type { ParsedManifest } from './manifest.js';

export const TAG_MUTABILITIES = ['MUTABLE', 'IMMUTABLE'] as const;
export type TagMutability = (typeof TAG_MUTABILITIES)[number];

export const SEVERITIES = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL', 'UNDEFINED'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface Finding {
  readonly name: string;
  readonly severity: Severity;
  readonly description?: string;
  readonly uri?: string;
  readonly attributes?: readonly { readonly key: string; readonly value: string }[];
}

export interface ScanResult {
  readonly completedAt: Date;
  readonly findings: readonly Finding[];
}

export interface Image {
  readonly digest: string;
  readonly manifest: string;
  readonly manifestMediaType: string;
  readonly artifactMediaType?: string;
  readonly sizeInBytes: number;
  readonly pushedAt: Date;
  tags: string[];
  scan?: ScanResult;
}

export interface Repository {
  readonly name: string;
  readonly createdAt: Date;
  tagMutability: TagMutability;
  scanOnPush: boolean;
  readonly encryptionType: string;
  /** The policy text exactly as put, since GetLifecyclePolicy returns it verbatim. */
  lifecyclePolicy?: string;
  /** Keyed by digest, in push order. */
  readonly images: Map<string, Image>;
}

export class EcrStore {
  readonly repositories = new Map<string, Repository>();
  /** What a scan of an image with this digest reports; images nobody seeded scan clean. */
  readonly seededFindings = new Map<string, readonly Finding[]>();
  /** Registry passwords GetAuthorizationToken handed out, with when each expires (epoch ms). */
  readonly passwords = new Map<string, number>();
  /** Blob contents by digest, stored once for the registry; `linked` says which repositories hold which. */
  readonly blobs = new Map<string, Buffer>();
  readonly linked = new Map<string, Set<string>>();
  /** Where the registry (`/v2/`) listens, once it does; GetAuthorizationToken's proxyEndpoint names it. */
  registryEndpoint: string | undefined;
  /** Runs after every push: applies the repository's lifecycle policy (set by the lifecycle module). */
  afterPush: ((repository: Repository) => void) | undefined;

  constructor(
    readonly region: string,
    readonly accountId: string,
  ) {}

  repository(name: string): Repository {
    const repository = this.repositories.get(name);
    if (!repository) throw repositoryNotFound(name, this.accountId);
    return repository;
  }

  arn(repository: Repository): string {
    return `arn:aws:ecr:${this.region}:${this.accountId}:repository/${repository.name}`;
  }

  uri(repository: Repository): string {
    return `${this.accountId}.dkr.ecr.${this.region}.amazonaws.com/${repository.name}`;
  }

  /** The image an identifier names, or undefined; a digest and tag that disagree name nothing. */
  findImage(repository: Repository, id: ImageIdentifier): Image | undefined {
    const image =
      id.imageDigest !== undefined
        ? repository.images.get(id.imageDigest)
        : [...repository.images.values()].find((candidate) => id.imageTag !== undefined && candidate.tags.includes(id.imageTag));
    if (image && id.imageTag !== undefined && !image.tags.includes(id.imageTag)) return undefined;
    return image;
  }

  requireImage(repository: Repository, id: ImageIdentifier): Image {
    const image = this.findImage(repository, id);
    if (!image) throw imageNotFound(id, repository.name, this.accountId);
    return image;
  }

  putImage(repository: Repository, parsed: ParsedManifest, manifest: string, tag: string | undefined): Image {
    const existing = repository.images.get(parsed.digest);
    if (existing && (tag === undefined || existing.tags.includes(tag))) {
      throw new EcrError(
        'ImageAlreadyExistsException',
        `Image with digest '${parsed.digest}' and tag '${tag ?? 'null'}' already exists in the repository with name '${repository.name}' in registry with id '${this.accountId}'`,
      );
    }
    if (tag !== undefined) this.releaseTag(repository, tag);
    if (existing && tag !== undefined) {
      existing.tags.push(tag);
      this.afterPush?.(repository);
      return existing;
    }
    const image: Image = {
      digest: parsed.digest,
      manifest,
      manifestMediaType: parsed.mediaType,
      ...(parsed.artifactMediaType === undefined ? {} : { artifactMediaType: parsed.artifactMediaType }),
      sizeInBytes: parsed.layersSize ?? this.indexSize(repository, parsed.children),
      pushedAt: new Date(),
      tags: tag === undefined ? [] : [tag],
    };
    repository.images.set(image.digest, image);
    if (repository.scanOnPush) this.scan(image);
    this.afterPush?.(repository);
    return image;
  }

  /** Runs a scan to completion at once; the stand-in has no scanner, so the result is what was seeded. */
  scan(image: Image): ScanResult {
    image.scan = { completedAt: new Date(), findings: this.seededFindings.get(image.digest) ?? [] };
    return image.scan;
  }

  /** A tag about to be pushed again: immutable repositories refuse, mutable ones take it off its old image. */
  private releaseTag(repository: Repository, tag: string): void {
    const holder = this.findImage(repository, { imageTag: tag });
    if (!holder) return;
    if (repository.tagMutability === 'IMMUTABLE') {
      throw new EcrError(
        'ImageTagAlreadyExistsException',
        `The image tag '${tag}' already exists in the '${repository.name}' repository and cannot be overwritten because the repository is immutable.`,
      );
    }
    holder.tags = holder.tags.filter((existing) => existing !== tag);
  }

  /** ECR reports an index as large as its largest child. */
  private indexSize(repository: Repository, children: readonly string[]): number {
    return Math.max(0, ...children.map((digest) => repository.images.get(digest)?.sizeInBytes ?? 0));
  }
}
