export { AWS_API_ACTIONS, AWS_EXTRA_PERMISSIONS, BUILD_PUSH_API_ACTIONS, BUILD_PUSH_REGISTRY_PERMISSIONS } from './api-actions.js';
export { ecsName, listenerOfRule, loadBalancerDimension, targetGroupDimension } from './arns.js';
export { clientConfig, createClients, DEFAULT_MAX_ATTEMPTS, type AwsClients, type AwsSettings } from './clients.js';
export { AwsCallError, awsCall, isTransientAwsError, TopologyError } from './errors.js';
export { EcsFleet, type EcsFleetOptions } from './fleet.js';
export { CloudWatchMetrics, combine, windowPeriod, type CloudWatchMetricsOptions, type UserMetricQuery } from './metrics.js';
export { createAwsRollout, systemClock, type AwsRollout, type AwsRolloutOptions } from './aws-rollout.js';
export { HttpProbe } from './probe.js';
export { ElbTrafficRouter, toPercent, withWeights } from './router.js';
export { decodeTagValue, encodeTagValue, ListenerTagStateStore, lockToTags, tagsToLock, TAG_PREFIX } from './state.js';
export { TestListenerFleet } from './test-listener.js';
export { canonical, renderRevision, sameRevision, targetContainer } from './task-definition.js';
export {
  forwardTargets,
  resolveTopology,
  type BlueGreenTopology,
  type ColourSide,
  type TopologyRequest,
  type TrafficTarget,
} from './topology.js';
