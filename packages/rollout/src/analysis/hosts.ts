import { checkResult, type CheckResult } from './verdict.js';

/** Unhealthy targets in the canary's target group: more than allowed fails. */
export function judgeUnhealthyHosts(input: { unhealthyHosts: number | undefined; maxUnhealthy: number }): CheckResult {
  const check = 'unhealthy hosts';
  const figures = { unhealthyHosts: input.unhealthyHosts, maxUnhealthy: input.maxUnhealthy };
  if (input.unhealthyHosts === undefined) {
    return checkResult(check, 'inconclusive', 'no unhealthy-host data points for the canary', figures);
  }
  const count = `${input.unhealthyHosts} unhealthy canary hosts (at most ${input.maxUnhealthy} allowed)`;
  return input.unhealthyHosts > input.maxUnhealthy
    ? checkResult(check, 'fail', count, figures)
    : checkResult(check, 'pass', count, figures);
}
