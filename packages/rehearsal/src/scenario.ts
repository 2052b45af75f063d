/**
 * One rehearsed release, end to end: the world, the service live on blue, steady client traffic,
 * a new image pushed, an optional fault in it, the bundled action run to completion (and its post
 * step), then the evidence: the action's record and what the clients saw.
 */
import type { DeploymentRecord } from '@svg-ai-release/rollout';
import { release, type ReleaseOptions, type ReleaseResult, type Strategy } from './release.js';
import { summarise, Traffic, type Sample, type TrafficSummary } from './traffic.js';
import { startWorld, type AppKind, type World } from './world.js';

export type Fault = 'none' | 'error-rate' | 'latency' | 'crash';

export interface ScenarioOptions {
  readonly strategy: Strategy;
  readonly fault: Fault;
  readonly app: AppKind;
  /** Client requests per second through the production listener. */
  readonly rate?: number;
  readonly inputs?: Readonly<Record<string, string>>;
  readonly interrupt?: ReleaseOptions['interrupt'];
  readonly onOutput?: (line: string) => void;
  readonly fast?: boolean;
  /** Called once the world is up and traffic flows, before the release starts. */
  readonly beforeRelease?: (world: World) => Promise<void> | void;
}

export interface ScenarioResult {
  readonly release: ReleaseResult;
  readonly record: DeploymentRecord | undefined;
  readonly image: string;
  readonly samples: readonly Sample[];
  readonly traffic: TrafficSummary;
  /** From the first failed client request to the moment the record says weights were restored; undefined when no client saw a failure. */
  readonly detectionToRestoreMs: number | undefined;
  /** How long the new release took production traffic before the weights were restored: from the first shift to the restore. */
  readonly exposureMs: number | undefined;
  /** Final weights read from the stand-in after the run, blue/green percent. */
  readonly finalWeights: { readonly blue: number; readonly green: number };
  readonly desiredCounts: { readonly blue: number; readonly green: number };
}

export const CANDIDATE_MODEL_VERSION = '1.1.0';
/** What the clients call: an API endpoint that is cheap on the real service and names the model version. */
export const TRAFFIC_PATH = '/api/model-status';

/**
 * A fault is a property of the new release, as in real life: a bug that fails a share of API
 * requests or slows them down while health checks stay green (the service's test-only knobs), or
 * an image that cannot start at all.
 */
function faultInputs(fault: Fault): Record<string, string> {
  switch (fault) {
    case 'error-rate':
      return { environment: 'SVGAI_FAULT_ERROR_RATE=0.3' };
    case 'latency':
      return { environment: 'SVGAI_FAULT_LATENCY_MS=400' };
    default:
      return {};
  }
}

/** Polls until the live side answers ready through the production listener. */
export async function waitUntilServing(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await fetch(new URL('/ready', url))
      .then((r) => r.status)
      .catch(() => undefined);
    if (status === 200) return;
    if (Date.now() > deadline)
      throw new Error(`the live side did not become ready through ${url} within ${timeoutMs} ms (last status ${status ?? 'none'})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function runScenario(options: ScenarioOptions): Promise<ScenarioResult> {
  const world = await startWorld({ app: options.app, fast: options.fast ?? true });
  try {
    await waitUntilServing(world.productionUrl, options.app === 'svgai' ? 120_000 : 30_000);
    const tag = options.fault === 'crash' ? 'broken-1.1.0' : 'candidate-1.1.0';
    const image = await world.pushImage(tag);

    const traffic = new Traffic({ url: world.productionUrl, path: TRAFFIC_PATH, ratePerSecond: options.rate ?? 40 }).start();
    await options.beforeRelease?.(world);
    const result = await release(world, {
      strategy: options.strategy,
      image,
      inputs: { 'model-version': CANDIDATE_MODEL_VERSION, ...faultInputs(options.fault), ...options.inputs },
      ...(options.interrupt ? { interrupt: options.interrupt } : {}),
      ...(options.onOutput ? { onOutput: options.onOutput } : {}),
    });
    const samples = await traffic.stop();
    const summary = summarise(samples, result.startedAt, result.finishedAt);
    const restoredAt = result.record?.rollback?.weightsRestoredAt;
    const detectionToRestoreMs =
      restoredAt !== undefined && summary.firstFailureAt !== undefined ? Date.parse(restoredAt) - summary.firstFailureAt : undefined;
    const firstShift = result.record?.steps.find((s) => s.kind === 'shift' && s.canaryPercent > 0)?.startedAt;
    const exposureMs = restoredAt !== undefined && firstShift !== undefined ? Date.parse(restoredAt) - Date.parse(firstShift) : undefined;
    return {
      release: result,
      exposureMs,
      record: result.record,
      image,
      samples,
      traffic: summary,
      detectionToRestoreMs,
      finalWeights: await world.productionWeights(),
      desiredCounts: desiredCountsOf(world),
    };
  } finally {
    await world.stop();
  }
}

function desiredCountsOf(world: World): { blue: number; green: number } {
  const services = world.local.admin.state().services;
  const count = (arn: string) => services.find((s) => s.arn === arn)?.desiredCount ?? -1;
  return { blue: count(world.arns.blueService), green: count(world.arns.greenService) };
}
