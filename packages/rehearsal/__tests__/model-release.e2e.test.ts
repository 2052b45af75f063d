/**
 * model-release.yml's job that finds the image production runs, through the workflow runner with the real
 * AWS CLI against the stand-in, and the canary of that image with a published model set pinned. The jobs
 * that need model-validate (the gate and publishing, the alias) are left out; the second case hands the
 * canary what publishing outputs.
 */
import { describe, expect, it } from '@jest/globals';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
import { TRAFFIC_PATH, waitUntilServing } from '../src/scenario.js';
import { Traffic } from '../src/traffic.js';
import { plainPng, userWorkload } from '../src/workload.js';
import { runWorkflow } from '../src/workflow/runner.js';
import { standInRunOptions } from '../src/workflow/stand-in.js';
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

async function liveImage(world: World, conclusion: 'success' | 'failure' = 'success'): Promise<string | undefined> {
  const run = await runWorkflow({
    ...standInRunOptions(world),
    workflow: '.github/workflows/model-release.yml',
    event: { name: 'push', ref: 'refs/tags/model-v1.1.0', sha: 'd'.repeat(40) },
    skipJobs: ['validate', 'pins', 'canary', 'promote'],
  });
  const job = run.jobs.find((j) => j.path === 'current-image');
  expect(job?.steps.map((s) => `${s.name}:${s.conclusion}${s.note && s.conclusion === 'failure' ? ` ${s.note}` : ''}`)).toEqual([
    'aws-actions/configure-aws-credentials@8df5847569e6427dd6c4fb1cf565c83acfa8afa7:success',
    conclusion === 'success' ? "Find the live colour's image:success" : "Find the live colour's image:failure exited with 1",
  ]);
  return job?.outputs.image;
}

describe("model-release.yml's current image", () => {
  it('refuses a live image that is not pinned by digest, and after a promoted release finds the new digest', async () => {
    const world = await startWorld({ app: 'release-app', fast: true });
    try {
      await waitUntilServing(world.productionUrl, 30_000);
      // The stand-in starts with a tag on blue: refused, since a canary needs the image by digest.
      const before = await blueImage(world);
      expect(before).not.toContain('@sha256:');
      expect(await liveImage(world, 'failure')).toBe('');

      const image = await world.pushImage('candidate-1.1.0');
      // Clients, so the canary's analyses have traffic to judge.
      const traffic = new Traffic({ url: world.productionUrl, path: TRAFFIC_PATH, ratePerSecond: 40 }).start();
      const deploy = await runWorkflow({
        ...standInRunOptions(world),
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

  it('pins the published model set in the canary of the live image, and promotes it (the gate and the alias left out)', async () => {
    const world = await startWorld({ app: 'release-app', fast: true });
    try {
      await waitUntilServing(world.productionUrl, 30_000);
      // Users' work, convert-ai included: the canary compares the new model's PredictionError with the live one's.
      const traffic = new Traffic({
        url: world.productionUrl,
        requests: userWorkload([{ name: 'plain', png: plainPng() }]),
        ratePerSecond: 40,
      }).start();
      // Production runs an image main.yml released, by digest.
      const live = await world.pushImage('release-1.0.0');
      const first = await runWorkflow({
        ...standInRunOptions(world),
        workflow: '.github/workflows/deploy.yml',
        event: {
          name: 'workflow_call',
          ref: 'refs/heads/main',
          sha: 'd'.repeat(40),
          inputs: { environment: 'production', image: live, steps: '50,100' },
        },
      });
      expect(first.outputs.status).toBe('promoted');
      const published = {
        'model-version': '1.1.0',
        'manifest-uri': 's3://svg-ai-models/svgai/1.1.0/manifest.json?versionId=v-manifest',
        // Two model files: their VersionIds are one JSON object with a comma, which must reach the task whole.
        's3-version-ids': JSON.stringify({
          'manifest.json': 'v-manifest',
          'logo_classifier.torchscript': 'v-classifier',
          'quality_predictor.torchscript': 'v-quality',
        }),
        sha256: 'f'.repeat(64),
      };
      const run = await runWorkflow({
        ...standInRunOptions(world),
        workflow: '.github/workflows/model-release.yml',
        event: { name: 'push', ref: 'refs/tags/model-v1.1.0', sha: 'd'.repeat(40) },
        skipJobs: ['validate', 'promote'],
        leftOutOutputs: { validate: published },
      });
      const samples = await traffic.stop();
      const job = (path: string) => run.jobs.find((j) => j.path === path);
      expect(job('pins')?.outputs.environment?.split('\n')).toEqual([
        'MODEL_VERSION=1.1.0',
        'MODEL_S3_BUCKET=svg-ai-models',
        'MODEL_S3_PREFIX=svgai/1.1.0',
        'MODEL_S3_MANIFEST_VERSION_ID=v-manifest',
        'MODEL_S3_VERSION_IDS={"logo_classifier.torchscript":"v-classifier","quality_predictor.torchscript":"v-quality"}',
      ]);
      expect(job('canary')?.outputs.status).toBe('promoted');
      const ecs = new ECSClient({ endpoint: world.local.endpoint, region: world.local.region, credentials: AWS_CREDENTIALS });
      try {
        const { taskDefinition } = await ecs.send(
          new DescribeTaskDefinitionCommand({ taskDefinition: job('canary')?.outputs['task-definition-arn'] }),
        );
        const container = taskDefinition?.containerDefinitions?.[0];
        expect(container?.image).toBe(live);
        expect(container?.environment).toEqual(
          expect.arrayContaining([
            { name: 'MODEL_VERSION', value: '1.1.0' },
            { name: 'MODEL_S3_MANIFEST_VERSION_ID', value: 'v-manifest' },
            {
              name: 'MODEL_S3_VERSION_IDS',
              value: '{"logo_classifier.torchscript":"v-classifier","quality_predictor.torchscript":"v-quality"}',
            },
          ]),
        );
      } finally {
        ecs.destroy();
      }
      const failed = samples.filter((s) => s.status === undefined || s.status >= 500);
      const during = (from: number, to: number) => failed.filter((s) => s.at >= from && s.at <= to).length;
      console.log(
        `failed client requests: ${during(first.startedAt, first.finishedAt)} during the image release, ${during(run.startedAt, run.finishedAt)} during the model release, of ${samples.length}`,
      );
      expect(during(run.startedAt, run.finishedAt)).toBe(0);
      expect(samples.some((s) => s.release === '1.1.0')).toBe(true);
      expect(job('promote')).toMatchObject({ leftOut: true });
    } finally {
      await world.stop();
    }
  });
});
