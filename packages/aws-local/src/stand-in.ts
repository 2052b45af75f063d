/**
 * Composition root: builds the services, the data plane and the HTTP server, seeds the topology,
 * runs the periodic loops (health checks, ECS scheduler, ALB host counts, alarm evaluation) and
 * tears everything down on stop.
 */
import type { AddressInfo } from 'node:net';
import { createAdminHandler } from './admin.js';
import { createCloudWatchHandler } from './cloudwatch/handler.js';
import { CloudWatchService } from './cloudwatch/service.js';
import { AlbMetrics } from './dataplane/alb-metrics.js';
import { imageAliases } from './dataplane/aliases.js';
import { parseEmfLine } from './dataplane/emf.js';
import { HealthChecker } from './dataplane/health.js';
import { withoutRegistry, type ImageCommands } from './dataplane/images.js';
import type { MetadataSource } from './dataplane/task-metadata.js';
import { ListenerProxy } from './dataplane/proxy.js';
import { TaskRunner } from './dataplane/tasks.js';
import { createEcrHandler, createRegistryServer, type Finding } from './ecr/index.js';
import { createEcsHandler } from './ecs/handler.js';
import { emptyEcsState } from './ecs/model.js';
import { EcsScheduler } from './ecs/scheduler.js';
import { EcsService } from './ecs/service.js';
import { createElbv2Handler } from './elbv2/handler.js';
import { emptyElbv2State } from './elbv2/model.js';
import { Elbv2Service } from './elbv2/service.js';
import { Faults, type FaultConfig } from './faults.js';
import { createS3Handler } from './s3/index.js';
import { createStsHandler } from './sts/index.js';
import { createControlServer } from './server.js';
import { seedTopology } from './seed.js';
import { detachProcesses, readSnapshot, writeSnapshot } from './snapshot.js';
import { emptyResources, parseTopology, readTopologyFile, type TopologyInput, type TopologyResources } from './topology.js';

