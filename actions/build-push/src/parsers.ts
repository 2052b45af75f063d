/** The strict parsers of build-push's own input formats; each refusal names the input. */
import { InputError, parseKeyValueList, parseList, quote } from '@svg-ai-release/action-kit';
import type { SecretRef } from './engines/spec.js';

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
