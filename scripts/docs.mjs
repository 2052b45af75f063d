#!/usr/bin/env node
// docs: each action's README carries its input and output tables, generated from action.yml
// (the contract) between marker comments. `node scripts/docs.mjs` rewrites them; with --check it
// changes nothing and fails when a README drifted or an input/output has no description;
// --action NAME limits it to one action (each action's `docs` task in turbo).
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { actionDirs, root } from './lib/actions.mjs';

const check = process.argv.includes('--check');
const onlyIndex = process.argv.indexOf('--action');
const only = onlyIndex > 0 ? process.argv[onlyIndex + 1] : undefined;

const cell = (text) =>
  String(text ?? '')
    .replace(/\s*\n\s*/g, ' ')
    .replace(/\|/g, '\\|')
    .trim();

export function inputsTable(inputs) {
  const rows = Object.entries(inputs ?? {}).map(([name, spec]) => {
    const fallback = spec.default === undefined ? '' : `\`${cell(spec.default)}\``;
    return `| \`${name}\` | ${spec.required ? 'yes' : 'no'} | ${fallback} | ${cell(spec.description)} |`;
  });
  return ['| Input | Required | Default | Description |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

export function outputsTable(outputs) {
  const rows = Object.entries(outputs ?? {}).map(([name, spec]) => `| \`${name}\` | ${cell(spec.description)} |`);
  return ['| Output | Description |', '| --- | --- |', ...rows].join('\n');
}

function replaceBetween(text, marker, body, file) {
  const start = `<!-- ${marker}:start -->`;
  const end = `<!-- ${marker}:end -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`${file}: markers ${start} … ${end} are missing`);
  return `${text.slice(0, from + start.length)}\n${body}\n${text.slice(to)}`;
}

/** The IAM actions the rollout adapters call, read from packages/aws/src/api-actions.ts (the list a test keeps honest). */
function iamPolicy() {
  const source = readFileSync(join(root, 'packages', 'aws', 'src', 'api-actions.ts'), 'utf8');
  const list = (name) => [...(new RegExp(`${name} = \\[([^\\]]*)\\]`).exec(source)?.[1] ?? '').matchAll(/'([^']+)'/g)].map((m) => m[1]);
  const actions = [...list('AWS_API_ACTIONS'), ...list('AWS_EXTRA_PERMISSIONS')];
  const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }] };
  return ['```json', JSON.stringify(policy, null, 2), '```'].join('\n');
}

let problems = 0;
for (const action of actionDirs().filter((a) => only === undefined || a.name === only)) {
  const metadata = parse(readFileSync(join(action.dir, 'action.yml'), 'utf8'));
  const readmePath = join(action.dir, 'README.md');
  const shown = relative(root, readmePath);
  for (const kind of ['inputs', 'outputs']) {
    for (const [name, spec] of Object.entries(metadata[kind] ?? {})) {
      if (!spec || typeof spec.description !== 'string' || spec.description.trim() === '') {
        problems++;
        console.log(`✗ ${action.name}/action.yml: ${kind.slice(0, -1)} '${name}' has no description`);
      }
    }
  }
  if (!existsSync(readmePath)) {
    problems++;
    console.log(`✗ ${shown} is missing`);
    continue;
  }
  const current = readFileSync(readmePath, 'utf8');
  let next;
  try {
    next = replaceBetween(
      replaceBetween(current, 'inputs', inputsTable(metadata.inputs), shown),
      'outputs',
      outputsTable(metadata.outputs),
      shown,
    );
    if (next.includes('<!-- iam:start -->')) next = replaceBetween(next, 'iam', iamPolicy(), shown);
  } catch (error) {
    problems++;
    console.log(`✗ ${error.message}`);
    continue;
  }
  if (next === current) console.log(`✓ ${shown} is up to date`);
  else if (check) {
    problems++;
    console.log(`✗ ${shown} differs from action.yml; run: npm run docs`);
  } else {
    writeFileSync(readmePath, next);
    console.log(`✎ ${shown} regenerated`);
  }
}
if (problems > 0) process.exit(1);
