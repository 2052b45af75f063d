#!/usr/bin/env node
// The README's first command: a rehearsed release on the local stand-in of AWS. Builds what the
// rehearsal runs (the packages and the action bundles it executes), then hands over to
// packages/rehearsal with the command-line flags (--strategy, --fault, --app, --rate).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { root } from './lib/actions.mjs';
import { node24 } from './lib/node24.mjs';
import { servicePython, venvReady } from './lib/service-venv.mjs';

const turbo = join(root, 'node_modules', '.bin', 'turbo');
const build = spawnSync(turbo, ['run', 'build', '--output-logs=errors-only'], { stdio: 'inherit', cwd: root });
if (build.status !== 0) process.exit(build.status ?? 1);
// The actions run on the runner's Node 24, as in a workflow, when this platform has it.
node24();
const cli = join(root, 'packages', 'rehearsal', 'lib', 'cli.js');
// tsx: GitHub's workflow parser (the --workflow mode) imports JSON, which Node 20 only does with an import attribute.
const run = spawnSync(process.execPath, ['--import', 'tsx', cli, ...process.argv.slice(2)], {
  stdio: 'inherit',
  cwd: root,
  // The SDK warns on every client that Node 20 support ends soon; it is noise in a rehearsal.
  env: { ...process.env, NODE_NO_WARNINGS: '1', ...(process.env.SVGAI_PYTHON || !venvReady() ? {} : { SVGAI_PYTHON: servicePython() }) },
});
process.exit(run.status ?? 1);
