/** The ECR slice of the stand-in: repositories, images by manifest, scans, lifecycle policies. */
import type { AwsHandler } from '../http-types.js';
import { createEcrRouter } from './handler.js';
import { imageEnvironment } from './image-config.js';
import { applyLifecyclePolicy } from './lifecycle.js';
import { parseFindings, restoreStore, snapshotStore } from './snapshot.js';
import { EcrStore, type Finding } from './store.js';

export type { EcrStore, Finding, Severity } from './store.js';
export { createRegistryServer, type RegistryServer } from './registry.js';

export interface EcrHandler {
  readonly handle: AwsHandler;
  /** The state both the ECR API and the registry (`/v2/`) serve. */
  readonly store: EcrStore;
  /** The whole state as JSON-serialisable data. */
  snapshot(): unknown;
  /** Replaces the state with a snapshot's; throws, leaving the state as it was, if the data is malformed. */
  restore(data: unknown): void;
  /** The image a `repository:tag` or `repository@sha256:…` reference names, for the data plane to start. */
  resolveImage(repository: string, tagOrDigest: string): { digest: string; tags: string[] } | undefined;
  /** The environment the image's config sets (`Env`), for the data plane to start its containers with; empty when none. */
  imageEnvironment(repository: string, tagOrDigest: string): Record<string, string>;
  /**
   * Decides what scans of the image with this digest report from now on (scans that already ran keep their
   * result); an image nobody seeded scans clean.
   */
  seedScanFindings(imageDigest: string, findings: readonly Finding[]): void;
}

export function createEcrHandler(options: { region: string; accountId: string }): EcrHandler {
  const store = new EcrStore(options.region, options.accountId);
  store.afterPush = (repository) => void applyLifecyclePolicy(repository);
  return {
    store,
    handle: createEcrRouter(store),
    snapshot: () => snapshotStore(store),
    restore: (data) => restoreStore(store, data),
    resolveImage: (repository, tagOrDigest) => {
      const found = store.repositories.get(repository);
      if (!found) return undefined;
      const image = store.findImage(found, tagOrDigest.startsWith('sha256:') ? { imageDigest: tagOrDigest } : { imageTag: tagOrDigest });
      return image && { digest: image.digest, tags: [...image.tags] };
    },
    imageEnvironment: (repository, tagOrDigest) => {
      const found = store.repositories.get(repository);
      const image =
        found && store.findImage(found, tagOrDigest.startsWith('sha256:') ? { imageDigest: tagOrDigest } : { imageTag: tagOrDigest });
      return found && image ? imageEnvironment(store, found, image) : {};
    },
    seedScanFindings: (imageDigest, findings) => {
      store.seededFindings.set(imageDigest, parseFindings(findings, 'findings'));
    },
  };
}
