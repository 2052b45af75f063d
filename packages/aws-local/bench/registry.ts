/**
 * build-push benchmark, all on loopback, all figures measured in this one run:
 *   1. the action's own overhead around a real buildah build (everything but the engine): the bundle's
 *      report of its own time, and its wall time minus the engine's, median of N runs;
 *   2. push throughput of `skopeo copy` to the stand-in's ECR registry next to the reference registry
 *      (Debian's docker-registry), the same fresh image to both in each round, order alternating;
 *   3. cold start: from spawning `node dist/index.js` to its first engine call (a recording `buildah`).
 * Run (from packages/aws-local, after building actions/build-push): npx tsx bench/registry.ts [runs] [layer MiB]
 */
import { runActionProcess } from '@svg-ai-release/action-kit/testing';
import { CreateRepositoryCommand, ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startAwsLocal } from '../src/index.js';
import { ociImage, skopeo, startReferenceRegistry, writeOciLayout } from '../__tests__/helpers/registry-tools.js';

const RUNS = Number(process.argv[2] ?? 5);
const LAYER_MIB = Number(process.argv[3] ?? 64);
const bundle = fileURLToPath(new URL('../../../actions/build-push/dist/index.js', import.meta.url));

/** buildah without a daemon: private vfs storage, chroot isolation, its own auth file. */
function buildahEnv(): { env: Record<string, string> } {
  const dir = mkdtempSync(join(tmpdir(), 'bench-buildah-'));
  const storage = join(dir, 'storage.conf');
  writeFileSync(storage, `[storage]\ndriver = "vfs"\ngraphroot = "${join(dir, 'root')}"\nrunroot = "${join(dir, 'run')}"\n`);
  return {
    env: {
      CONTAINERS_STORAGE_CONF: storage,
      BUILDAH_ISOLATION: 'chroot',
      STORAGE_DRIVER: 'vfs',
      REGISTRY_AUTH_FILE: join(dir, 'auth.json'),
    },
  };
}

/** A FROM scratch build context: a few files and a label, so nothing needs pulling. */
function scratchContext(content = 'bench'): { context: string; file: string } {
  const context = mkdtempSync(join(tmpdir(), 'bench-context-'));
  mkdirSync(join(context, 'app'));
  writeFileSync(join(context, 'app', 'data.txt'), content);
  const file = join(context, 'Dockerfile');
  writeFileSync(file, 'FROM scratch\nCOPY app/ /app/\nLABEL org.opencontainers.image.title="bench"\n');
  return { context, file };
}
const run = promisify(execFile);

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const credentials = { AWS_ACCESS_KEY_ID: 'AKIDBENCH', AWS_SECRET_ACCESS_KEY: 'bench' };

const aws = await startAwsLocal({});
const reference = await startReferenceRegistry();
const ecr = new ECRClient({
  region: aws.region,
  endpoint: aws.endpoint,
  credentials: { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench' },
});
try {
  const inputs = (extra: Record<string, string>) => ({
    repository: 'bench',
    'create-repository': 'true',
    builder: 'buildah',
    'aws-region': aws.region,
    'endpoint-url': aws.endpoint,
    'min-free-disk-gb': '0',
    ...extra,
  });

  // 1. Overhead around a real build.
  const own: number[] = [];
  const wallMinusEngine: number[] = [];
  const engine: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const setup = buildahEnv();
    const started = performance.now();
    const result = await runActionProcess(bundle, {
      inputs: inputs({ ...scratchContext(`run ${i}`), 'tag-rules': 'sha', tags: `run-${i}` }),
      env: { ...credentials, ...setup.env, GITHUB_SHA: randomBytes(20).toString('hex') },
      timeoutMs: 300_000,
    });
    const wall = performance.now() - started;
    if (result.exitCode !== 0) throw new Error(`build-push failed:\n${result.stdout}`);
    const metadata = JSON.parse(result.outputs['metadata']!) as { timings: { engineMs: number; totalMs: number } };
    own.push(metadata.timings.totalMs - metadata.timings.engineMs);
    engine.push(metadata.timings.engineMs);
    wallMinusEngine.push(wall - metadata.timings.engineMs);
  }

  // 2. Push throughput, stand-in next to the reference registry.
  const repository = 'throughput';
  await ecr.send(new CreateRepositoryCommand({ repositoryName: repository }));
  const token = await ecr.send(new GetAuthorizationTokenCommand({}));
  const login = { password: Buffer.from(token.authorizationData![0]!.authorizationToken!, 'base64').toString().slice('AWS:'.length) };
  const rates = { standIn: [] as number[], reference: [] as number[] };
  for (let i = 0; i < RUNS; i++) {
    const image = ociImage(`bench-${i}-${randomBytes(4).toString('hex')}`, [LAYER_MIB * 1024 * 1024], true);
    const bytes = image.layers.reduce((sum, layer) => sum + layer.bytes.length, 0) + image.config.bytes.length;
    const layout = await writeOciLayout(image, 'v1');
    const targets = [
      ['reference', ['copy', '--dest-tls-verify=false', `oci:${layout}:v1`, `docker://${reference.host}/${repository}:r${i}`]],
      [
        'standIn',
        [
          'copy',
          '--dest-tls-verify=false',
          '--dest-creds',
          `AWS:${login.password}`,
          `oci:${layout}:v1`,
          `docker://${aws.registry}/${repository}:r${i}`,
        ],
      ],
    ] as const;
    for (const [name, args] of i % 2 === 0 ? targets : [...targets].reverse()) {
      const began = performance.now();
      await skopeo(args);
      rates[name].push(bytes / 1024 / 1024 / ((performance.now() - began) / 1000));
    }
  }

  // 3. Cold start to the first engine call: a `buildah` that notes when it was called and refuses the login.
  const bin = mkdtempSync(join(tmpdir(), 'bench-bin-'));
  const mark = join(bin, 'called-at');
  writeFileSync(join(bin, 'buildah'), `#!/bin/sh\ndate +%s%3N > ${mark}\nexit 1\n`);
  chmodSync(join(bin, 'buildah'), 0o755);
  const cold: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const { context, file } = scratchContext();
    const spawnedAt = Date.now();
    await runActionProcess(bundle, {
      inputs: inputs({ context, file, tags: 'cold' }),
      env: { ...credentials, PATH: [bin, dirname(process.execPath), process.env['PATH'] ?? ''].join(delimiter) },
    });
    cold.push(Number(readFileSync(mark, 'utf8').trim()) - spawnedAt);
  }
  const { stdout: buildahVersion } = await run('buildah', ['--version']);

  console.log(`build-push benchmark (${RUNS} runs each; ${buildahVersion.trim()}; node ${process.version})`);
  console.log(
    `  1. overhead around a build: action's own time median ${median(own).toFixed(0)} ms; process wall time minus engine time median ${median(wallMinusEngine).toFixed(0)} ms; engine (login+build+push) median ${median(engine).toFixed(0)} ms`,
  );
  console.log(
    `  2. push throughput, one ${LAYER_MIB} MiB random layer with skopeo copy: stand-in ECR median ${median(rates.standIn).toFixed(0)} MiB/s, ` +
      `reference registry median ${median(rates.reference).toFixed(0)} MiB/s (ratio ${(median(rates.standIn) / median(rates.reference)).toFixed(2)})`,
  );
  console.log(
    `  3. cold start of dist/index.js to its first engine call (incl. STS, ECR token, repository lookup on loopback): median ${median(cold).toFixed(0)} ms`,
  );
} finally {
  ecr.destroy();
  await reference.stop();
  await aws.stop();
}