export interface AwsLocalOptions {
  /** Control-plane port; 0 (default) picks a free one. */
  readonly port?: number;
  /** Defaults to 127.0.0.1. */
  readonly host?: string;
  /** Defaults to eu-west-1. */
  readonly region?: string;
  /** Defaults to 000000000000. */
  readonly accountId?: string;
  /** The path of a YAML topology file, or the same document as an object (validated the same way). */
  readonly topology?: string | TopologyInput;
  /** Which local command runs for which image (`{ 'svg-ai:*': { command: [...] } }`). */
  readonly images?: ImageCommands;
  /** Loaded on start when it exists, written on stop. */
  readonly snapshotFile?: string;
  /** ALB metric publication: period and delay in seconds (defaults 1 and 0; the real ALB: 60 and ~60+). */
  readonly metrics?: { readonly periodSeconds?: number; readonly delaySeconds?: number };
  /** How often alarms are evaluated, in ms (default 1000). */
  readonly alarmEvaluationIntervalMs?: number;
  /** Pause before relaunching after a task failure, in ms, doubled per consecutive failure (default 200). */
  readonly taskRestartDelayMs?: number;
  /** Faults active from the start. */
  readonly faults?: FaultConfig;
  /** Where task processes write their output (default: dropped). */
  readonly taskOutput?: 'inherit' | 'ignore';
  /**
   * The credentials a task's AWS SDK uses, in place of the task role ECS would hand it: with them every task
   * gets AWS_ENDPOINT_URL (this stand-in), AWS_REGION and these keys, so a service reads S3 here as it would
   * in AWS. Without them tasks get no AWS settings.
   */
  readonly taskCredentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

export interface AwsLocalAdmin {
  /** Adds faults (same shape as `POST /_aws-local/faults`). */
  injectFaults(config: FaultConfig): void;
  clearFaults(): void;
  faults(): FaultConfig;
  /** What ECR's scan of an image with this digest reports from now on (unseeded images scan clean). */
  seedScanFindings(imageDigest: string, findings: readonly Finding[]): void;
  /** Listeners, target health, services and tasks, as `GET /_aws-local/state` returns them. */
  state(): AwsLocalState;
}

export interface AwsLocalState {
  readonly listeners: { arn: string; name?: string; port: number; url: string }[];
  readonly targetGroups: { arn: string; name: string; targets: { id: string; port: number; state: string; reason?: string }[] }[];
  readonly services: {
    arn: string;
    desiredCount: number;
    deployments: { id: string; status: string; rolloutState: string; taskDefinition: string }[];
  }[];
  readonly tasks: { arn: string; lastStatus: string; desiredStatus: string; port?: number; stoppedReason?: string }[];
  readonly faults: FaultConfig;
}

export interface AwsLocal {
  /** Give this to the SDK clients as `endpoint`. */
  readonly endpoint: string;
  /** The ECR registry (OCI distribution API), `127.0.0.1:<port>`: the host of image references pushed here. */
  readonly registry: string;
  readonly region: string;
  readonly accountId: string;
  /** ARNs of the seeded topology, by logical name. */
  readonly resources: TopologyResources;
  /** `http://127.0.0.1:<port>` of a listener, by ARN or by its topology name. */
  listenerUrl(listenerArnOrName: string): string;
  readonly admin: AwsLocalAdmin;
  /** Stops every task process and port, and writes the snapshot file if one is configured. */
  stop(): Promise<void>;
}

const LOOP_INTERVAL_MS = 25;

export async function startAwsLocal(options: AwsLocalOptions = {}): Promise<AwsLocal> {
  const region = options.region ?? 'eu-west-1';
  const accountId = options.accountId ?? '000000000000';
  const account = { region, accountId };
  const publication = { periodSeconds: options.metrics?.periodSeconds ?? 1, delaySeconds: options.metrics?.delaySeconds ?? 0 };
  if (!(publication.periodSeconds > 0) || !(publication.delaySeconds >= 0)) {
    throw new Error(
      `metrics.periodSeconds must be above 0 and metrics.delaySeconds at least 0, got ${publication.periodSeconds} and ${publication.delaySeconds}`,
    );
  }
  const topology =
    typeof options.topology === 'string' ? await readTopologyFile(options.topology) : options.topology && parseTopology(options.topology);
  const snapshot = options.snapshotFile ? await readSnapshot(options.snapshotFile) : undefined;

  const faults = new Faults();
  if (options.faults) faults.add(options.faults);
  const cloudwatch = new CloudWatchService(account);
  const s3 = createS3Handler({ region });
  const ecr = createEcrHandler(account);
  const sts = createStsHandler({ accountId });

  // The proxy and the services reference each other (ports ↔ state), so the proxy takes late-bound getters.
  const proxy: ListenerProxy = new ListenerProxy(
    (): AlbMetrics => metrics,
    faults,
    (): EcsScheduler => scheduler,
  );
  const elbv2 = new Elbv2Service(snapshot ? snapshot.elbv2 : emptyElbv2State(), account, proxy);
  proxy.attach(elbv2);
  const ecs = new EcsService(snapshot ? snapshot.ecs : emptyEcsState(), account, (arn) => elbv2.targetGroup(arn));
  const metrics = new AlbMetrics(cloudwatch, elbv2, publication);
  // Known once the control server listens; task processes get it as their metadata endpoint.
  const control: { url?: string; registry?: string } = {};
  // Only images that name this stand-in's own registry are pulled from it; others are mapped by name.
  const ownImage = (image: string): { repository: string; reference: string } | undefined => {
    const host = control.registry;
    if (host === undefined || !image.startsWith(`${host}/`)) return undefined;
    const rest = image.slice(host.length + 1);
    const at = rest.indexOf('@');
    const colon = rest.lastIndexOf(':');
    const [repository, reference] =
      at >= 0 ? [rest.slice(0, at), rest.slice(at + 1)] : colon >= 0 ? [rest.slice(0, colon), rest.slice(colon + 1)] : [rest, 'latest'];
    return { repository, reference };
  };
  const runner = new TaskRunner({
    images: options.images ?? {},
    output: options.taskOutput,
    aliases: (image) => imageAliases(image, ecr.resolveImage),
    metadataBaseUrl: () => control.url,
    // What CloudWatch Logs does with EMF in a container's awslogs stream: metrics, visible after the publication delay.
    onStdoutLine: (_taskArn, line) => {
      for (const datum of parseEmfLine(line)) {
        const id = { namespace: datum.namespace, name: datum.name, dimensions: datum.dimensions };
        const visibleAt = Date.now() + publication.delaySeconds * 1000;
        for (const value of datum.values) cloudwatch.record(id, datum.timestamp, value, visibleAt, datum.unit);
      }
    },
    awsEnvironment: (): Record<string, string> =>
      options.taskCredentials && control.url
        ? {
            AWS_ENDPOINT_URL: control.url,
            AWS_REGION: region,
            AWS_DEFAULT_REGION: region,
            AWS_ACCESS_KEY_ID: options.taskCredentials.accessKeyId,
            AWS_SECRET_ACCESS_KEY: options.taskCredentials.secretAccessKey,
          }
        : {},
    pullError: (image) => {
      const own = ownImage(image);
      if (own === undefined || ecr.resolveImage(own.repository, own.reference)) return undefined;
      return `CannotPullContainerError: pull image manifest has been retried 1 time(s): failed to resolve ref ${image}: not found`;
    },
    imageEnvironment: (image) => {
      const own = ownImage(image);
      return own ? ecr.imageEnvironment(own.repository, own.reference) : {};
    },
  });
  const scheduler = new EcsScheduler(ecs, elbv2, runner, faults, { restartDelayMs: options.taskRestartDelayMs ?? 200 });
  const health = new HealthChecker(() => elbv2.state.targetGroups);

  if (snapshot) {
    cloudwatch.metrics.restore(snapshot.cloudwatch.metrics);
    cloudwatch.alarms = snapshot.cloudwatch.alarms;
    s3.restore(snapshot.s3);
    ecr.restore(snapshot.ecr);
    // Listeners come back on their old local ports when those are still free.
    for (const listener of elbv2.state.listeners) {
      listener.port = await proxy.bind(listener.arn, listener.port).catch(() => proxy.bind(listener.arn, 0));
    }
  }

  const seedTargets = { elbv2, ecs, s3: s3.handle, ecr: ecr.handle, region, accountId };
  const resources = topology ? await seedTopology(topology, seedTargets) : emptyResources();

  const state = (): AwsLocalState => {
    const names = new Map(Object.entries(resources.listeners).map(([name, arn]) => [arn, name]));
    return {
      listeners: elbv2.state.listeners.map((l) => ({
        arn: l.arn,
        name: names.get(l.arn),
        port: l.port,
        url: `http://127.0.0.1:${l.port}`,
      })),
      targetGroups: elbv2.state.targetGroups.map((tg) => ({
        arn: tg.arn,
        name: tg.name,
        targets: tg.targets.map((t) => ({ id: t.id, port: t.port, state: t.state, reason: t.reason })),
      })),
      services: ecs.state.services.map((s) => ({
        arn: s.arn,
        desiredCount: s.desiredCount,
        deployments: s.deployments.map((d) => ({
          id: d.id,
          status: d.status,
          rolloutState: d.rolloutState,
          taskDefinition: d.taskDefinition,
        })),
      })),
      tasks: ecs.state.tasks.map((t) => ({
        arn: t.arn,
        lastStatus: t.lastStatus,
        desiredStatus: t.desiredStatus,
        port: t.port,
        stoppedReason: t.stoppedReason,
      })),
      faults: faults.describe(),
    };
  };

  const metadataSource = (taskId: string): MetadataSource | undefined => {
    const task = ecs.state.tasks.find((t) => t.id === taskId);
    if (!task) return undefined;
    const definition = ecs.state.taskDefinitions.find((d) => d.arn === task.taskDefinitionArn);
    return {
      taskArn: task.arn,
      clusterArn: task.clusterArn,
      family: definition?.family ?? 'unknown',
      revision: definition?.revision ?? 0,
      desiredStatus: task.desiredStatus,
      knownStatus: task.lastStatus,
      containers: task.containers.map((c) => ({ name: c.name, image: c.image, status: c.lastStatus })),
      digestOf: (image) => {
        const bare = withoutRegistry(image);
        const colon = bare.lastIndexOf(':');
        return colon > 0 ? ecr.resolveImage(bare.slice(0, colon), bare.slice(colon + 1))?.digest : undefined;
      },
    };
  };

  const { server, closeAll } = createControlServer({
    handlers: {
      elasticloadbalancing: createElbv2Handler(elbv2),
      ecs: createEcsHandler(ecs, scheduler),
      monitoring: createCloudWatchHandler(cloudwatch),
      s3: s3.handle,
      ecr: ecr.handle,
      sts: sts.handle,
    },
    admin: createAdminHandler(faults, state, (taskId) => metadataSource(taskId)),
    faults,
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, resolve);
  });
  const endpoint = `http://${host}:${(server.address() as AddressInfo).port}`;
  const registry = await createRegistryServer(ecr.store, { host });
  control.registry = registry.host;
  control.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const loops = [
    setInterval(() => {
      health.tick();
      scheduler.tick();
    }, LOOP_INTERVAL_MS),
    setInterval(() => metrics.sampleHostCounts(), publication.periodSeconds * 1000),
    setInterval(() => cloudwatch.evaluateAlarms(), options.alarmEvaluationIntervalMs ?? 1000),
  ];
  scheduler.tick();

