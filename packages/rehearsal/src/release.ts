/**
 * Runs the bundled canary or blue-green action against the world exactly as the runner would: its
 * committed dist/index.js as a process, inputs as INPUT_* variables, outputs and state through the
 * runner's command files, then (as the runner does) its post step with the saved state.
 */
import { loadActionYml, runActionProcess, type ProcessResult } from '@svg-ai-release/action-kit/testing';
import { dirname } from 'node:path';
import type { DeploymentRecord } from '@svg-ai-release/rollout';
import { actionBundle, runnerNode } from './paths.js';
import { AWS_CREDENTIALS, type World } from './world.js';

export type Strategy = 'canary' | 'blue-green';

export interface ReleaseOptions {
  readonly strategy: Strategy;
  readonly image: string;
  /** Extra or overriding action inputs (kebab-case names, as in action.yml). */
  readonly inputs?: Readonly<Record<string, string>>;
  /**
   * Interrupts the action once a log line matches `when` (and `delayMs` more have passed): SIGTERM as a
   * cancelled job does, SIGKILL as a step timeout or a lost runner does. Keyed on the action's own progress,
   * not on wall time, so it lands in the same phase on a fast or a slow machine.
   */
  readonly interrupt?: { readonly signal: 'SIGTERM' | 'SIGKILL'; readonly when: RegExp; readonly delayMs?: number };
  /**
   * After a SIGKILL, whether the runner still runs the post step: it does when it killed the step itself
   * (the step's timeout), not when the runner was lost.
   */
  readonly postAfterKill?: boolean;
  /** Streams the action's log lines as they come. */
  readonly onOutput?: (line: string) => void;
  readonly timeoutMs?: number;
  /** The run id: a re-run of the same run reuses it, so it finds its own lock. */
  readonly runId?: string;
  /**
   * Run as the operate workflow does: only the environment (listener, test listener, cluster, services),
   * the run's own settings and `inputs`, with every other input at its action.yml default as the runner
   * passes it; the rollout's image, plan and settings come from the record kept with its lock.
   */
  readonly asOperator?: boolean;
}

export interface ReleaseResult {
  readonly main: ProcessResult;
  /** The post step's run, which the runner makes after the main step, also when it was cancelled (not after a kill). */
  readonly post: ProcessResult | undefined;
  readonly record: DeploymentRecord | undefined;
  readonly startedAt: number;
  readonly finishedAt: number;
}

/** Inputs for a fast release on the stand-in: second-scale bakes and metric timing. */
export function rehearsalInputs(world: World, strategy: Strategy): Record<string, string> {
  const common = {
    'listener-arn': world.arns.productionListener,
    'test-listener-arn': world.arns.testListener,
    cluster: world.arns.cluster,
    'blue-service': world.arns.blueService,
    'green-service': world.arns.greenService,
    'endpoint-url': world.local.endpoint,
    'aws-region': world.local.region,
    'metric-period': '1s',
    'metric-delay': '1s',
    'analysis-interval': '1s',
    'min-requests': '10',
    'max-error-rate': '0.02',
    'wait-healthy-timeout': '90s',
    'time-budget': '10m',
    'inconclusive-policy': 'extend',
    'max-extensions': '2',
    'version-path': '/version',
    mode: 'deploy',
  };
  return strategy === 'canary'
    ? {
        ...common,
        steps: '10,50,100',
        'bake-time': '4s',
        'keep-old-for': '3s',
        'error-rate-tolerance': '1.5',
        'latency-tolerance': '1.5',
        'smoke-requests': '5',
        'smoke-path': '/ready',
        'probe-path': '/api/model-status',
        'probe-interval': '500ms',
        'probe-requests': '5',
        'probe-max-latency': '1s',
      }
    : {
        ...common,
        'bake-time': '5s',
        'smoke-path': '/ready',
        'smoke-requests': '10',
        'smoke-expected-status': '200',
        'smoke-max-latency': '2s',
      };
}

/** The inputs of an operator's run: action.yml's defaults, as the runner passes them, and the environment. */
export function operatorInputs(world: World, strategy: Strategy): Record<string, string> {
  const metadata = loadActionYml(dirname(dirname(actionBundle(strategy))));
  const defaults = Object.fromEntries(
    Object.entries(metadata.inputs ?? {})
      .filter(([, entry]) => entry.default !== undefined)
      .map(([name, entry]) => [name, String(entry.default)]),
  );
  const all = rehearsalInputs(world, strategy);
  const environment = ['listener-arn', 'test-listener-arn', 'cluster', 'blue-service', 'green-service', 'endpoint-url', 'aws-region'];
  return { ...defaults, ...Object.fromEntries(environment.map((name) => [name, all[name]!])), 'time-budget': '10m', 'take-over': 'true' };
}

export async function release(world: World, options: ReleaseOptions): Promise<ReleaseResult> {
  const bundle = actionBundle(options.strategy);
  const inputs = options.asOperator
    ? { ...operatorInputs(world, options.strategy), ...options.inputs }
    : { ...rehearsalInputs(world, options.strategy), image: options.image, ...options.inputs };
  const env = {
    AWS_ACCESS_KEY_ID: AWS_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: AWS_CREDENTIALS.secretAccessKey,
    GITHUB_RUN_ID: options.runId ?? String(Date.now()),
    GITHUB_ACTOR: 'rehearsal',
  };
  const startedAt = Date.now();
  let timer: NodeJS.Timeout | undefined;
  let pid: number | undefined;
  const interrupt = options.interrupt;
  const node = runnerNode();
  const main = await runActionProcess(bundle, {
    node,
    inputs,
    env,
    timeoutMs: options.timeoutMs ?? 180_000,
    onOutput: (line) => {
      options.onOutput?.(line);
      if (interrupt && pid !== undefined && timer === undefined && interrupt.when.test(line)) {
        const target = pid;
        timer = setTimeout(() => process.kill(target, interrupt.signal), interrupt.delayMs ?? 0);
      }
    },
    onSpawn: (spawned) => {
      pid = spawned;
    },
  });
  if (timer) clearTimeout(timer);
  if (interrupt && timer === undefined)
    throw new Error(`the action never logged a line matching ${interrupt.when}, so it was not interrupted`);
  const post =
    interrupt?.signal === 'SIGKILL' && !options.postAfterKill
      ? undefined
      : await runActionProcess(bundle, {
          node,
          inputs,
          env,
          state: main.state,
          timeoutMs: options.timeoutMs ?? 180_000,
          ...(options.onOutput ? { onOutput: options.onOutput } : {}),
        });
  const raw = main.outputs['deployment-record'];
  return { main, post, record: raw ? (JSON.parse(raw) as DeploymentRecord) : undefined, startedAt, finishedAt: Date.now() };
}
