/**
 * The first two stages of a release on the stand-in: the build-push bundle builds a real image with buildah
 * (a FROM scratch image with files and labels), pushes it to the stand-in's ECR over the registry protocol,
 * and outputs it pinned by digest; the canary bundle then deploys exactly that digest, with client traffic.
 */
import { describe, expect, it } from '@jest/globals';
import { DescribeImagesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
import { runActionProcess } from '@svg-ai-release/action-kit/testing';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AWS_CREDENTIALS, CANDIDATE_MODEL_VERSION, Traffic, release, startWorld, waitUntilServing } from '../src/index.js';
import { REPO_ROOT } from '../src/paths.js';

const BUILD_PUSH = join(REPO_ROOT, 'actions', 'build-push', 'dist', 'index.js');
const SHA = '9a8b7c6d5e4f30211a2b3c4d5e6f708192a3b4c5';

/** buildah without a daemon: private vfs storage, chroot isolation, its own auth file. */
function buildahEnv(): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'rehearsal-buildah-'));
  const storage = join(dir, 'storage.conf');
  writeFileSync(storage, `[storage]\ndriver = "vfs"\ngraphroot = "${join(dir, 'root')}"\nrunroot = "${join(dir, 'run')}"\n`);
  return {
    CONTAINERS_STORAGE_CONF: storage,
    BUILDAH_ISOLATION: 'chroot',
    STORAGE_DRIVER: 'vfs',
    REGISTRY_AUTH_FILE: join(dir, 'auth.json'),
  };
}

function scratchContext(): { context: string; file: string } {
  const context = mkdtempSync(join(tmpdir(), 'rehearsal-context-'));
  mkdirSync(join(context, 'app'));
  writeFileSync(join(context, 'app', 'VERSION'), '1.1.0\n');
  const file = join(context, 'Dockerfile');
  writeFileSync(file, 'FROM scratch\nCOPY app/ /app/\nLABEL org.opencontainers.image.title="svg-ai"\n');
  return { context, file };
}

describe('build-push then canary on the stand-in', () => {
  it('deploys by digest the image build-push built and pushed', async () => {
    const world = await startWorld({ app: 'release-app', fast: true });
    const config = { endpoint: world.local.endpoint, region: world.local.region, credentials: AWS_CREDENTIALS };
    const ecr = new ECRClient(config);
    const ecs = new ECSClient(config);
    try {
      await waitUntilServing(world.productionUrl, 30_000);
      const built = await runActionProcess(BUILD_PUSH, {
        inputs: {
          repository: 'svg-ai',
          builder: 'buildah',
          ...scratchContext(),
          'tag-rules': 'sha,model',
          'model-version': CANDIDATE_MODEL_VERSION,
          'min-free-disk-gb': '0',
          'aws-region': world.local.region,
          'endpoint-url': world.local.endpoint,
        },
        env: {
          ...buildahEnv(),
          AWS_ACCESS_KEY_ID: AWS_CREDENTIALS.accessKeyId,
          AWS_SECRET_ACCESS_KEY: AWS_CREDENTIALS.secretAccessKey,
          GITHUB_SHA: SHA,
          GITHUB_REF: 'refs/heads/main',
        },
        timeoutMs: 180_000,
      });
      expect(built.exitCode).toBe(0);
      const { imageDetails } = await ecr.send(
        new DescribeImagesCommand({ repositoryName: 'svg-ai', imageIds: [{ imageTag: 'sha-9a8b7c6' }] }),
      );
      expect(built.outputs['digest']).toBe(imageDetails?.[0]?.imageDigest);
      expect(imageDetails?.[0]?.imageTags?.sort()).toEqual(['model-1.1.0', 'sha-9a8b7c6']);
      const image = built.outputs['image']!;
      expect(image).toBe(`${world.local.registry}/svg-ai@${built.outputs['digest']}`);

      const traffic = new Traffic({ url: world.productionUrl, path: '/api/model-status', ratePerSecond: 40 }).start();
      const deployed = await release(world, { strategy: 'canary', image, inputs: { 'model-version': CANDIDATE_MODEL_VERSION } });
      const samples = await traffic.stop();
      expect(deployed.main.exitCode).toBe(0);
      expect(deployed.record?.status).toBe('promoted');
      expect(await world.productionWeights()).toEqual({ blue: 0, green: 100 });
      expect(samples.filter((sample) => sample.status !== 200)).toEqual([]);
      expect(samples.some((sample) => sample.release === CANDIDATE_MODEL_VERSION)).toBe(true);

      // What serves production now is the green service's task definition, and it names the digest build-push output.
      const { services } = await ecs.send(
        new DescribeServicesCommand({ cluster: world.arns.cluster, services: [world.arns.greenService] }),
      );
      const { taskDefinition } = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: services?.[0]?.taskDefinition }));
      expect(taskDefinition?.containerDefinitions?.map((container) => container.image)).toContain(image);
      expect(world.local.admin.state().tasks.filter((task) => task.lastStatus === 'RUNNING').length).toBeGreaterThan(0);
    } finally {
      ecr.destroy();
      ecs.destroy();
      await world.stop();
    }
  }, 300_000);
});
