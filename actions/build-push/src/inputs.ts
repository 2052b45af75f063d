/** Every input of the build-push action, read and validated once into a typed, readonly object. */
import {
  InputError,
  asString,
  parseBoolean,
  parseDuration,
  parseEnum,
  parseHttpUrl,
  parseInteger,
  parseKeyValueList,
  parseList,
  parseModelVersion,
  parseNumber,
  parseRegion,
  quote,
  readOptional,
  readRequired,
  readWithDefault,
} from '@svg-ai-release/action-kit';
import { BUILD_PUSH } from './contract.js';
import { BUILDERS, type Builder, type Provenance, type SecretRef } from './engines/spec.js';
import { THRESHOLDS, type Threshold } from './scan.js';
import { TAG_RULES, type TagRule } from './tags.js';

const names = BUILD_PUSH.inputs;
export const PLATFORMS = ['linux/amd64', 'linux/arm64'] as const;
export type Platform = (typeof PLATFORMS)[number];
export const PROVENANCE = ['false', 'mode=min', 'mode=max'] as const;

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

export function readBuildPushInputs(): BuildPushInputs {
  return {
    repository: readRequired(names.repository, parseRepositoryName),
    createRepository: readWithDefault(names.createRepository, parseBoolean, 'false'),
    imageTagMutability: readWithDefault(names.imageTagMutability, (i, r) => parseEnum(i, r, ['MUTABLE', 'IMMUTABLE']), 'MUTABLE'),
    scanOnPush: readWithDefault(names.scanOnPush, parseBoolean, 'true'),
    encryption: readWithDefault(names.encryption, (i, r) => parseEnum(i, r, ['AES256', 'KMS']), 'AES256'),
    manageLifecyclePolicy: readWithDefault(names.manageLifecyclePolicy, parseBoolean, 'true'),
    keepImages: readWithDefault(names.keepImages, (i, r) => parseInteger(i, r, { min: 1, max: 1000 }), '10'),
    builder: readWithDefault(names.builder, (i, r) => parseEnum(i, r, ['auto', ...BUILDERS]), 'auto'),
    context: readWithDefault(names.context, asString, '.'),
    file: readWithDefault(names.file, asString, 'Dockerfile'),
    target: readOptional(names.target, parseStageName),
    buildArgs: readOptional(names.buildArgs, parseKeyValueList) ?? new Map(),
    secretEnvs: readOptional(names.secretEnvs, (i, r) => parseSecrets(i, r, 'env')) ?? [],
    secretFiles: readOptional(names.secretFiles, (i, r) => parseSecrets(i, r, 'file')) ?? [],
    platforms: readWithDefault(names.platforms, (i, r) => parseList(i, r).map((p) => parseEnum(i, p, PLATFORMS)), 'linux/amd64'),
    pull: readWithDefault(names.pull, parseBoolean, 'false'),
    cache: readWithDefault(names.cache, parseBoolean, 'true'),
    provenance: readWithDefault(names.provenance, (i, r) => parseEnum(i, r, PROVENANCE), 'false'),
    sbom: readWithDefault(names.sbom, parseBoolean, 'false'),
    tags: readOptional(names.tags, parseTags) ?? [],
    tagRules: readWithDefault(
      names.tagRules,
      (i, r) => parseList(i, r).map((rule) => parseEnum(i, rule, TAG_RULES)),
      'sha,branch,semver,model',
    ),
    latest: readWithDefault(names.latest, parseBoolean, 'false'),
    modelVersion: readOptional(names.modelVersion, parseModelVersion),
    modelSha256: readOptional(names.modelSha256, parseSha256),
    labels: readOptional(names.labels, parseKeyValueList) ?? new Map(),
    push: readWithDefault(names.push, parseBoolean, 'true'),
    waitForScan: readWithDefault(names.waitForScan, parseBoolean, 'false'),
    failOnSeverity: readWithDefault(names.failOnSeverity, (i, r) => parseEnum(i, r, THRESHOLDS), 'CRITICAL'),
    scanTimeoutMs: readWithDefault(names.scanTimeout, (i, r) => parseDuration(i, r, { min: 1000, max: 60 * 60 * 1000 }), '10m'),
    minFreeDiskGb: readWithDefault(names.minFreeDiskGb, (i, r) => parseNumber(i, r, { min: 0, max: 10_000 }), '10'),
    dryRun: readWithDefault(names.dryRun, parseBoolean, 'false'),
    region: readRequired(names.awsRegion, parseRegion),
    endpointUrl: readOptional(names.endpointUrl, parseHttpUrl),
  };
}

/** ECR repository names: lower case, digits, and `._-/` separators, 2 to 256 characters. */
export function parseRepositoryName(input: string, raw: string): string {
  const value = raw.trim();
  if (/^(?=.{2,256}$)(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/.test(value)) return value;
  throw new InputError(
    input,
    `${JSON.stringify(raw)} is not an ECR repository name (lower-case letters, digits, and . _ - / between them)`,
  );
}

/** Docker tags: up to 128 characters of letters, digits, `_.-`, not starting with `.` or `-`. */
export function parseTags(input: string, raw: string): readonly string[] {
  const tags = parseList(input, raw);
  for (const tag of tags) {
    if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag)) throw new InputError(input, `${JSON.stringify(tag)} is not a valid image tag`);
  }
  return tags;
}

/** A Dockerfile stage name, as `FROM … AS name` allows it. */
export function parseStageName(input: string, raw: string): string {
  const value = raw.trim();
  if (/^[A-Za-z][A-Za-z0-9_.-]{0,127}$/.test(value)) return value;
  throw new InputError(input, `${quote(raw)} is not a build stage name (letters, digits, _ . -, starting with a letter)`);
}

export function parseSha256(input: string, raw: string): string {
  const value = raw
    .trim()
    .toLowerCase()
    .replace(/^sha256:/, '');
  if (/^[0-9a-f]{64}$/.test(value)) return value;
  throw new InputError(input, `${quote(raw)} is not a sha256 checksum (64 hex digits)`);
}

/**
 * Secrets by reference, `id=SOURCE` lines: the name of an environment variable (`secret-envs`) or the path
 * of a file (`secret-files`). The value itself is never an input, so it cannot reach argv or the logs.
 */
export function parseSecrets(input: string, raw: string, kind: 'env' | 'file'): readonly SecretRef[] {
  const pairs = parseKeyValueList(input, raw);
  const secrets: SecretRef[] = [];
  for (const [id, source] of pairs) {
    if (!/^[A-Za-z0-9_.-]{1,128}$/.test(id)) throw new InputError(input, `${quote(id)} is not a secret id (letters, digits, _ . -)`);
    if (kind === 'env' && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(source)) {
      throw new InputError(
        input,
        `${quote(source)} for secret ${quote(id)} is not an environment variable name; give the variable's name, not its value`,
      );
    }
    if (kind === 'file' && (source === '' || source.includes(','))) {
      throw new InputError(input, `${quote(source)} for secret ${quote(id)} is not a usable file path (non-empty, no commas)`);
    }
    secrets.push({ id, kind, source });
  }
  return secrets;
}
