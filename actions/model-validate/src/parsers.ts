/** The strict parsers of model-validate's own input formats; each refusal names the input. */
import { InputError, parseNumber, quote } from '@svg-ai-release/action-kit';

/** A fraction, 0 to 1 inclusive: accuracy, recall, an accuracy drop. */
export const fraction = (input: string, raw: string): number => parseNumber(input, raw, { min: 0, max: 1 });

export function parseSha256(input: string, raw: string): string {
  const value = raw.trim().replace(/^sha256:/, '');
  if (/^[a-f0-9]{64}$/.test(value)) return value;
  throw new InputError(input, `${quote(raw)} is not a sha256 (64 lower-case hex digits)`);
}

/** A confidence level for the intervals: 0.5 to 0.9999 (1 would make every interval infinitely wide). */
export function parseConfidence(input: string, raw: string): number {
  return parseNumber(input, raw, { min: 0.5, max: 0.9999 });
}

const SIZE_UNITS: Readonly<Record<string, number>> = { B: 1, KB: 1e3, MB: 1e6, GB: 1e9, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 };

/** A size such as `50MiB`, `20MB` or `1048576B`; the unit is required (B, KB, MB, GB, KiB, MiB, GiB). */
export function parseByteSize(input: string, raw: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|KiB|MiB|GiB)$/.exec(raw.trim());
  if (!match) throw new InputError(input, `${quote(raw)} is not a size like 50MiB, 20MB or 1048576B`);
  const bytes = Math.floor(Number(match[1]) * SIZE_UNITS[match[2]!]!);
  if (bytes < 1) throw new InputError(input, `${quote(raw)} is out of range (allowed: 1B or more)`);
  return bytes;
}

/** An S3 bucket name, as S3 accepts them (3-63 lower-case letters, digits, dots, hyphens). */
export function parseBucketName(input: string, raw: string): string {
  const value = raw.trim();
  if (/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(value) && !value.includes('..')) return value;
  throw new InputError(input, `${quote(raw)} is not a valid S3 bucket name (3-63 lower-case letters, digits, dots, hyphens)`);
}

/** A model name: the first segment of its registry keys, so no slashes. */
export function parseModelName(input: string, raw: string): string {
  const value = raw.trim();
  if (/^[a-z0-9][a-z0-9_-]{0,62}$/.test(value)) return value;
  throw new InputError(input, `${quote(raw)} is not a model name (lower-case letters, digits, - and _, up to 63)`);
}

export function parseGitSha(input: string, raw: string): string {
  const value = raw.trim();
  if (/^[0-9a-f]{40}$/.test(value)) return value;
  throw new InputError(input, `${quote(raw)} is not a full git commit SHA (40 lower-case hex digits)`);
}

/**
 * action.yml's defaults of `git-sha` and `release-tag` are expressions (`${{ github.sha }}`,
 * `${{ github.ref_name }}`) that the runner substitutes before the action starts. Outside a runner (a local
 * run, a test) the input arrives empty or as the unexpanded expression; either way there is no commit or tag
 * to record, so it reads as undefined rather than failing the run. Any other text goes through `parse`.
 */
export function unlessUnexpanded<T>(parse: (input: string, raw: string) => T): (input: string, raw: string) => T | undefined {
  return (input, raw) => (/^\$\{\{.*\}\}$/s.test(raw.trim()) ? undefined : parse(input, raw));
}
