/**
 * The deployment record: what happened, as plain JSON-serialisable data, for the action's outputs,
 * the job summary and the audit trail. The engine fills it in as it goes.
 */
import type { CheckResult, CombinedVerdict, StageObservation, Verdict } from '../analysis/index.js';
import type { Colour, Weights } from '../colours.js';
import type { StepKind, Strategy } from '../plan.js';
import type { TrafficStats } from '../ports.js';
import type { RolloutMode } from './config.js';

/**
 * - `promoted`: the new colour takes all traffic and the old one is scaled down.
 * - `rolled-back`: the new colour took traffic, was judged or errored, and traffic is back on the stable colour.
 * - `aborted`: cancelled (job cancelled, or `abort` mode); traffic is back on the stable colour.
 * - `failed`: the new revision failed before any production traffic moved (deploy, health, smoke).
 * - `refused`: preflight said no; nothing was changed.
 * - `paused`: waiting for an approval; weights held, lock kept; resume or abort next.
 * - `incomplete`: the engine could not reach a clean state by itself (weights not restorable, cleanup
 *   failed, lock taken over); the lock is kept so that a re-run resumes or aborts.
 */
export type RolloutStatus = 'promoted' | 'rolled-back' | 'aborted' | 'failed' | 'refused' | 'paused' | 'incomplete';

/** Headline figures of one side over an analysis window. */
export interface SideFigures {
  readonly colour: Colour;
  readonly requests: number | undefined;
  readonly errorRate: number | undefined;
  readonly p95Ms: number | undefined;
}

export interface StepRecord {
  /** Index into the plan's steps. */
  readonly index: number;
  readonly kind: StepKind;
  /** Share of production traffic on the new colour during the step. */
  readonly canaryPercent: number;
  readonly startedAt: string;
  readonly finishedAt?: string;
  readonly durationMs?: number;
  readonly verdict?: Verdict;
  readonly reason?: string;
  /** Analyses run in the step (interval analyses of a bake; the gate and its extensions). */
  readonly analyses?: number;
  /** Bake extensions granted because the evidence was inconclusive. */
  readonly extensions?: number;
  /** Figures of the last analysis. */
  readonly canary?: SideFigures;
  readonly baseline?: SideFigures;
  readonly checks?: readonly CheckResult[];
}

export interface RollbackRecord {
  readonly reason: string;
  readonly startedAt: string;
  /** When the weights were verified back on the stable colour. */
  readonly weightsRestoredAt?: string;
  readonly finishedAt?: string;
}

export interface RevisionRecord {
  readonly image?: string;
  readonly modelVersion?: string;
  readonly taskDefinition?: string;
  /** True when an identical task definition was reused rather than registered. */
  readonly taskDefinitionReused?: boolean;
}

export interface DeploymentRecord {
  readonly rolloutId: string;
  readonly strategy: Strategy;
  readonly mode: RolloutMode;
  readonly owner: string;
  readonly runUrl?: string;
  readonly revision: RevisionRecord;
  /** Known once preflight has read the weights (or the lock). */
  readonly colours?: { readonly stable: Colour; readonly canary: Colour };
  readonly weightsBefore?: Weights;
  readonly weightsAfter?: Weights;
  /** The colour with 100% of the traffic at the end, if traffic is not split. */
  readonly liveColour?: Colour;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly status: RolloutStatus;
  /** Why it ended as it did, unless promoted: the failed verdict, error, refusal or pause. */
  readonly reason?: string;
  readonly steps: readonly StepRecord[];
  readonly rollback?: RollbackRecord;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Accumulates a record during a run. */
export class RecordBuilder {
  private readonly record: Mutable<Omit<DeploymentRecord, 'finishedAt' | 'status' | 'steps'>>;
  private readonly steps: Mutable<StepRecord>[] = [];

  constructor(
    base: Pick<DeploymentRecord, 'rolloutId' | 'strategy' | 'mode' | 'owner' | 'runUrl' | 'revision'>,
    private readonly now: () => number,
  ) {
    this.record = { ...base, startedAt: this.iso() };
  }

  update(fields: Partial<Pick<DeploymentRecord, 'rolloutId' | 'revision' | 'colours' | 'weightsBefore'>>): void {
    Object.assign(this.record, fields);
  }

  get revision(): RevisionRecord {
    return this.record.revision;
  }

  startStep(index: number, kind: StepKind, canaryPercent: number): StepRecorder {
    const step: Mutable<StepRecord> = { index, kind, canaryPercent, startedAt: this.iso() };
    this.steps.push(step);
    return new StepRecorder(step, this.now);
  }

  startRollback(reason: string): void {
    this.record.rollback = { reason, startedAt: this.iso() };
  }

  rollbackWeightsRestored(): void {
    if (this.record.rollback) this.record.rollback = { ...this.record.rollback, weightsRestoredAt: this.iso() };
  }

  finish(
    status: RolloutStatus,
    reason: string | undefined,
    weightsAfter: Weights | undefined,
    liveColour: Colour | undefined,
  ): DeploymentRecord {
    const finishedAt = this.iso();
    if (this.record.rollback) this.record.rollback = { ...this.record.rollback, finishedAt };
    return clean({
      ...this.record,
      weightsAfter,
      liveColour,
      finishedAt,
      status,
      reason,
      steps: this.steps.map((step) => ({ ...step })),
    });
  }

  private iso(): string {
    return new Date(this.now()).toISOString();
  }
}

/** Fills in one step's entry. */
export class StepRecorder {
  constructor(
    private readonly step: Mutable<StepRecord>,
    private readonly now: () => number,
  ) {}

  get canaryPercent(): number {
    return this.step.canaryPercent;
  }

  setCanaryPercent(percent: number): void {
    this.step.canaryPercent = percent;
  }

  analysed(observation: StageObservation, verdict: CombinedVerdict, colours: { stable: Colour; canary: Colour }): void {
    this.step.analyses = (this.step.analyses ?? 0) + 1;
    this.step.checks = verdict.checks;
    if (observation.canary) this.step.canary = sideFigures(colours.canary, observation.canary);
    if (observation.baseline) this.step.baseline = sideFigures(colours.stable, observation.baseline);
  }

  extended(): void {
    this.step.extensions = (this.step.extensions ?? 0) + 1;
  }

  finish(verdict?: Verdict, reason?: string, checks?: readonly CheckResult[]): void {
    const finished = this.now();
    this.step.finishedAt = new Date(finished).toISOString();
    this.step.durationMs = finished - Date.parse(this.step.startedAt);
    if (verdict) this.step.verdict = verdict;
    if (reason) this.step.reason = reason;
    if (checks) this.step.checks = checks;
  }
}

function sideFigures(colour: Colour, stats: TrafficStats): SideFigures {
  const { requests, http5xx } = stats;
  const errorRate = requests !== undefined && requests > 0 && http5xx !== undefined ? http5xx / requests : undefined;
  return { colour, requests, errorRate, p95Ms: stats.latencyMs.p95 };
}

/** Drops undefined fields, so the record reads the same before and after a JSON round trip. */
function clean<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
