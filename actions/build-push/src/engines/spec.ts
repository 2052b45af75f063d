/** What to build and where to push it, as plain data both engines' argv builders read. */

export const BUILDERS = ['buildx', 'buildah'] as const;
export type Builder = (typeof BUILDERS)[number];

/** A build secret named by reference: the engine reads it from the environment or a file, never from argv. */
export interface SecretRef {
  readonly id: string;
  readonly kind: 'env' | 'file';
  /** The environment variable's name, or the file's path. */
  readonly source: string;
}

export type Provenance = 'false' | 'mode=min' | 'mode=max';

export interface BuildSpec {
  readonly context: string;
  readonly file: string;
  readonly target: string | undefined;
  readonly buildArgs: ReadonlyMap<string, string>;
  readonly secrets: readonly SecretRef[];
  readonly platforms: readonly string[];
  readonly pull: boolean;
  readonly labels: ReadonlyMap<string, string>;
  /** Full references, `host/repository:tag`, the first being the one the digest is read for. */
  readonly images: readonly string[];
  readonly push: boolean;
  /** Registry cache reference (`host/repository:buildcache`), or undefined for none. */
  readonly cacheRef: string | undefined;
  readonly provenance: Provenance;
  readonly sbom: boolean;
  /** A registry spoken to over plain HTTP (a local stand-in). */
  readonly insecure: boolean;
  /** Where the engine writes its own report of what it pushed. */
  readonly reportFile: string;
  /** Seconds since the epoch for reproducible timestamps, when the workflow sets SOURCE_DATE_EPOCH. */
  readonly sourceDateEpoch: number | undefined;
}

/** One engine invocation: the program, its argv, extra environment and whether the password goes on stdin. */
export interface Invocation {
  readonly program: string;
  readonly args: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly stdinPassword?: boolean;
  /** What the step is, for logs and failure messages. */
  readonly step: 'login' | 'build' | 'push' | 'logout';
  /** The digest report this invocation writes, for push steps. */
  readonly reportFile?: string;
}
