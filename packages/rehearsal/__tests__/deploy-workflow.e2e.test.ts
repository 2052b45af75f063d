/**
 * deploy.yml itself, run through the workflow runner on the stand-in: GitHub's parser reads it, the
 * environment's variables name the stand-in's resources, the configure-aws-credentials equivalent
 * points the SDK at the stand-in, and the committed canary bundle (and its post step) does the release
 * while real clients send traffic through the production listener.
 */
import { describe, expect, it } from '@jest/globals';
import type { DeploymentRecord } from '@svg-ai-release/rollout';
import { runnerNode } from '../src/paths.js';
import { TRAFFIC_PATH, waitUntilServing } from '../src/scenario.js';
import { summarise, Traffic } from '../src/traffic.js';
import { environments, standInAws } from '../src/workflow/stand-in.js';
import { runWorkflow, type WorkflowRun } from '../src/workflow/runner.js';
import { REPO_ROOT } from '../src/paths.js';
import { startWorld } from '../src/world.js';

async function deploy(inputs: Record<string, string>, reviewers: boolean, approve: boolean) {
  const world = await startWorld({ app: 'release-app', fast: true });
  try {
    await waitUntilServing(world.productionUrl, 30_000);
    const image = await world.pushImage('candidate-1.1.0');
    const traffic = new Traffic({ url: world.productionUrl, path: TRAFFIC_PATH, ratePerSecond: 40 }).start();
    const run: WorkflowRun = await runWorkflow({
      root: REPO_ROOT,
      workflow: '.github/workflows/deploy.yml',
      event: { name: 'workflow_call', ref: 'refs/heads/main', sha: 'b'.repeat(40), inputs: { image, 'model-version': '1.1.0', ...inputs } },
      environments: environments(world, { reviewers }),
      approve: async () => approve,
      aws: standInAws(world),
      node: runnerNode(),
    });
    const samples = await traffic.stop();
    return { run, image, traffic: summarise(samples), weights: await world.productionWeights() };
  } finally {
    await world.stop();
  }
}

describe('deploy.yml through the workflow runner', () => {
  it('releases by canary to staging: checkout and credentials simulated, the canary bundle real, outputs complete', async () => {
    const { run, image, traffic, weights } = await deploy(
      { environment: 'staging', steps: '10,50,100', 'probe-path': TRAFFIC_PATH },
      false,
      true,
    );
    const release = run.jobs.find((j) => j.path === 'release')!;
    // The outcome first, with the rollout's own reason when it is not a promotion.
    const outcome = run.outputs['deployment-record'] ? (JSON.parse(run.outputs['deployment-record']) as DeploymentRecord) : undefined;
    expect({ status: run.outputs.status, reason: outcome?.reason }).toEqual({ status: 'promoted', reason: undefined });
    expect(release.steps.map((s) => `${s.kind}:${s.conclusion}`)).toEqual([
      'equivalent:success',
      'equivalent:success',
      'action:success',
      'action:skipped',
      'post:success',
    ]);
    expect(release.concurrency).toBe('svg-ai-release-staging (waits for the run in progress)');
    expect(run.conclusion).toBe('success');
    expect(run.outputs.status).toBe('promoted');
    expect(run.outputs['live-colour']).toBe('green');
    expect(run.outputs['task-definition-arn']).toMatch(/^arn:aws:ecs:/);
    const record = JSON.parse(run.outputs['deployment-record']!) as DeploymentRecord;
    expect(record.revision).toMatchObject({ image, modelVersion: '1.1.0' });
    expect(record.steps.filter((s) => s.kind === 'shift').map((s) => s.canaryPercent)).toEqual([10, 50, 100]);
    expect(weights).toEqual({ blue: 0, green: 100 });
    expect(traffic.failed).toBe(0);
    expect(traffic.byRelease['1.1.0']).toBeGreaterThan(0);
    expect(release.summary).toContain('promoted');
    console.log(
      `deploy.yml through the runner: ${((run.finishedAt - run.startedAt) / 1000).toFixed(1)} s wall time, ${traffic.requests} client requests, ${traffic.failed} failed`,
    );
  });

  it('does nothing to production when its approval is refused', async () => {
    const { run, weights } = await deploy({ environment: 'production' }, true, false);
    expect(run.jobs.find((j) => j.path === 'release')).toMatchObject({ conclusion: 'failure', approval: 'refused', steps: [] });
    expect(run.outputs.status).toBe('');
    expect(weights).toEqual({ blue: 100, green: 0 });
  });
});
