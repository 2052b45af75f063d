export { judgeAlarms } from './alarms.js';
export { judgeErrorRate, type ErrorRateComparison } from './error-rate.js';
export { evaluateStage, type AnalysisConfig, type ProbeCheckConfig, type StageObservation } from './evaluate.js';
export { judgeEvidence, type RequestCounts, type Side } from './evidence.js';
export { judgeUnhealthyHosts } from './hosts.js';
export { judgeLatency, type LatencyComparison } from './latency.js';
export { judgeProbe, judgeVersion, type ExpectedVersion, type ProbeExpectation } from './probe.js';
export { judgeErrorRateSlo, judgeLatencySlo } from './slo.js';
export {
  judgeUserMetric,
  type UserMetricCheck,
  type UserMetricComparison,
  type UserMetricThreshold,
  type UserMetricValues,
} from './user-metrics.js';
export { combineVerdicts, type CheckResult, type CombinedVerdict, type Figure, type Verdict } from './verdict.js';
export { metricWindow, publicationWaitMs, type MetricTiming } from './window.js';
