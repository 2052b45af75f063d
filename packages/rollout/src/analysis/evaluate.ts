/**
 * The canary decision, in one place: which checks judge a step, from what the engine observed.
 * Every check is a pure function of its own; this file only chooses and combines them.
 */
import type { AlarmStatus, Percentile, ProbeRequest, ProbeResponse, TimeWindow, TrafficStats } from '../ports.js';
import { judgeAlarms } from './alarms.js';
import { judgeErrorRate } from './error-rate.js';
import { judgeEvidence } from './evidence.js';
import { judgeUnhealthyHosts } from './hosts.js';
import { judgeLatency, ms } from './latency.js';
import { judgeProbe, type ProbeExpectation } from './probe.js';
import { judgeErrorRateSlo, judgeLatencySlo } from './slo.js';
import { judgeUserMetric, type UserMetricCheck, type UserMetricValues } from './user-metrics.js';
import { checkResult, combineVerdicts, type CheckResult, type CombinedVerdict } from './verdict.js';
import type { MetricTiming } from './window.js';

export interface AnalysisConfig extends MetricTiming {
  /** Requests each side needs in the window before its rates and percentiles are judged. */
  readonly minRequests: number;
  readonly errorRate?: { readonly maxRatio: number; readonly absoluteFloor: number };
  readonly latency?: {
    readonly percentiles: readonly Percentile[];
    readonly maxRatio: number;
    readonly absoluteFloorMs: number;
  };
  readonly slo?: { readonly max5xxRate?: number; readonly maxP95Ms?: number; readonly maxP99Ms?: number };
  /** Unhealthy canary targets tolerated; leave out to skip the check. */
  readonly maxUnhealthyHosts?: number;
  /** CloudWatch alarms (by name) that fail the step when in ALARM. */
  readonly alarms?: readonly string[];
  readonly userMetrics?: readonly UserMetricCheck[];
  /** Probe the new colour through the test listener at every analysis: detection bound by the interval, not the metric period. */
  readonly probe?: ProbeCheckConfig;
}

export interface ProbeCheckConfig extends ProbeExpectation {
  readonly request: ProbeRequest;
  /**
   * During bakes, probe this often between full analyses, so a bad canary is caught at the probe interval
   * rather than the analysis interval (or the metric period). Defaults to probing at each analysis only.
   */
  readonly intervalMs?: number;
}

/** Everything the engine gathered for one analysis of a step. */
export interface StageObservation {
  readonly canaryPercent: number;
  /** Undefined when no complete window of published metrics exists yet. */
  readonly window: TimeWindow | undefined;
  readonly canary: TrafficStats | undefined;
  /** Undefined while the baseline takes no traffic (100% on the canary): comparisons are then skipped. */
  readonly baseline: TrafficStats | undefined;
  readonly alarms: readonly AlarmStatus[];
  readonly userMetrics: readonly { readonly check: UserMetricCheck; readonly values: UserMetricValues }[];
  readonly probe: readonly ProbeResponse[] | undefined;
}

export function evaluateStage(observation: StageObservation, config: AnalysisConfig): CombinedVerdict {
  return combineVerdicts([
    ...metricChecks(observation, config),
    ...judgeAlarms(config.alarms ?? [], observation.alarms),
    ...(config.probe && observation.probe ? [judgeProbe(observation.probe, config.probe)] : []),
  ]);
}

function metricChecks(observation: StageObservation, config: AnalysisConfig): CheckResult[] {
  const { window, canary, baseline } = observation;
  if (window === undefined || canary === undefined) {
    return [
      checkResult(
        'metric window',
        'inconclusive',
        `no complete window of published metrics yet (they are published ${ms(config.publicationDelayMs)} late)`,
      ),
    ];
  }
  const { minRequests } = config;
  const checks: CheckResult[] = [judgeEvidence({ side: 'canary', requests: canary.requests, minRequests })];

  if (baseline !== undefined) {
    checks.push(judgeEvidence({ side: 'baseline', requests: baseline.requests, minRequests }));
    if (config.errorRate) {
      checks.push(
        judgeErrorRate({
          canary: { requests: canary.requests, errors: canary.http5xx },
          baseline: { requests: baseline.requests, errors: baseline.http5xx },
          ...config.errorRate,
          minRequests,
        }),
      );
    }
    checks.push(...latencyComparisons(canary, baseline, config));
  }

  const slo = config.slo ?? {};
  if (slo.max5xxRate !== undefined) {
    checks.push(judgeErrorRateSlo({ requests: canary.requests, errors: canary.http5xx, maxRate: slo.max5xxRate, minRequests }));
  }
  for (const [percentile, maxMs] of [
    ['p95', slo.maxP95Ms],
    ['p99', slo.maxP99Ms],
  ] as const) {
    if (maxMs !== undefined) {
      checks.push(judgeLatencySlo({ percentile, valueMs: canary.latencyMs[percentile], maxMs, requests: canary.requests, minRequests }));
    }
  }
  if (config.maxUnhealthyHosts !== undefined) {
    checks.push(judgeUnhealthyHosts({ unhealthyHosts: canary.unhealthyHosts, maxUnhealthy: config.maxUnhealthyHosts }));
  }
  for (const { check, values } of observation.userMetrics) {
    // A comparison needs a baseline taking traffic; at 100% only thresholds still apply.
    if (check.kind === 'relative' && baseline === undefined) continue;
    checks.push(judgeUserMetric(check, values));
  }
  return checks;
}

function latencyComparisons(canary: TrafficStats, baseline: TrafficStats, config: AnalysisConfig): CheckResult[] {
  const latency = config.latency;
  if (!latency) return [];
  return latency.percentiles.map((percentile) =>
    judgeLatency({
      percentile,
      canaryMs: canary.latencyMs[percentile],
      baselineMs: baseline.latencyMs[percentile],
      canaryRequests: canary.requests,
      baselineRequests: baseline.requests,
      maxRatio: latency.maxRatio,
      absoluteFloorMs: latency.absoluteFloorMs,
      minRequests: config.minRequests,
    }),
  );
}
