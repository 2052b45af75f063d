/**
 * The workflow runner on fixture workflows (`workflow-fixtures/`, a repository of its own): real bash
 * steps and a real node action through the runner's files, so each case checks what GitHub would do.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runWorkflow, type ApprovalRequest, type RunOptions, type WorkflowRun } from '../src/workflow/runner.js';

const FIXTURES = fileURLToPath(new URL('./workflow-fixtures', import.meta.url));
let dir: string;
let log: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'runner-test-'));
  log = join(dir, 'recorder.log');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const AWS = { endpoint: 'http://127.0.0.1:1', accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' };

function run(workflow: string, overrides: Partial<RunOptions> = {}): Promise<WorkflowRun> {
  return runWorkflow({
    root: FIXTURES,
    workflow: `.github/workflows/${workflow}`,
    event: { name: 'push', ref: 'refs/heads/main', sha: 'a'.repeat(40) },
    vars: { LOG: log },
    approve: async () => true,
    aws: AWS,
    ...overrides,
  });
}

const job = (result: WorkflowRun, path: string) => {
  const found = result.jobs.find((j) => j.path === path);
  if (!found) throw new Error(`no job ${path} in ${result.jobs.map((j) => j.path).join(', ')}`);
  return found;
};
const step = (result: WorkflowRun, path: string, id: string) => {
  const found = job(result, path).steps.find((s) => s.id === id);
  if (!found) throw new Error(`no step ${id} in job ${path}`);
  return found;
};

describe('outputs, environment and needs', () => {
  it('passes env at every level, GITHUB_ENV exports, step outputs and job outputs down the needs', async () => {
    const result = await run('flow.yml');
    expect(result.conclusion).toBe('success');
    expect(step(result, 'first', 'make').outputs.value).toBe('workflow/job/step/main');
    expect(step(result, 'first', 'exported').outputs.seen).toBe('from-first-step');
    expect(job(result, 'second').outputs.got).toBe('workflow/job/step/main|Hello rehearsal');
    expect(step(result, 'first', 'skipped').conclusion).toBe('skipped');
    expect(job(result, 'on-failure').conclusion).toBe('skipped');
    expect(result.jobs.map((j) => j.path)).toEqual(['first', 'second', 'on-failure']);
  });

  it('runs our action with INPUT_* from with: and action.yml defaults (expressions evaluated), then its post step with the saved state', async () => {
    const result = await run('flow.yml', { actor: 'octocat' });
    expect(step(result, 'first', 'greet').outputs.greeting).toBe('Hello octocat');
    expect(readFileSync(log, 'utf8')).toBe('main who=octocat workspace=true\npost who=octocat state=octocat\n');
    expect(job(result, 'first').steps.at(-1)).toMatchObject({ kind: 'post', conclusion: 'success', name: 'Post ./actions/recorder' });
    expect(job(result, 'first').summary).toBe('greeted octocat\n');
    expect(step(result, 'first', '__actions_checkout')).toMatchObject({
      kind: 'equivalent',
      simulatedBy: 'link the working copy into the workspace',
    });
  });

  it('leaves a job out by name, lists it as left out, and lets its dependants run as if it passed', async () => {
    const result = await run('flow.yml', { skipJobs: ['first'] });
    expect(job(result, 'first')).toMatchObject({ leftOut: true, conclusion: 'success', steps: [] });
    expect(job(result, 'second').conclusion).toBe('success');
    expect(job(result, 'second').outputs.got).toBe('|');
  });
});

describe('if: conditions and failure', () => {
  it('runs failure() and always() steps after a failed step, skips success() ones, and still runs post steps', async () => {
    const result = await run('failing.yml');
    expect(result.conclusion).toBe('failure');
    expect(step(result, 'broken', 'boom')).toMatchObject({ conclusion: 'failure', note: 'exited with 3' });
    expect(step(result, 'broken', 'after-success').conclusion).toBe('skipped');
    expect(step(result, 'broken', 'after-failure').outputs.ran).toBe('yes');
    expect(step(result, 'broken', 'after-always').outputs.ran).toBe('yes');
    expect(step(result, 'broken', 'tolerated').conclusion).toBe('failure');
    expect(readFileSync(log, 'utf8')).toContain('post who=post-after-failure');
    expect(job(result, 'dependant').conclusion).toBe('skipped');
    expect(job(result, 'cleanup').conclusion).toBe('success');
  });
});

describe('reusable workflows', () => {
  it('expands a called workflow (local and published form) with typed inputs, defaults, environment variables and outputs', async () => {
    const result = await run('caller.yml', {
      environments: { staging: { vars: { REGION: 'eu-west-1' } }, production: { vars: { REGION: 'eu-central-1' } } },
    });
    expect(result.conclusion).toBe('success');
    expect(job(result, 'staging/work')).toMatchObject({ environment: 'staging', approval: 'not required' });
    expect(job(result, 'staging').outputs.result).toBe('staging:2:false:eu-west-1');
    expect(job(result, 'production').outputs.result).toBe('production:5:true:eu-central-1');
    expect(job(result, 'report').outputs.both).toBe('staging:2:false:eu-west-1,production:5:true:eu-central-1');
  });

  it('asks for approval of a protected environment, and a refusal fails that job and skips what needs it', async () => {
    const asked: ApprovalRequest[] = [];
    const result = await run('caller.yml', {
      environments: { production: { reviewers: true } },
      approve: async (request) => {
        asked.push(request);
        return false;
      },
    });
    expect(asked).toEqual([{ environment: 'production', job: 'production/work', workflow: '.github/workflows/called.yml' }]);
    expect(job(result, 'production/work')).toMatchObject({ conclusion: 'failure', approval: 'refused', steps: [] });
    expect(job(result, 'production').conclusion).toBe('failure');
    expect(job(result, 'staging/work').approval).toBe('not required');
    expect(result.conclusion).toBe('failure');
  });

  it('refuses a call that misses a required input or passes one the workflow does not declare', async () => {
    const { resolveInputs } = await import('../src/workflow/runner.js');
    const { loadWorkflow, tokenAt } = await import('../src/workflow/load.js');
    const called = await loadWorkflow(join(FIXTURES, '.github/workflows/called.yml'), FIXTURES);
    const definitions = tokenAt(called.root, 'on', 'workflow_call', 'inputs');
    expect(() => resolveInputs('called.yml', definitions, {}, {})).toThrow("called.yml requires input 'target', which was not passed");
    expect(() => resolveInputs('called.yml', definitions, { target: 'x', colour: 'red' }, {})).toThrow(
      "called.yml declares no input 'colour'",
    );
    expect(() => resolveInputs('called.yml', definitions, { target: 'x', count: 'many' }, {})).toThrow("input 'count' is a number");
    expect(resolveInputs('called.yml', definitions, { target: 'x', loud: 'true' }, {})).toEqual({ target: 'x', count: 2, loud: true });
  });
});

describe('third-party equivalents', () => {
  it('gives AWS credentials only to a job allowed an OIDC token, and exports the stand-in endpoint to the steps after', async () => {
    const result = await run('credentials.yml');
    expect(step(result, 'without-oidc', '__aws-actions_configure-aws-credentials')).toMatchObject({
      conclusion: 'failure',
      note: expect.stringContaining('id-token: write'),
    });
    expect(step(result, 'with-oidc', '__aws-actions_configure-aws-credentials')).toMatchObject({
      kind: 'equivalent',
      simulatedBy: "the stand-in's credentials and endpoint",
    });
    expect(step(result, 'with-oidc', 'seen').outputs.endpoint).toBe(`${AWS.endpoint} region=eu-west-1`);
  });
});
