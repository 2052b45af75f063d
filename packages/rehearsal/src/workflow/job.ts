/**
 * One job's steps as the runner runs them: `run:` scripts in bash, our actions from their bundles through
 * the runner's files, third-party actions by their equivalents, post steps at the end in reverse order.
 */
import type { Step as TemplateStep, WorkflowJob } from '@actions/workflow-parser/model/workflow-template';
import { mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseCommandFile } from '@svg-ai-release/action-kit/testing';
import { loadActionYml, resolveUses, type ActionYml } from './actions.js';
import { equivalentFor } from './equivalents.js';
import { asText, condition, evaluateMapping, evaluateToken, interpolate, OK, type Contexts, type Status } from './expressions.js';
import { jobToken, tokenAt } from './load.js';
import { level, type Permissions } from './permissions.js';
import { runProcess } from './process.js';
import type { Conclusion, JobRecord, RunOptions, Scope, StepRecord } from './types.js';

const HOST_VARIABLES = ['PATH', 'HOME', 'LANG', 'TMPDIR', 'USER', 'SVGAI_PYTHON', 'NODE_NO_WARNINGS'];

/** What a job needs from the run it belongs to. */
export interface JobHost {
  readonly opts: RunOptions;
  readonly tempDir: string;
  readonly repo: string;
  readonly run_id: string;
  nextStepDir(): string;
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
export class JobExecution {
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
    private readonly runner: JobHost,
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
    // A step that never ran to its own outputs: skipped by its condition, or failed before it could record itself.
    const unfinished = (conclusion: 'skipped' | 'failure', note: string) => ({
      id,
      name,
      kind: uses ? ('action' as const) : ('run' as const),
      ...(uses ? { uses } : {}),
      conclusion,
      outputs: {},
      startedAt,
      finishedAt: Date.now(),
      note,
    });
    if (!condition(ifExpression, contexts, this.status())) {
      this.record(unfinished('skipped', `if: ${ifExpression} is false`));
      return;
    }
    const continueOnError = asText(evaluateToken(tokenAt(raw, 'continue-on-error'), contexts)) === 'true';
    this.runner.opts.onEvent?.({ type: 'step-start', job: this.path, step: name });
    try {
      if (uses) await this.runUses(id, name, uses, raw, stepEnv, contexts, startedAt, continueOnError);
      else await this.runScript(id, name, raw, stepEnv, contexts, startedAt, continueOnError);
    } catch (error) {
      this.record(unfinished('failure', (error as Error).message), continueOnError);
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
