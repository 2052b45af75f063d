/**
 * Model gate figures: the 1.0.0 and 1.1.0 evaluations (accuracy with its Wilson interval, p95 latency), the
 * gate's own time beyond the evaluation (the committed bundle judging a report, against a bare Node start in
 * the same run), and the time to publish the real 1.1.0 model set to the stand-in's S3.
 *
 *   cd packages/rehearsal && SVGAI_PYTHON=/tmp/venvtest/v/bin/python npx tsx bench/model-gate.ts [count]
 */
import { CreateBucketCommand, PutBucketVersioningCommand, S3Client } from '@aws-sdk/client-s3';
import { runActionProcess } from '@svg-ai-release/action-kit/testing';
import { startAwsLocal } from '@svg-ai-release/aws-local';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bundle = fileURLToPath(new URL('../../../actions/model-validate/dist/index.js', import.meta.url));
const service = fileURLToPath(new URL('../../../service', import.meta.url));
const python = process.env['SVGAI_PYTHON'] || '/usr/bin/python3';
const count = process.argv[2] ?? '1000';
const work = mkdtempSync(join(tmpdir(), 'model-gate-bench-'));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const sets = { '1.0.0': join(service, 'models'), '1.1.0': join(service, 'models', '1.1.0') };
const evaluationMs: Record<string, number> = {};
for (const [version, dir] of Object.entries(sets)) {
  const started = performance.now();
  execFileSync(
    python,
    ['-m', 'svgai.evaluate', '--model-dir', dir, '--out', join(work, `${version}.json`), '--count', count, '--quality-images', '0'],
    { cwd: service },
  );
  evaluationMs[version] = performance.now() - started;
}
console.log(`evaluation set: ${count} images, seed 3000, ${python}`);
for (const version of Object.keys(sets)) {
  const result = await runActionProcess(bundle, {
    inputs: { report: join(work, `${version}.json`), 'model-dir': sets[version as keyof typeof sets] },
  });
  const accuracy = JSON.parse(result.outputs['checks']!).find((c: { id: string }) => c.id === 'accuracy');
  const report = JSON.parse(readFileSync(join(work, `${version}.json`), 'utf8')) as { latency_ms: { p95: number; p50: number } };
  console.log(
    `${version}: accuracy ${accuracy.measured} → ${accuracy.verdict}; p95 ${report.latency_ms.p95} ms (p50 ${report.latency_ms.p50} ms); evaluation ${(evaluationMs[version]! / 1000).toFixed(1)} s`,
  );
}

const gateRuns: number[] = [];
const bareRuns: number[] = [];
for (let i = 0; i < 5; i += 1) {
  let started = performance.now();
  await runActionProcess(bundle, {
    inputs: { report: join(work, '1.1.0.json'), 'model-dir': sets['1.1.0'], 'champion-report': join(work, '1.0.0.json') },
  });
  gateRuns.push(performance.now() - started);
  started = performance.now();
  spawnSync(process.execPath, ['-e', '0']);
  bareRuns.push(performance.now() - started);
}
const gate = median(gateRuns);
console.log(
  `gate beyond the evaluation (bundle judging 1.1.0 against 1.0.0, median of 5): ${gate.toFixed(0)} ms; bare node start ${median(bareRuns).toFixed(0)} ms; ` +
    `${((gate / (evaluationMs['1.1.0'] ?? 1)) * 100).toFixed(1)}% of the 1.1.0 evaluation`,
);

const local = await startAwsLocal({});
const s3 = new S3Client({
  region: local.region,
  endpoint: local.endpoint,
  forcePathStyle: true,
  credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
});
await s3.send(
  new CreateBucketCommand({ Bucket: 'models', CreateBucketConfiguration: { LocationConstraint: local.region as 'eu-west-1' } }),
);
await s3.send(new PutBucketVersioningCommand({ Bucket: 'models', VersioningConfiguration: { Status: 'Enabled' } }));
const env = { AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y' };
const registry = { 'registry-bucket': 'models', 'endpoint-url': local.endpoint, 'aws-region': local.region };
let started = performance.now();
await runActionProcess(bundle, { inputs: { report: join(work, '1.1.0.json'), 'model-dir': sets['1.1.0'] }, env });
const judgeOnly = performance.now() - started;
started = performance.now();
const published = await runActionProcess(bundle, {
  inputs: { mode: 'publish', report: join(work, '1.1.0.json'), 'model-dir': sets['1.1.0'], ...registry },
  env,
});
const publish = performance.now() - started;
console.log(
  `publish of the 1.1.0 model set to the stand-in's S3: ${(publish - judgeOnly).toFixed(0)} ms beyond judging (${publish.toFixed(0)} ms in all, exit ${published.exitCode}); VersionIds ${published.outputs['s3-version-ids']}`,
);
s3.destroy();
await local.stop();
