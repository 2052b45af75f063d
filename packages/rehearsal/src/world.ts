/**
 * The rehearsal's world: the local AWS stand-in seeded with the production topology (ALB with a
 * production and a test listener, blue and green target groups and services, ECR repository), the
 * service behind blue, and new images pushed to the registry so they can be released by digest.
 */
import { ECRClient, PutImageCommand } from '@aws-sdk/client-ecr';
import { DescribeListenersCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { startAwsLocal, type AwsLocal, type FaultConfig, type ImageCommands } from '@svg-ai-release/aws-local';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { PYTHON, RELEASE_APP, SERVICE_DIR, TOPOLOGY_FILE } from './paths.js';

/** What runs as a task: the real SVG-AI service (needs Debian's torch), or the small release test app. */
export type AppKind = 'svgai' | 'release-app';

export interface WorldOptions {
  readonly app: AppKind;
  /** Health checks, grace periods and draining scaled for tests (true) or kept as in the topology file. */
  readonly fast?: boolean;
  /** ALB metric publication: period and delay in seconds. */
  readonly metrics?: { readonly periodSeconds: number; readonly delaySeconds: number };
  readonly faults?: FaultConfig;
  /** Task process output to this process's (for debugging). */
  readonly taskOutput?: boolean;
}

export interface World {
  readonly local: AwsLocal;
  readonly app: AppKind;
  readonly registry: string;
  readonly arns: {
    readonly productionListener: string;
    readonly testListener: string;
    readonly cluster: string;
    readonly blueService: string;
    readonly greenService: string;
  };
  readonly productionUrl: string;
  /** Pushes an image manifest for `tag` and returns the reference by digest (`<registry>/svg-ai@sha256:…`). */
  pushImage(tag: string): Promise<string>;
  /** The production listener's forward weights as the load balancer reports them. */
  productionWeights(): Promise<{ blue: number; green: number }>;
  stop(): Promise<void>;
}

/** The model version the live side serves before a release. */
export const STABLE_MODEL_VERSION = '1.0.0';

export const AWS_CREDENTIALS = { accessKeyId: 'AKIDREHEARSAL', secretAccessKey: 'rehearsal-secret' };

function images(app: AppKind): ImageCommands {
  const command =
    app === 'svgai'
      ? // DRAIN_NOTICE_S 0: the stand-in deregisters a task before stopping it, as ECS does, and its stop timeout is 2 s.
        {
          command: [PYTHON, '-m', 'svgai.server'],
          cwd: SERVICE_DIR,
          env: { PYTHONPATH: SERVICE_DIR, LOG_LEVEL: 'warning', DRAIN_NOTICE_S: '0' },
        }
      : { command: [process.execPath, RELEASE_APP] };
  // A broken image: its entrypoint exits at once with code 3, as a bad build or missing file would.
  const broken = { command: [process.execPath, '-e', 'process.exit(3)'] };
  return { 'svg-ai:broken*': broken, 'svg-ai:*': command, 'svg-ai@*': command };
}

/** The shipped topology, with timings scaled down for tests: same shape, quicker health checks and draining. */
function topology(fast: boolean): unknown {
  const document = parse(readFileSync(TOPOLOGY_FILE, 'utf8')) as {
    taskDefinitions: { containers: { environment?: Record<string, string> }[] }[];
    targetGroups: { healthCheck: Record<string, unknown>; deregistrationDelaySeconds: number }[];
    services: { healthCheckGracePeriodSeconds?: number; desiredCount: number; name: string }[];
  };
  for (const group of document.targetGroups) {
    if (fast) {
      group.healthCheck = { ...group.healthCheck, intervalSeconds: 0.5, timeoutSeconds: 0.5 };
      group.deregistrationDelaySeconds = 0.5;
    }
  }
  for (const definition of document.taskDefinitions) {
    for (const container of definition.containers)
      container.environment = { ...container.environment, MODEL_VERSION: STABLE_MODEL_VERSION };
  }
  for (const service of document.services) {
    // The idle colour starts empty: a release deploys to it.
    if (service.name.endsWith('-green')) service.desiredCount = 0;
  }
  return document;
}

export async function startWorld(options: WorldOptions): Promise<World> {
  const local = await startAwsLocal({
    topology: topology(options.fast ?? false) as never,
    images: images(options.app),
    metrics: options.metrics ?? { periodSeconds: 1, delaySeconds: 1 },
    ...(options.faults ? { faults: options.faults } : {}),
    ...(options.taskOutput ? { taskOutput: 'inherit' as const } : {}),
    // What the task role gives the service in AWS: access to the model registry's S3 (here, the stand-in's).
    taskCredentials: AWS_CREDENTIALS,
  });
  const registry = `${local.accountId}.dkr.ecr.${local.region}.amazonaws.com`;
  const clientConfig = { endpoint: local.endpoint, region: local.region, credentials: AWS_CREDENTIALS };
  const ecr = new ECRClient(clientConfig);
  const elbv2 = new ElasticLoadBalancingV2Client(clientConfig);
  const required = (name: string, value: string | undefined) => {
    if (!value) throw new Error(`the topology has no ${name}`);
    return value;
  };
  const r = local.resources;
  return {
    local,
    app: options.app,
    registry,
    arns: {
      productionListener: required('production listener', r.listeners.production),
      testListener: required('test listener', r.listeners.test),
      cluster: required('cluster', r.clusters['svg-ai']),
      blueService: required('blue service', r.services['svg-ai-blue']),
      greenService: required('green service', r.services['svg-ai-green']),
    },
    productionUrl: local.listenerUrl('production'),
    async pushImage(tag) {
      // A minimal OCI manifest whose config digest names the tag, so each tag gets its own image digest.
      const manifest = JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: {
          mediaType: 'application/vnd.oci.image.config.v1+json',
          size: 2,
          digest: `sha256:${createHash('sha256').update(tag).digest('hex')}`,
        },
        layers: [],
      });
      const { image } = await ecr.send(new PutImageCommand({ repositoryName: 'svg-ai', imageManifest: manifest, imageTag: tag }));
      const digest = image?.imageId?.imageDigest;
      if (!digest) throw new Error(`pushing svg-ai:${tag} returned no digest`);
      return `${registry}/svg-ai@${digest}`;
    },
    async productionWeights() {
      const arn = r.listeners.production;
      const { Listeners } = await elbv2.send(new DescribeListenersCommand({ ListenerArns: [arn!] }));
      const groups = Listeners?.[0]?.DefaultActions?.find((a) => a.Type === 'forward')?.ForwardConfig?.TargetGroups ?? [];
      const weight = (colour: string) => groups.find((g) => g.TargetGroupArn?.includes(`/svg-ai-${colour}/`))?.Weight ?? 0;
      return { blue: weight('blue'), green: weight('green') };
    },
    async stop() {
      ecr.destroy();
      elbv2.destroy();
      await local.stop();
    },
  };
}
