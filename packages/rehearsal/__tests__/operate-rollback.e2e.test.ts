/**
 * operate.yml's rollback through the workflow runner on the stand-in: an earlier image released again by
 * digest through deploy.yml while clients send traffic, and the refusals of bad inputs, each with its exact
 * error line and nothing written.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient, ListTaskDefinitionsCommand } from '@aws-sdk/client-ecs';
import { TRAFFIC_PATH, waitUntilServing } from '../src/scenario.js';
import { summarise, Traffic } from '../src/traffic.js';
import { runWorkflow, type RunOptions, type WorkflowRun } from '../src/workflow/runner.js';
import { standInRunOptions } from '../src/workflow/stand-in.js';
import { AWS_CREDENTIALS, startWorld, type World } from '../src/world.js';

let world: World;
let ecs: ECSClient;

beforeAll(async () => {
  world = await startWorld({ app: 'release-app', fast: true });
  ecs = new ECSClient({ endpoint: world.local.endpoint, region: world.local.region, credentials: AWS_CREDENTIALS });
  await waitUntilServing(world.productionUrl, 30_000);
}, 120_000);

afterAll(async () => {
  ecs?.destroy();
  await world?.stop();
});

function options(errors: string[]): Omit<RunOptions, 'workflow' | 'event'> {
  return {
    ...standInRunOptions(world),
    onEvent: (event) => {
      if (event.type === 'log' && event.line.startsWith('::error::')) errors.push(event.line.slice('::error::'.length));
    },
  };
}

async function operate(inputs: Record<string, string>): Promise<{ run: WorkflowRun; errors: string[] }> {
  const errors: string[] = [];
  const run = await runWorkflow({
    ...options(errors),
    workflow: '.github/workflows/operate.yml',
    event: {
      name: 'workflow_dispatch',
      ref: 'refs/heads/main',
      sha: 'e'.repeat(40),
      inputs: { environment: 'production', strategy: 'canary', ...inputs },
    },
  });
  return { run, errors };
}

/** A release by deploy.yml; clients send traffic, since the analysis judges steps by their requests. */
async function release(image: string): Promise<void> {
  const traffic = new Traffic({ url: world.productionUrl, path: TRAFFIC_PATH, ratePerSecond: 30 }).start();
  const run = await runWorkflow({
    ...options([]),
    workflow: '.github/workflows/deploy.yml',
    event: {
      name: 'workflow_call',
      ref: 'refs/heads/main',
      sha: 'b'.repeat(40),
      inputs: { environment: 'production', image, steps: '50,100' },
    },
  });
  await traffic.stop();
  expect(run.outputs.status).toBe('promoted');
}

/** The image the service holding all production traffic runs, read through the SDK. */
async function liveImage(): Promise<string | undefined> {
  const weights = await world.productionWeights();
  const service = weights.blue === 100 ? world.arns.blueService : world.arns.greenService;
  const { services } = await ecs.send(new DescribeServicesCommand({ cluster: world.arns.cluster, services: [service] }));
  const { taskDefinition } = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: services?.[0]?.taskDefinition }));
  return taskDefinition?.containerDefinitions?.[0]?.image;
}

async function written(): Promise<unknown> {
  const { taskDefinitionArns } = await ecs.send(new ListTaskDefinitionsCommand({}));
  return { weights: await world.productionWeights(), definitions: taskDefinitionArns };
}

describe('operate.yml rollback', () => {
  let imageA: string;

  it('releases A then B, and rolls back to A by digest with no failed client request', async () => {
    imageA = await world.pushImage('rollback-a');
    const imageB = await world.pushImage('rollback-b');
    await release(imageA);
    await release(imageB);
    expect(await liveImage()).toBe(imageB);
    const traffic = new Traffic({ url: world.productionUrl, path: TRAFFIC_PATH, ratePerSecond: 30 }).start();
    const { run, errors } = await operate({ operation: 'rollback', image: imageA });
    const samples = summarise(await traffic.stop());
    expect(errors).toEqual([]);
    // operate.yml has no workflow outputs: the status is the called deploy job's.
    expect(run.jobs.find((j) => j.path === 'rollback/release')?.outputs.status).toBe('promoted');
    expect(await liveImage()).toBe(imageA);
    expect(samples.failed).toBe(0);
    expect(samples.requests).toBeGreaterThan(0);
  }, 600_000);

  it.each([
    [
      { operation: 'rollback', image: 'not-an-image' },
      'image not-an-image is not <account>.dkr.ecr.<region>.amazonaws.com/<repository>@sha256:<64 hex>',
    ],
    [{ operation: 'rollback' }, 'rollback needs image or model-version (or both): nothing to roll back to'],
    [{ operation: 'abort', image: 'x' }, 'image is for rollback only: abort continues the rollout its lock records'],
    [{ operation: 'rollback', 'model-version': '9.9.9' }, 'model-version 9.9.9 is not published in the registry'],
  ])(
    'refuses %j, writing nothing',
    async (inputs, message) => {
      const before = await written();
      const { run, errors } = await operate(inputs as Record<string, string>);
      expect(run.conclusion).toBe('failure');
      expect(errors.length).toBe(1);
      expect(errors[0]).toContain(message);
      expect(await written()).toEqual(before);
    },
    180_000,
  );

  it('refuses a digest ECR does not hold', async () => {
    const unknown = imageA.replace(/@sha256:[0-9a-f]{64}$/, `@sha256:${'0'.repeat(64)}`);
    const before = await written();
    const { run, errors } = await operate({ operation: 'rollback', image: unknown });
    expect(run.conclusion).toBe('failure');
    expect(errors.length).toBe(1);
    expect(errors[0]).toContain(`image ${unknown} is not in ECR repository`);
    expect(await written()).toEqual(before);
  }, 180_000);
});
