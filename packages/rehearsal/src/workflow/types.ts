/** What a workflow run records: jobs, steps, outcomes; and what running one takes. */
import type { LoadedWorkflow } from './load.js';
import type { EquivalentContext } from './equivalents.js';
import type { Permissions } from './permissions.js';

export type Conclusion = 'success' | 'failure' | 'skipped' | 'cancelled';

export interface StepRecord {
  readonly id: string;
  readonly name: string;
  /** action: one of ours from its bundle; run: a shell script; equivalent: a third-party action simulated; post: an action's post step. */
  readonly kind: 'action' | 'run' | 'equivalent' | 'post';
  readonly uses?: string;
  readonly conclusion: Conclusion;
  readonly outputs: Readonly<Record<string, string>>;
  readonly startedAt: number;
  readonly finishedAt: number;
  /** For a simulated step: what stands in for it. */
  readonly simulatedBy?: string;
  /** One line on what happened (the equivalent's report, the exit code, why it was skipped). */
  readonly note?: string;
}

export interface JobRecord {
  /** `caller/job` for jobs of a called workflow, else the job id. */
  readonly path: string;
  readonly id: string;
  readonly name: string;
  readonly workflow: string;
  readonly conclusion: Conclusion;
  readonly outputs: Readonly<Record<string, string>>;
  readonly steps: readonly StepRecord[];
  /** The job summary: every step's GITHUB_STEP_SUMMARY, in order. */
  readonly summary: string;
  readonly environment?: string;
  readonly approval?: 'approved' | 'refused' | 'not required';
  readonly concurrency?: string;
  /** Left out of this rehearsal by name; its dependants treat it as passed. */
  readonly leftOut: boolean;
  /** Why it ended as it did, when that is not a step's doing. */
  readonly reason?: string;
  readonly startedAt: number;
  readonly finishedAt: number;
}

export interface WorkflowRun {
  readonly workflow: string;
  readonly conclusion: Conclusion;
  /** Every job in the order it ran or was decided, called workflows' jobs after their caller's start. */
  readonly jobs: readonly JobRecord[];
  /** A called workflow's outputs (`on.workflow_call.outputs`). */
  readonly outputs: Readonly<Record<string, string>>;
  readonly startedAt: number;
  readonly finishedAt: number;
}

export interface EnvironmentSetup {
  readonly vars?: Readonly<Record<string, string>>;
  readonly secrets?: Readonly<Record<string, string>>;
  /** Whether the environment has required reviewers: a job using it waits for an approval. */
  readonly reviewers?: boolean;
}

export interface ApprovalRequest {
  readonly environment: string;
  readonly job: string;
  readonly workflow: string;
}

export type RunEvent =
  | { readonly type: 'job-start'; readonly job: string; readonly name: string }
  | { readonly type: 'job-end'; readonly job: JobRecord }
  | { readonly type: 'step-start'; readonly job: string; readonly step: string }
  | { readonly type: 'step-end'; readonly job: string; readonly step: StepRecord }
  | { readonly type: 'log'; readonly job: string; readonly step: string; readonly line: string };

export interface RunOptions {
  /** The working copy: the repository every checkout and `uses:` resolves to. */
  readonly root: string;
  /** The workflow file, absolute or relative to root. */
  readonly workflow: string;
  readonly event: {
    readonly name: string;
    readonly ref: string;
    readonly sha: string;
    readonly payload?: Readonly<Record<string, unknown>>;
    /** workflow_dispatch inputs, or the inputs of a workflow run as if called (`workflow_call`). */
    readonly inputs?: Readonly<Record<string, unknown>>;
  };
  readonly repository?: string;
  readonly actor?: string;
  readonly runId?: string;
  readonly vars?: Readonly<Record<string, string>>;
  readonly secrets?: Readonly<Record<string, string>>;
  readonly environments?: Readonly<Record<string, EnvironmentSetup>>;
  /** Jobs left out, by id or `caller/job` path. */
  readonly skipJobs?: readonly string[];
  /**
   * Outputs a left-out job hands its dependants, by job id or path, standing in for what it would have
   * produced (for rehearsing the jobs after one that cannot run here). Listed in the record as given.
   */
  readonly leftOutOutputs?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly approve: (request: ApprovalRequest) => Promise<boolean>;
  readonly aws: EquivalentContext['aws'];
  /** The Node that runs node24 actions. */
  readonly node?: string;
  /** Variables of this machine every step inherits (PATH, HOME, ...); the rest of the environment is the runner's. */
  readonly hostEnv?: Readonly<Record<string, string>>;
  readonly onEvent?: (event: RunEvent) => void;
}

/** The workflow a job belongs to, as called: its inputs, secrets and the permissions its jobs cannot exceed. */
export interface Scope {
  readonly workflow: LoadedWorkflow;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly secrets: Readonly<Record<string, string>>;
  /** Permissions a called workflow's jobs cannot exceed. */
  readonly ceiling: Permissions | 'unbounded';
  readonly prefix: string;
  /** The repository and commit of the workflow file itself (job.workflow_*). */
  readonly workflowRef: string;
}
