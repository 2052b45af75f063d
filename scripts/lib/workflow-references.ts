/**
 * The references between workflows, jobs, steps and our actions that GitHub only checks when a run gets
 * there (or never: a misspelt output is an empty string). Each problem is one sentence naming the file,
 * the job and what is wrong:
 * - a step calling one of our actions passes only inputs its action.yml declares, and every required one;
 * - every `steps.<id>.outputs.<name>` names a step of the same job that sets that output (our action's
 *   action.yml, or a `run:` script that writes `<name>=` or `<name><<` to GITHUB_OUTPUT);
 * - every `needs.<job>.…` names a job in `needs:`, and `needs.<job>.outputs.<name>` an output it declares
 *   (a called workflow's `on.workflow_call.outputs` for a job that calls one);
 * - a reusable workflow uses every input it declares, and `jobs.<id>.outputs.<name>` in its outputs exists;
 * - a job calling one of our reusable workflows passes only declared inputs, every required one, and no
 *   `secrets: inherit` to a workflow that declares no secrets;
 * - no `${{ }}` inside a `run:` script: values reach scripts through `env:`, so nothing a user controls
 *   (a branch name, an input, an output built from one) is ever pasted into shell code.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { parse } from 'yaml';

interface ActionYml {
  readonly inputs?: Record<string, { readonly required?: boolean; readonly default?: unknown } | null>;
  readonly outputs?: Record<string, unknown>;
}
interface Step {
  readonly id?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, unknown>;
}
interface Job {
  readonly needs?: string | string[];
  readonly uses?: string;
  readonly with?: Record<string, unknown>;
  readonly secrets?: unknown;
  readonly outputs?: Record<string, unknown>;
  readonly steps?: Step[];
}
interface WorkflowCall {
  readonly inputs?: Record<string, { readonly required?: boolean; readonly default?: unknown } | null>;
  readonly outputs?: Record<string, { readonly value?: string } | null>;
  readonly secrets?: Record<string, unknown>;
}
interface Workflow {
  readonly on?: unknown;
  readonly jobs?: Record<string, Job>;
}

const OUR_ACTION = /^(?:\.\/(?:[^/]+\/)*actions\/|[A-Za-z0-9_.-]+\/svg-ai-release\/actions\/)([a-z0-9-]+)(?:@.+)?$/;
const OUR_WORKFLOW = /^(?:\.\/|[A-Za-z0-9_.-]+\/svg-ai-release\/)(\.github\/workflows\/[^@]+\.ya?ml)(?:@.+)?$/;

/** Every string anywhere in a value (keys excluded), where expressions may sit. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

function references(text: string, pattern: RegExp): RegExpExecArray[] {
  const found: RegExpExecArray[] = [];
  for (const expression of text.match(/\$\{\{[\s\S]*?\}\}/g) ?? []) {
    const regex = new RegExp(pattern.source, 'g');
    for (let match = regex.exec(expression); match; match = regex.exec(expression)) found.push(match);
  }
  return found;
}

/** `if:` holds an expression without `${{ }}`; treat it as one. */
function withIf(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withIf);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, k === 'if' && typeof v === 'string' && !v.includes('${{') ? `\${{ ${v} }}` : withIf(v)]),
    );
  return value;
}

function workflowCall(workflow: Workflow): WorkflowCall | undefined {
  const on = workflow.on;
  if (on && typeof on === 'object' && 'workflow_call' in on) return ((on as Record<string, unknown>).workflow_call ?? {}) as WorkflowCall;
  return undefined;
}

function required(spec: { readonly required?: boolean; readonly default?: unknown } | null | undefined): boolean {
  return spec?.required === true && spec.default === undefined;
}

export class ReferenceChecker {
  private readonly actions = new Map<string, ActionYml | undefined>();
  private readonly workflows = new Map<string, Workflow | undefined>();
  readonly problems: string[] = [];

  constructor(private readonly root: string) {}

