/**
 * What an engine failure means, from the words the engines use (docker, buildx and buildah print the
 * registry's error codes and the kernel's), so the annotation names the cause and the next step instead of
 * only an exit code. Pure: it reads the last lines of the step's output.
 */

export type FailureCause = 'login-refused' | 'push-denied' | 'tag-immutable' | 'repository-missing' | 'disk-full' | 'build-failed';

const PATTERNS: readonly [FailureCause, RegExp][] = [
  ['disk-full', /no space left on device|disk quota exceeded/i],
  ['tag-immutable', /tag invalid|TAG_INVALID|cannot be overwritten because the (?:repository|tag) is immutable/i],
  ['repository-missing', /name unknown|NAME_UNKNOWN|repository with name '[^']*' does not exist/i],
  ['push-denied', /denied|unauthorized|authentication required|not authorized|403 Forbidden/i],
];

const NEXT_STEP: Readonly<Record<FailureCause, string>> = {
  'login-refused':
    "the registry refused the login; check that the job's role may call ecr:GetAuthorizationToken and that the token is for this registry",
  'push-denied':
    "the registry denied the push; the job's role needs ecr:InitiateLayerUpload, ecr:UploadLayerPart, ecr:CompleteLayerUpload, ecr:BatchCheckLayerAvailability and ecr:PutImage on the repository",
  'tag-immutable':
    'a tag already names another image in this immutable repository; push a new tag (tag-rules: sha) or make the repository mutable',
  'repository-missing': 'the repository does not exist in this registry; create it, or set create-repository: true',
  'disk-full': 'the runner ran out of disk space; free space before the build (remove preinstalled toolchains) or use a larger runner',
  'build-failed': 'the build itself failed; see the build log above',
};

export function classifyFailure(step: 'login' | 'build' | 'push' | 'logout', tail: readonly string[]): FailureCause {
  const text = tail.join('\n');
  if (step === 'login') return /no space left on device/i.test(text) ? 'disk-full' : 'login-refused';
  for (const [cause, pattern] of PATTERNS) if (pattern.test(text)) return cause;
  return step === 'push' ? 'push-denied' : 'build-failed';
}

export function failureMessage(
  step: 'login' | 'build' | 'push' | 'logout',
  program: string,
  code: number,
  tail: readonly string[],
): string {
  const cause = classifyFailure(step, tail);
  const lines = tail.slice(-15);
  return `${step} with ${program} failed (exit ${code}, ${cause}): ${NEXT_STEP[cause]}.${lines.length > 0 ? `\nLast lines:\n${lines.join('\n')}` : ''}`;
}
