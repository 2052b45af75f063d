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
import { summarise, Traffic, type Seen, type TrafficSummary } from '../traffic.js';
import { corpusLogos, plainPng, userWorkload, type Logo } from '../workload.js';
import { startWorld, type AppKind } from '../world.js';
import { planFault, reachedSafeOutcome, stoppedBadModel, throttledCalls, type WorkflowFault } from './faults.js';
import {
  modelReleaseOutcome,
  releaseCheckout,
  seedProductionByDigest,
  SPOILT,
  type ReleaseCheckout,
  type SpoiltPart,
} from './model-release.js';
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
  /** A bad release to rehearse: a bad image (main), or a bad model (model-release). */
  readonly fault: WorkflowFault;
  /** With fault bad-model: which model of the set is spoilt (the gate catches the classifier, the canary the predictor). */
  readonly spoil?: SpoiltPart;
}

/** The logos clients send: the corpus when the service's Python can render it, else one plain PNG, and why. */
function clientLogos(app: AppKind): { logos: Logo[]; note: string } {
  if (app === 'svgai') {
    try {
      const logos = corpusLogos(3);
      return { logos, note: `${logos.length} real logos from super-tiny-icons and twemoji, rendered at 128 px` };
    } catch (error) {
      return {
        logos: [{ name: 'plain', png: plainPng() }],
        note: `a plain 16×16 PNG: the logo corpus did not render (${(error as Error).message})`,
      };
    }
  }
  return { logos: [{ name: 'plain', png: plainPng() }], note: 'a plain 16×16 PNG (the release test app does not read the pixels)' };
}

function seenTable(title: string, groups: Readonly<Record<string, Seen>>): string {
  const rows = Object.entries(groups).sort(([a], [b]) => a.localeCompare(b));
  const width = Math.max(title.length, ...rows.map(([k]) => k.length));
  const line = (k: string, r: string, f: string, p50: string, p99: string) =>
    `  ${k.padEnd(width)}  ${r.padStart(8)}  ${f.padStart(7)}  ${p50.padStart(7)}  ${p99.padStart(7)}`;
  return [
    line(title, 'requests', 'failed', 'p50 ms', 'p99 ms'),
    ...rows.map(([k, v]) => line(k, String(v.requests), String(v.failed), String(v.p50Ms), String(v.p99Ms))),
  ].join('\n');
}

/** A digest shortened for a table: `registry/svg-ai@sha256:0123456789ab…`. */
function shortImage(image: string): string {
  const at = image.indexOf('sha256:');
  return at >= 0 ? `${image.slice(0, at)}sha256:${image.slice(at + 7, at + 19)}…` : image;
}

