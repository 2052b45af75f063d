/** One plan step at a time: each returns the engine's next state. */
import { weightsFor } from '../colours.js';
import type { PlanStep } from '../plan.js';
import { analyseGate } from './analyse.js';
import { bake } from './bake.js';
import { recordProgress } from './lock.js';
import type { StepRecorder } from './record.js';
import type { Run } from './run.js';
import { smoke } from './smoke.js';
import { finished, rollingBack, type EngineState } from './states.js';
import { applyWeights } from './weights.js';

const CANCELLED = 'the job was cancelled';

export async function runStep(run: Run, index: number): Promise<EngineState> {
  const step = run.plan.steps[index];
  if (!step) return { name: 'promoting' };
  await recordProgress(run, 'stepping', index);
  const recorder = run.record.startStep(index, step.kind, run.stage.canaryPercent);
  const outcome = await perform(run, step, index, recorder);
  if (outcome.name === 'next') {
    return index + 1 < run.plan.steps.length ? { name: 'stepping', index: index + 1 } : { name: 'promoting' };
  }
  return outcome;
}

type StepOutcome = { readonly name: 'next' } | EngineState;
const NEXT: StepOutcome = { name: 'next' };

async function perform(run: Run, step: PlanStep, index: number, recorder: StepRecorder): Promise<StepOutcome> {
  const { logger, clock } = run.ports;
  switch (step.kind) {
    case 'shift': {
      await applyWeights(run, weightsFor(run.canary, step.canaryPercent));
      run.stage = { canaryPercent: step.canaryPercent, startedAt: clock.now() };
      run.trafficMoved ||= step.canaryPercent > 0;
      recorder.setCanaryPercent(step.canaryPercent);
      recorder.finish('pass', `${step.canaryPercent}% of production traffic on ${run.canary}, verified`);
      logger.info(`${step.canaryPercent}% of production traffic on ${run.canary}`);
      return NEXT;
    }
    case 'bake': {
      const outcome = await bake(run, bakeBeforeGate(run, index, step.durationMs), recorder);
      if (outcome.kind === 'cancelled') return cancelled(recorder);
      if (outcome.kind === 'failed')
        return judgedFail(recorder, outcome.verdict.reason, `failed during the bake at ${recorder.canaryPercent}%`);
      // Mid-bake analyses may only fail a step; concluding is the analysis gate's job.
      recorder.finish(undefined, run.plan.analysisIntervalMs > 0 ? 'no interval analysis failed' : undefined);
      return NEXT;
    }
    case 'analyse': {
      const outcome = await analyseGate(run, recorder);
      if (outcome.kind === 'cancelled') return cancelled(recorder);
      if (outcome.kind === 'failed') return judgedFail(recorder, outcome.reason, `failed the analysis at ${recorder.canaryPercent}%`);
      recorder.finish('pass', outcome.verdict.reason);
      logger.info(`analysis at ${recorder.canaryPercent}% passed: ${outcome.verdict.reason}`);
      return NEXT;
    }
    case 'smoke': {
      const verdict = await smoke(run);
      recorder.finish(verdict.verdict, verdict.reason, verdict.checks);
      if (verdict.verdict === 'pass') return NEXT;
      return rollingBack(`smoke checks did not pass: ${verdict.reason}`);
    }
    case 'await-approval': {
      if (run.approvedIndex === index || run.mode === 'promote') {
        recorder.finish('pass', `approved by ${run.config.owner}`);
        return NEXT;
      }
      await recordProgress(run, 'paused', index);
      recorder.finish(undefined, 'waiting for approval');
      logger.info('waiting for approval: run again with mode resume to go on, or abort to roll back');
      return finished('paused', `waiting for approval at step ${index + 1}; resume or abort`);
    }
  }
}

/**
 * A step holds its weight for its bake time. When an analysis gate follows, the gate's wait for the
 * last metrics to be published is part of that time (and keeps analysing at the interval), so the
 * publication delay is not added to every step: with ALB metrics minutes late, it would otherwise
 * dominate a rollout's duration.
 */
function bakeBeforeGate(run: Run, index: number, durationMs: number): number {
  if (run.plan.steps[index + 1]?.kind !== 'analyse') return durationMs;
  return Math.max(Math.min(run.plan.analysisIntervalMs, durationMs), durationMs - run.config.analysis.publicationDelayMs);
}

function judgedFail(recorder: StepRecorder, reason: string, where: string): EngineState {
  recorder.finish('fail', reason);
  return rollingBack(`${where}: ${reason}`);
}

function cancelled(recorder: StepRecorder): EngineState {
  recorder.finish(undefined, CANCELLED);
  return rollingBack(CANCELLED, true);
}
