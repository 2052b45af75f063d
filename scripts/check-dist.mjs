#!/usr/bin/env node
// check-dist: every committed actions/*/dist must be exactly what the sources build to, and must
// run. For each action it rebuilds the bundle into a temporary folder and compares it file by
// file with dist/, then runs dist/index.js as the runner does (no inputs, a GITHUB_OUTPUT file)
// on this Node and on the Node 24 runtime the runner uses, expecting the action's prefixed error
// naming a missing input and exit code 1. A bundle that cannot start (e.g. a CommonJS/ESM mix-up
// that ncc accepts silently) fails here instead of in a user's workflow.
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { actionDirs, bin, capture, root } from './lib/actions.mjs';
import { node24 } from './lib/node24.mjs';

const NODE24 = node24();
const update = process.argv.includes('--update');

function listFiles(dir, base = dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? listFiles(path, base) : [relative(base, path)];
  });
}

function buildInto(action, outDir) {
  const result = capture(bin('ncc'), ['build', 'src/index.ts', '-o', outDir, '--license', 'licenses.txt', '--quiet'], { cwd: action.dir });
  if (result.status !== 0) throw new Error(`ncc failed for ${action.name}:\n${result.stdout}${result.stderr}`);
}

function compare(action, freshDir) {
  const distDir = join(action.dir, 'dist');
  const fresh = listFiles(freshDir).sort();
  const committed = listFiles(distDir).sort();
  const problems = [];
  for (const file of fresh) {
    if (!committed.includes(file)) problems.push(`dist/${file} is missing`);
    else if (!readFileSync(join(freshDir, file)).equals(readFileSync(join(distDir, file))))
      problems.push(`dist/${file} differs from a fresh build`);
  }
  for (const file of committed) if (!fresh.includes(file)) problems.push(`dist/${file} is not produced by a fresh build`);
  return problems;
}

function smoke(action, node) {
  const dir = mkdtempSync(join(tmpdir(), 'check-dist-'));
  try {
    const env = {
      PATH: process.env.PATH ?? '',
      GITHUB_OUTPUT: join(dir, 'output'),
      GITHUB_STATE: join(dir, 'state'),
      GITHUB_STEP_SUMMARY: join(dir, 'summary'),
    };
    // The runner creates the command files before a step starts; the toolkit refuses to write to missing ones.
    for (const file of [env.GITHUB_OUTPUT, env.GITHUB_STATE, env.GITHUB_STEP_SUMMARY]) writeFileSync(file, '');
    const result = capture(node, [join(action.dir, 'dist', 'index.js')], { env, timeout: 30_000 });
    const expected = new RegExp(`^::error::${action.name}: input '[a-z0-9-]+': is required but was not given$`, 'm');
    if (result.status !== 1 || !expected.test(result.stdout)) {
      return [
        `dist/index.js on ${node === process.execPath ? `node ${process.versions.node}` : 'node 24'}: expected exit 1 and "::error::${action.name}: input '…': is required", got exit ${result.status}:\n${result.stdout}${result.stderr}`,
      ];
    }
    return [];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

let failed = 0;
for (const action of actionDirs()) {
  const freshDir = mkdtempSync(join(tmpdir(), `dist-${action.name}-`));
  try {
    if (update) buildInto(action, join(action.dir, 'dist'));
    buildInto(action, freshDir);
    const problems = compare(action, freshDir);
    if (problems.length === 0) {
      problems.push(...smoke(action, process.execPath));
      if (NODE24) problems.push(...smoke(action, NODE24));
      else console.log(`  (no Node 24 runtime for ${process.platform}-${process.arch}: checked on node ${process.versions.node} only)`);
    } else {
      problems.push(`rebuild with: npm run build -w actions/${action.name} (or npm run check-dist -- --update) and commit dist/`);
    }
    const size = (readFileSync(join(action.dir, 'dist', 'index.js')).length / 1024).toFixed(0);
    if (problems.length > 0) {
      failed++;
      console.log(`✗ ${action.name}\n  ${problems.join('\n  ')}`);
    } else {
      console.log(
        `✓ ${action.name}: dist matches its sources (${size} KiB) and fails cleanly without inputs on node ${process.versions.node} and node 24`,
      );
    }
  } finally {
    rmSync(freshDir, { recursive: true, force: true });
  }
}
if (failed > 0) {
  console.log(`check-dist: ${failed} action(s) failed`);
  process.exit(1);
}
