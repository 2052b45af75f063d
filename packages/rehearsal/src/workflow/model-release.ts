/**
 * What a model release starts from, made on this machine: a clone of the repository where the champion is
 * a tagged commit and the challenger's models are committed and tagged on top, as a team would have it
 * when it pushes `model-vX.Y.Z`; and production running an image released by digest, as main.yml leaves it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PYTHON, REPO_ROOT } from '../paths.js';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Traffic } from '../traffic.js';
import { AWS_CREDENTIALS, type World } from '../world.js';
import { runWorkflow } from './runner.js';
import { standInRunOptions } from './stand-in.js';

export interface ReleaseCheckout {
  /** The clone's root: the working copy the run checks out. */
  readonly root: string;
  /** The version the committed models are (the champion, tagged `model-v<champion>`). */
  readonly champion: string;
  /** The release commit, tagged `model-v<version>`. */
  readonly sha: string;
  remove(): void;
}

function git(cwd: string, ...args: (string | { env: Record<string, string> })[]): string {
  const extra = args.find((a): a is { env: Record<string, string> } => typeof a !== 'string')?.env ?? {};
  return execFileSync(
    'git',
    args.filter((a): a is string => typeof a === 'string'),
    {
      cwd,
      encoding: 'utf8',
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 'svg-ai release rehearsal',
        GIT_AUTHOR_EMAIL: 'rehearsal@svg-ai.invalid',
        GIT_COMMITTER_NAME: 'svg-ai release rehearsal',
        GIT_COMMITTER_EMAIL: 'rehearsal@svg-ai.invalid',
        ...extra,
      },
    },
  ).trim();
}

