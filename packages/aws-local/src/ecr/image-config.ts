/**
 * What a container gets from its image's configuration: the `Env` of the OCI / Docker image config
 * that the manifest names. ECS starts a container with the image's environment and lays the task
 * definition's `environment` over it, so an image can carry settings of its own (a different image is a
 * different release even when the task definition is the same).
 */
import type { EcrStore, Image, Repository } from './store.js';

const INDEX_TYPES = new Set(['application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json']);

interface ManifestDocument {
  readonly mediaType?: string;
  readonly config?: { readonly digest?: string };
  readonly manifests?: readonly {
    readonly digest?: string;
    readonly platform?: { readonly os?: string; readonly architecture?: string };
  }[];
}

function parse<T>(text: string | undefined): T | undefined {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

/**
 * The image's `Env` as name → value, in its order (a later duplicate wins, as in Docker); empty when the
 * image has no config blob (a bare manifest pushed through the API) or the config names no environment.
 * An index resolves to its linux/amd64 image, which is what Fargate runs by default.
 */
export function imageEnvironment(store: EcrStore, repository: Repository, image: Image): Record<string, string> {
  let manifest = parse<ManifestDocument>(image.manifest);
  if (manifest?.manifests && (INDEX_TYPES.has(manifest.mediaType ?? image.manifestMediaType) || !manifest.config)) {
    const child =
      manifest.manifests.find((m) => m.platform?.os === 'linux' && m.platform.architecture === 'amd64') ?? manifest.manifests[0];
    const childImage = child?.digest ? repository.images.get(child.digest) : undefined;
    manifest = parse<ManifestDocument>(
      childImage?.manifest ?? (child?.digest ? store.blobs.get(child.digest)?.toString('utf8') : undefined),
    );
  }
  const configDigest = manifest?.config?.digest;
  const config = parse<{ config?: { Env?: unknown } }>(configDigest ? store.blobs.get(configDigest)?.toString('utf8') : undefined);
  const env: Record<string, string> = {};
  const entries = config?.config?.Env;
  if (!Array.isArray(entries)) return env;
  for (const entry of entries) {
    if (typeof entry !== 'string') continue;
    const equals = entry.indexOf('=');
    if (equals > 0) env[entry.slice(0, equals)] = entry.slice(equals + 1);
  }
  return env;
}
