// Synthesises the example deployments and runs AWS's linter cfn-lint and the IaC scanner checkov on
// every template (the root `npm test` runs this; scripts/ensure-deps.mjs installs both). Waivers live in
// the templates (Metadata.checkov.skip, next to their resource) and in infra/.cfnlintrc.yaml, with reasons.
//   tsx infra/scripts/scan.ts [--keep]    (--keep leaves the templates in infra/lib/cdk.out/)
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from '../src/app.js';
import { EXAMPLES } from '../src/examples.js';

const infra = join(dirname(fileURLToPath(import.meta.url)), '..');
const pins = join(infra, 'requirements-iac.txt');
/** The same location scripts/ensure-deps.mjs installs to: keyed by the pins, so new pins mean a new venv. */
const venv = join(
  homedir(),
  '.cache',
  'svg-ai-release',
  `iac-tools-${createHash('sha256').update(readFileSync(pins)).digest('hex').slice(0, 12)}`,
);
const tool = (name: string) => join(venv, 'bin', name);

if (!existsSync(join(venv, '.complete'))) {
  console.error(`scan: cfn-lint and checkov are not installed in ${venv}; run: node scripts/ensure-deps.mjs`);
  process.exit(1);
}

// Under lib/, which git, eslint and prettier already leave alone (cdk.json's output is there too).
const out = join(infra, 'lib', 'cdk.out');
rmSync(out, { recursive: true, force: true });
const failures: string[] = [];
for (const [name, context] of Object.entries(EXAMPLES)) {
  const outdir = join(out, name);
  buildApp(context, { outdir }).app.synth();
  const templates = readdirSync(outdir)
    .filter((file) => file.endsWith('.template.json'))
    .map((file) => join(outdir, file));
  console.log(`\n${name}: ${templates.length} templates`);

  const lint = spawnSync(tool('cfn-lint'), ['--config-file', join(infra, '.cfnlintrc.yaml'), '--', ...templates], { encoding: 'utf8' });
  process.stdout.write(lint.stdout + lint.stderr);
  console.log(`cfn-lint (${name}): ${lint.status === 0 ? 'clean' : `exit ${lint.status}`}`);
  if (lint.status !== 0) failures.push(`cfn-lint on ${name}`);

  const scan = spawnSync(
    tool('checkov'),
    [
      '--directory',
      outdir,
      '--framework',
      'cloudformation',
      '--config-file',
      join(infra, '.checkov.yaml'),
      '--compact',
      '--quiet',
      '--skip-download',
    ],
    // Offline: no guideline download, no platform mapping.
    { encoding: 'utf8', env: { ...process.env, BC_SKIP_MAPPING: 'TRUE', CHECKOV_NO_OUTPUT_COLOR: '1' } },
  );
  process.stdout.write(scan.stdout + scan.stderr);
  console.log(`checkov (${name}): ${scan.status === 0 ? 'clean' : `exit ${scan.status}`}`);
  if (scan.status !== 0) failures.push(`checkov on ${name}`);
}
if (!process.argv.includes('--keep')) rmSync(out, { recursive: true, force: true });
if (failures.length > 0) {
  console.error(
    `\nscan: findings in ${failures.join(', ')}; fix them, or waive each next to its resource with the reason (see infra/README.md)`,
  );
  process.exit(1);
}
console.log('\nscan: cfn-lint and checkov clean on every template');
