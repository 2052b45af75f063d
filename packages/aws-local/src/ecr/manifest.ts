/**
 * Image manifests as ECR sees them on PutImage: the digest is the sha256 of the exact bytes sent (so a
 * re-serialised manifest is a different image), the size is what the layers add up to.
 */
import { createHash } from 'node:crypto';
import { invalidParameter } from './errors.js';

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';

export interface ParsedManifest {
  readonly digest: string;
  readonly mediaType: string;
  /** The config's media type, which tells container images from other artifacts. */
  readonly artifactMediaType?: string;
  /** Sum of the (compressed) layer sizes; undefined for an index, whose size depends on its children. */
  readonly layersSize?: number;
  /** Digests an index points to. */
  readonly children: readonly string[];
}

export function manifestDigest(manifest: string): string {
  return `sha256:${createHash('sha256').update(manifest, 'utf8').digest('hex')}`;
}

export function parseManifest(manifest: string, declaredMediaType: string | undefined): ParsedManifest {
  let document: unknown;
  try {
    document = JSON.parse(manifest);
  } catch {
    throw invalidParameter("Invalid parameter at 'imageManifest' failed to satisfy constraint: 'Invalid JSON syntax'");
  }
  if (!document || typeof document !== 'object' || Array.isArray(document)) {
    throw invalidParameter("Invalid parameter at 'imageManifest' failed to satisfy constraint: 'Manifest must be a JSON object'");
  }
  const fields = document as Record<string, unknown>;
  if (fields['schemaVersion'] !== 2) {
    throw invalidParameter(
      `Invalid parameter at 'imageManifest': schemaVersion ${JSON.stringify(fields['schemaVersion'])} is not supported; push a schemaVersion 2 manifest`,
    );
  }
  const inline = typeof fields['mediaType'] === 'string' ? fields['mediaType'] : undefined;
  if (declaredMediaType !== undefined && inline !== undefined && declaredMediaType !== inline) {
    throw invalidParameter(
      `Invalid parameter at 'imageManifestMediaType': ${declaredMediaType} does not match the manifest's mediaType ${inline}`,
    );
  }
  const digest = manifestDigest(manifest);
  if (Array.isArray(fields['manifests'])) {
    const children = fields['manifests'].map((entry, index) => descriptor(entry, `manifests[${index}]`).digest);
    return { digest, mediaType: declaredMediaType ?? inline ?? OCI_INDEX, children };
  }
  if (!Array.isArray(fields['layers'])) {
    throw invalidParameter("Invalid parameter at 'imageManifest': a manifest needs 'layers' (or 'manifests' for an index)");
  }
  const layersSize = fields['layers'].reduce<number>((sum, entry, index) => sum + descriptor(entry, `layers[${index}]`).size, 0);
  const config = fields['config'] === undefined ? undefined : descriptor(fields['config'], 'config');
  return {
    digest,
    mediaType: declaredMediaType ?? inline ?? OCI_MANIFEST,
    ...(config?.mediaType === undefined ? {} : { artifactMediaType: config.mediaType }),
    layersSize,
    children: [],
  };
}

function descriptor(value: unknown, where: string): { digest: string; size: number; mediaType?: string } {
  const fields = value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  const { digest, size, mediaType } = fields;
  if (typeof digest !== 'string' || !/^sha256:[0-9a-f]{64}$/.test(digest) || !Number.isInteger(size) || (size as number) < 0) {
    throw invalidParameter(
      `Invalid parameter at 'imageManifest': ${where} must be a descriptor with a sha256 digest and a non-negative size`,
    );
  }
  return { digest, size: size as number, ...(typeof mediaType === 'string' ? { mediaType } : {}) };
}
