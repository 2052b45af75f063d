/**
 * Bakes: hold the weights and, at the plan's interval, analyse what has been published so far, so a
 * bad canary is rolled back within an interval instead of at the end of the step. Mid-bake analyses
 * can only fail a step early; passing or concluding is left to the analysis gate that follows.
 */
import type { CombinedVerdict } from '../analysis/index.js';
import { judgeProbeOnly, judgeStage } from './observe.js';
import type { StepRecorder } from './record.js';
import type { Run } from './run.js';

export type BakeOutcome =
  { readonly kind: 'baked' } | { readonly kind: 'failed'; readonly verdict: CombinedVerdict } | { readonly kind: 'cancelled' };

export async function bake(run: Run, durationMs: number, step: StepRecorder): Promise<BakeOutcome> {
  const { clock } = run.ports;
  const interval = run.plan.analysisIntervalMs;
  const probeEvery = run.config.analysis.probe?.intervalMs ?? 0;
  // Probes between analyses only when they come more often than the analyses themselves.
  const probing = probeEvery > 0 && (interval === 0 || probeEvery < interval);
  const tick = probing ? probeEvery : interval;
  const end = clock.now() + durationMs;
  let nextAnalysis = clock.now() + interval;
  for (let now = clock.now(); now < end; now = clock.now()) {
    await clock.sleep(tick > 0 ? Math.min(tick, end - now) : end - now, run.signal);
    if (run.signal.aborted) return { kind: 'cancelled' };
    if (tick === 0 || clock.now() >= end) continue;

    if (interval > 0 && clock.now() >= nextAnalysis) {
      nextAnalysis += interval;
      const { observation, verdict } = await judgeStage(run, clock.now());
      step.analysed(observation, verdict, run);
      if (verdict.verdict === 'fail') return { kind: 'failed', verdict };
    } else if (probing) {
      const judgement = await judgeProbeOnly(run);
      // A passing probe between analyses is not recorded: the step's figures come from full analyses.
      if (judgement?.verdict.verdict === 'fail') {
        step.analysed(judgement.observation, judgement.verdict, run);
        return { kind: 'failed', verdict: judgement.verdict };
      }
    }
  }
  return { kind: 'baked' };
}