function renderTraffic(seen: TrafficSummary): string {
  const byImage = Object.fromEntries(
    Object.entries(seen.byImage).map(([k, v]) => [k === 'unknown' ? '(no answer named one)' : shortImage(k), v]),
  );
  return [
    `${seen.requests} requests, ${seen.failed} failed (${(seen.failedShare * 100).toFixed(2)}%)`,
    '',
    seenTable('request', seen.byKind),
    '',
    seenTable('model version', seen.byModelVersion),
    '',
    seenTable('image', byImage),
  ].join('\n');
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
  let checkout: ReleaseCheckout | undefined;
  try {
    await waitUntilServing(world.productionUrl, options.app === 'svgai' ? 120_000 : 30_000);
    if (options.workflow === 'model-release') {
      const version = options.tag.slice('model-v'.length);
      const spoil = options.fault === 'bad-model' ? (options.spoil ?? 'classifier') : undefined;
      checkout = releaseCheckout(version, spoil ? { spoil } : {});
      console.log(
        `repository: a clone of the working copy, tagged model-v${checkout.champion} (the champion), with the models of service/models/${version}/${spoil ? ` (${SPOILT[spoil]})` : ''} committed on top and tagged ${options.tag}`,
      );
      const image = await seedProductionByDigest(world);
      console.log(`production: runs ${image}, released by digest first, as a push to main leaves it`);
    }
    const root = checkout?.root ?? REPO_ROOT;
    const registryBucket = environments(world, { reviewers: true })['models']?.vars?.['MODEL_REGISTRY_BUCKET'] ?? 'svg-ai-models';
    const modelsBefore = options.workflow === 'model-release' ? await modelReleaseOutcome(world, registryBucket) : undefined;
    const vars = repositoryVars(world);
    const plan = planFault(options.fault, REPO_ROOT, vars['IMAGE_DOCKERFILE']!);
    if (plan.dockerfile) vars['IMAGE_DOCKERFILE'] = plan.dockerfile;
    const before = await world.productionWeights();
    const liveBefore = before.blue === 100 ? 'blue' : before.green === 100 ? 'green' : undefined;
    const { logos, note } = clientLogos(options.app);
    const traffic = new Traffic({ url: world.productionUrl, requests: userWorkload(logos), ratePerSecond: options.rate }).start();
    console.log(
      `stand-in endpoint ${world.local.endpoint}; production listener ${world.productionUrl}; ${liveBefore ?? 'no side'} is live`,
    );
    console.log(
      `clients: ${options.rate} requests/s through the production listener: conversions, classifications and uploads of ${note}, with status reads and health checks`,
    );
    if (options.fault !== 'none') console.log(`fault: ${options.fault}: ${plan.description}`);
    // From here on the stand-in's API answers with the plan's faults (the rehearsal's own reads come after the run).
    if (plan.awsFaults) world.local.admin.injectFaults(plan.awsFaults);
    const sha = checkout?.sha ?? 'c'.repeat(40);
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
      root,
      workflow: `.github/workflows/${options.workflow}.yml`,
      event,
      vars,
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
    const throttled = plan.awsFaults ? throttledCalls(plan, world.local.admin.faults()) : undefined;
    world.local.admin.clearFaults();
    const after = await world.productionWeights();

    console.log('\n== Timeline');
    console.log(renderTimeline(run));
    console.log('\n== Job summaries');
    console.log(renderSummaries(run));
    console.log('\n== What was real and what was simulated');
    console.log(renderSimulated(run));
    const dockerfile = vars['IMAGE_DOCKERFILE'];
    if (dockerfile && run.jobs.some((j) => j.path === 'build' && j.conclusion === 'success'))
      console.log(
        `image: built and pushed for real with buildah, from ${dockerfile} (the service's files FROM scratch) in place of service/Dockerfile, whose base image comes from Docker Hub; the tasks run the service with this machine's Python`,
      );
    console.log(`client traffic: real HTTP through the production listener, with ${note}`);
    console.log('\n== What the clients saw');
    console.log(renderTraffic(seen));
    const records = deploymentRecords(run);
    console.log('\n== Deployment record');
    if (records.length === 0) console.log('(no deployment record: no release step ran)');
    const dir = join(REPO_ROOT, 'reports', 'rehearsal');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${options.workflow}-${new Date(started).toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(
      file,
      JSON.stringify(
        {
          workflow: run.workflow,
          fault: options.fault,
          conclusion: run.conclusion,
          outputs: run.outputs,
          records,
          jobs: run.jobs,
          traffic: seen,
        },
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

    const failedLine = `${seen.failed} of ${seen.requests} client requests failed (${(seen.failedShare * 100).toFixed(2)}%)`;
    const rolled = records.map(({ record }) => record as DeploymentRecord);
    const production = run.jobs.find((j) => j.path === 'production/release' || j.path === 'production');
    const productionRan = production !== undefined && production.conclusion !== 'skipped' && !production.leftOut;
    const safe = reachedSafeOutcome(plan, {
      conclusion: run.conclusion,
      failedRequests: seen.failed,
      recordStatuses: rolled.map((r) => r.status),
      productionRan,
      liveBefore,
      weightsAfter: after,
    });
    if (options.workflow === 'model-release') {
      // The release is done when the alias names the new version and production serves the set published for it.
      const version = options.tag.slice('model-v'.length);
      const validate = run.jobs.find((j) => j.path === 'validate');
      const ids = validate?.outputs['s3-version-ids'];
      const manifestVersionId = ids ? (JSON.parse(ids) as Record<string, string>)['manifest.json'] : undefined;
      const outcome = await modelReleaseOutcome(world, registryBucket);
      console.log('\n== The model release');
      console.log(
        `registry alias svgai/production.json: ${outcome.alias ?? '(never promoted)'} (before: ${modelsBefore?.alias ?? '(never promoted)'})`,
      );
      console.log(
        `production serves: model version ${outcome.serving.version ?? '?'} (${outcome.serving.status ?? '?'}), loaded from ${outcome.serving.source ?? '?'} (before: ${modelsBefore?.serving.version ?? '?'})`,
      );
      if (options.fault === 'bad-model') {
        // Safe: nothing of the bad set reached the alias, production serves what it served, no client request failed;
        // a spoilt classifier is refused at the gate (nothing published, no canary), a spoilt predictor by the canary.
        const gate = validate?.steps.find((step) => step.name === 'Gate and publish');
        const canaryRan = run.jobs.some((j) => j.path.startsWith('canary') && j.conclusion !== 'skipped' && !j.leftOut);
        const statuses = records.map(({ record }) => (record as DeploymentRecord).status);
        const refused = stoppedBadModel({
          spoil: options.spoil ?? 'classifier',
          validateConclusion: validate?.conclusion,
          gateConclusion: gate?.conclusion,
          canaryRan,
          recordStatuses: statuses,
          unchanged: outcome.alias === modelsBefore?.alias && outcome.serving.version === modelsBefore?.serving.version,
          failedRequests: seen.failed,
        });
        console.log(
          `gate: ${gate?.conclusion ?? 'did not run'}${gate?.note ? ` (${gate.note})` : ''}; canary: ${canaryRan ? statuses.join(', ') || 'ran' : 'did not run'}`,
        );
        const where =
          options.spoil === 'predictor' ? 'by the canary, on its prediction error in production' : 'at the gate: nothing published';
        console.log(
          `\n${refused ? '✓' : '✗'} ${refused ? `the bad model was stopped ${where}; the alias and production unchanged; ${failedLine}` : `the bad model was NOT stopped cleanly; ${failedLine}`}`,
        );
        return refused ? 0 : 1;
      }
      const released =
        outcome.alias === version &&
        outcome.serving.version === version &&
        outcome.serving.status === 'ready' &&
        manifestVersionId !== undefined &&
        (outcome.serving.source ?? '').endsWith(`?manifestVersionId=${manifestVersionId}`);
      const ok = safe && released;
      console.log(
        `\n${ok ? '✓' : '✗'} ${run.workflow} ${run.conclusion}; ${failedLine}; ${released ? `the alias is on ${version} and production serves the published set` : `the alias or production is not on ${version}`}`,
      );
      return ok ? 0 : 1;
    }
    if (plan.safeOutcome === 'promoted') {
      if (throttled !== undefined) console.log(`throttled calls answered by the stand-in: ${throttled}`);
      console.log(`\n${safe ? '✓' : '✗'} ${run.workflow} ${run.conclusion}; ${failedLine}`);
      return safe ? 0 : 1;
    }
    const restoredAt = rolled.map((r) => r.rollback?.weightsRestoredAt).find((t) => t !== undefined);
    const firstShift = rolled.flatMap((r) => r.steps).find((step) => step.kind === 'shift' && step.canaryPercent > 0)?.startedAt;
    console.log(`\n== The bad release (${options.fault})`);
    console.log(failedLine);
    if (restoredAt !== undefined && seen.firstFailureAt !== undefined)
      console.log(
        `time to restore: ${Date.parse(restoredAt) - seen.firstFailureAt} ms from the first failed client request to the weights restored`,
      );
    else if (firstShift === undefined)
      console.log('time to restore: none needed: the rollout stopped before any traffic moved to the bad release');
    else if (seen.firstFailureAt === undefined) console.log('time to restore: none needed: no client request failed');
    if (restoredAt !== undefined && firstShift !== undefined)
      console.log(`exposure: the bad release took production traffic for ${Date.parse(restoredAt) - Date.parse(firstShift)} ms`);
    console.log(
      `production job: ${productionRan ? 'RAN' : `did not run (${production?.reason ?? production?.conclusion ?? 'not in the run'})`}`,
    );
    console.log(`final weights: blue ${after.blue} / green ${after.green} (${liveBefore ?? 'no side'} was live before)`);
    console.log(
      `\n${safe ? '✓' : '✗'} ${safe ? `the bad release was stopped in staging (${rolled.map((r) => r.status).join(', ')}): all traffic is on ${liveBefore}` : 'the bad release was NOT contained'}`,
    );
    return safe ? 0 : 1;
  } finally {
    await world.stop();
    checkout?.remove();
  }
}
