/**
 * The analysis gate at the end of a step. It waits until the step's whole window is published, then
 * judges it. Inconclusive (too little evidence) follows the plan's policy: bake longer and judge the
 * longer window again, or fail. It never becomes a pass.
 */
import type { CombinedVerdict } from '../analysis/index.js';
import { publicationWaitMs } from '../analysis/window.js';
import { formatDuration } from '../format.js';
import { bake } from './bake.js';
import { judgeStage } from './observe.js';
import type { StepRecorder } from './record.js';
import type { Run } from './run.js';

export type GateOutcome =
  | { readonly kind: 'passed'; readonly verdict: CombinedVerdict }
  | { readonly kind: 'failed'; readonly verdict: CombinedVerdict; readonly reason: string }
  | { readonly kind: 'cancelled' };

export async function analyseGate(run: Run, step: StepRecorder): Promise<GateOutcome> {
  const { clock, logger } = run.ports;
  const policy = run.plan.onInconclusive;
  for (let extensions = 0; ; extensions++) {
    const until = clock.now();
    // Waiting for the window's last data to be published is still time at this weight: keep analysing.
    const waited = await bake(
      run,
      publicationWaitMs({ until, now: clock.now(), publicationDelayMs: run.config.analysis.publicationDelayMs }),
      step,
    );
    if (waited.kind === 'cancelled') return waited;
    if (waited.kind === 'failed') return { kind: 'failed', verdict: waited.verdict, reason: waited.verdict.reason };

    const { observation, verdict } = await judgeStage(run, until);
    step.analysed(observation, verdict, run);
    if (verdict.verdict === 'pass') return { kind: 'passed', verdict };
    if (verdict.verdict === 'fail') return { kind: 'failed', verdict, reason: verdict.reason };

    if (policy.action === 'fail')
      return { kind: 'failed', verdict, reason: `inconclusive, and the policy fails on that: ${verdict.reason}` };
    if (extensions >= policy.maxExtensions) {
      return { kind: 'failed', verdict, reason: `still inconclusive after ${extensions} extensions: ${verdict.reason}` };
    }
    logger.warn(
      `inconclusive (${verdict.reason}); baking ${formatDuration(policy.extensionMs)} more (extension ${extensions + 1} of ${policy.maxExtensions})`,
    );
    step.extended();
    const extended = await bake(run, policy.extensionMs, step);
    if (extended.kind === 'cancelled') return extended;
    if (extended.kind === 'failed') return { kind: 'failed', verdict: extended.verdict, reason: extended.verdict.reason };
  }
}
