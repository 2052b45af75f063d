/**
 * Runs a workflow file as GitHub's runner would, on this machine: jobs in `needs` order (one at a time),
 * each job's `if:` judged against its needs, environments and their approvals, `run:` steps in bash
 * with the runner's environment, our actions from their committed bundles through the runner's
 * protocol (INPUT_* from `with:` and action.yml defaults, command files, post steps at the end of the
 * job), reusable workflows expanded with their inputs and outputs, and third-party actions replaced by
 * named local equivalents. Everything it did is in the returned record, simulated parts marked as such.
 */
import type { ReusableWorkflowJob, Step as TemplateStep, WorkflowJob } from '@actions/workflow-parser/model/workflow-template';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative } from 'node:path';
import { parseCommandFile } from '@svg-ai-release/action-kit/testing';
import { loadActionYml, resolveUses, type ActionYml } from './actions.js';
import { equivalentFor, type EquivalentContext } from './equivalents.js';
import { asText, condition, evaluateMapping, evaluateToken, interpolate, OK, type Contexts, type Status } from './expressions.js';
import { jobToken, loadWorkflow, tokenAt, WorkflowError, type LoadedWorkflow } from './load.js';
import { capped, level, parsePermissions, type Permissions } from './permissions.js';
import { runProcess } from './process.js';

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
  readonly approve: (request: ApprovalRequest) => Promise<boolean>;
  readonly aws: EquivalentContext['aws'];
  /** The Node that runs node24 actions. */
  readonly node?: string;
  /** Variables of this machine every step inherits (PATH, HOME, ...); the rest of the environment is the runner's. */
  readonly hostEnv?: Readonly<Record<string, string>>;
  readonly onEvent?: (event: RunEvent) => void;
}

const HOST_VARIABLES = ['PATH', 'HOME', 'LANG', 'TMPDIR', 'USER', 'SVGAI_PYTHON', 'NODE_NO_WARNINGS'];
const DEFAULT_JOB_TIMEOUT_MINUTES = 360;

interface Scope {
  readonly workflow: LoadedWorkflow;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly secrets: Readonly<Record<string, string>>;
  /** Permissions a called workflow's jobs cannot exceed. */
  readonly ceiling: Permissions | 'unbounded';
  readonly prefix: string;
  /** The repository and commit of the workflow file itself (job.workflow_*). */
  readonly workflowRef: string;
}

export async function runWorkflow(options: RunOptions): Promise<WorkflowRun> {
  const runner = new Runner(options);
  try {
    return await runner.run();
  } finally {
    runner.dispose();
  }
}

class Runner {
  private readonly temp = mkdtempSync(join(tmpdir(), 'workflow-run-'));
  private readonly records: JobRecord[] = [];
  private readonly repository: string;
  private readonly runId: string;
  private stepCounter = 0;

  constructor(private readonly options: RunOptions) {
    this.repository = options.repository ?? 'example-org/svg-ai-release';
    this.runId = options.runId ?? String(Date.now());
  }

  dispose(): void {
    rmSync(this.temp, { recursive: true, force: true });
  }

  async run(): Promise<WorkflowRun> {
    const file = isAbsolute(this.options.workflow) ? this.options.workflow : join(this.options.root, this.options.workflow);
    const workflow = await loadWorkflow(file, this.options.root);
    const startedAt = Date.now();
    const scope: Scope = {
      workflow,
      inputs: this.topInputs(workflow),
      secrets: this.options.secrets ?? {},
      ceiling: 'unbounded',
      prefix: '',
      workflowRef: `${this.repository}/${workflow.name}@${this.options.event.ref}`,
    };
    const { conclusion, outputs } = await this.runJobs(scope);
    return { workflow: workflow.name, conclusion, jobs: this.records, outputs, startedAt, finishedAt: Date.now() };
  }

  /** Inputs of the top-level run: a dispatch's (defaults applied) or, run as if called, a call's. */
  private topInputs(workflow: LoadedWorkflow): Record<string, unknown> {
    const given = this.options.event.inputs ?? {};
    const trigger = this.options.event.name === 'workflow_dispatch' ? 'workflow_dispatch' : 'workflow_call';
    const definitions = tokenAt(workflow.root, 'on', trigger, 'inputs');
    if (definitions === undefined) return { ...given };
    return resolveInputs(workflow.name, definitions, given, this.githubContext(workflow, ''));
  }

