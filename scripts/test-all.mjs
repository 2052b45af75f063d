#!/usr/bin/env node
// The README's test command: every check and every test suite of the repository, in order,
// continuing past failures so one run shows everything, then one closing line totalling them:
//   N passed, N failed[, N skipped]
// Each check (bundle drift, docs, workflow validation, typecheck, lint, format) counts as one test;
// jest suites are counted from their JSON reports and pytest from its JUnit XML, since turbo
// prefixes every line and the runners' own summaries cannot be read back reliably.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { root } from './lib/actions.mjs';
import { globSync } from './lib/glob.mjs';
import { servicePython } from './lib/service-venv.mjs';

const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];

function step(name, command, args, options = {}) {
  console.log(`\n▶ ${name}: ${command} ${args.join(' ')}`);
  // Every suite that runs the service's Python takes it from SVGAI_PYTHON: the venv with the image's pins.
  process.env.SVGAI_PYTHON = servicePython();

  const started = Date.now();
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: root, ...options });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const ok = result.status === 0;
  console.log(`${ok ? '✓' : '✗'} ${name} (${seconds} s)`);
  if (!ok) failures.push(name);
  return ok;
}

function check(name, command, args, options) {
  if (step(name, command, args, options)) totals.passed++;
  else totals.failed++;
}

const turbo = join(root, 'node_modules', '.bin', 'turbo');
const tsx = join(root, 'node_modules', '.bin', 'tsx');

for (const stale of globSync(root, ['packages/*/reports', 'actions/*/reports', 'infra/reports', 'service/reports']))
  rmSync(stale, { recursive: true, force: true });

const started = Date.now();
const built = step('build packages', turbo, ['run', 'build', '--filter=./packages/*', '--output-logs=errors-only']);
if (!built) totals.failed++;
check('check-dist', process.execPath, ['scripts/check-dist.mjs']);
check('docs', process.execPath, ['scripts/docs.mjs', '--check']);
check('validate-workflows', tsx, ['scripts/validate-workflows.ts']);
check('validate-workflows fixtures', tsx, ['--test', 'scripts/validate-workflows.test.ts']);
check('typecheck', turbo, ['run', 'typecheck', '--continue', '--output-logs=errors-only']);
check('lint', turbo, ['run', 'lint', '--continue', '--output-logs=errors-only']);
check('format', join(root, 'node_modules', '.bin', 'prettier'), ['--check', '--log-level=warn', '.']);
step('jest suites', turbo, ['run', 'test', '--continue', '--concurrency=1']);
check('iac scan (cfn-lint, checkov)', tsx, ['infra/scripts/scan.ts']);

for (const report of globSync(root, ['packages/*/reports/jest.json', 'actions/*/reports/jest.json', 'infra/reports/jest.json'])) {
  const data = JSON.parse(readFileSync(report, 'utf8'));
  totals.passed += data.numPassedTests;
  totals.failed += data.numFailedTests;
  totals.skipped += data.numPendingTests + (data.numTodoTests ?? 0);
  // A suite that failed to load reports no failed test: count it, or a broken file would pass.
  const broken = data.testResults.filter((suite) => suite.status === 'failed' && suite.assertionResults.length === 0);
  totals.failed += broken.length;
  console.log(
    `  ${relative(root, report)}: ${data.numPassedTests} passed, ${data.numFailedTests + broken.length} failed, ${data.numPendingTests} skipped`,
  );
}

if (existsSync(join(root, 'service', 'tests'))) {
  const junit = join(root, 'service', 'reports', 'pytest.xml');
  step('service tests', process.env.SVGAI_PYTHON, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', 'tests', `--junitxml=${junit}`], {
    cwd: join(root, 'service'),
  });
  if (existsSync(junit)) {
    const xml = readFileSync(junit, 'utf8');
    const suite = /<testsuite\b[^>]*>/.exec(xml)?.[0] ?? '';
    const count = (attribute) => Number(new RegExp(`\\b${attribute}="(\\d+)"`).exec(suite)?.[1] ?? 0);
    const failed = count('failures') + count('errors');
    totals.passed += count('tests') - failed - count('skipped');
    totals.failed += failed;
    totals.skipped += count('skipped');
    console.log(
      `  service/reports/pytest.xml: ${count('tests') - failed - count('skipped')} passed, ${failed} failed, ${count('skipped')} skipped`,
    );
  } else {
    totals.failed++;
    failures.push('service tests wrote no report');
  }
}

console.log(`\nwall time ${((Date.now() - started) / 1000).toFixed(0)} s${failures.length ? `; failed: ${failures.join(', ')}` : ''}`);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 || failures.length > 0 ? 1 : 0);