/** The tree of this checkout's working copy, written with a private copy of its index. */
function workingTree(): string {
  const dir = mkdtempSync(join(tmpdir(), 'svg-ai-index-'));
  try {
    const index = join(dir, 'index');
    const own = git(REPO_ROOT, 'rev-parse', '--path-format=absolute', '--git-path', 'index');
    // Its stat data spares hashing every file again; without one (a fresh clone), read HEAD into it.
    if (existsSync(own)) cpSync(own, index);
    const env = { GIT_INDEX_FILE: index };
    if (!existsSync(own)) git(REPO_ROOT, { env }, 'read-tree', 'HEAD');
    git(REPO_ROOT, { env }, 'add', '--all');
    return git(REPO_ROOT, { env }, 'write-tree');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A clone of this repository in a temporary folder, at its working copy (HEAD and the uncommitted changes,
 * new files included unless git ignores them), tagged as the champion (the version its service/models/manifest.json names), then one commit
 * that puts service/models/<version>/ in place of those models, tagged `model-v<version>`. The clone uses this
 * checkout's installed node_modules.
 */
/** Which model of the set a bad model release spoils (service/scripts/make_bad_model.py --part). */
export type SpoiltPart = 'classifier' | 'predictor';

export const SPOILT: Record<SpoiltPart, string> = {
  classifier: 'its classifier wrong on every image, as confident as before',
  predictor: 'its quality predictor answering 1 - what it should, the classifier untouched',
};

export function releaseCheckout(version: string, options: { readonly spoil?: SpoiltPart } = {}): ReleaseCheckout {
  const candidate = join(REPO_ROOT, 'service', 'models', version);
  if (!existsSync(join(candidate, 'manifest.json')))
    throw new Error(`service/models/${version}/manifest.json is missing: there is no model set ${version} to release`);
  const root = mkdtempSync(join(tmpdir(), 'svg-ai-model-release-'));
  try {
    execFileSync('git', ['clone', '--quiet', '--shared', REPO_ROOT, root]);
    // What is rehearsed is this working copy, as in a push-to-main rehearsal: its files (tracked, and new ones
    // git does not ignore) become a commit of the clone. A private index keeps this checkout's own index,
    // which another git process may hold locked, out of it.
    const tree = workingTree();
    if (tree !== git(root, 'rev-parse', 'HEAD^{tree}')) {
      git(root, 'read-tree', '-u', '--reset', tree);
      git(root, 'commit', '--quiet', '-m', 'the working copy');
    }
    const models = join(root, 'service', 'models');
    const champion = (JSON.parse(readFileSync(join(models, 'manifest.json'), 'utf8')) as { version: string }).version;
    if (champion === version) throw new Error(`the committed models are already ${version}`);
    git(root, 'tag', '--force', `model-v${champion}`);
    if (options.spoil) {
      // A bad model: the same set with one model spoilt (service/scripts/make_bad_model.py).
      const made = spawnSync(
        PYTHON,
        [
          join(REPO_ROOT, 'service', 'scripts', 'make_bad_model.py'),
          '--model-dir',
          `models/${version}`,
          '--out',
          'models',
          '--version',
          version,
          '--part',
          options.spoil,
        ],
        { cwd: join(root, 'service'), encoding: 'utf8' },
      );
      if (made.status !== 0)
        throw new Error(`make_bad_model.py failed: ${(made.stderr || made.error?.message || '').trim().split('\n').at(-1)}`);
    } else {
      for (const file of readdirSync(join(models, version))) cpSync(join(models, version, file), join(models, file));
    }
    git(root, 'rm', '-r', '--quiet', `service/models/${version}`);
    git(root, 'add', 'service/models');
    git(root, 'commit', '--quiet', '-m', `models ${version}${options.spoil ? ` (${SPOILT[options.spoil]})` : ''}`);
    git(root, 'tag', '--force', `model-v${version}`);
    // The install is this checkout's: its node_modules, dated after the clone's lock file so no step reinstalls it.
    const modules = join(REPO_ROOT, 'node_modules');
    symlinkSync(modules, join(root, 'node_modules'), 'dir');
    const installed = statSync(join(modules, '.package-lock.json')).mtime;
    const before = new Date(installed.getTime() - 1000);
    utimesSync(join(root, 'package-lock.json'), before, before);
    return { root, champion, sha: git(root, 'rev-parse', 'HEAD'), remove: () => rmSync(root, { recursive: true, force: true }) };
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Production running an image by digest, as a push to main leaves it: an image pushed to the registry and
 * released to production with deploy.yml in one step. Returns the image reference.
 */
export async function seedProductionByDigest(world: World): Promise<string> {
  const image = await world.pushImage('release-1.0.0');
  // The canary judges the release on client traffic: some for the time it takes.
  const traffic = new Traffic({ url: world.productionUrl, path: '/api/model-status', ratePerSecond: 40 }).start();
  const run = await runWorkflow({
    ...standInRunOptions(world),
    workflow: '.github/workflows/deploy.yml',
    event: {
      name: 'workflow_call',
      ref: 'refs/heads/main',
      sha: '0'.repeat(40),
      inputs: { environment: 'production', image, steps: '100', 'bake-time': '1s' },
    },
  }).finally(() => traffic.stop());
  if (run.outputs['status'] !== 'promoted')
    throw new Error(`releasing ${image} to production first ended ${run.outputs['status'] ?? run.conclusion}`);
  return image;
}

export interface ModelReleaseOutcome {
  /** The version the registry's production alias names, or undefined when it was never promoted. */
  readonly alias: string | undefined;
  /** What production answers on /api/model-status: the version of the models it loaded, and from where. */
  readonly serving: { readonly version: string | undefined; readonly source: string | undefined; readonly status: string | undefined };
}

/** Reads the alias from the registry bucket and asks production which models it loaded. */
export async function modelReleaseOutcome(world: World, bucket: string, model = 'svgai'): Promise<ModelReleaseOutcome> {
  const s3 = new S3Client({
    endpoint: world.local.endpoint,
    region: world.local.region,
    credentials: AWS_CREDENTIALS,
    forcePathStyle: true,
  });
  try {
    const alias = await s3
      .send(new GetObjectCommand({ Bucket: bucket, Key: `${model}/production.json` }))
      .then(async (object) => (JSON.parse((await object.Body?.transformToString()) ?? '{}') as { version?: string }).version)
      .catch((error: { name?: string }) => {
        if (error.name === 'NoSuchKey') return undefined;
        throw error;
      });
    const status = (await fetch(new URL('/api/model-status', world.productionUrl)).then((r) => r.json())) as {
      status?: string;
      source?: string;
      models?: Record<string, { version?: string }>;
      manifest_version?: string;
      model_version?: string;
    };
    return { alias, serving: { version: status.model_version, source: status.source, status: status.status } };
  } finally {
    s3.destroy();
  }
}
