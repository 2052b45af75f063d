/** Every input of the build-push action, read and validated once into a typed, readonly object. */
import {
  InputError,
  asString,
  parseBoolean,
  parseEnum,
  parseHttpUrl,
  parseKeyValueList,
  parseList,
  parseRegion,
  readOptional,
  readRequired,
  readWithDefault,
} from '@svg-ai-release/action-kit';
import { BUILD_PUSH } from './contract.js';

const names = BUILD_PUSH.inputs;
export const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'NONE'] as const;
const PLATFORMS = ['linux/amd64', 'linux/arm64'] as const;

export interface BuildPushInputs {
  readonly repository: string;
  readonly context: string;
  readonly file: string;
  readonly tags: readonly string[];
  readonly buildArgs: ReadonlyMap<string, string>;
  readonly platforms: readonly (typeof PLATFORMS)[number][];
  readonly push: boolean;
  readonly failOnSeverity: (typeof SEVERITIES)[number];
  readonly region: string;
  readonly endpointUrl: URL | undefined;
}

export function readBuildPushInputs(): BuildPushInputs {
  return {
    repository: readRequired(names.repository, parseRepositoryName),
    context: readWithDefault(names.context, asString, '.'),
    file: readWithDefault(names.file, asString, 'Dockerfile'),
    tags: readRequired(names.tags, parseTags),
    buildArgs: readOptional(names.buildArgs, parseKeyValueList) ?? new Map(),
    platforms: readWithDefault(names.platforms, (i, r) => parseList(i, r).map((p) => parseEnumItem(i, p)), 'linux/amd64'),
    push: readWithDefault(names.push, parseBoolean, 'true'),
    failOnSeverity: readWithDefault(names.failOnSeverity, (i, r) => parseEnum(i, r, SEVERITIES), 'CRITICAL'),
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
  if (tags.length === 0) throw new InputError(input, 'lists no tag');
  return tags;
}

function parseEnumItem(input: string, raw: string): (typeof PLATFORMS)[number] {
  return parseEnum(input, raw, PLATFORMS);
}
