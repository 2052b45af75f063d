/**
 * The gate end to end: reports written by the service's own evaluation CLI (`$SVGAI_PYTHON -m svgai.evaluate`,
 * /usr/bin/python3 when unset; an interpreter without torch fails these tests, it does not skip them), judged by
 * the committed bundle, published to and promoted in the stand-in's S3.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CreateBucketCommand, PutBucketVersioningCommand, S3Client } from '@aws-sdk/client-s3';
import { startAwsLocal, type AwsLocal } from '@svg-ai-release/aws-local';
import { runActionProcess } from '@svg-ai-release/action-kit/testing';
import { execFile, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const bundle = fileURLToPath(new URL('../../../actions/model-validate/dist/index.js', import.meta.url));
const service = fileURLToPath(new URL('../../../service', import.meta.url));
const MODEL_100 = join(service, 'models');
const MODEL_110 = join(service, 'models', '1.1.0');
const PYTHON = process.env['SVGAI_PYTHON'] || '/usr/bin/python3';
const COUNT = '600';
const work = mkdtempSync(join(tmpdir(), 'model-release-'));
const reports = { v100: join(work, 'report-1.0.0.json'), v110: join(work, 'report-1.1.0.json'), small: join(work, 'report-small.json') };

let local: AwsLocal;
let s3: S3Client;

async function evaluate(modelDir: string, out: string, count: string): Promise<void> {
  await run(PYTHON, ['-m', 'svgai.evaluate', '--model-dir', modelDir, '--out', out, '--count', count, '--quality-images', '0'], {
    cwd: service,
    timeout: 900_000,
  });
}

const aws = () => ({ AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y' });
const gate = (inputs: Record<string, string>) => runActionProcess(bundle, { inputs, env: aws(), timeoutMs: 120_000 });
const checksOf = (outputs: Record<string, string>) => JSON.parse(outputs['checks']!) as { id: string; verdict: string; measured: string }[];

beforeAll(async () => {
  await Promise.all([
    evaluate(MODEL_100, reports.v100, COUNT),
    evaluate(MODEL_110, reports.v110, COUNT),
    evaluate(MODEL_110, reports.small, '40'),
  ]);
  local = await startAwsLocal({});
  s3 = new S3Client({
    region: local.region,
    endpoint: local.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
  });
  for (const [name, versioned] of [
    ['models', true],
    ['unversioned', false],
  ] as const) {
    await s3.send(
      new CreateBucketCommand({ Bucket: name, CreateBucketConfiguration: { LocationConstraint: local.region as 'eu-west-1' } }),
    );
    if (versioned) await s3.send(new PutBucketVersioningCommand({ Bucket: name, VersioningConfiguration: { Status: 'Enabled' } }));
  }
}, 1_200_000);

afterAll(async () => {
  s3?.destroy();
  await local?.stop();
});

describe('the absolute gate on real evaluations', () => {
  it('passes 1.1.0', async () => {
    const result = await gate({ report: reports.v110, 'model-dir': MODEL_110 });
    expect(result.outputs).toMatchObject({ passed: 'true', verdict: 'pass', 'model-version': '1.1.0' });
    expect(result.exitCode).toBe(0);
  });

  it('fails 1.0.0 on accuracy', async () => {
    const result = await gate({ report: reports.v100, 'model-dir': MODEL_100 });
    expect(result.exitCode).toBe(1);
    expect(result.outputs['verdict']).toBe('fail');
    expect(
      checksOf(result.outputs)
        .filter((c) => c.verdict !== 'pass')
        .map((c) => c.id),
    ).toEqual(['accuracy']);
  });

  it('is inconclusive on an evaluation set too small to tell', async () => {
    const result = await gate({ report: reports.small, 'model-dir': MODEL_110 });
    expect(result.exitCode).toBe(1);
    expect(result.outputs['verdict']).toBe('inconclusive');
  });

  it('fails a slow model on latency', async () => {
    const result = await gate({ report: reports.v110, 'model-dir': MODEL_110, 'max-p95-latency': '1ms' });
    expect(checksOf(result.outputs).find((c) => c.id === 'latency-p95')!.verdict).toBe('fail');
  });

  it('fails a corrupted model file on integrity', async () => {
    const copy = join(work, 'corrupted');
    cpSync(MODEL_110, copy, { recursive: true });
    const file = join(copy, 'quality_predictor.torchscript');
    const bytes = readFileSync(file);
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 100) ^ 0xff, bytes.length - 100);
    writeFileSync(file, bytes);
    const result = await gate({ report: reports.v110, 'model-dir': copy });
    expect(result.exitCode).toBe(1);
    expect(
      checksOf(result.outputs)
        .filter((c) => c.verdict === 'fail')
        .map((c) => c.id),
    ).toContain('integrity:quality_predictor.torchscript');
  });

  it('fails a report about another model than the one given', async () => {
    const result = await gate({ report: reports.v100, 'model-dir': MODEL_110 });
    expect(checksOf(result.outputs).find((c) => c.id === 'model-identity')!.verdict).toBe('fail');
  });
});

describe('champion against challenger on the same evaluation set', () => {
  it('passes 1.1.0 against 1.0.0', async () => {
    const result = await gate({ report: reports.v110, 'model-dir': MODEL_110, 'champion-report': reports.v100 });
    expect(checksOf(result.outputs).find((c) => c.id === 'champion')!.verdict).toBe('pass');
    expect(result.summary).toContain('Champion against challenger');
  });

  it('fails 1.0.0, which regresses against 1.1.0', async () => {
    const result = await gate({ report: reports.v100, 'model-dir': MODEL_100, 'champion-report': reports.v110, 'min-accuracy': '0.9' });
    expect(checksOf(result.outputs).find((c) => c.id === 'champion')!.verdict).toBe('fail');
  });

  it('refuses a champion evaluated on another set', async () => {
    const result = await gate({ report: reports.v110, 'model-dir': MODEL_110, 'champion-report': reports.small });
    expect(checksOf(result.outputs).find((c) => c.id === 'champion')!.measured).toBe('not comparable');
  });
});

describe('the registry on the stand-in', () => {
  const registry = () => ({ 'registry-bucket': 'models', 'endpoint-url': local.endpoint, 'aws-region': local.region });

  it('publishes 1.1.0 with its VersionIds, promotes it, and rolls back to the earlier version', async () => {
    const published = await gate({ mode: 'publish', report: reports.v110, 'model-dir': MODEL_110, ...registry() });
    expect(published.exitCode).toBe(0);
    const ids = JSON.parse(published.outputs['s3-version-ids']!) as Record<string, string>;
    expect(Object.keys(ids).sort()).toEqual(['logo_classifier.torchscript', 'manifest.json', 'quality_predictor.torchscript']);
    expect(published.outputs['manifest-uri']).toBe(
      `s3://models/svgai/1.1.0/manifest.json?versionId=${encodeURIComponent(ids['manifest.json']!)}`,
    );

    const refused = await gate({ mode: 'publish', report: reports.v100, 'model-dir': MODEL_100, ...registry() });
    expect(refused.exitCode).toBe(1);
    expect(refused.stdout).toContain('nothing was published');

    // 1.0.0 is published with a lower bar, as it was released, so that there is something to roll back to.
    const old = await gate({ mode: 'publish', report: reports.v100, 'model-dir': MODEL_100, 'min-accuracy': '0.9', ...registry() });
    expect(old.exitCode).toBe(0);
    expect((await gate({ mode: 'promote', 'model-version': '1.0.0', ...registry() })).exitCode).toBe(0);
    const promoted = await gate({ mode: 'promote', 'model-version': '1.1.0', ...registry() });
    expect(promoted.outputs).toMatchObject({ 'model-version': '1.1.0', 's3-version-ids': JSON.stringify(ids) });
    const rolledBack = await gate({ mode: 'rollback', ...registry() });
    expect(rolledBack.exitCode).toBe(0);
    expect(rolledBack.outputs['model-version']).toBe('1.0.0');
    expect(rolledBack.stdout).toContain('rolled svgai production back from 1.1.0 to 1.0.0');
  });

  it('serves exactly the VersionIds the production alias names', async () => {
    const promoted = await gate({ mode: 'promote', 'model-version': '1.1.0', ...registry() });
    expect(promoted.exitCode).toBe(0);
    const ids = JSON.parse(promoted.outputs['s3-version-ids']!) as Record<string, string>;
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const address = probe.address() as { port: number };
        probe.close(() => resolve(address.port));
      });
    });
    const child = spawn(PYTHON, ['-m', 'svgai.server'], {
      cwd: service,
      stdio: 'ignore',
      env: {
        ...process.env,
        ...aws(),
        HOST: '127.0.0.1',
        PORT: String(port),
        AWS_ENDPOINT_URL_S3: local.endpoint,
        AWS_DEFAULT_REGION: local.region,
        MODEL_S3_BUCKET: 'models',
        MODEL_S3_PREFIX: 'svgai/1.1.0/',
        MODEL_S3_MANIFEST_VERSION_ID: ids['manifest.json']!,
        MODEL_S3_VERSION_IDS: JSON.stringify(ids),
        MODEL_CACHE_DIR: join(work, 'model-cache'),
        UPLOAD_DIR: join(work, 'uploads'),
      },
    });
    try {
      const url = `http://127.0.0.1:${port}`;
      for (let attempt = 0; ; attempt += 1) {
        const ready = await fetch(`${url}/ready`).then(
          (r) => r.status,
          () => 0,
        );
        if (ready === 200) break;
        if (attempt > 600 || child.exitCode !== null) throw new Error(`the service did not become ready (last status ${ready})`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const version = (await (await fetch(`${url}/version`)).json()) as {
        model_version: string;
        models: Record<string, { sha256: string }>;
      };
      const manifest = JSON.parse(readFileSync(join(MODEL_110, 'manifest.json'), 'utf8')) as { models: Record<string, { sha256: string }> };
      expect(version.model_version).toBe('1.1.0');
      expect(version.models['logo_classifier']!.sha256).toBe(manifest.models['logo_classifier']!.sha256);
      const status = (await (await fetch(`${url}/api/model-status`)).json()) as { source: string; status: string };
      expect(status).toMatchObject({ status: 'ready', source: `s3://models/svgai/1.1.0/?manifestVersionId=${ids['manifest.json']}` });
    } finally {
      child.kill('SIGTERM');
    }
  }, 300_000);

  it('refuses an unversioned bucket, naming the input', async () => {
    const result = await gate({
      mode: 'publish',
      report: reports.v110,
      'model-dir': MODEL_110,
      ...registry(),
      'registry-bucket': 'unversioned',
    });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain("::error::model-validate: input 'registry-bucket': bucket unversioned has versioning never enabled");
  });

  it('refuses an unknown model, naming the input', async () => {
    const result = await gate({ mode: 'promote', 'model-version': '1.1.0', 'model-name': 'nosuchmodel', ...registry() });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain("::error::model-validate: input 'model-name': no model nosuchmodel");
  });
});
