/**
 * Checks before anything is built, each failing with what to do: the engine is there (and which one
 * `auto` picked), the Dockerfile and context exist, and the disk has room (PyTorch images fill hosted
 * runners). Credentials are checked by the caller with sts:GetCallerIdentity.
 */
import { existsSync, statSync, statfsSync } from 'node:fs';
import type { Builder } from './engines/spec.js';

export interface EngineProbe {
  /** `docker buildx version` succeeds. */
  buildx(): Promise<boolean>;
  /** `buildah` is on PATH. */
  buildah(): Promise<boolean>;
}

export async function chooseBuilder(requested: Builder | 'auto', probe: EngineProbe): Promise<{ builder: Builder; why: string }> {
  if (requested === 'buildx') {
    if (await probe.buildx()) return { builder: 'buildx', why: 'asked for buildx' };
    throw new Error(
      'builder is buildx, but `docker buildx version` does not run here; install Docker with buildx, or set builder: buildah',
    );
  }
  if (requested === 'buildah') {
    if (await probe.buildah()) return { builder: 'buildah', why: 'asked for buildah' };
    throw new Error('builder is buildah, but buildah is not on PATH; install it (apt-get install buildah), or set builder: buildx');
  }
  if (await probe.buildx()) return { builder: 'buildx', why: 'auto: docker buildx is available' };
  if (await probe.buildah()) return { builder: 'buildah', why: 'auto: no docker buildx here, buildah is on PATH' };
  throw new Error('builder is auto, but neither `docker buildx` nor `buildah` is available on this runner; install one of them');
}

export function checkBuildFiles(context: string, file: string): void {
  if (!existsSync(context) || !statSync(context).isDirectory()) {
    throw new Error(`the build context ${JSON.stringify(context)} is not a directory; check out the repository first, or set context`);
  }
  if (!existsSync(file) || !statSync(file).isFile()) {
    throw new Error(`the Dockerfile ${JSON.stringify(file)} does not exist; set file to its path relative to the workspace`);
  }
}

/** Free bytes on the filesystem holding `path` (the nearest existing ancestor). */
export function freeBytes(path: string): number {
  const stats = statfsSync(path);
  return stats.bavail * stats.bsize;
}

export function checkDisk(
  paths: readonly string[],
  minFreeGb: number,
  free: (path: string) => number = freeBytes,
): { path: string; freeGb: number }[] {
  const report = paths.filter((path) => existsSync(path)).map((path) => ({ path, freeGb: free(path) / 1024 ** 3 }));
  const short = report.find((entry) => entry.freeGb < minFreeGb);
  if (short) {
    throw new Error(
      `only ${short.freeGb.toFixed(1)} GB are free on ${short.path}, and min-free-disk-gb is ${minFreeGb}; ` +
        'free space before the build (for example remove preinstalled toolchains on hosted runners) or use a larger runner',
    );
  }
  return report;
}
