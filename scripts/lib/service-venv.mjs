// The service's Python: a virtual environment built from the production image's pins
// (service/requirements-docker.txt, the one source of truth for the versions) plus the test tools
// (service/requirements-test.txt). Cached per machine under ~/.cache/svg-ai-release/venv-<hash>,
// keyed by a hash of the pins and the base interpreter's version, so a changed pin builds a new
// one and a fresh machine builds it once. Plain Node, no dependencies.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { root } from './actions.mjs';

export const BASE_PYTHON = '/usr/bin/python3';
const DOCKER_PINS = join(root, 'service', 'requirements-docker.txt');
const TEST_PINS = join(root, 'service', 'requirements-test.txt');

/**
 * The image's pins as pip requirements for this machine: the PyTorch CPU index is only reachable
 * from the image build, so its `--extra-index-url` line goes and `torch==X+cpu` becomes `torch==X`
 * (the PyPI wheel, the same torch with CUDA libraries that stay unused on CPU).
 */
export function venvRequirements() {
  const docker = readFileSync(DOCKER_PINS, 'utf8')
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter((line) => line && !line.startsWith('--extra-index-url') && !line.startsWith('--index-url'))
    .map((line) => line.replace(/\+cpu\b/, ''));
  const test = existsSync(TEST_PINS)
    ? readFileSync(TEST_PINS, 'utf8')
        .split('\n')
        .map((line) => line.replace(/#.*/, '').trim())
        .filter(Boolean)
    : [];
  return [...docker, ...test].join('\n') + '\n';
}

function baseVersion() {
  const result = spawnSync(BASE_PYTHON, ['-c', 'import sys; print(sys.version.split()[0])'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : 'unknown';
}

/** Where the venv for the current pins lives ($SVGAI_VENV_CACHE overrides the cache folder). */
export function venvDir() {
  const hash = createHash('sha256').update(`${baseVersion()}\n${venvRequirements()}`).digest('hex').slice(0, 16);
  const cache = process.env.SVGAI_VENV_CACHE || join(homedir(), '.cache', 'svg-ai-release');
  return join(cache, `venv-${hash}`);
}

/** The interpreter to run the service with: $SVGAI_PYTHON when set, else the pinned venv's python. */
export function servicePython() {
  if (process.env.SVGAI_PYTHON) return process.env.SVGAI_PYTHON;
  return join(venvDir(), 'bin', 'python');
}

/** True when the venv for the current pins is complete (its marker is written last). */
export function venvReady() {
  return existsSync(join(venvDir(), '.complete'));
}

/**
 * Build the venv for the current pins when missing. Builds into a temporary folder and renames it
 * into place only when pip succeeded, so an interrupted build never passes for a ready one.
 * Returns null on success, else the reason.
 */
export function ensureVenv(log = console.log) {
  const dir = venvDir();
  if (existsSync(join(dir, '.complete'))) return null;
  const building = `${dir}.building-${process.pid}`;
  mkdirSync(join(dir, '..'), { recursive: true });
  rmSync(building, { recursive: true, force: true });
  const steps = [
    [BASE_PYTHON, ['-m', 'venv', building]],
    [join(building, 'bin', 'python'), ['-m', 'pip', 'install', '-q', '--disable-pip-version-check', '-r', join(building, 'requirements.txt')]],
  ];
  for (const [index, [command, args]] of steps.entries()) {
    if (index === 1) writeFileSync(join(building, 'requirements.txt'), venvRequirements());
    log(`$ ${command} ${args.join(' ')}`);
    const result = spawnSync(command, args, { stdio: 'inherit' });
    if (result.status !== 0) {
      rmSync(building, { recursive: true, force: true });
      return `'${command} ${args.join(' ')}' failed with exit code ${result.status}`;
    }
  }
  writeFileSync(join(building, '.complete'), venvRequirements());
  rmSync(dir, { recursive: true, force: true });
  renameSync(building, dir);
  return null;
}
