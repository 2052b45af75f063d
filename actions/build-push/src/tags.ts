/**
 * Which tags an image gets, by pure rules (in the spirit of docker's metadata-action): the short commit
 * SHA, the branch, the semver parts of a release tag (`v1.2.3` → `1.2.3`, `1.2`, `1`), the model release,
 * `latest` only when asked, and tags given outright. Every tag is sanitised to docker's grammar, lower-cased
 * and cut to 128 characters; duplicates are dropped, order is kept.
 */

export const TAG_RULES = ['sha', 'branch', 'semver', 'model'] as const;
export type TagRule = (typeof TAG_RULES)[number];

export interface TagContext {
  /** Full commit SHA (GITHUB_SHA). */
  readonly sha: string | undefined;
  /** Full ref (GITHUB_REF): `refs/heads/main`, `refs/tags/v1.2.3`, `refs/pull/7/merge`. */
  readonly ref: string | undefined;
  readonly modelVersion: string | undefined;
}

export interface TagRequest {
  readonly rules: readonly TagRule[];
  readonly latest: boolean;
  readonly extra: readonly string[];
}

export const MAX_TAG_LENGTH = 128;
const SHORT_SHA = 7;
const SEMVER = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z.-]+))?(?:\+([0-9A-Za-z.-]+))?$/;

/** Docker's tag grammar: `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`, here lower-cased; undefined when nothing is left. */
export function sanitiseTag(raw: string): string | undefined {
  const cleaned = raw
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, '-')
    .replace(/^[.-]+/, '')
    .slice(0, MAX_TAG_LENGTH)
    .replace(/[.-]+$/, '');
  return cleaned === '' ? undefined : cleaned;
}

/** `v1.2.3` → `1.2.3`, `1.2`, `1` (a 0 major gives no `0`); a pre-release gives only its full version. */
export function semverTags(tag: string): string[] {
  const match = SEMVER.exec(tag);
  if (!match) return [];
  const [, major, minor, patch, prerelease, build] = match;
  const full = `${major}.${minor}.${patch}${prerelease ? `-${prerelease}` : ''}${build ? `-${build}` : ''}`;
  if (prerelease) return [full];
  return [full, `${major}.${minor}`, ...(major === '0' ? [] : [major!])];
}

/** The version a release ref names (`refs/tags/v1.2.3` → `1.2.3`), for the version label. */
export function releaseVersion(ref: string | undefined): string | undefined {
  const tag = ref?.startsWith('refs/tags/') ? ref.slice('refs/tags/'.length) : undefined;
  return tag === undefined ? undefined : semverTags(tag)[0];
}

export function imageTags(request: TagRequest, context: TagContext): string[] {
  const raw: string[] = [];
  for (const rule of request.rules) {
    switch (rule) {
      case 'sha':
        if (context.sha) raw.push(`sha-${context.sha.slice(0, SHORT_SHA)}`);
        break;
      case 'branch':
        if (context.ref?.startsWith('refs/heads/')) raw.push(context.ref.slice('refs/heads/'.length));
        break;
      case 'semver':
        if (context.ref?.startsWith('refs/tags/')) raw.push(...semverTags(context.ref.slice('refs/tags/'.length)));
        break;
      case 'model':
        if (context.modelVersion) raw.push(`model-${context.modelVersion}`);
        break;
    }
  }
  raw.push(...request.extra);
  if (request.latest) raw.push('latest');
  const tags: string[] = [];
  for (const tag of raw.map(sanitiseTag)) if (tag !== undefined && !tags.includes(tag)) tags.push(tag);
  return tags;
}
