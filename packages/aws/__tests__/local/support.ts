/**
 * Wiring for the adapters' tests against the local stand-in: a blue/green topology whose tasks run
 * the release app as real processes, SDK clients configured the way the actions configure them,
 * and polling with deadlines instead of sleeps.
 */
import { startAwsLocal, type AwsLocal, type AwsLocalOptions } from '@svg-ai-release/aws-local';
import { fileURLToPath } from 'node:url';
import { createClients, type AwsClients, type AwsSettings } from '../../src/index.js';

const RELEASE_APP = fileURLToPath(new URL('../../../aws-local/test-fixtures/release-app.mjs', import.meta.url));

/** Every `svg-ai:<tag>` image runs the release app; `MODEL_VERSION` tells the sides apart in its answers. */
export const IMAGES = { 'svg-ai:*': { command: [process.execPath, RELEASE_APP] } };

export interface TopologyOptions {
  readonly blueCount?: number;
  readonly greenCount?: number;
  readonly greenImage?: string;
  /** ECS's deployment circuit breaker with rollback on the green service. */
  readonly greenCircuitBreaker?: boolean;
}

/**
 * Production listener 100/0 on blue/green, a test listener on green, and two services that must be
 * refused as a side: one behind a third target group, one sharing blue's. Health checks run ten
 * times a second so targets turn healthy within a fraction of a second.
 */
export function blueGreenTopology(options: TopologyOptions = {}) {
  const healthCheck = { path: '/ready', intervalSeconds: 0.1, timeoutSeconds: 0.1, healthyThreshold: 2, unhealthyThreshold: 2 };
  const targetGroup = (name: string) => ({ name, port: 8080, healthCheck, deregistrationDelaySeconds: 0.2 });
  const taskDefinition = (family: string, image: string, modelVersion: string) => ({
    family,
    containers: [{ name: 'web', image, port: 8080, environment: { MODEL_VERSION: modelVersion, GIT_SHA: 'abc123' } }],
  });
  const service = (name: string, family: string, targetGroup: string, desiredCount: number, circuitBreaker = false) => ({
    name,
    cluster: 'svg-ai',
    taskDefinition: family,
    desiredCount,
    healthCheckGracePeriodSeconds: 5,
    loadBalancer: { targetGroup, container: 'web', port: 8080 },
    ...(circuitBreaker ? { circuitBreaker: { enable: true, rollback: true } } : {}),
  });
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
    targetGroups: [targetGroup('svg-ai-blue'), targetGroup('svg-ai-green'), targetGroup('svg-ai-other')],
    clusters: ['svg-ai'],
    taskDefinitions: [
      taskDefinition('svg-ai-blue', 'svg-ai:stable', 'blue'),
      taskDefinition('svg-ai-green', options.greenImage ?? 'svg-ai:stable', 'green'),
    ],
    services: [
      service('svg-ai-blue', 'svg-ai-blue', 'svg-ai-blue', options.blueCount ?? 1),
      service('svg-ai-green', 'svg-ai-green', 'svg-ai-green', options.greenCount ?? 1, options.greenCircuitBreaker),
      service('svg-ai-stray', 'svg-ai-blue', 'svg-ai-other', 0),
      service('svg-ai-twin', 'svg-ai-blue', 'svg-ai-blue', 0),
    ],
  };
}

export function startStandIn(
  topology: TopologyOptions = {},
  options: Omit<AwsLocalOptions, 'topology' | 'images'> = {},
): Promise<AwsLocal> {
  return startAwsLocal({
    topology: blueGreenTopology(topology),
    images: IMAGES,
    metrics: { periodSeconds: 1, delaySeconds: 0 },
    ...options,
  });
}

/** The clients the actions build, pointed at the stand-in. */
export function localClients(local: AwsLocal, settings: Partial<AwsSettings> = {}): AwsClients {
  return createClients({
    region: 'eu-west-1',
    endpoint: local.endpoint,
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    ...settings,
  });
}

/** The topology request naming the seeded resources. */
export function topologyRequest(
  local: AwsLocal,
  overrides: { listenerArn?: string; testListenerArn?: string; testHost?: string; greenService?: string } = {},
) {
  return {
    listenerArn: overrides.listenerArn ?? local.resources.listeners['production']!,
    ...(overrides.testListenerArn ? { testListenerArn: overrides.testListenerArn } : {}),
    ...(overrides.testHost ? { testHost: overrides.testHost } : {}),
    cluster: 'svg-ai',
    blueService: 'svg-ai-blue',
    greenService: overrides.greenService ?? 'svg-ai-green',
  };
}

/** Polls until `check` returns something other than undefined/false, or fails with what it last saw. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
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
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}; last saw ${last instanceof Error ? last.message : JSON.stringify(last)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Sends `count` GETs one after another and returns each status with the model version of the side that answered. */
export async function sendRequests(url: string, count: number): Promise<{ status: number; side: string | undefined }[]> {
  const answers: { status: number; side: string | undefined }[] = [];
  for (let i = 0; i < count; i++) {
    const response = await fetch(new URL(`/convert/${i}`, url));
    const text = await response.text();
    const side = response.ok ? (JSON.parse(text) as { model_version?: string }).model_version : undefined;
    answers.push({ status: response.status, side });
  }
  return answers;
}
