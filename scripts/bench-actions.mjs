#!/usr/bin/env node
// Bundle size and cold start of every action's dist/index.js, against a bare Node start measured in
// the same run: median time from spawn to the first byte of output (the runner shows nothing
// before it) and to exit, for the machine's Node and for the runner's Node 24.
//   node scripts/bench-actions.mjs [--runs 15]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { actionDirs } from './lib/actions.mjs';
import { node24 } from './lib/node24.mjs';

const runsIndex = process.argv.indexOf('--runs');
const RUNS = runsIndex > 0 ? Number(process.argv[runsIndex + 1]) : 15;

function once(node, args, env) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let first;
    const child = spawn(node, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const mark = () => (first ??= performance.now() - started);
    child.stdout.on('data', mark);
    child.stderr.on('data', mark);
    child.on('error', reject);
    child.on('close', () => resolve({ first: first ?? NaN, total: performance.now() - started }));
  });
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

async function measure(node, args, env) {
  await once(node, args, env); // warm the file cache; not counted
  const samples = [];
  for (let i = 0; i < RUNS; i++) samples.push(await once(node, args, env));
  return { first: median(samples.map((s) => s.first)), total: median(samples.map((s) => s.total)) };
}

const dir = mkdtempSync(join(tmpdir(), 'bench-actions-'));
const output = join(dir, 'output');
writeFileSync(output, '');
const env = { PATH: process.env.PATH ?? '', GITHUB_OUTPUT: output };
const nodes = [[`node ${process.versions.node}`, process.execPath]];
const n24 = node24();
if (n24) nodes.push(['node 24', n24]);

console.log(`cold start, median of ${RUNS} runs (no inputs: each action validates and fails with its prefixed error)\n`);
console.log('runtime      | target                  | bundle KiB | first output ms | exit ms | vs bare node (exit)');
console.log('------------ | ----------------------- | ---------- | --------------- | ------- | -------------------');
for (const [label, node] of nodes) {
  const bare = await measure(node, ['-e', 'console.log(0)'], env);
  console.log(
    `${label.padEnd(12)} | ${'bare node -e'.padEnd(23)} | ${'–'.padStart(10)} | ${bare.first.toFixed(1).padStart(15)} | ${bare.total.toFixed(1).padStart(7)} | 1.00×`,
  );
  for (const action of actionDirs()) {
    const bundle = join(action.dir, 'dist', 'index.js');
    const result = await measure(node, [bundle], env);
    const size = (statSync(bundle).size / 1024).toFixed(0);
    console.log(
      `${label.padEnd(12)} | ${action.name.padEnd(23)} | ${size.padStart(10)} | ${result.first.toFixed(1).padStart(15)} | ${result.total.toFixed(1).padStart(7)} | ${(result.total / bare.total).toFixed(2)}×`,
    );
  }
}
rmSync(dir, { recursive: true, force: true });
