/**
 * The small interfaces the engine drives the world through. Adapters (AWS, the local stand-in,
 * the in-memory fakes) implement them thinly: one port call is one or a few API calls, with no
 * waiting or deciding of their own. Waiting, retrying, verifying and judging live in the engine,
 * where the clock is injected.
 *
 * Transient failures (throttling and the like) are signalled with `RetryableError` or
 * `retryable: true` on the thrown error; see errors.ts.
 */
import type { Colour, Weights } from './colours.js';

/** A closed-open interval of epoch milliseconds. */
export interface TimeWindow {
  readonly start: number;
  readonly end: number;
}

/** The production listener, or listener rule, that forwards to the blue and green target groups. */
export interface TrafficRouter {
  /** The forward weights as the load balancer reports them now. */
  readWeights(): Promise<Weights>;
  /** Requests new weights. The engine reads them back to verify, so this need not wait for them to apply. */
  setWeights(weights: Weights): Promise<void>;
}

/** What to run on the idle colour. */
export interface RevisionSpec {
  /** Image reference pinned by digest, e.g. `123.dkr.ecr.eu-west-1.amazonaws.com/svg-ai@sha256:…`. */
  readonly image: string;
  /** Model version the revision serves, when the release is about a model. */
  readonly modelVersion?: string;
  /** Environment to set on the container, on top of the live revision's. */
  readonly environment?: Readonly<Record<string, string>>;
}

export interface DeployRequest {
  /** The live colour, whose task definition is the template. */
  readonly from: Colour;
  /** The idle colour, whose service is pointed at the new revision. */
  readonly to: Colour;
  readonly revision: RevisionSpec;
  readonly desiredCount: number;
}

export interface PreparedRevision {
  /** The task definition the idle service now runs (ARN or family:revision). */
  readonly taskDefinition: string;
  /** True when an identical task definition already existed and was reused instead of registered. */
  readonly reused: boolean;
}

export interface StoppedContainer {
  readonly name: string;
  readonly exitCode: number | undefined;
  readonly reason?: string;
}

export interface StoppedTask {
  readonly taskId: string;
  readonly stoppedReason: string;
  readonly containers: readonly StoppedContainer[];
}

export interface FleetHealth {
  readonly desiredCount: number;
  readonly runningCount: number;
  /** Targets registered for this colour that pass the target group's health check. */
  readonly healthyTargets: number;
  /** Tasks of this colour's current deployment that stopped at or after the `since` given. */
  readonly stoppedTasks: readonly StoppedTask[];
}

/** The two ECS services, one per colour. */
export interface Fleet {
  desiredCount(colour: Colour): Promise<number>;
  /**
   * Renders a task definition from the live one with the new revision, reusing an identical existing
   * revision instead of registering a new one, and points the idle service at it with the desired count.
   * Calling it again with the same request changes nothing.
   */
  deploy(request: DeployRequest): Promise<PreparedRevision>;
  health(colour: Colour, since: number): Promise<FleetHealth>;
  scale(colour: Colour, desiredCount: number): Promise<void>;
}

/**
 * Load-balancer figures of one colour's target group over a window. `undefined` means no data points
 * (no traffic, or not yet published): never zero. Counts are 0, not undefined, when requests were
 * published but the count metric has no data points, because the load balancer publishes no zero counts.
 */
export interface TrafficStats {
  readonly requests: number | undefined;
  readonly http5xx: number | undefined;
  readonly http4xx: number | undefined;
  readonly latencyMs: LatencyPercentiles;
  readonly unhealthyHosts: number | undefined;
}

export interface LatencyPercentiles {
  readonly p50: number | undefined;
  readonly p95: number | undefined;
  readonly p99: number | undefined;
}

export type Percentile = keyof LatencyPercentiles;

export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

export interface AlarmStatus {
  readonly name: string;
  /** undefined when no alarm has this name. */
  readonly state: AlarmState | undefined;
}

/** Which side a user metric query is asked about, so the adapter can fill in its dimensions. */
export interface MetricScope {
  readonly colour: Colour;
  readonly role: 'canary' | 'baseline';
}

export interface Metrics {
  trafficStats(colour: Colour, window: TimeWindow): Promise<TrafficStats>;
  alarmStates(names: readonly string[]): Promise<readonly AlarmStatus[]>;
  /** One number for the window (the adapter aggregates), or undefined when the query has no data points. */
  userMetric(query: string, scope: MetricScope, window: TimeWindow): Promise<number | undefined>;
}

export interface ProbeRequest {
  readonly count: number;
  readonly path: string;
  readonly method?: string;
  readonly body?: string;
  readonly timeoutMs: number;
}

export interface ProbeResponse {
  /** undefined when no response came back (refused, reset, timed out). */
  readonly status: number | undefined;
  readonly latencyMs: number;
  readonly error?: string;
}

export interface ProbeBody {
  readonly status: number | undefined;
  readonly body: string;
}

/** Synthetic requests through the test listener, which always forwards to the new colour. */
export interface Probe {
  send(request: ProbeRequest): Promise<readonly ProbeResponse[]>;
  /** GET of a status/version endpoint, for checking which image and model the new side serves. */
  read(path: string, timeoutMs: number): Promise<ProbeBody>;
}

/** Where a rollout is, as far as the next run needs to know. */
export type RolloutPhase = 'deploying' | 'stepping' | 'paused' | 'promoting' | 'rolling-back';

/** The lock and progress record of a rollout, kept next to the traffic it moves (e.g. listener tags). */
export interface RolloutLock {
  readonly rolloutId: string;
  readonly owner: string;
  readonly runUrl?: string;
  readonly targetImage: string;
  readonly modelVersion?: string;
  readonly canaryColour: Colour;
  readonly phase: RolloutPhase;
  /** Index into the plan's steps of the step in progress. */
  readonly stepIndex: number;
  /** Epoch milliseconds. */
  readonly startedAt: number;
  /** The rollout's definition as the caller recorded it (RolloutConfig.definition), for a later run to continue it. */
  readonly definition?: string;
  /** The task definition the new colour runs, once deployed, so that a later run can report it. */
  readonly taskDefinition?: string;
}

/**
 * Storage of the lock record. Deliberately dumb: the refusal rules (held by another rollout,
 * forced take-over, read-back after writing) live in the engine, so every adapter behaves alike.
 */
export interface StateStore {
  read(): Promise<RolloutLock | undefined>;
  write(lock: RolloutLock): Promise<void>;
  clear(): Promise<void>;
}

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** Resolves after `ms`, or as soon as `signal` aborts. Never rejects: the engine checks the signal itself. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** Progress for people: the action maps groups to log groups and warnings/errors to annotations. */
export interface Logger {
  info(message: string): void;
  /** Something a person should see that does not stop the rollout. */
  warn(message: string): void;
  /** Evidence of a failure: a failed verdict, a crashed task, a refused preflight. */
  error(message: string): void;
  group<T>(name: string, body: () => Promise<T>): Promise<T>;
}

export interface RolloutPorts {
  readonly router: TrafficRouter;
  readonly fleet: Fleet;
  readonly metrics: Metrics;
  /** Needed when the plan smokes or the analysis probes. */
  readonly probe?: Probe;
  readonly state: StateStore;
  readonly clock: Clock;
  readonly logger: Logger;
}
