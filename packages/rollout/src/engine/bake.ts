/**
 * Bakes: hold the weights and, at the plan's interval, analyse what has been published so far, so a
 * bad canary is rolled back within an interval instead of at the end of the step. Mid-bake analyses
 * can only fail a step early; passing or concluding is left to the analysis gate that follows.
 */
import type { CombinedVerdict } from '../analysis/index.js';
import { judgeStage } from './observe.js';
import type { StepRecorder } from './record.js';
import type { Run } from './run.js';

export type BakeOutcome =
  { readonly kind: 'baked' } | { readonly kind: 'failed'; readonly verdict: CombinedVerdict } | { readonly kind: 'cancelled' };

export async function bake(run: Run, durationMs: number, step: StepRecorder): Promise<BakeOutcome> {
  const { clock } = run.ports;
  const interval = run.plan.analysisIntervalMs;
  const end = clock.now() + durationMs;
  for (let now = clock.now(); now < end; now = clock.now()) {
    await clock.sleep(interval > 0 ? Math.min(interval, end - now) : end - now, run.signal);
    if (run.signal.aborted) return { kind: 'cancelled' };
    if (interval === 0 || clock.now() >= end) continue;

    const { observation, verdict } = await judgeStage(run, clock.now());
    step.analysed(observation, verdict, run);
    if (verdict.verdict === 'fail') return { kind: 'failed', verdict };
  }
  return { kind: 'baked' };
}
