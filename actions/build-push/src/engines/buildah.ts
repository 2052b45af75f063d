/**
 * `buildah` argv, pure: `buildah build` into local storage, then one `buildah push` per tag, each writing
 * `--digestfile`. Daemonless, for runners without a Docker daemon. Storage driver and isolation come from
 * buildah's own environment (`STORAGE_DRIVER`, `BUILDAH_ISOLATION`), as the runner's setup decides them.
 * buildah has no registry cache in the form ECR accepts and no attestations; the action refuses those
 * choices for it rather than ignoring them.
 */
import type { BuildSpec, Invocation } from './spec.js';

export function buildahLogin(host: string, insecure: boolean): Invocation {
  return {
    program: 'buildah',
    args: ['login', '--username', 'AWS', '--password-stdin', ...(insecure ? ['--tls-verify=false'] : []), host],
    stdinPassword: true,
    step: 'login',
  };
}

export function buildahLogout(host: string): Invocation {
  return { program: 'buildah', args: ['logout', host], step: 'logout' };
}

/** Why buildah cannot build this spec as asked, or undefined. */
export function buildahRefusal(spec: BuildSpec): string | undefined {
  if (spec.platforms.length > 1)
    return `buildah builds one platform per run here, and ${spec.platforms.join(', ')} are asked; use builder: buildx`;
  if (spec.provenance !== 'false') return 'buildah attaches no provenance attestation; set provenance: false or use builder: buildx';
  if (spec.sbom) return 'buildah attaches no SBOM attestation; set sbom: false or use builder: buildx';
  return undefined;
}

export function buildahBuild(spec: BuildSpec): Invocation[] {
  const refusal = buildahRefusal(spec);
  if (refusal !== undefined) throw new Error(refusal);
  const [first] = spec.images;
  if (first === undefined) throw new Error('no image reference to build');
  const args = ['build', '--format', 'oci', '--file', spec.file];
  if (spec.target !== undefined) args.push('--target', spec.target);
  args.push('--platform', spec.platforms[0]!);
  for (const [key, value] of spec.buildArgs) args.push('--build-arg', `${key}=${value}`);
  for (const secret of spec.secrets) {
    // buildah reads secrets from files only; the action writes environment secrets to private files first.
    if (secret.kind !== 'file') throw new Error(`secret ${secret.id} must be handed to buildah as a file`);
    args.push('--secret', `id=${secret.id},src=${secret.source}`);
  }
  for (const [key, value] of spec.labels) args.push('--label', `${key}=${value}`);
  for (const image of spec.images) args.push('--tag', image);
  if (spec.pull) args.push('--pull=always');
  if (spec.cacheRef !== undefined) args.push('--layers');
  if (spec.sourceDateEpoch !== undefined) args.push('--timestamp', String(spec.sourceDateEpoch));
  args.push(spec.context);
  const steps: Invocation[] = [{ program: 'buildah', args, step: 'build' }];
  if (spec.push) {
    spec.images.forEach((image, index) => {
      const reportFile = index === 0 ? spec.reportFile : `${spec.reportFile}.${index}`;
      steps.push({
        program: 'buildah',
        args: ['push', '--digestfile', reportFile, ...(spec.insecure ? ['--tls-verify=false'] : []), image, `docker://${image}`],
        step: 'push',
        reportFile,
      });
    });
  }
  return steps;
}

/** The digest buildah writes with `--digestfile`. */
export function buildahDigest(report: string): string {
  const digest = report.trim();
  if (!/^sha256:[0-9a-f]{64}$/.test(digest))
    throw new Error(`the buildah digest file holds ${JSON.stringify(digest.slice(0, 80))}, not a sha256 digest`);
  return digest;
}
