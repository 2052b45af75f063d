/**
 * Gathers what one analysis judges, from the ports, then hands it to the pure decision in
 * analysis/evaluate.ts. Metrics are read over the same window for both sides.
 */
import { combineVerdicts, evaluateStage, judgeProbe, type CombinedVerdict, type StageObservation } from '../analysis/index.js';
import { metricWindow } from '../analysis/window.js';
import type { TimeWindow } from '../ports.js';
import type { Run } from './run.js';

export interface Judgement {
  readonly observation: StageObservation;
  readonly verdict: CombinedVerdict;
}

/** Judges the current stage on data published up to `until` (clamped to what is published by now). */
export async function judgeStage(run: Run, until: number): Promise<Judgement> {
  const stage = run.stage;
  const { analysis } = run.config;
  const { publicationDelayMs, periodMs } = analysis;
  const window = metricWindow({ since: stage.startedAt, until, now: run.ports.clock.now(), publicationDelayMs, periodMs });
  const comparing = stage.canaryPercent < 100;
  const [canary, baseline, userMetrics] = window
    ? await Promise.all([
        run.call('read canary metrics', () => run.ports.metrics.trafficStats(run.canary, window)),
        comparing ? run.call('read baseline metrics', () => run.ports.metrics.trafficStats(run.stable, window)) : undefined,
        readUserMetrics(run, window, comparing),
      ])
    : [undefined, undefined, []];
  const alarmNames = analysis.alarms ?? [];
  const alarms = alarmNames.length > 0 ? await run.call('read alarms', () => run.ports.metrics.alarmStates(alarmNames)) : [];
  const probe = await probeCanary(run);

  const observation: StageObservation = { canaryPercent: stage.canaryPercent, window, canary, baseline, alarms, userMetrics, probe };
  return { observation, verdict: evaluateStage(observation, analysis) };
}

async function readUserMetrics(run: Run, window: TimeWindow, comparing: boolean): Promise<StageObservation['userMetrics']> {
  const { metrics } = run.ports;
  return Promise.all(
    (run.config.analysis.userMetrics ?? []).map(async (check) => {
      const canary = await run.call(`read metric ${check.name}`, () =>
        metrics.userMetric(check.query, { colour: run.canary, role: 'canary' }, window),
      );
      const baseline =
        check.kind === 'relative' && comparing
          ? await run.call(`read metric ${check.name}`, () =>
              metrics.userMetric(check.query, { colour: run.stable, role: 'baseline' }, window),
            )
          : undefined;
      return { check, values: { canary, baseline } };
    }),
  );
}

async function probeCanary(run: Run): Promise<StageObservation['probe']> {
  const { probe } = run.ports;
  const spec = run.config.analysis.probe;
  if (!probe || !spec) return undefined;
  return run.call('probe the new colour', () => probe.send(spec.request));
}

/** Between full analyses: only the probe through the test listener, judged on its own. */
export async function judgeProbeOnly(run: Run): Promise<Judgement | undefined> {
  const spec = run.config.analysis.probe;
  const probe = await probeCanary(run);
  if (!spec || !probe) return undefined;
  const observation: StageObservation = {
    canaryPercent: run.stage.canaryPercent,
    window: undefined,
    canary: undefined,
    baseline: undefined,
    alarms: [],
    userMetrics: [],
    probe,
  };
  return { observation, verdict: combineVerdicts([judgeProbe(probe, spec)]) };
}