  private githubContext(workflow: LoadedWorkflow, job: string): Record<string, unknown> {
    const { event } = this.options;
    const refName = event.ref.replace(/^refs\/(heads|tags)\//, '');
    const [owner] = this.repository.split('/');
    return {
      event_name: event.name,
      event: event.payload ?? {},
      ref: event.ref,
      ref_name: refName,
      ref_type: event.ref.startsWith('refs/tags/') ? 'tag' : 'branch',
      sha: event.sha,
      repository: this.repository,
      repository_owner: owner,
      run_id: this.runId,
      run_number: '1',
      run_attempt: '1',
      actor: this.options.actor ?? 'rehearsal',
      triggering_actor: this.options.actor ?? 'rehearsal',
      workflow: asText(evaluateToken(tokenAt(workflow.root, 'name'), {})) || basename(workflow.name),
      workflow_ref: `${this.repository}/${workflow.name}@${event.ref}`,
      workflow_sha: event.sha,
      job,
      server_url: 'https://github.com',
      api_url: 'https://api.github.com',
      graphql_url: 'https://api.github.com/graphql',
      token: '',
    };
  }

  /** Runs a workflow's jobs in `needs` order; a job whose needs did not succeed is skipped unless its `if:` says otherwise. */
  private async runJobs(scope: Scope): Promise<{ conclusion: Conclusion; outputs: Record<string, string> }> {
    const jobs = scope.workflow.template.jobs;
    const done = new Map<string, JobRecord>();
    const order = topological(jobs, scope.workflow.name);
    for (const job of order) {
      const record = await this.runJob(scope, job, done);
      done.set(job.id.value, record);
    }
    const conclusion: Conclusion = [...done.values()].some((j) => j.conclusion === 'failure') ? 'failure' : 'success';
    // A called workflow's outputs, from its jobs.
    const jobsContext = Object.fromEntries([...done].map(([id, r]) => [id, { result: r.conclusion, outputs: r.outputs }]));
    const outputs: Record<string, string> = {};
    const declared = tokenAt(scope.workflow.root, 'on', 'workflow_call', 'outputs');
    const declaredValue = evaluateToken(declared, {}) as Record<string, unknown> | undefined;
    for (const name of Object.keys(declaredValue ?? {})) {
      const value = tokenAt(declared, name, 'value');
      outputs[name] = asText(
        evaluateToken(value, {
          github: this.githubContext(scope.workflow, ''),
          jobs: jobsContext,
          inputs: scope.inputs,
          vars: this.options.vars ?? {},
        }),
      );
    }
    return { conclusion, outputs };
  }

  private async runJob(scope: Scope, job: WorkflowJob, done: Map<string, JobRecord>): Promise<JobRecord> {
    const id = job.id.value;
    const path = scope.prefix ? `${scope.prefix}/${id}` : id;
    const startedAt = Date.now();
    const github = this.githubContext(scope.workflow, id);
    const needs = Object.fromEntries(
      (job.needs ?? []).map((n) => {
        const need = done.get(n.value)!;
        return [n.value, { result: need.conclusion, outputs: need.outputs }];
      }),
    );
    const base = { path, id, workflow: scope.workflow.name, startedAt, leftOut: false };
    const finish = (record: Omit<JobRecord, keyof typeof base | 'finishedAt'> & Partial<JobRecord>): JobRecord => {
      const full: JobRecord = { ...base, ...record, finishedAt: Date.now() };
      this.records.push(full);
      this.options.onEvent?.({ type: 'job-end', job: full });
      return full;
    };
    const contexts: Contexts = { github, needs, vars: this.options.vars ?? {}, inputs: scope.inputs, secrets: scope.secrets };
    const name = job.name ? asText(evaluateToken(job.name, contexts)) : id;
    if ((this.options.skipJobs ?? []).some((skip) => skip === id || skip === path)) {
      return finish({
        name,
        conclusion: 'success',
        outputs: {},
        steps: [],
        summary: '',
        leftOut: true,
        reason: 'left out of this rehearsal',
      });
    }
    const needResults = Object.values(needs).map((n) => n.result);
    const status: Status = {
      success: needResults.every((r) => r === 'success'),
      failure: needResults.some((r) => r === 'failure'),
      cancelled: false,
    };
    if (!condition(job.if.expression, contexts, status)) {
      return finish({ name, conclusion: 'skipped', outputs: {}, steps: [], summary: '', reason: `if: ${job.if.expression} is false` });
    }
    this.options.onEvent?.({ type: 'job-start', job: path, name });
    if (job.type === 'reusableWorkflowJob') return this.runCaller(scope, job, contexts, name, finish);

    if (job.strategy)
      throw new WorkflowError(
        `${scope.workflow.name}: job ${id} has a strategy (matrix), which this rehearsal does not run; leave it out with --skip-job ${path}`,
      );
    if (job.services)
      throw new WorkflowError(
        `${scope.workflow.name}: job ${id} has services, which this rehearsal does not run; leave it out with --skip-job ${path}`,
      );
    const permissions = this.jobPermissions(scope, id);
    const environmentName = job.environment
      ? asText(
          isEnvironmentMapping(job.environment)
            ? evaluateToken(tokenAt(job.environment, 'name'), contexts)
            : evaluateToken(job.environment, contexts),
        )
      : undefined;
    const environment = environmentName ? (this.options.environments?.[environmentName] ?? {}) : undefined;
    const vars = { ...(this.options.vars ?? {}), ...(environment?.vars ?? {}) };
    const secrets = { ...scope.secrets, ...(environment?.secrets ?? {}) };
    const jobContexts: Contexts = { ...contexts, vars, secrets };
    const concurrency = job.concurrency ? describeConcurrency(evaluateToken(job.concurrency, jobContexts)) : undefined;
    let approval: JobRecord['approval'];
    if (environmentName !== undefined) {
      if (environment?.reviewers) {
        const approved = await this.options.approve({ environment: environmentName, job: path, workflow: scope.workflow.name });
        approval = approved ? 'approved' : 'refused';
        if (!approved)
          return finish({
            name,
            conclusion: 'failure',
            outputs: {},
            steps: [],
            summary: '',
            environment: environmentName,
            approval,
            ...(concurrency ? { concurrency } : {}),
            reason: `the deployment to ${environmentName} was not approved`,
          });
      } else approval = 'not required';
    }
    const timeoutToken = jobToken(scope.workflow, id, 'timeout-minutes');
    const timeoutMinutes = timeoutToken ? Number(asText(evaluateToken(timeoutToken, jobContexts))) : DEFAULT_JOB_TIMEOUT_MINUTES;
    if (!Number.isFinite(timeoutMinutes) || timeoutMinutes <= 0)
      throw new WorkflowError(
        `${scope.workflow.name}: job ${id} has timeout-minutes ${JSON.stringify(timeoutMinutes)}, not a positive number`,
      );
    const result = await new JobExecution(this, scope, job, path, jobContexts, permissions, startedAt + timeoutMinutes * 60_000).run();
    // A job container is not started: its steps run on this machine, and the record says so.
    const container = job.container
      ? `container ${asText(evaluateToken(job.container, jobContexts))} not used: steps ran on this machine`
      : undefined;
    return finish({
      name,
      ...result,
      ...(container && !result.reason ? { reason: container } : {}),
      ...(environmentName !== undefined ? { environment: environmentName } : {}),
      ...(approval ? { approval } : {}),
      ...(concurrency ? { concurrency } : {}),
    });
  }

  private jobPermissions(scope: Scope, id: string): Permissions {
    const own = parsePermissions(evaluateToken(jobToken(scope.workflow, id, 'permissions'), {}));
    const workflowLevel = parsePermissions(evaluateToken(tokenAt(scope.workflow.root, 'permissions'), {}));
    const effective = own ?? workflowLevel;
    return scope.ceiling === 'unbounded' ? effective : capped(effective, scope.ceiling);
  }

  /** A job that calls a reusable workflow: its inputs resolved against the callee's declarations, the callee's jobs run, its outputs read back. */
  private async runCaller(
    scope: Scope,
    job: ReusableWorkflowJob,
    contexts: Contexts,
    name: string,
    finish: (record: Omit<JobRecord, 'path' | 'id' | 'workflow' | 'startedAt' | 'leftOut' | 'finishedAt'>) => JobRecord,
  ): Promise<JobRecord> {
    const id = job.id.value;
    const uses = resolveUses(job.ref.value, this.options.root, this.options.root);
    if (uses.kind !== 'workflow')
      return finish({
        name,
        conclusion: 'failure',
        outputs: {},
        steps: [],
        summary: '',
        reason: `${job.ref.value} is not a workflow of this repository`,
      });
    const callee = await loadWorkflow(uses.file, this.options.root);
    const given = evaluateToken(job['input-values'], contexts) as Record<string, unknown> | undefined;
    let inputs: Record<string, unknown>;
    try {
      inputs = resolveInputs(callee.name, tokenAt(callee.root, 'on', 'workflow_call', 'inputs'), given ?? {}, contexts.github as object);
    } catch (error) {
      return finish({ name, conclusion: 'failure', outputs: {}, steps: [], summary: '', reason: (error as Error).message });
    }
    const declaredSecrets = Object.keys(
      (evaluateToken(tokenAt(callee.root, 'on', 'workflow_call', 'secrets'), {}) as object | undefined) ?? {},
    );
    const secrets = job['inherit-secrets']
      ? { ...scope.secrets }
      : (evaluateMapping(job['secret-values'], contexts) as Record<string, string>);
    for (const secret of Object.keys(secrets))
      if (!job['inherit-secrets'] && !declaredSecrets.includes(secret))
        return finish({
          name,
          conclusion: 'failure',
          outputs: {},
          steps: [],
          summary: '',
          reason: `${callee.name} declares no secret '${secret}'`,
        });
    const ceiling = this.jobPermissions(scope, id);
    const path = scope.prefix ? `${scope.prefix}/${id}` : id;
    const child: Scope = {
      workflow: callee,
      inputs,
      secrets,
      ceiling: ceiling ?? undefined,
      prefix: path,
      workflowRef: `${this.repository}/${callee.name}@${this.options.event.ref}`,
    };
    const { conclusion, outputs } = await this.runJobs(child);
    return finish({
      name,
      conclusion,
      outputs,
      steps: [],
      summary: '',
      reason: `called ${callee.name}${uses.published ? ` (${job.ref.value}, from this working copy)` : ''}`,
    });
  }

  // For JobExecution.
  get opts(): RunOptions {
    return this.options;
  }
  get tempDir(): string {
    return this.temp;
  }
  get repo(): string {
    return this.repository;
  }
  get run_id(): string {
    return this.runId;
  }
  nextStepDir(): string {
    const dir = join(this.temp, `step-${++this.stepCounter}`);
    mkdirSync(dir, { recursive: true });
    return dir;
  }
  context(workflow: LoadedWorkflow, job: string): Record<string, unknown> {
    return this.githubContext(workflow, job);
  }
}

function basename(path: string): string {
  return path.split('/').pop() ?? path;
}

function isEnvironmentMapping(token: unknown): boolean {
  return tokenAt(token as never, 'name') !== undefined;
}

function describeConcurrency(value: unknown): string {
  if (typeof value === 'string') return `${value} (queued, never cancelled)`;
  const v = (value ?? {}) as { group?: unknown; 'cancel-in-progress'?: unknown };
  return `${asText(v.group)} (${v['cancel-in-progress'] === true || v['cancel-in-progress'] === 'true' ? 'cancels the run in progress' : 'waits for the run in progress'})`;
}

/** Jobs ordered so that every job comes after its needs; a cycle or an unknown need is an error naming it. */
function topological(jobs: readonly WorkflowJob[], file: string): WorkflowJob[] {
  const byId = new Map(jobs.map((j) => [j.id.value, j]));
  const order: WorkflowJob[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (job: WorkflowJob, trail: string[]) => {
    const id = job.id.value;
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') throw new WorkflowError(`${file}: jobs need each other in a circle: ${[...trail, id].join(' → ')}`);
    state.set(id, 'visiting');
    for (const need of job.needs ?? []) {
      const dependency = byId.get(need.value);
      if (!dependency) throw new WorkflowError(`${file}: job ${id} needs ${need.value}, which does not exist`);
      visit(dependency, [...trail, id]);
    }
    state.set(id, 'done');
    order.push(job);
  };
  for (const job of jobs) visit(job, []);
  return order;
}

/** A called or dispatched workflow's inputs: declared ones only, required ones present, defaults applied, types as declared. */
export function resolveInputs(
  file: string,
  definitions: ReturnType<typeof tokenAt>,
  given: Readonly<Record<string, unknown>>,
  github: object,
): Record<string, unknown> {
  const declared = (evaluateToken(definitions, { github }) ?? {}) as Record<
    string,
    { type?: string; required?: boolean; default?: unknown; options?: string[] } | null
  >;
  for (const name of Object.keys(given))
    if (!(name in declared))
      throw new WorkflowError(`${file} declares no input '${name}' (it declares: ${Object.keys(declared).join(', ')})`);
  const inputs: Record<string, unknown> = {};
  for (const [name, definition] of Object.entries(declared)) {
    const type = definition?.type ?? 'string';
    const value = name in given ? given[name] : definition?.default;
    if (value === undefined || value === null) {
      if (definition?.required) throw new WorkflowError(`${file} requires input '${name}', which was not passed`);
      inputs[name] = type === 'boolean' ? false : type === 'number' ? 0 : '';
      continue;
    }
    if (type === 'boolean') {
      if (value !== true && value !== false && value !== 'true' && value !== 'false')
        throw new WorkflowError(`${file}: input '${name}' is a boolean, got ${JSON.stringify(value)}`);
      inputs[name] = value === true || value === 'true';
    } else if (type === 'number') {
      const number = Number(value);
      if (!Number.isFinite(number)) throw new WorkflowError(`${file}: input '${name}' is a number, got ${JSON.stringify(value)}`);
      inputs[name] = number;
    } else {
      if (type === 'choice' && definition?.options && !definition.options.includes(String(value)))
        throw new WorkflowError(`${file}: input '${name}' must be one of ${definition.options.join(', ')}, got ${JSON.stringify(value)}`);
      inputs[name] = String(value);
    }
  }
  return inputs;
}

interface PostStep {
  readonly id: string;
  readonly name: string;
  readonly uses: string;
  readonly dir: string;
  readonly action: ActionYml;
  readonly env: Record<string, string>;
  readonly state: Record<string, string>;
}

/** One job's steps, its environment as it grows (GITHUB_ENV, GITHUB_PATH), and its post steps. */
class JobExecution {
  private readonly steps: StepRecord[] = [];
  private readonly stepsContext: Record<string, { outputs: Record<string, string>; outcome: Conclusion; conclusion: Conclusion }> = {};
  private readonly exported: Record<string, string> = {};
  private readonly paths: string[] = [];
  private readonly posts: PostStep[] = [];
  private summary = '';
  private failed = false;
  private readonly workspace: string;
  private readonly workflowEnv: Record<string, string>;
  private readonly jobEnv: Record<string, string>;

  constructor(
    private readonly runner: Runner,
    private readonly scope: Scope,
    private readonly job: Extract<WorkflowJob, { type: 'job' }>,
    private readonly path: string,
    private readonly contexts: Contexts,
    private readonly permissions: Permissions,
    private readonly deadline: number,
  ) {
    this.workspace = join(runner.tempDir, 'workspace', path.replaceAll('/', '__'));
    mkdirSync(this.workspace, { recursive: true });
    this.workflowEnv = evaluateMapping(tokenAt(scope.workflow.root, 'env'), contexts);
    this.jobEnv = evaluateMapping(jobToken(scope.workflow, job.id.value, 'env'), { ...contexts, env: this.workflowEnv });
  }

  private stepContexts(stepEnv: Record<string, string> = {}): Contexts {
    const github = { ...(this.contexts.github as object), workspace: this.workspace };
    return {
      ...this.contexts,
      github,
      env: { ...this.workflowEnv, ...this.jobEnv, ...this.exported, ...stepEnv },
      steps: this.stepsContext,
      job: {
        status: this.failed ? 'failure' : 'success',
        workflow_repository: this.runner.repo,
        workflow_sha: (github as { sha?: string }).sha,
        workflow_ref: this.scope.workflowRef,
        workflow_file_path: this.scope.workflow.name,
      },
      runner: {
        os: 'Linux',
        arch: 'X64',
        name: 'rehearsal',
        temp: join(this.runner.tempDir, 'runner-temp'),
        tool_cache: join(this.runner.tempDir, 'tool-cache'),
      },
      matrix: {},
      strategy: {},
    };
  }

  private status(): Status {
    return { success: !this.failed, failure: this.failed, cancelled: false };
  }

  async run(): Promise<Pick<JobRecord, 'conclusion' | 'outputs' | 'steps' | 'summary' | 'reason'>> {
    let reason: string | undefined;
    for (const [index, step] of this.job.steps.entries()) {
      if (Date.now() > this.deadline) {
        this.failed = true;
        reason = 'the job exceeded its timeout-minutes';
        break;
      }
      await this.runStep(step, index);
    }
    for (const post of this.posts.reverse()) await this.runPost(post);
    const outputs = evaluateMapping(this.job.outputs, this.stepContexts(), this.status());
    return {
      conclusion: this.failed ? 'failure' : 'success',
      outputs,
      steps: this.steps,
      summary: this.summary,
      ...(reason ? { reason } : {}),
    };
  }

  private record(step: StepRecord, continueOnError = false): void {
    this.steps.push(step);
    const failedHere = step.conclusion === 'failure';
    this.stepsContext[step.id] = {
      outputs: { ...step.outputs },
      outcome: step.conclusion,
      conclusion: failedHere && continueOnError ? 'success' : step.conclusion,
    };
    if (failedHere && !continueOnError) this.failed = true;
    this.runner.opts.onEvent?.({ type: 'step-end', job: this.path, step });
  }

  private async runStep(step: TemplateStep, index: number): Promise<void> {
    const raw = jobToken(this.scope.workflow, this.job.id.value, 'steps', index);
    const startedAt = Date.now();
    const stepEnv = evaluateMapping(tokenAt(raw, 'env'), this.stepContexts());
    const contexts = this.stepContexts(stepEnv);
    const uses = 'uses' in step ? step.uses.value : undefined;
    const name = step.name
      ? asText(evaluateToken(step.name, contexts))
      : uses
        ? uses
        : `Run ${firstLine(asText(evaluateToken(tokenAt(raw, 'run'), {}, OK)))}`;
    const id = step.id;
    const ifExpression = 'if' in step && step.if ? step.if.expression : 'success()';
    if (!condition(ifExpression, contexts, this.status())) {
      this.record({
        id,
        name,
        kind: uses ? 'action' : 'run',
        ...(uses ? { uses } : {}),
        conclusion: 'skipped',
        outputs: {},
        startedAt,
        finishedAt: Date.now(),
        note: `if: ${ifExpression} is false`,
      });
      return;
    }
    const continueOnError = asText(evaluateToken(tokenAt(raw, 'continue-on-error'), contexts)) === 'true';
    this.runner.opts.onEvent?.({ type: 'step-start', job: this.path, step: name });
    try {
      if (uses) await this.runUses(id, name, uses, raw, stepEnv, contexts, startedAt, continueOnError);
      else await this.runScript(id, name, raw, stepEnv, contexts, startedAt, continueOnError);
    } catch (error) {
      this.record(
        {
          id,
          name,
          kind: uses ? 'action' : 'run',
          ...(uses ? { uses } : {}),
          conclusion: 'failure',
          outputs: {},
          startedAt,
          finishedAt: Date.now(),
          note: (error as Error).message,
        },
        continueOnError,
      );
    }
  }

  /** The environment the runner gives every step, before the step's own and its inputs. */
  private runnerEnv(files: StepFiles, stepEnv: Record<string, string>, stepId: string): Record<string, string> {
    const host = this.runner.opts.hostEnv ?? pick(process.env, HOST_VARIABLES);
    const github = this.contexts.github as Record<string, string>;
    const env: Record<string, string> = {
      ...host,
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKFLOW: github.workflow ?? '',
      GITHUB_WORKFLOW_REF: this.scope.workflowRef,
      GITHUB_WORKFLOW_SHA: github.sha ?? '',
      GITHUB_RUN_ID: this.runner.run_id,
      GITHUB_RUN_NUMBER: '1',
      GITHUB_RUN_ATTEMPT: '1',
      GITHUB_JOB: this.job.id.value,
      GITHUB_ACTION: stepId,
      GITHUB_ACTOR: github.actor ?? 'rehearsal',
      GITHUB_TRIGGERING_ACTOR: github.actor ?? 'rehearsal',
      GITHUB_REPOSITORY: this.runner.repo,
      GITHUB_REPOSITORY_OWNER: this.runner.repo.split('/')[0] ?? '',
      GITHUB_EVENT_NAME: github.event_name ?? '',
      GITHUB_EVENT_PATH: files.event,
      GITHUB_SHA: github.sha ?? '',
      GITHUB_REF: github.ref ?? '',
      GITHUB_REF_NAME: github.ref_name ?? '',
      GITHUB_REF_TYPE: github.ref_type ?? '',
      GITHUB_WORKSPACE: this.workspace,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_API_URL: 'https://api.github.com',
      GITHUB_OUTPUT: files.output,
      GITHUB_STATE: files.state,
      GITHUB_ENV: files.env,
      GITHUB_PATH: files.path,
      GITHUB_STEP_SUMMARY: files.summary,
      RUNNER_OS: 'Linux',
      RUNNER_ARCH: 'X64',
      RUNNER_NAME: 'rehearsal',
      RUNNER_TEMP: files.dir,
      ...this.workflowEnv,
      ...this.jobEnv,
      ...this.exported,
      ...stepEnv,
    };
    if (this.paths.length > 0) env.PATH = [...this.paths].reverse().join(':') + (env.PATH ? `:${env.PATH}` : '');
    return env;
  }

  private stepFiles(): StepFiles {
    const dir = this.runner.nextStepDir();
    const files = {
      dir,
      output: join(dir, 'output'),
      state: join(dir, 'state'),
      env: join(dir, 'env'),
      path: join(dir, 'path'),
      summary: join(dir, 'summary.md'),
      event: join(dir, 'event.json'),
    };
    for (const file of [files.output, files.state, files.env, files.path, files.summary]) writeFileSync(file, '');
    writeFileSync(files.event, JSON.stringify((this.contexts.github as { event?: unknown }).event ?? {}));
    return files;
  }

  /** After a step: what it wrote to the command files becomes outputs, job environment, PATH and summary. */
  private collect(files: StepFiles): { outputs: Record<string, string>; state: Record<string, string> } {
    Object.assign(this.exported, parseCommandFile(readFileSync(files.env, 'utf8')));
    for (const line of readFileSync(files.path, 'utf8').split('\n')) if (line.trim()) this.paths.push(line.trim());
    const summary = readFileSync(files.summary, 'utf8');
    if (summary) this.summary += summary.endsWith('\n') ? summary : `${summary}\n`;
    return { outputs: parseCommandFile(readFileSync(files.output, 'utf8')), state: parseCommandFile(readFileSync(files.state, 'utf8')) };
  }

  private timeLeft(raw: ReturnType<typeof tokenAt>, contexts: Contexts): number {
    const own = tokenAt(raw, 'timeout-minutes');
    const left = this.deadline - Date.now();
    if (!own) return Math.max(1, left);
    return Math.max(1, Math.min(left, Number(asText(evaluateToken(own, contexts))) * 60_000));
  }

  private log(step: string) {
    return (line: string) => this.runner.opts.onEvent?.({ type: 'log', job: this.path, step, line });
  }

  private async runScript(
    id: string,
    name: string,
    raw: ReturnType<typeof tokenAt>,
    stepEnv: Record<string, string>,
    contexts: Contexts,
    startedAt: number,
    continueOnError: boolean,
  ): Promise<void> {
    const script = asText(evaluateToken(tokenAt(raw, 'run'), contexts, this.status()));
    const shellToken = tokenAt(raw, 'shell') ?? tokenAt(this.scope.workflow.root, 'defaults', 'run', 'shell');
    const shell = shellToken ? asText(evaluateToken(shellToken, contexts)) : '';
    const files = this.stepFiles();
    const scriptFile = join(files.dir, 'step.sh');
    writeFileSync(scriptFile, script);
    // The runner's shells on Linux: unspecified is `bash -e {0}`, `bash` adds --noprofile --norc and pipefail.
    const argv =
      shell === ''
        ? ['bash', '-e', scriptFile]
        : shell === 'bash'
          ? ['bash', '--noprofile', '--norc', '-eo', 'pipefail', scriptFile]
          : shell === 'sh'
            ? ['sh', '-e', scriptFile]
            : undefined;
    if (!argv) throw new Error(`shell '${shell}' is not one this rehearsal runs (bash or sh)`);
    const workingDirectory = tokenAt(raw, 'working-directory') ?? tokenAt(this.scope.workflow.root, 'defaults', 'run', 'working-directory');
    const cwd = workingDirectory ? join(this.workspace, asText(evaluateToken(workingDirectory, contexts))) : this.workspace;
    const result = await runProcess({
      command: argv[0]!,
      args: argv.slice(1),
      env: this.runnerEnv(files, stepEnv, id),
      cwd,
      timeoutMs: this.timeLeft(raw, contexts),
      onLine: this.log(name),
    });
    const { outputs } = this.collect(files);
    const ok = result.exitCode === 0;
    this.record(
      {
        id,
        name,
        kind: 'run',
        conclusion: ok ? 'success' : 'failure',
        outputs,
        startedAt,
        finishedAt: Date.now(),
        ...(ok ? {} : { note: result.timedOut ? 'timed out' : `exited with ${result.exitCode ?? result.signal}` }),
      },
      continueOnError,
    );
  }

  private async runUses(
    id: string,
    name: string,
    uses: string,
    raw: ReturnType<typeof tokenAt>,
    stepEnv: Record<string, string>,
    contexts: Contexts,
    startedAt: number,
    continueOnError: boolean,
  ): Promise<void> {
    const withValues = evaluateMapping(tokenAt(raw, 'with'), contexts, this.status());
    const target = resolveUses(uses, this.runner.opts.root, this.workspace);
    if (target.kind === 'workflow') throw new Error(`${uses} is a workflow: call it from a job's uses:, not a step's`);
    if (target.kind === 'third-party') {
      const equivalent = equivalentFor(target.name);
      if (!equivalent) throw new Error(`${uses} has no local equivalent in this rehearsal; add one to workflow/equivalents.ts`);
      if (target.name === 'aws-actions/configure-aws-credentials' && level(this.permissions, 'id-token') !== 'write')
        throw new Error(
          'requesting an OIDC token needs `permissions: id-token: write` on this job (and on its caller, for a called workflow)',
        );
      const files = this.stepFiles();
      const result = equivalent.run(withValues, { root: this.runner.opts.root, workspace: this.workspace, aws: this.runner.opts.aws });
      Object.assign(this.exported, result.exportedEnv ?? {});
      this.collect(files);
      this.record(
        {
          id,
          name,
          kind: 'equivalent',
          uses,
          conclusion: 'success',
          outputs: { ...result.outputs },
          startedAt,
          finishedAt: Date.now(),
          simulatedBy: equivalent.name,
          note: result.did,
        },
        continueOnError,
      );
      return;
    }
    const action = loadActionYml(target.dir);
    if (!/^node\d+$/.test(action.runs.using) || !action.runs.main)
      throw new Error(`${uses}: runs.using ${action.runs.using} is not a JavaScript action; only those run here`);
    const declared = action.inputs ?? {};
    const unexpected = Object.keys(withValues).filter((input) => !(input in declared));
    // The runner warns about these and runs the action anyway.
    if (unexpected.length > 0)
      this.log(name)(
        `::warning::Unexpected input(s) '${unexpected.join("', '")}', valid inputs are ['${Object.keys(declared).join("', '")}']`,
      );
    const inputs: Record<string, string> = {};
    for (const [input, spec] of Object.entries(declared)) {
      if (input in withValues) inputs[input] = withValues[input]!;
      else if (spec.default !== undefined) inputs[input] = interpolate(String(spec.default), contexts);
    }
    for (const input of unexpected) inputs[input] = withValues[input]!;
    const inputEnv = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.replace(/ /g, '_').toUpperCase()}`, v]));
    const node = this.runner.opts.node ?? process.execPath;
    let state: Record<string, string> = {};
    if (action.runs.pre) {
      const pre = await this.node(node, join(target.dir, action.runs.pre), { ...stepEnv, ...inputEnv }, id, name, raw, contexts);
      state = { ...state, ...pre.state };
    }
    const files = this.stepFiles();
    const env = { ...this.runnerEnv(files, stepEnv, id), ...inputEnv, ...prefixed('STATE_', state) };
    let lastError: string | undefined;
    const log = this.log(name);
    const result = await runProcess({
      command: node,
      args: [join(target.dir, action.runs.main)],
      env,
      cwd: this.workspace,
      timeoutMs: this.timeLeft(raw, contexts),
      onLine: (line) => {
        // The annotation the run page would show for a failed step.
        const error = /^::error(?: [^:]*)?::(.*)$/.exec(line);
        if (error) lastError = error[1]!.replace(/%0A/g, ' ').replace(/%25/g, '%');
        log(line);
      },
    });
    const collected = this.collect(files);
    state = { ...state, ...collected.state };
    if (action.runs.post) this.posts.push({ id, name, uses, dir: target.dir, action, env: { ...stepEnv, ...inputEnv }, state });
    const ok = result.exitCode === 0;
    this.record(
      {
        id,
        name,
        kind: 'action',
        uses,
        conclusion: ok ? 'success' : 'failure',
        outputs: collected.outputs,
        startedAt,
        finishedAt: Date.now(),
        note: ok
          ? `${relative(realpathSync(this.runner.opts.root), join(realpathSync(target.dir), action.runs.main))} on ${action.runs.using}`
          : result.timedOut
            ? 'timed out'
            : `exited with ${result.exitCode ?? result.signal}${lastError ? `: ${lastError}` : ''}`,
      },
      continueOnError,
    );
  }

  private async node(
    node: string,
    entry: string,
    env: Record<string, string>,
    id: string,
    name: string,
    raw: ReturnType<typeof tokenAt>,
    contexts: Contexts,
  ): Promise<{ ok: boolean; state: Record<string, string> }> {
    const files = this.stepFiles();
    const result = await runProcess({
      command: node,
      args: [entry],
      env: { ...this.runnerEnv(files, {}, id), ...env },
      cwd: this.workspace,
      timeoutMs: this.timeLeft(raw, contexts),
      onLine: this.log(name),
    });
    return { ok: result.exitCode === 0, state: this.collect(files).state };
  }

  /** An action's post step: at the end of the job, in reverse order, when its `post-if` (default `always()`) holds. */
  private async runPost(post: PostStep): Promise<void> {
    const startedAt = Date.now();
    const name = `Post ${post.name}`;
    const contexts = this.stepContexts();
    const postIf = post.action.runs['post-if'] ?? 'always()';
    if (!condition(postIf.replace(/^\$\{\{([\s\S]*)\}\}$/, '$1'), contexts, this.status())) {
      this.record({
        id: `post-${post.id}`,
        name,
        kind: 'post',
        uses: post.uses,
        conclusion: 'skipped',
        outputs: {},
        startedAt,
        finishedAt: Date.now(),
        note: `post-if: ${postIf} is false`,
      });
      return;
    }
    this.runner.opts.onEvent?.({ type: 'step-start', job: this.path, step: name });
    const files = this.stepFiles();
    const env = { ...this.runnerEnv(files, {}, post.id), ...post.env, ...prefixed('STATE_', post.state) };
    const result = await runProcess({
      command: this.runner.opts.node ?? process.execPath,
      args: [join(post.dir, post.action.runs.post!)],
      env,
      cwd: this.workspace,
      timeoutMs: Math.max(60_000, this.deadline - Date.now()),
      onLine: this.log(name),
    });
    this.collect(files);
    this.record({
      id: `post-${post.id}`,
      name,
      kind: 'post',
      uses: post.uses,
      conclusion: result.exitCode === 0 ? 'success' : 'failure',
      outputs: {},
      startedAt,
      finishedAt: Date.now(),
    });
  }
}

interface StepFiles {
  readonly dir: string;
  readonly output: string;
  readonly state: string;
  readonly env: string;
  readonly path: string;
  readonly summary: string;
  readonly event: string;
}

function prefixed(prefix: string, values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [`${prefix}${k}`, v]));
}

function pick(env: NodeJS.ProcessEnv, names: readonly string[]): Record<string, string> {
  const result: Record<string, string> = {};
  for (const name of names) if (env[name] !== undefined) result[name] = env[name]!;
  return result;
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? '';
}