  private action(name: string): ActionYml | undefined {
    if (!this.actions.has(name)) {
      const file = join(this.root, 'actions', name, 'action.yml');
      this.actions.set(name, existsSync(file) ? (parse(readFileSync(file, 'utf8')) as ActionYml) : undefined);
    }
    return this.actions.get(name);
  }

  private workflow(path: string): Workflow | undefined {
    if (!this.workflows.has(path)) {
      const file = join(this.root, path);
      this.workflows.set(path, existsSync(file) ? (parse(readFileSync(file, 'utf8')) as Workflow) : undefined);
    }
    return this.workflows.get(path);
  }

  private report(file: string, message: string): void {
    this.problems.push(`${relative(this.root, file)}: ${message}`);
  }

  check(file: string): void {
    const workflow = withIf(parse(readFileSync(file, 'utf8'))) as Workflow;
    const jobs = workflow.jobs ?? {};
    for (const [id, job] of Object.entries(jobs)) {
      const needs = typeof job.needs === 'string' ? [job.needs] : (job.needs ?? []);
      this.checkNeeds(file, id, job, needs, jobs);
      if (job.uses) this.checkCall(file, id, job);
      (job.steps ?? []).forEach((step, index) => this.checkStep(file, id, step, index));
      this.checkStepOutputs(file, id, job);
    }
    const call = workflowCall(workflow);
    if (call) this.checkReusable(file, workflow, call, jobs);
  }

  private checkStep(file: string, job: string, step: Step, index: number): void {
    if (step.run?.includes('${{'))
      this.report(
        file,
        `job '${job}' step ${step.id ? `'${step.id}'` : `#${index + 1}`} expands \${{ }} inside run:; pass the value through env: instead`,
      );
    const name = step.uses ? OUR_ACTION.exec(step.uses)?.[1] : undefined;
    if (!name) return;
    const where = `job '${job}' step ${step.id ? `'${step.id}'` : `#${index + 1}`} (${step.uses})`;
    const action = this.action(name);
    if (!action) return this.report(file, `${where}: actions/${name}/action.yml does not exist`);
    const declared = action.inputs ?? {};
    const given = Object.keys(step.with ?? {});
    for (const input of given)
      if (!(input in declared)) this.report(file, `${where} passes input '${input}', which actions/${name} does not declare`);
    for (const [input, spec] of Object.entries(declared))
      if (required(spec) && !given.includes(input)) this.report(file, `${where} does not pass the required input '${input}'`);
  }