  let stopped: Promise<void> | undefined;
  return {
    endpoint,
    registry: registry.host,
    region,
    accountId,
    resources,
    listenerUrl(ref) {
      const arn = resources.listeners[ref] ?? ref;
      const listener = elbv2.state.listeners.find((l) => l.arn === arn);
      if (!listener)
        throw new Error(
          `No listener '${ref}': give a listener ARN or one of the topology's listener names (${Object.keys(resources.listeners).join(', ') || 'none'})`,
        );
      return `http://127.0.0.1:${listener.port}`;
    },
    admin: {
      injectFaults: (config) => faults.add(config),
      clearFaults: () => faults.clear(),
      seedScanFindings: (imageDigest, findings) => ecr.seedScanFindings(imageDigest, findings),
      faults: () => faults.describe(),
      state,
    },
    stop() {
      stopped ??= (async () => {
        for (const loop of loops) clearInterval(loop);
        // Proxy first: its pooled keep-alive connections would otherwise hold task servers open past SIGTERM.
        await proxy.closeAll();
        await scheduler.shutdown();
        await closeAll();
        await registry.close();
        if (options.snapshotFile) {
          const detached = detachProcesses(elbv2.state, ecs.state);
          await writeSnapshot(options.snapshotFile, {
            format: 'aws-local-snapshot/1',
            region,
            accountId,
            ...detached,
            cloudwatch: { metrics: cloudwatch.metrics.snapshot(), alarms: cloudwatch.alarms },
            s3: s3.snapshot(),
            ecr: ecr.snapshot(),
          });
        }
      })();
      return stopped;
    },
  };
}
