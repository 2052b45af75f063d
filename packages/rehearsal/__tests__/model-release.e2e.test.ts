/**
 * model-release.yml's job that finds the image production runs, through the workflow runner with the real
 * AWS CLI against the stand-in: before a release it is the live blue side's image, and after deploy.yml
 * promoted a new digest it is that digest. (The jobs around it need model-validate; they are left out.)
 */
import { describe, expect, it } from '@jest/globals';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
import { REPO_ROOT, runnerNode } from '../src/paths.js';
import { TRAFFIC_PATH, waitUntilServing } from '../src/scenario.js';
import { Traffic } from '../src/traffic.js';
import { runWorkflow, type RunOptions } from '../src/workflow/runner.js';
import { environments, repositoryVars, standInAws } from '../src/workflow/stand-in.js';
import { AWS_CREDENTIALS, startWorld, type World } from '../src/world.js';

/** What the blue service runs, read through the SDK: what the workflow's AWS CLI calls must find. */
async function blueImage(world: World): Promise<string | undefined> {
  const ecs = new ECSClient({ endpoint: world.local.endpoint, region: world.local.region, credentials: AWS_CREDENTIALS });
  try {
    const { services } = await ecs.send(new DescribeServicesCommand({ cluster: world.arns.cluster, services: [world.arns.blueService] }));
    const { taskDefinition } = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: services?.[0]?.taskDefinition }));
    return taskDefinition?.containerDefinitions?.[0]?.image;
  } finally {
    ecs.destroy();
  }
}

function options(world: World): Omit<RunOptions, 'workflow' | 'event'> {
  return {
    root: REPO_ROOT,
    vars: repositoryVars(world),
    environments: environments(world, { reviewers: false }),
    approve: async () => true,
    aws: standInAws(world),
    node: runnerNode(),
  };
}

async function liveImage(world: World): Promise<string | undefined> {
  const run = await runWorkflow({
    ...options(world),
    workflow: '.github/workflows/model-release.yml',
    event: { name: 'push', ref: 'refs/tags/model-v1.1.0', sha: 'd'.repeat(40) },
    skipJobs: ['validate', 'pins', 'canary', 'promote'],
  });
  const job = run.jobs.find((j) => j.path === 'current-image');
  expect(job?.steps.map((s) => `${s.name}:${s.conclusion}${s.note && s.conclusion === 'failure' ? ` ${s.note}` : ''}`)).toEqual([
    'aws-actions/configure-aws-credentials@8df5847569e6427dd6c4fb1cf565c83acfa8afa7:success',
    "Find the live colour's image:success",
  ]);
  return job?.outputs.image;
}

describe("model-release.yml's current image", () => {
  it('is the live side’s image, and after a promoted release the new digest', async () => {
    const world = await startWorld({ app: 'release-app', fast: true });
    try {
      await waitUntilServing(world.productionUrl, 30_000);
      const before = await blueImage(world);
      expect(before).toMatch(/svg-ai/);
      expect(await liveImage(world)).toBe(before);

      const image = await world.pushImage('candidate-1.1.0');
      // Clients, so the canary's analyses have traffic to judge.
      const traffic = new Traffic({ url: world.productionUrl, path: TRAFFIC_PATH, ratePerSecond: 40 }).start();
      const deploy = await runWorkflow({
        ...options(world),
        workflow: '.github/workflows/deploy.yml',
        event: {
          name: 'workflow_call',
          ref: 'refs/heads/main',
          sha: 'd'.repeat(40),
          inputs: { environment: 'staging', image, steps: '100' },
        },
      });
      await traffic.stop();
      expect(deploy.outputs.status).toBe('promoted');
      expect(await liveImage(world)).toBe(image);
    } finally {
      await world.stop();
    }
  });
});
