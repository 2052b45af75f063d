#!/usr/bin/env node
// Installs what the two README commands need when it is missing, so both work on a fresh
// Debian machine with Node: the npm workspaces (npm ci) and the Debian packages of the service
// and of the checks (listed in service/requirements-debian.txt and below). Plain Node, no
// dependencies: it runs before anything is installed.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureVenv, servicePython } from './lib/service-venv.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PYTHON = '/usr/bin/python3';
/** Debian packages the repository tooling itself needs, besides the service's own list. */
const TOOLING_PACKAGES = ['shellcheck', 'chromium', 'buildah', 'skopeo', 'docker-registry'];
// The model-release workflow reads the image production runs with the AWS CLI and jq (both on GitHub's
// runners); its rehearsal runs those steps here.
TOOLING_PACKAGES.push('awscli', 'jq');

function run(command, args, options = {}) {
  console.log(`$ ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: root, ...options });
  if (result.status !== 0) {
    console.error(`ensure-deps: '${command} ${args.join(' ')}' failed with exit code ${result.status}`);
    process.exit(result.status ?? 1);
  }
}

function npmInstallNeeded() {
  const marker = join(root, 'node_modules', '.package-lock.json');
  if (!existsSync(marker)) return true;
  return statSync(join(root, 'package-lock.json')).mtimeMs > statSync(marker).mtimeMs;
}

function debianPackagesWanted() {
  const listFile = join(root, 'service', 'requirements-debian.txt');
  const fromService = existsSync(listFile)
    ? readFileSync(listFile, 'utf8')
        .split('\n')
        .map((line) => line.replace(/#.*/, '').trim())
        .filter(Boolean)
    : [];
  return [...new Set([...fromService, ...TOOLING_PACKAGES])];
}

function missingDebianPackages(packages) {
  if (!existsSync('/usr/bin/dpkg-query')) return packages;
  return packages.filter((name) => {
    const result = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
    return result.status !== 0 || !result.stdout.includes('install ok installed');
  });
}

if (npmInstallNeeded()) run('npm', ['ci', '--no-audit', '--no-fund']);

const missing = missingDebianPackages(debianPackagesWanted());
if (missing.length > 0) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !existsSync('/usr/bin/apt-get')) {
    const advice = `install them with: sudo apt-get install -y --no-install-recommends ${missing.join(' ')}`;
    // The rehearsal can do without them (it falls back to the release test app and says so); the tests cannot.
    if (process.argv.includes('--debian=optional')) {
      console.warn(`ensure-deps: missing Debian packages, going on without them: ${missing.join(' ')}\n${advice}`);
    } else {
      console.error(`ensure-deps: missing Debian packages: ${missing.join(' ')}\n${advice}`);
      process.exit(1);
    }
  } else {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    run('apt-get', ['update', '-qq'], { env });
    run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env });
  }
}

// The service's Python: a venv with the production image's pins (scripts/lib/service-venv.mjs).
if (existsSync(PYTHON) && !process.env.SVGAI_PYTHON) {
  const failed = ensureVenv();
  if (failed && process.argv.includes('--debian=optional')) console.warn(`ensure-deps: no service venv, going on without it: ${failed}`);
  else if (failed) {
    console.error(`ensure-deps: building the service venv failed: ${failed}`);
    process.exit(1);
  } else console.log(`ensure-deps: service python ${servicePython()}`);
}

if (existsSync(PYTHON)) {
  const version = execFileSync(PYTHON, ['-c', 'import sys; print(".".join(map(str, sys.version_info[:2])))'], { encoding: 'utf8' }).trim();
  console.log(`ensure-deps: node ${process.versions.node}, ${PYTHON} ${version}, npm workspaces installed`);
}

// The IaC scanners (cfn-lint, checkov) for infra/'s synthesised templates, from PyPI into their own venv,
// cached by a hash of the pins: new pins build a new venv, the same pins reuse it. `.complete` marks a
// finished install, so an interrupted one is rebuilt rather than half-used.
const iacPins = join(root, 'infra', 'requirements-iac.txt');
if (existsSync(iacPins)) {
  const { createHash } = await import('node:crypto');
  const { homedir } = await import('node:os');
  const { rmSync, writeFileSync } = await import('node:fs');
  const hash = createHash('sha256').update(readFileSync(iacPins)).digest('hex').slice(0, 12);
  const venv = join(homedir(), '.cache', 'svg-ai-release', `iac-tools-${hash}`);
  if (!existsSync(join(venv, '.complete'))) {
    const python = existsSync(PYTHON) ? PYTHON : 'python3';
    // Debian splits venv (and the pip it bootstraps) into python3-venv.
    if (spawnSync(python, ['-c', 'import ensurepip, venv']).status !== 0) {
      if (typeof process.getuid !== 'function' || process.getuid() !== 0 || !existsSync('/usr/bin/apt-get')) {
        console.error(
          'ensure-deps: the IaC scanners need python3-venv; install it with: sudo apt-get install -y --no-install-recommends python3-venv',
        );
        process.exit(1);
      }
      run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'python3-venv'], {
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      });
    }
    rmSync(venv, { recursive: true, force: true });
    run(python, ['-m', 'venv', venv]);
    run(join(venv, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', '-r', iacPins]);
    writeFileSync(join(venv, '.complete'), `${readFileSync(iacPins, 'utf8')}`);
  }
  console.log(`ensure-deps: cfn-lint and checkov in ${venv}`);
}
