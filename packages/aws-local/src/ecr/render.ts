/** The JSON shapes ECR returns for repositories and images (timestamps as epoch seconds, as JSON 1.1 does). */
import type { EcrStore, Image, Repository, Severity } from './store.js';

export function epochSeconds(date: Date): number {
  return date.getTime() / 1000;
}

export function renderRepository(store: EcrStore, repository: Repository): Record<string, unknown> {
  return {
    repositoryArn: store.arn(repository),
    registryId: store.accountId,
    repositoryName: repository.name,
    repositoryUri: store.uri(repository),
    createdAt: epochSeconds(repository.createdAt),
    imageTagMutability: repository.tagMutability,
    imageScanningConfiguration: { scanOnPush: repository.scanOnPush },
    encryptionConfiguration: { encryptionType: repository.encryptionType },
  };
}

/** One identifier per tag, or a bare digest for an untagged image, as ListImages and BatchDeleteImage report. */
export function imageIdsOf(image: Image): { imageDigest: string; imageTag?: string }[] {
  if (image.tags.length === 0) return [{ imageDigest: image.digest }];
  return image.tags.map((imageTag) => ({ imageDigest: image.digest, imageTag }));
}

export function renderImageDetail(store: EcrStore, repository: Repository, image: Image): Record<string, unknown> {
  return {
    registryId: store.accountId,
    repositoryName: repository.name,
    imageDigest: image.digest,
    ...(image.tags.length > 0 ? { imageTags: [...image.tags] } : {}),
    imageSizeInBytes: image.sizeInBytes,
    imagePushedAt: epochSeconds(image.pushedAt),
    imageManifestMediaType: image.manifestMediaType,
    ...(image.artifactMediaType === undefined ? {} : { artifactMediaType: image.artifactMediaType }),
    ...(image.scan
      ? {
          imageScanStatus: scanStatus(),
          imageScanFindingsSummary: {
            imageScanCompletedAt: epochSeconds(image.scan.completedAt),
            vulnerabilitySourceUpdatedAt: epochSeconds(image.scan.completedAt),
            findingSeverityCounts: severityCounts(image.scan.findings),
          },
        }
      : {}),
  };
}

export function scanStatus(): { status: string; description: string } {
  return { status: 'COMPLETE', description: 'The scan was completed successfully.' };
}

export function severityCounts(findings: readonly { severity: Severity }[]): Partial<Record<Severity, number>> {
  const counts: Partial<Record<Severity, number>> = {};
  for (const { severity } of findings) counts[severity] = (counts[severity] ?? 0) + 1;
  return counts;
}
