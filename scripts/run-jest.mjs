#!/usr/bin/env node
// Runs jest for the workspace in the current directory, in ESM mode, writing a JSON report to
// reports/jest.json so the whole-repo test command can total passed/failed across suites
// (turbo prefixes every line, so jest's own summary cannot be read back reliably).
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const jestBin = join(dirname(require.resolve('jest/package.json')), 'bin', 'jest.js');
mkdirSync('reports', { recursive: true });
const nodeOptions = [process.env.NODE_OPTIONS ?? '', '--experimental-vm-modules', '--no-warnings=ExperimentalWarning'].join(' ').trim();
const result = spawnSync(process.execPath, [jestBin, '--json', `--outputFile=${join('reports', 'jest.json')}`, ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, NODE_OPTIONS: nodeOptions },
});
process.exit(result.status ?? 1);
