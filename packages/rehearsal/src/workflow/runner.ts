/**
 * Runs a workflow file as GitHub's runner would, on this machine: jobs in `needs` order (one at a time),
 * each job's `if:` judged against its needs, environments and their approvals, `run:` steps in bash
 * with the runner's environment, our actions from their committed bundles through the runner's
 * protocol (INPUT_* from `with:` and action.yml defaults, command files, post steps at the end of the
 * job), reusable workflows expanded with their inputs and outputs, and third-party actions replaced by
 * named local equivalents. Everything it did is in the returned record, simulated parts marked as such.
 */
import type { ReusableWorkflowJob, WorkflowJob } from '@actions/workflow-parser/model/workflow-template';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { resolveUses } from './actions.js';
import { asText, condition, evaluateMapping, evaluateToken, type Contexts, type Status } from './expressions.js';
import { JobExecution } from './job.js';
import { jobToken, loadWorkflow, tokenAt, WorkflowError, type LoadedWorkflow } from './load.js';
import { capped, parsePermissions, type Permissions } from './permissions.js';
import type { Conclusion, JobRecord, RunOptions, Scope, WorkflowRun } from './types.js';
import { resolveInputs } from './workflow-inputs.js';

export type * from './types.js';
export { resolveInputs } from './workflow-inputs.js';

const DEFAULT_JOB_TIMEOUT_MINUTES = 360;

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
      const given = this.options.leftOutOutputs?.[path] ?? this.options.leftOutOutputs?.[id];
      return finish({
        name,
        conclusion: 'success',
        outputs: { ...given },
        steps: [],
        summary: '',
        leftOut: true,
        reason: given ? `left out of this rehearsal; its outputs given: ${Object.keys(given).join(', ')}` : 'left out of this rehearsal',
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