  /** Which outputs a step of this job can set; undefined when they cannot be known (a third-party action). */
  private stepOutputs(step: Step): Set<string> | undefined {
    const name = step.uses ? OUR_ACTION.exec(step.uses)?.[1] : undefined;
    if (name) return new Set(Object.keys(this.action(name)?.outputs ?? {}));
    if (step.uses) return undefined;
    const script = step.run ?? '';
    const set = new Set<string>();
    for (const match of script.matchAll(/(?:^|["'\s;{(])([A-Za-z_][\w-]*)(?:=|<<)/gm)) set.add(match[1]!);
    return set;
  }

  private checkStepOutputs(file: string, jobId: string, job: Job): void {
    const steps = job.steps ?? [];
    const byId = new Map(steps.filter((s) => s.id).map((s) => [s.id!, s]));
    const texts = [...strings(job.outputs), ...steps.flatMap((s) => strings(s))];
    for (const text of texts)
      for (const [, id, output] of references(text, /\bsteps\.([A-Za-z_][\w-]*)\.outputs\.([A-Za-z_][\w-]*)/)) {
        const step = byId.get(id!);
        if (!step) {
          this.report(file, `job '${jobId}' reads steps.${id}.outputs.${output}, but no step of the job has id '${id}'`);
          continue;
        }
        const outputs = this.stepOutputs(step);
        if (outputs && !outputs.has(output!))
          this.report(
            file,
            `job '${jobId}' reads steps.${id}.outputs.${output}, but step '${id}' sets no output '${output}'${outputs.size ? ` (it sets: ${[...outputs].join(', ')})` : ''}`,
          );
      }
  }

  /** The outputs a job declares: its `outputs:`, or for a job calling one of our workflows, that workflow's. */
  private jobOutputs(job: Job): Set<string> | undefined {
    if (job.uses) {
      const path = OUR_WORKFLOW.exec(job.uses)?.[1];
      const called = path ? this.workflow(path) : undefined;
      return called ? new Set(Object.keys(workflowCall(called)?.outputs ?? {})) : undefined;
    }
    return new Set(Object.keys(job.outputs ?? {}));
  }

  private checkNeeds(file: string, jobId: string, job: Job, needs: readonly string[], jobs: Record<string, Job>): void {
    for (const text of strings(job))
      for (const [, need, rest] of references(text, /\bneeds\.([A-Za-z_][\w-]*)((?:\.[A-Za-z_][\w-]*)*)/)) {
        if (!needs.includes(need!)) {
          this.report(file, `job '${jobId}' reads needs.${need}${rest}, but '${need}' is not in its needs`);
          continue;
        }
        const output = /^\.outputs\.([A-Za-z_][\w-]*)/.exec(rest ?? '')?.[1];
        const needed = jobs[need!];
        if (!output || !needed) continue;
        const declared = this.jobOutputs(needed);
        if (declared && !declared.has(output))
          this.report(file, `job '${jobId}' reads needs.${need}.outputs.${output}, but job '${need}' declares no output '${output}'`);
      }
  }

  private checkCall(file: string, jobId: string, job: Job): void {
    const path = OUR_WORKFLOW.exec(job.uses!)?.[1];
    if (!path) return;
    const called = this.workflow(path);
    if (!called) return this.report(file, `job '${jobId}' calls ${path}, which does not exist`);
    const call = workflowCall(called);
    if (!call) return this.report(file, `job '${jobId}' calls ${path}, which has no on.workflow_call`);
    const declared = call.inputs ?? {};
    const given = Object.keys(job.with ?? {});
    for (const input of given)
      if (!(input in declared)) this.report(file, `job '${jobId}' passes input '${input}' to ${basename(path)}, which does not declare it`);
    for (const [input, spec] of Object.entries(declared))
      if (required(spec) && !given.includes(input))
        this.report(file, `job '${jobId}' does not pass the required input '${input}' to ${basename(path)}`);
    if (job.secrets === 'inherit' && Object.keys(call.secrets ?? {}).length === 0)
      this.report(file, `job '${jobId}' passes secrets: inherit to ${basename(path)}, which declares no secrets`);
  }

  private checkReusable(file: string, workflow: Workflow, call: WorkflowCall, jobs: Record<string, Job>): void {
    const body = strings(workflow.jobs ?? {}).join('\n') + '\n' + strings(call.outputs ?? {}).join('\n');
    for (const input of Object.keys(call.inputs ?? {})) {
      const escaped = input.replace(/[-]/g, '\\-');
      if (!new RegExp(`\\binputs\\.${escaped}(?![\\w-])|inputs\\[['"]${escaped}['"]\\]`).test(body))
        this.report(file, `declares input '${input}' but never reads inputs.${input}`);
    }
    for (const [name, output] of Object.entries(call.outputs ?? {}))
      for (const [, job, value] of references(output?.value ?? '', /\bjobs\.([A-Za-z_][\w-]*)\.outputs\.([A-Za-z_][\w-]*)/)) {
        const declared = jobs[job!] ? this.jobOutputs(jobs[job!]!) : undefined;
        if (!jobs[job!]) this.report(file, `output '${name}' reads jobs.${job}.outputs.${value}, but there is no job '${job}'`);
        else if (declared && !declared.has(value!))
          this.report(file, `output '${name}' reads jobs.${job}.outputs.${value}, but job '${job}' declares no output '${value}'`);
      }
  }
}

export function referenceProblems(files: readonly string[], root: string): string[] {
  const checker = new ReferenceChecker(root);
  for (const file of files) checker.check(file);
  return checker.problems;
}
