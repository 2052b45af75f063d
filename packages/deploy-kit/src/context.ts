/**
 * Who runs a rollout and how a re-run finds it again, from the runner's environment. The rollout id
 * leaves out the run attempt on purpose: "Re-run jobs" after a crash is the same rollout, so it
 * resumes or aborts the lock it left instead of being refused by it.
 */
export interface RunContext {
  readonly rolloutId: string;
  readonly owner: string;
  readonly runUrl: string | undefined;
}

export function runContext(env: Readonly<Record<string, string | undefined>>, actionName: string): RunContext {
  const repository = env.GITHUB_REPOSITORY ?? 'local';
  const runId = env.GITHUB_RUN_ID ?? `${Date.now()}`;
  const server = env.GITHUB_SERVER_URL ?? 'https://github.com';
  const attempt = env.GITHUB_RUN_ATTEMPT ?? '1';
  const actor = env.GITHUB_ACTOR ? ` by ${env.GITHUB_ACTOR}` : '';
  return {
    rolloutId: `${repository}/runs/${runId}/${actionName}`,
    owner: `${actionName} in ${repository} run ${runId} attempt ${attempt}${actor}`,
    runUrl: env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID ? `${server}/${repository}/actions/runs/${runId}` : undefined,
  };
}
