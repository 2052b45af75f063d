/**
 * `npm run rehearse -- --workflow main|model-release|deploy`: a workflow file run through the workflow
 * runner on the stand-in, with the service live on blue and clients sending traffic the whole time.
 */
import { renderTextReport, type DeploymentRecord } from '@svg-ai-release/rollout';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { renderLogLine } from '../log-lines.js';
import { REPO_ROOT, runnerNode } from '../paths.js';
import { TRAFFIC_PATH, waitUntilServing } from '../scenario.js';
import { summarise, Traffic } from '../traffic.js';
import { startWorld, type AppKind } from '../world.js';
import { deploymentRecords, renderSimulated, renderSummaries, renderTimeline } from './report.js';
import { runWorkflow, type ApprovalRequest, type RunOptions } from './runner.js';
import { environments, repositoryVars, standInAws } from './stand-in.js';

import type { WorkflowName } from './names.js';

export interface WorkflowCliOptions {
  readonly workflow: WorkflowName;
  readonly tag: string;
  readonly approve: boolean;
  /** Refuse every review instead, to rehearse a refused release. */
  readonly reject: boolean;
  readonly skipJobs: readonly string[];
  readonly app: AppKind;
  readonly rate: number;
}

/**
 * Approves with --approve and refuses with --reject; otherwise asks on a terminal, and approves when there
 * is none to ask, so the README's first command completes in CI.
 */
function approver(approve: boolean, reject: boolean): (request: ApprovalRequest) => Promise<boolean> {
  return async ({ environment, job }) => {
    if (approve || reject) {
      console.log(`  ◆ ${job}: environment ${environment} ${approve ? 'approved by --approve' : 'refused by --reject'}`);
      return approve;
    }
    if (!process.stdin.isTTY) {
      console.log(`  ◆ ${job}: environment ${environment} approved: there is no terminal to ask (pass --reject to refuse)`);
      return true;
    }
    const prompt = createInterface({ input: process.stdin, output: process.stdout });
    try {
      const answer = await prompt.question(`  ◆ ${job} waits for a review of environment ${environment}. Approve? [y/N] `);
      return /^y(es)?$/i.test(answer.trim());
    } finally {
      prompt.close();
    }
  };
}

export async function rehearseWorkflow(options: WorkflowCliOptions): Promise<number> {
  const started = Date.now();
  const world = await startWorld({ app: options.app, fast: true });
  try {
    await waitUntilServing(world.productionUrl, options.app === 'svgai' ? 120_000 : 30_000);
    const traffic = new Traffic({ url: world.productionUrl, path: TRAFFIC_PATH, ratePerSecond: options.rate }).start();
    console.log(`stand-in endpoint ${world.local.endpoint}; production listener ${world.productionUrl}; blue is live`);
    const sha = 'c'.repeat(40);
    const event: RunOptions['event'] =
      options.workflow === 'model-release'
        ? { name: 'push', ref: `refs/tags/${options.tag}`, sha, payload: { ref: `refs/tags/${options.tag}` } }
        : options.workflow === 'main'
          ? { name: 'push', ref: 'refs/heads/main', sha, payload: { ref: 'refs/heads/main' } }
          : // deploy.yml on its own, as a caller would call it, with an image pushed here first.
            {
              name: 'workflow_call',
              ref: 'refs/heads/main',
              sha,
              inputs: {
                environment: 'staging',
                image: await world.pushImage('candidate-1.1.0'),
                'model-version': '1.1.0',
                'probe-path': TRAFFIC_PATH,
              },
            };
    console.log(`running .github/workflows/${options.workflow}.yml (${event.name} ${event.ref})\n`);
    const run = await runWorkflow({
      root: REPO_ROOT,
      workflow: `.github/workflows/${options.workflow}.yml`,
      event,
      vars: repositoryVars(world),
      environments: environments(world, { reviewers: true }),
      skipJobs: options.skipJobs,
      approve: approver(options.approve, options.reject),
      aws: standInAws(world),
      node: runnerNode(),
      onEvent: (e) => {
        if (e.type === 'job-start') console.log(`\n■ job ${e.job} — ${e.name}`);
        else if (e.type === 'step-start') console.log(`  ▶ ${e.step}`);
        else if (e.type === 'log') {
          const shown = renderLogLine(e.line);
          if (shown !== undefined) console.log(`    ${shown}`);
        } else if (e.type === 'step-end' && e.step.kind === 'equivalent') console.log(`  ▶ ${e.step.name}: simulated — ${e.step.note}`);
        else if (e.type === 'job-end' && (e.job.leftOut || e.job.conclusion === 'skipped' || e.job.approval === 'refused'))
          console.log(`\n■ job ${e.job.path}: ${e.job.leftOut ? 'left out' : e.job.conclusion} (${e.job.reason ?? ''})`);
      },
    });
    const samples = await traffic.stop();
    const seen = summarise(samples);

    console.log('\n== Timeline');
    console.log(renderTimeline(run));
    console.log('\n== Job summaries');
    console.log(renderSummaries(run));
    console.log('\n== What was real and what was simulated');
    console.log(renderSimulated(run));
    const dockerfile = repositoryVars(world)['IMAGE_DOCKERFILE'];
    if (dockerfile && run.jobs.some((j) => j.path === 'build' && j.conclusion === 'success'))
      console.log(
        `image: built and pushed for real with buildah, from ${dockerfile} (the service's files FROM scratch) in place of service/Dockerfile, whose base image comes from Docker Hub; the tasks run the service with this machine's Python`,
      );
    console.log('\n== What the clients saw');
    console.log(`${seen.requests} requests to ${TRAFFIC_PATH}, ${seen.failed} failed (${(seen.failedShare * 100).toFixed(2)}%)`);
    console.log(
      `answered by model version: ${
        Object.entries(seen.byRelease)
          .map(([v, n]) => `${v}: ${n}`)
          .join(', ') || 'none'
      }`,
    );
    const records = deploymentRecords(run);
    console.log('\n== Deployment record');
    if (records.length === 0) console.log('(no deployment record: no release step ran)');
    const dir = join(REPO_ROOT, 'reports', 'rehearsal');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${options.workflow}-${new Date(started).toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(
      file,
      JSON.stringify(
        { workflow: run.workflow, conclusion: run.conclusion, outputs: run.outputs, records, jobs: run.jobs, traffic: seen },
        null,
        2,
      ),
    );
    for (const { job, record } of records) {
      console.log(`-- ${job}`);
      console.log(renderTextReport(record as DeploymentRecord));
    }
    console.log(`\nfull run and deployment records (JSON): ${file}`);
    console.log(`rehearsal wall time: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const ok = run.conclusion === 'success' && seen.failed === 0;
    console.log(`\n${ok ? '✓' : '✗'} ${run.workflow} ${run.conclusion}; ${seen.failed} failed client requests`);
    return ok ? 0 : 1;
  } finally {
    await world.stop();
  }
}
