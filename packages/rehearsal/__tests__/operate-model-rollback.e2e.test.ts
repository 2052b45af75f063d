/**
 * operate.yml's rollback to an earlier model version, end to end on the stand-in with the SVG-AI service
 * itself: two model sets published to the registry by the committed model-validate bundle, production on the
 * newer one, then `rollback` with `model-version` pins the older set's recorded VersionIds, the service loads
 * exactly those objects from S3, and the registry alias is put back on it.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runActionProcess } from '@svg-ai-release/action-kit/testing';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PYTHON, SERVICE_DIR } from '../src/paths.js';
import { summarise, Traffic } from '../src/traffic.js';
import { corpusLogos, userWorkload } from '../src/workload.js';
import { modelReleaseOutcome, seedProductionByDigest } from '../src/workflow/model-release.js';
import { runWorkflow } from '../src/workflow/runner.js';
import { standInRunOptions } from '../src/workflow/stand-in.js';
import { startWorld, type World } from '../src/world.js';
import { waitUntilServing } from '../src/scenario.js';

const run = promisify(execFile);
const bundle = fileURLToPath(new URL('../../../actions/model-validate/dist/index.js', import.meta.url));
const BUCKET = 'svg-ai-models';
let world: World;

async function evaluate(modelDir: string, out: string): Promise<void> {
  await run(PYTHON, ['-m', 'svgai.evaluate', '--model-dir', modelDir, '--out', out, '--count', '300', '--quality-images', '0'], {
    cwd: SERVICE_DIR,
    timeout: 600_000,
  });
}

async function registry(inputs: Record<string, string>): Promise<Record<string, string>> {
  const result = await runActionProcess(bundle, {
    inputs: { 'registry-bucket': BUCKET, 'endpoint-url': world.local.endpoint, 'aws-region': world.local.region, ...inputs },
    env: { AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y' },
    timeoutMs: 120_000,
  });
  expect(result.exitCode).toBe(0);
  return result.outputs;
}

beforeAll(async () => {
  world = await startWorld({ app: 'svgai', fast: true });
  await waitUntilServing(world.productionUrl, 120_000);
}, 180_000);
afterAll(() => world?.stop());

describe('operate.yml rollback to a model version', () => {
  it('puts production and the alias back on the earlier published set, by its VersionIds, with no failed request', async () => {
    const work = mkdtempSync(join(tmpdir(), 'model-rollback-'));
    const models = join(SERVICE_DIR, 'models');
    await Promise.all([evaluate(models, join(work, '1.0.0.json')), evaluate(join(models, '1.1.0'), join(work, '1.1.0.json'))]);
    // 1.0.0 as it was released, under the bar of its day; then 1.1.0, promoted.
    const old = await registry({ mode: 'publish', report: join(work, '1.0.0.json'), 'model-dir': models, 'min-accuracy': '0.9' });
    await registry({ mode: 'publish', report: join(work, '1.1.0.json'), 'model-dir': join(models, '1.1.0') });
    await registry({ mode: 'promote', 'model-version': '1.1.0' });
    const oldIds = JSON.parse(old['s3-version-ids']!) as Record<string, string>;

    const traffic = new Traffic({ url: world.productionUrl, requests: userWorkload(corpusLogos(2)), ratePerSecond: 30 }).start();
    await seedProductionByDigest(world);
    const errors: string[] = [];
    const rollback = await runWorkflow({
      ...standInRunOptions(world),
      workflow: '.github/workflows/operate.yml',
      event: {
        name: 'workflow_dispatch',
        ref: 'refs/heads/main',
        sha: 'f'.repeat(40),
        inputs: { environment: 'production', strategy: 'canary', operation: 'rollback', 'model-version': '1.0.0' },
      },
      onEvent: (event) => {
        if (event.type === 'log' && event.line.startsWith('::error::')) errors.push(event.line);
      },
    });
    const seen = summarise(await traffic.stop());
    expect(errors).toEqual([]);
    const job = (path: string) => rollback.jobs.find((j) => j.path === path);
    expect(job('model')?.outputs.environment?.split('\n')).toEqual([
      'MODEL_VERSION=1.0.0',
      `MODEL_S3_BUCKET=${BUCKET}`,
      'MODEL_S3_PREFIX=svgai/1.0.0',
      `MODEL_S3_MANIFEST_VERSION_ID=${oldIds['manifest.json']}`,
      `MODEL_S3_VERSION_IDS=${JSON.stringify({
        'logo_classifier.torchscript': oldIds['logo_classifier.torchscript'],
        'quality_predictor.torchscript': oldIds['quality_predictor.torchscript'],
      })}`,
    ]);
    expect(job('rollback/release')?.outputs.status).toBe('promoted');
    expect(job('alias')?.conclusion).toBe('success');
    const outcome = await modelReleaseOutcome(world, BUCKET);
    expect(outcome.alias).toBe('1.0.0');
    expect(outcome.serving).toEqual({
      version: '1.0.0',
      status: 'ready',
      source: `s3://${BUCKET}/svgai/1.0.0?manifestVersionId=${oldIds['manifest.json']}`,
    });
    expect(seen.failed).toBe(0);
    expect(seen.byModelVersion['1.0.0']?.requests).toBeGreaterThan(0);
  }, 600_000);
});
