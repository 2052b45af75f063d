/**
 * Everything the rollout engine needs, built on AWS from what the user named: resolves the
 * topology once, then hands out thin adapters sharing the same clients. With a test listener,
 * deploying also points it at the new colour, so smoke checks and probes reach the side deployed.
 */
import type { Clock, Logger, RolloutPorts } from '@svg-ai-release/rollout';
import { createClients, type AwsClients, type AwsSettings } from './clients.js';
import { EcsFleet } from './fleet.js';
import { CloudWatchMetrics, type UserMetricQuery } from './metrics.js';
import { HttpProbe } from './probe.js';
import { ElbTrafficRouter } from './router.js';
import { ListenerTagStateStore } from './state.js';
import { TestListenerFleet } from './test-listener.js';
import { resolveTopology, type BlueGreenTopology, type TopologyRequest } from './topology.js';

export interface AwsRolloutOptions extends TopologyRequest {
  readonly aws: AwsSettings;
  readonly containerName?: string;
  readonly metricPeriodSeconds?: number;
  readonly userQueries?: Readonly<Record<string, UserMetricQuery>>;
  readonly clock: Clock;
  readonly logger: Logger;
}

export interface AwsRollout {
  readonly ports: RolloutPorts;
  readonly topology: BlueGreenTopology;
  readonly clients: AwsClients;
}

export async function createAwsRollout(options: AwsRolloutOptions): Promise<AwsRollout> {
  const clients = createClients(options.aws);
  try {
    const topology = await resolveTopology(clients, options);
    const ecsFleet = new EcsFleet(clients, topology, options.containerName ? { containerName: options.containerName } : {});
    const ports: RolloutPorts = {
      router: new ElbTrafficRouter(clients, topology),
      fleet: topology.test
        ? new TestListenerFleet(ecsFleet, new ElbTrafficRouter(clients, topology, topology.test), topology.test.arn)
        : ecsFleet,
      metrics: new CloudWatchMetrics(clients, topology, {
        ...(options.metricPeriodSeconds ? { periodSeconds: options.metricPeriodSeconds } : {}),
        ...(options.userQueries ? { userQueries: options.userQueries } : {}),
      }),
      ...(topology.test ? { probe: new HttpProbe(topology.test.url, topology.test.host ? { host: topology.test.host } : {}) } : {}),
      state: new ListenerTagStateStore(clients, topology.production.arn),
      clock: options.clock,
      logger: options.logger,
    };
    return { ports, topology, clients };
  } catch (error) {
    clients.destroy();
    throw error;
  }
}

/** The real clock: wall time, and sleeps that end early when the rollout is aborted. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal?.aborted) return resolve();
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      }
      signal?.addEventListener('abort', done, { once: true });
    }),
};
