/**
 * The ECR adapter build-push uses: who the credentials are (STS), a registry login (GetAuthorizationToken),
 * the repository and its lifecycle policy, and read-backs of what a push left in the registry (the image by
 * digest, every tag on it, its scan). Each write is followed by a read that verifies it.
 */
import {
  BatchGetImageCommand,
  CreateRepositoryCommand,
  DescribeImageScanFindingsCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetAuthorizationTokenCommand,
  GetLifecyclePolicyCommand,
  PutLifecyclePolicyCommand,
  type ImageScanFinding,
} from '@aws-sdk/client-ecr';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { clientConfig, type AwsSettings } from './clients.js';
import { awsCall } from './errors.js';

export interface CallerIdentity {
  readonly account: string;
  readonly arn: string;
}

export interface RegistryLogin {
  /** `host[:port]` of the registry, as image references name it. */
  readonly host: string;
  /** The registry's URL (https for ECR; http for a local stand-in). */
  readonly endpoint: URL;
  readonly username: string;
  /** Secret: mask it, pass it on stdin only. */
  readonly password: string;
  readonly expiresAt: Date | undefined;
}

export interface RepositorySettings {
  readonly scanOnPush: boolean;
  readonly tagMutability: 'MUTABLE' | 'IMMUTABLE';
  readonly encryption: 'AES256' | 'KMS';
}

export interface RepositoryInfo extends RepositorySettings {
  readonly name: string;
  readonly uri: string;
  readonly registryId: string;
}

export interface PushedImage {
  readonly digest: string;
  readonly tags: readonly string[];
  readonly sizeInBytes: number;
  readonly pushedAt: Date | undefined;
  readonly mediaType: string | undefined;
}

export interface ScanFinding {
  readonly name: string;
  readonly severity: string;
  readonly uri: string | undefined;
}

export type ScanReport =
  | { readonly status: 'COMPLETE'; readonly findings: readonly ScanFinding[]; readonly counts: Readonly<Record<string, number>> }
  | { readonly status: 'PENDING' | 'IN_PROGRESS' }
  | { readonly status: 'FAILED' | 'UNSUPPORTED_IMAGE' | 'NOT_SCANNED'; readonly reason: string };

export class EcrRegistry {
  private readonly ecr: ECRClient;
  private readonly sts: STSClient;

  constructor(settings: AwsSettings) {
    const config = clientConfig(settings);
    this.ecr = new ECRClient(config);
    this.sts = new STSClient(config);
  }

  async callerIdentity(): Promise<CallerIdentity> {
    const out = await awsCall('sts:GetCallerIdentity', () => this.sts.send(new GetCallerIdentityCommand({})));
    return { account: out.Account ?? '', arn: out.Arn ?? '' };
  }

  async login(): Promise<RegistryLogin> {
    const out = await awsCall('ecr:GetAuthorizationToken', () => this.ecr.send(new GetAuthorizationTokenCommand({})));
    const data = out.authorizationData?.[0];
    if (!data?.authorizationToken || !data.proxyEndpoint) throw new Error('ecr:GetAuthorizationToken returned no authorization data');
    const decoded = Buffer.from(data.authorizationToken, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0) throw new Error('ecr:GetAuthorizationToken returned a token that is not base64 of user:password');
    const endpoint = new URL(data.proxyEndpoint);
    return {
      host: endpoint.host,
      endpoint,
      username: decoded.slice(0, colon),
      password: decoded.slice(colon + 1),
      expiresAt: data.expiresAt,
    };
  }

