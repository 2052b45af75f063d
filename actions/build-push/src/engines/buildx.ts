/**
 * `docker buildx` argv, pure: one `buildx build` that builds every platform and pushes every tag, with
 * the registry cache in the form ECR accepts (`image-manifest=true,oci-mediatypes=true`), an explicit
 * provenance and SBOM choice, and `--metadata-file` for the digest.
 */
import type { BuildSpec, Invocation } from './spec.js';

export function buildxLogin(host: string): Invocation {
  return { program: 'docker', args: ['login', '--username', 'AWS', '--password-stdin', host], stdinPassword: true, step: 'login' };
}

export function buildxLogout(host: string): Invocation {
  return { program: 'docker', args: ['logout', host], step: 'logout' };
}

export function buildxBuild(spec: BuildSpec): Invocation[] {
  const args = ['buildx', 'build', '--file', spec.file];
  if (spec.target !== undefined) args.push('--target', spec.target);
  args.push('--platform', spec.platforms.join(','));
  for (const [key, value] of spec.buildArgs) args.push('--build-arg', `${key}=${value}`);
  for (const secret of spec.secrets) {
    args.push('--secret', secret.kind === 'env' ? `id=${secret.id},env=${secret.source}` : `id=${secret.id},src=${secret.source}`);
  }
  for (const [key, value] of spec.labels) args.push('--label', `${key}=${value}`);
  for (const image of spec.images) args.push('--tag', image);
  if (spec.pull) args.push('--pull');
  if (spec.cacheRef !== undefined) {
    args.push('--cache-from', `type=registry,ref=${spec.cacheRef}`);
    if (spec.push) {
      args.push('--cache-to', `type=registry,ref=${spec.cacheRef},mode=max,image-manifest=true,oci-mediatypes=true`);
    }
  }
  args.push(`--provenance=${spec.provenance}`, `--sbom=${spec.sbom}`);
  args.push('--metadata-file', spec.reportFile);
  if (spec.push) {
    args.push('--output', `type=image,push=true,oci-mediatypes=true${spec.insecure ? ',registry.insecure=true' : ''}`);
  }
  args.push(spec.context);
  return [
    {
      program: 'docker',
      args,
      step: 'build',
      reportFile: spec.reportFile,
      ...(spec.sourceDateEpoch === undefined ? {} : { env: { SOURCE_DATE_EPOCH: String(spec.sourceDateEpoch) } }),
    },
  ];
}

/** The digest buildx reports in its metadata file (`containerimage.digest`). */
export function buildxDigest(metadata: string): string {
  let document: unknown;
  try {
    document = JSON.parse(metadata);
  } catch {
    throw new Error('the buildx metadata file is not JSON');
  }
  const digest = (document as Record<string, unknown> | null)?.['containerimage.digest'];
  if (typeof digest !== 'string' || !/^sha256:[0-9a-f]{64}$/.test(digest)) {
    throw new Error('the buildx metadata file names no containerimage.digest; was the image pushed?');
  }
  return digest;
}
