/**
 * Every input of the build-push action, read and validated once into a typed, readonly object through its
 * declaration (`BUILD_PUSH_INPUTS`).
 */
import { readInputs } from '@svg-ai-release/action-kit';
import { BUILD_PUSH_INPUTS, PLATFORMS, PROVENANCE, type Platform } from './contract.js';
import type { Builder, Provenance, SecretRef } from './engines/spec.js';
import type { Threshold } from './scan.js';
import type { TagRule } from './tags.js';

export { PLATFORMS, PROVENANCE, type Platform };
export { parseRepositoryName, parseSecrets, parseSha256, parseStageName, parseTags } from './parsers.js';

export interface BuildPushInputs {
  readonly repository: string;
  readonly createRepository: boolean;
  readonly imageTagMutability: 'MUTABLE' | 'IMMUTABLE';
  readonly scanOnPush: boolean;
  readonly encryption: 'AES256' | 'KMS';
  readonly manageLifecyclePolicy: boolean;
  readonly keepImages: number;
  readonly builder: Builder | 'auto';
  readonly context: string;
  readonly file: string;
  readonly target: string | undefined;
  readonly buildArgs: ReadonlyMap<string, string>;
  readonly secretEnvs: readonly SecretRef[];
  readonly secretFiles: readonly SecretRef[];
  readonly platforms: readonly Platform[];
  readonly pull: boolean;
  readonly cache: boolean;
  readonly provenance: Provenance;
  readonly sbom: boolean;
  readonly tags: readonly string[];
  readonly tagRules: readonly TagRule[];
  readonly latest: boolean;
  readonly modelVersion: string | undefined;
  readonly modelSha256: string | undefined;
  readonly labels: ReadonlyMap<string, string>;
  readonly push: boolean;
  readonly waitForScan: boolean;
  readonly failOnSeverity: Threshold;
  readonly scanTimeoutMs: number;
  readonly minFreeDiskGb: number;
  readonly dryRun: boolean;
  readonly region: string;
  readonly endpointUrl: URL | undefined;
}

/** Reads from the runner by default; `get` returns an input's raw text ('' when not set). */
export function readBuildPushInputs(get?: (name: string) => string): BuildPushInputs {
  const { scanTimeout, awsRegion, buildArgs, secretEnvs, secretFiles, tags, labels, ...values } = readInputs(BUILD_PUSH_INPUTS, get);
  return {
    ...values,
    buildArgs: buildArgs ?? new Map(),
    secretEnvs: secretEnvs ?? [],
    secretFiles: secretFiles ?? [],
    tags: tags ?? [],
    labels: labels ?? new Map(),
    scanTimeoutMs: scanTimeout,
    region: awsRegion,
  };
}
