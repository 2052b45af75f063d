/** Shared test wiring: SDK clients pointed at a stand-in, and polling instead of sleeping. */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AwsLocal } from '../src/index.js';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-fixtures');
export const COLOUR_SERVER = join(FIXTURES, 'colour-server.mjs');

/** maxAttempts 1: the SDK would otherwise retry throttling and 5xx answers and hide them. */
export function clientConfig(awsLocal: AwsLocal) {
  return {
    endpoint: awsLocal.endpoint,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' },
    maxAttempts: 1,
  };
}

export function clients(awsLocal: AwsLocal) {
  const config = clientConfig(awsLocal);
  return { elbv2: new ElasticLoadBalancingV2Client(config), ecs: new ECSClient(config), cloudwatch: new CloudWatchClient(config) };
}

/** Polls until `check` returns a value other than undefined/false, or fails with what it last saw. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 15_000,
  everyMs = 25,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
      last = value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`Timed out waiting for ${what}; last saw ${last instanceof Error ? last.message : JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** Error name and HTTP status of a failed SDK call. */
export async function failure(promise: Promise<unknown>): Promise<{ name: string; status?: number; message: string }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, status: e.$metadata?.httpStatusCode, message: e.message };
  }
  throw new Error('Expected the call to fail, but it succeeded');
}

export function colourImages(extra: Record<string, string> = {}) {
  return {
    'colour:*': { command: [process.execPath, COLOUR_SERVER], env: extra },
  };
}

/**
 * Topology with blue/green services running the colour server, fast health checks and draining.
 * The grace period covers process start-up, which fast health checks would otherwise catch.
 */
export function colourTopology(options: { desiredCount?: number; blueImage?: string; greenImage?: string } = {}) {
  // Health checks may take a second even on a busy machine: a tight timeout would mark a live target unhealthy
  // when the machine is slow, not when the target is (a stopped task still refuses connections at once).
  const healthCheck = { path: '/ready', intervalSeconds: 1, timeoutSeconds: 1, healthyThreshold: 2, unhealthyThreshold: 3 };
  const container = (colour: string, image: string) => ({ name: 'web', image, port: 8080, environment: { COLOUR: colour, REVISION: '1' } });
  return {
    loadBalancers: [
      {
        name: 'svg-ai',
        listeners: [
          {
            name: 'production',
            port: 0,
            defaultAction: {
              forward: [
                { targetGroup: 'svg-ai-blue', weight: 100 },
                { targetGroup: 'svg-ai-green', weight: 0 },
              ],
            },
          },
          { name: 'test', port: 0, defaultAction: { forward: [{ targetGroup: 'svg-ai-green', weight: 1 }] } },
        ],
      },
    ],
    targetGroups: [
      { name: 'svg-ai-blue', port: 8080, healthCheck, deregistrationDelaySeconds: 0.2 },
      { name: 'svg-ai-green', port: 8080, healthCheck, deregistrationDelaySeconds: 0.2 },
    ],
    clusters: ['svg-ai'],
    taskDefinitions: [
      { family: 'svg-ai-blue', containers: [container('blue', options.blueImage ?? 'colour:blue')] },
      { family: 'svg-ai-green', containers: [container('green', options.greenImage ?? 'colour:green')] },
    ],
    services: [
      {
        name: 'svg-ai-blue',
        cluster: 'svg-ai',
        taskDefinition: 'svg-ai-blue',
        desiredCount: options.desiredCount ?? 1,
        healthCheckGracePeriodSeconds: 5,
        loadBalancer: { targetGroup: 'svg-ai-blue', container: 'web', port: 8080 },
      },
      {
        name: 'svg-ai-green',
        cluster: 'svg-ai',
        taskDefinition: 'svg-ai-green',
        desiredCount: options.desiredCount ?? 1,
        healthCheckGracePeriodSeconds: 5,
        loadBalancer: { targetGroup: 'svg-ai-green', container: 'web', port: 8080 },
      },
    ],
  };
}

/** Sends one GET and returns status and body. */
export async function get(url: string): Promise<{ status: number; body: string }> {
  const response = await fetch(url);
  return { status: response.status, body: await response.text() };
}
