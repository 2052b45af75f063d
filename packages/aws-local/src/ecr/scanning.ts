/**
 * Basic image scanning. There is no scanner behind the stand-in: a scan completes as soon as it starts and
 * reports the findings seeded for the image's digest, so tests decide what a scan finds.
 */
import { EcrError } from './errors.js';
import { type Input, imageIdentifier } from './input.js';
import { epochSeconds, scanStatus, severityCounts } from './render.js';
import { targetRepository } from './repositories.js';
import type { EcrStore } from './store.js';

export function startImageScan(store: EcrStore, input: Input): Record<string, unknown> {
  const repository = targetRepository(store, input);
  const id = imageIdentifier(input['imageId'], 'imageId');
  const image = store.requireImage(repository, id);
  store.scan(image);
  // ECR answers IN_PROGRESS here; callers poll DescribeImageScanFindings, which already sees COMPLETE.
  return {
    registryId: store.accountId,
    repositoryName: repository.name,
    imageId: { imageDigest: image.digest, ...(id.imageTag === undefined ? {} : { imageTag: id.imageTag }) },
    imageScanStatus: { status: 'IN_PROGRESS', description: 'The scan is in progress.' },
  };
}

export function describeImageScanFindings(store: EcrStore, input: Input): Record<string, unknown> {
  const repository = targetRepository(store, input);
  const id = imageIdentifier(input['imageId'], 'imageId');
  const image = store.requireImage(repository, id);
  if (!image.scan) {
    throw new EcrError(
      'ScanNotFoundException',
      `Image scan does not exist for the image with '{imageDigest:'${image.digest}', imageTag:'${id.imageTag ?? 'null'}'}' in the repository with name '${repository.name}' in the registry with id '${store.accountId}'`,
    );
  }
  const { findings, completedAt } = image.scan;
  return {
    registryId: store.accountId,
    repositoryName: repository.name,
    imageId: { imageDigest: image.digest, ...(id.imageTag === undefined ? {} : { imageTag: id.imageTag }) },
    imageScanStatus: scanStatus(),
    imageScanFindings: {
      imageScanCompletedAt: epochSeconds(completedAt),
      vulnerabilitySourceUpdatedAt: epochSeconds(completedAt),
      findingSeverityCounts: severityCounts(findings),
      findings: findings.map((finding) => ({ ...finding, attributes: finding.attributes ?? [] })),
    },
  };
}
