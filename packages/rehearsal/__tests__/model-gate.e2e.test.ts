/**
 * The gate end to end: reports written by the service's own evaluation CLI (`$SVGAI_PYTHON -m svgai.evaluate`,
 * /usr/bin/python3 when unset; an interpreter without torch fails these tests, it does not skip them), judged by
 * the committed bundle, published to and promoted in the stand-in's S3.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CreateBucketCommand, GetObjectCommand, PutBucketVersioningCommand, S3Client } from '@aws-sdk/client-s3';
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
const reports = {
  v100: join(work, 'report-1.0.0.json'),
  v110: join(work, 'report-1.1.0.json'),
  small: join(work, 'report-small.json'),
  slow: join(work, 'report-slow.json'),
};
/** 1.1.0 made slow by `service/scripts/make_slow_model.py`: about 8× the default 100 ms p95 on a 2-core build machine. */
const SLOW_MODEL = join(work, 'slow-model');
const SLOW_ROUNDS = '220000';

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
const checksOf = (outputs: Record<string, string>) =>
  JSON.parse(outputs['checks']!) as { id: string; verdict: string; measured: string; threshold: string; detail: string }[];

beforeAll(async () => {
  await run(PYTHON, ['scripts/make_slow_model.py', '--model-dir', MODEL_110, '--out', SLOW_MODEL, '--rounds', SLOW_ROUNDS], {
    cwd: service,
    timeout: 300_000,
  });
  await Promise.all([
    evaluate(MODEL_100, reports.v100, COUNT),
    evaluate(MODEL_110, reports.v110, COUNT),
    evaluate(MODEL_110, reports.small, '40'),
    evaluate(SLOW_MODEL, reports.slow, '40'),
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

  it('fails a deliberately slowed model on latency alone, at the default threshold', async () => {
    const slow = JSON.parse(readFileSync(reports.slow, 'utf8')) as {
      predictions: number[];
      latency_ms: { p95: number; samples: number; threads: number };
    };
    const small = JSON.parse(readFileSync(reports.small, 'utf8')) as { predictions: number[] };
    // The same classifier underneath: every prediction is 1.1.0's on the same 40 images.
    expect(slow.predictions).toEqual(small.predictions);
    expect(slow.latency_ms).toMatchObject({ samples: 40, threads: 1 });
    // 40 samples judge accuracy at this bar (all correct gives a lower bound of 0.91), so only latency decides.
    const result = await gate({ report: reports.slow, 'model-dir': SLOW_MODEL, 'min-accuracy': '0.85' });
    expect(result.exitCode).toBe(1);
    expect(result.outputs).toMatchObject({ passed: 'false', verdict: 'fail', 'model-version': '1.1.0-slow' });
    const checks = checksOf(result.outputs);
    expect(checks.filter((c) => c.verdict !== 'pass').map((c) => c.id)).toEqual(['latency-p95']);
    expect(checks.map((c) => c.id)).toEqual(
      expect.arrayContaining(['accuracy', 'model-identity', 'integrity:logo_classifier.torchscript']),
    );
    const latency = checks.find((c) => c.id === 'latency-p95')!;
    expect(latency).toMatchObject({
      measured: `p95 ${slow.latency_ms.p95} ms over 40 samples at 1 thread`,
      threshold: 'p95 ≤ 100 ms',
      detail: `p95 latency ${slow.latency_ms.p95} ms is over 100 ms: the model is too slow to serve`,
    });
    expect(result.stdout).toContain(`p95 latency ${slow.latency_ms.p95} ms is over 100 ms`);
    expect(result.stdout).toContain('verdict fail: latency-p95 failed');
    // Printed for the record: how far above the bar the slowed model is on this machine.
    console.log(`slowed model: p95 ${slow.latency_ms.p95} ms against the default 100 ms`);
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

  it('lets exactly one of two concurrent promotions win, and tells the loser who won', async () => {
    const contested = { ...registry(), 'model-name': 'contested' };
    for (const [report, dir] of [
      [reports.v110, MODEL_110],
      [reports.v100, MODEL_100],
    ] as const) {
      expect((await gate({ mode: 'publish', report, 'model-dir': dir, 'min-accuracy': '0.9', ...contested })).exitCode).toBe(0);
    }
    const holds = `${local.endpoint}/_aws-local/s3-holds`;
    const alias = async () =>
      JSON.parse(
        await (await s3.send(new GetObjectCommand({ Bucket: 'models', Key: 'contested/production.json' }))).Body!.transformToString(),
      ) as { version: string; promotedBy: string };

    // Each race: A reads the alias and is held at its conditional write; B promotes to the end; A's write then runs.
    const race = async (a: string, b: string, expectFrom: string | undefined) => {
      const hold = (await (
        await fetch(holds, { method: 'POST', body: JSON.stringify({ bucket: 'models', key: 'contested/production.json' }) })
      ).json()) as { id: string };
      const loser = gate({ mode: 'promote', 'model-version': a, 'git-sha': 'a'.repeat(40), ...contested });
      const held = (await (await fetch(`${holds}/${hold.id}/held?timeoutMs=120000`)).json()) as { held: { key: string }[] };
      expect(held.held).toEqual([{ method: 'PUT', bucket: 'models', key: 'contested/production.json' }]);
      const winner = await gate({ mode: 'promote', 'model-version': b, 'git-sha': 'b'.repeat(40), ...contested });
      expect(winner.exitCode).toBe(0);
      expect(winner.stdout).toContain(`model-validate: contested production ${expectFrom ?? '(none)'} → ${b}`);
      expect(await (await fetch(`${holds}/${hold.id}/release`, { method: 'POST' })).json()).toEqual({ released: 1 });
      const lost = await loser;
      expect(lost.exitCode).toBe(1);
      // runActionProcess runs as run 1 of example-org/svg-ai: the promoter is named by repository, run and commit.
      const [message, rest] = lost.stdout.split('::error::model-validate: ')[1]!.split(' (promoted at ');
      expect(message).toBe(`another promotion won: contested's production alias now names version ${b}`);
      expect(rest).toMatch(/^\S+ by example-org\/svg-ai run 1 bbbbbbbbbbbb\), so /);
      expect(rest).toContain(`), so ${a} was not promoted; re-run to promote over it if that is still wanted`);
      expect(lost.outputs['model-version']).toBeUndefined();
      expect(await alias()).toMatchObject({ version: b, promotedBy: 'example-org/svg-ai run 1 bbbbbbbbbbbb' });
    };
    // The first promotion (If-None-Match: *), then one over an existing alias (If-Match on the ETag A read: B's
    // write of the same version changed it, so A's write is refused all the same).
    await race('1.0.0', '1.1.0', undefined);
    await race('1.0.0', '1.0.0', '1.1.0');
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