  /** The repository, or undefined when it does not exist. */
  async repository(name: string): Promise<RepositoryInfo | undefined> {
    try {
      const out = await this.ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [name] }));
      const found = out.repositories?.[0];
      return found && repositoryInfo(found);
    } catch (error) {
      if (error instanceof Error && error.name === 'RepositoryNotFoundException') return undefined;
      return awsCall(`ecr:DescribeRepositories ${name}`, () => Promise.reject(error));
    }
  }

  async createRepository(name: string, settings: RepositorySettings): Promise<RepositoryInfo> {
    const out = await awsCall(`ecr:CreateRepository ${name}`, () =>
      this.ecr.send(
        new CreateRepositoryCommand({
          repositoryName: name,
          imageTagMutability: settings.tagMutability,
          imageScanningConfiguration: { scanOnPush: settings.scanOnPush },
          encryptionConfiguration: { encryptionType: settings.encryption },
        }),
      ),
    );
    if (!out.repository) throw new Error(`ecr:CreateRepository ${name} returned no repository`);
    return repositoryInfo(out.repository);
  }

  /** Puts the policy unless the repository already has exactly this text; reads it back either way. */
  async ensureLifecyclePolicy(name: string, text: string): Promise<'unchanged' | 'updated'> {
    const current = await this.lifecyclePolicy(name);
    if (current !== undefined && sameJson(current, text)) return 'unchanged';
    await awsCall(`ecr:PutLifecyclePolicy ${name}`, () =>
      this.ecr.send(new PutLifecyclePolicyCommand({ repositoryName: name, lifecyclePolicyText: text })),
    );
    const after = await this.lifecyclePolicy(name);
    if (after === undefined || !sameJson(after, text)) {
      throw new Error(`the lifecycle policy of ${name} reads back differently from what was put; check who else manages it`);
    }
    return 'updated';
  }

  private async lifecyclePolicy(name: string): Promise<string | undefined> {
    try {
      const out = await this.ecr.send(new GetLifecyclePolicyCommand({ repositoryName: name }));
      return out.lifecyclePolicyText;
    } catch (error) {
      if (error instanceof Error && error.name === 'LifecyclePolicyNotFoundException') return undefined;
      return awsCall(`ecr:GetLifecyclePolicy ${name}`, () => Promise.reject(error));
    }
  }

  /** The image with this digest as DescribeImages reports it, or undefined. */
  async image(repository: string, digest: string): Promise<PushedImage | undefined> {
    try {
      const out = await this.ecr.send(new DescribeImagesCommand({ repositoryName: repository, imageIds: [{ imageDigest: digest }] }));
      const detail = out.imageDetails?.[0];
      return (
        detail && {
          digest: detail.imageDigest ?? digest,
          tags: detail.imageTags ?? [],
          sizeInBytes: detail.imageSizeInBytes ?? 0,
          pushedAt: detail.imagePushedAt,
          mediaType: detail.imageManifestMediaType,
        }
      );
    } catch (error) {
      if (error instanceof Error && error.name === 'ImageNotFoundException') return undefined;
      return awsCall(`ecr:DescribeImages ${repository}@${digest}`, () => Promise.reject(error));
    }
  }

  /**
   * Confirms with BatchGetImage that the digest is in the repository and that every tag names it; returns
   * the problems found (empty when all is as pushed).
   */
  async confirm(repository: string, digest: string, tags: readonly string[]): Promise<string[]> {
    const out = await awsCall(`ecr:BatchGetImage ${repository}`, () =>
      this.ecr.send(
        new BatchGetImageCommand({
          repositoryName: repository,
          imageIds: [{ imageDigest: digest }, ...tags.map((imageTag) => ({ imageTag }))],
          acceptedMediaTypes: [
            'application/vnd.oci.image.manifest.v1+json',
            'application/vnd.oci.image.index.v1+json',
            'application/vnd.docker.distribution.manifest.v2+json',
            'application/vnd.docker.distribution.manifest.list.v2+json',
          ],
        }),
      ),
    );
    const problems = (out.failures ?? []).map((failure) =>
      `${failure.imageId?.imageTag ?? failure.imageId?.imageDigest ?? '?'}: ${failure.failureCode ?? ''} ${failure.failureReason ?? ''}`.trim(),
    );
    for (const image of out.images ?? []) {
      const tag = image.imageId?.imageTag;
      if (image.imageId?.imageDigest !== digest) problems.push(`${tag ?? '?'} names ${image.imageId?.imageDigest ?? '?'}, not ${digest}`);
    }
    return problems;
  }

  async scan(repository: string, digest: string): Promise<ScanReport> {
    try {
      const out = await this.ecr.send(
        new DescribeImageScanFindingsCommand({ repositoryName: repository, imageId: { imageDigest: digest }, maxResults: 1000 }),
      );
      const status = out.imageScanStatus?.status ?? 'PENDING';
      if (status === 'COMPLETE' || status === 'ACTIVE') {
        const findings = (out.imageScanFindings?.findings ?? []).map(finding);
        return { status: 'COMPLETE', findings, counts: { ...(out.imageScanFindings?.findingSeverityCounts ?? {}) } };
      }
      if (status === 'PENDING' || status === 'IN_PROGRESS') return { status };
      return {
        status: status === 'FAILED' || status === 'UNSUPPORTED_IMAGE' ? status : 'FAILED',
        reason: out.imageScanStatus?.description ?? status,
      };
    } catch (error) {
      if (error instanceof Error && error.name === 'ScanNotFoundException') return { status: 'NOT_SCANNED', reason: error.message };
      return awsCall(`ecr:DescribeImageScanFindings ${repository}@${digest}`, () => Promise.reject(error));
    }
  }

  destroy(): void {
    this.ecr.destroy();
    this.sts.destroy();
  }
}

/** ECR's lifecycle policy: untagged images expire after `untaggedDays`, and only the newest `keep` images stay. */
export function lifecyclePolicyText(keep: number, untaggedDays = 1): string {
  return JSON.stringify({
    rules: [
      {
        rulePriority: 1,
        description: `Expire untagged images after ${untaggedDays} day(s)`,
        selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: untaggedDays },
        action: { type: 'expire' },
      },
      {
        rulePriority: 2,
        description: `Keep the last ${keep} images`,
        selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: keep },
        action: { type: 'expire' },
      },
    ],
  });
}

function finding(value: ImageScanFinding): ScanFinding {
  return { name: value.name ?? '?', severity: value.severity ?? 'UNDEFINED', uri: value.uri };
}

function repositoryInfo(repository: {
  repositoryName?: string;
  repositoryUri?: string;
  registryId?: string;
  imageTagMutability?: string;
  imageScanningConfiguration?: { scanOnPush?: boolean };
  encryptionConfiguration?: { encryptionType?: string };
}): RepositoryInfo {
  return {
    name: repository.repositoryName ?? '',
    uri: repository.repositoryUri ?? '',
    registryId: repository.registryId ?? '',
    scanOnPush: repository.imageScanningConfiguration?.scanOnPush ?? false,
    tagMutability: repository.imageTagMutability === 'IMMUTABLE' ? 'IMMUTABLE' : 'MUTABLE',
    encryption: repository.encryptionConfiguration?.encryptionType === 'KMS' ? 'KMS' : 'AES256',
  };
}

function sameJson(a: string, b: string): boolean {
  try {
    return JSON.stringify(JSON.parse(a)) === JSON.stringify(JSON.parse(b));
  } catch {
    return a === b;
  }
}
