#!/usr/bin/env node
/**
 * `npm run rehearse`: a whole release on the local stand-in of AWS, with real traffic. `--help` lists
 * every flag; a bad flag or value is one line and exit code 2.
 */
import { parseArgs } from 'node:util';
import { renderTextReport } from '@svg-ai-release/rollout';
import { chooseApp } from './app-choice.js';
import { renderLogLine } from './log-lines.js';
import { runScenario, TRAFFIC_PATH, type Fault } from './scenario.js';
import type { Strategy } from './release.js';
import { MAIN_FAULTS, MODEL_FAULTS, WORKFLOW_FAULTS, type WorkflowFault } from './workflow/faults.js';
import { WORKFLOWS, type WorkflowName } from './workflow/names.js';

/** The faults of `--workflow none`, the rollout action run by hand. */
const ACTION_FAULTS: readonly Fault[] = ['none', 'error-rate', 'latency', 'crash'];
const STRATEGIES: readonly Strategy[] = ['canary', 'blue-green'];
/** What `npm run rehearse` runs without --workflow: the push-to-main pipeline, from its workflow file. */
const DEFAULT_WORKFLOW: WorkflowName = 'main';
const CHOICES = [...WORKFLOWS, 'none'] as const;

const HELP = `usage: npm run rehearse -- [flags]

A release rehearsed on the local stand-in of AWS, with the service live on blue and real client traffic.

  --workflow main|model-release|deploy|none
                      run that workflow file (.github/workflows/<name>.yml) through the workflow runner:
                      GitHub's parser and expression evaluator, our actions from their committed dist/,
                      third-party actions by named local equivalents (default: ${DEFAULT_WORKFLOW}); none runs
                      the rollout action by hand on a pushed image instead (see --strategy)
  --fault none|error-rate|latency|crash|throttle|bad-model
                      a bad release, to watch it stopped (default none). With main it is a bad image built
                      and pushed by the pipeline (error-rate: 30% of API answers 500; latency: +400 ms;
                      crash: a setting the service refuses, so its tasks exit at start), or a good one
                      while AWS throttles the rollout (throttle). With --workflow none: the first four.
                      With model-release: bad-model, a model set wrong on every image, for the gate to refuse
  --tag model-vX.Y.Z  the tag a model-release run is for (default model-v1.1.0)
  --approve           approve every environment that needs a review (otherwise asked on a terminal,
                      approved without one, and the output says so)
  --reject            refuse every review instead, to rehearse a refused release
  --skip-job ID       leave a job out by id or caller/job path; repeatable (default: test)
  --strategy canary|blue-green   the rollout plan of --workflow none (default canary)
  --app auto|svgai|release-app   what runs as the service: auto picks the SVG-AI service when this
                      machine can run it, else the release test app (default auto)
  --rate N            client requests per second, 1 to 500 (default 40): with a workflow, uploads,
                      conversions and classifications of real logos mixed with status reads and health checks
  --help              this text

Exit code 0 when the outcome is the safe one (a good release promoted with no failed client request; a
bad one stopped before production, all traffic back on the side that was live), 1 when not, 2 for a bad flag.`;

function fail(message: string): never {
  console.error(`rehearse: ${message} (see --help)`);
  process.exit(2);
}

let parsed;
try {
  parsed = parseArgs({
    options: {
      strategy: { type: 'string', default: 'canary' },
      fault: { type: 'string', default: 'none' },
      app: { type: 'string', default: 'auto' },
      rate: { type: 'string', default: '40' },
      workflow: { type: 'string' },
      tag: { type: 'string', default: 'model-v1.1.0' },
      approve: { type: 'boolean', default: false },
      reject: { type: 'boolean', default: false },
      'skip-job': { type: 'string', multiple: true },
      help: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
} catch (error) {
  const message = (error as Error).message.split('\n')[0]!;
  const ambiguous = /^Option '(--[a-z-]+)[^']*' argument is ambiguous/.exec(message);
  fail(
    ambiguous
      ? `${ambiguous[1]} takes a value; give one that starts with '-' as ${ambiguous[1]}=VALUE`
      : message.replace(/\. To specify .*$/, ''),
  );
}
const { values } = parsed;
if (values.help) {
  console.log(HELP);
  process.exit(0);
}
const given = (flag: string) => process.argv.some((arg) => arg === `--${flag}` || arg.startsWith(`--${flag}=`));
const choice = (values.workflow ?? DEFAULT_WORKFLOW) as (typeof CHOICES)[number];
if (!CHOICES.includes(choice)) fail(`--workflow ${values.workflow} is not one of ${CHOICES.join(', ')}`);
const workflow = choice === 'none' ? undefined : choice;
const strategy = values.strategy as Strategy;
if (!STRATEGIES.includes(strategy)) fail(`--strategy ${values.strategy} is not one of ${STRATEGIES.join(', ')}`);
if (!(WORKFLOW_FAULTS as readonly string[]).includes(values.fault))
  fail(`--fault ${values.fault} is not one of ${WORKFLOW_FAULTS.join(', ')}`);
const faults: Record<(typeof CHOICES)[number], readonly string[]> = {
  main: MAIN_FAULTS,
  'model-release': MODEL_FAULTS,
  deploy: ['none'],
  none: ACTION_FAULTS,
};
if (!faults[choice].includes(values.fault)) {
  const takers = (Object.keys(faults) as (typeof CHOICES)[number][]).filter((name) => faults[name].includes(values.fault));
  fail(`--fault ${values.fault} is not a fault of --workflow ${choice}; it needs --workflow ${takers.join(' or ')}`);
}
if (!['auto', 'svgai', 'release-app'].includes(values.app)) fail(`--app ${values.app} is not one of auto, svgai, release-app`);
const rate = Number(values.rate);
if (!/^\d+$/.test(values.rate) || rate < 1 || rate > 500) fail(`--rate ${values.rate} is not a whole number from 1 to 500`);
if (!/^model-v\d+\.\d+\.\d+$/.test(values.tag)) fail(`--tag ${values.tag} is not a model release tag (model-vX.Y.Z)`);
if (given('tag') && workflow !== 'model-release') fail('--tag needs --workflow model-release');
if (values.approve && values.reject) fail('--approve and --reject cannot both be given');
if (workflow === undefined) {
  for (const flag of ['skip-job', 'approve', 'reject'] as const) if (given(flag)) fail(`--${flag} needs a workflow, not --workflow none`);
} else if (given('strategy')) {
  fail('--strategy applies to --workflow none; a workflow run takes its strategy from the workflow file');
}

if (workflow !== undefined) {
  const { app, why } = chooseApp(values.app as 'auto');
  console.log(`svg-ai-release rehearsal of the ${workflow} workflow${values.fault === 'none' ? '' : `, fault ${values.fault}`}`);
  console.log(`service: ${app === 'svgai' ? 'the SVG-AI service (service/)' : 'the release test app'}: ${why}`);
  // GitHub's workflow parser imports its schema as JSON: scripts/rehearse.mjs starts this under tsx for it.
  const { rehearseWorkflow } = await import('./workflow/cli.js');
  const options = {
    workflow,
    tag: values.tag,
    approve: values.approve,
    reject: values.reject,
    skipJobs: values['skip-job'] ?? ['test'],
    app,
    rate,
    fault: values.fault as WorkflowFault,
  };
  let code: number;
  if (options.fault === 'bad-model') {
    // Two bad model releases: one the gate must refuse, one that passes it and the canary must roll back.
    console.log('\n=== 1 of 2: a model set whose classifier is wrong on every image\n');
    const gate = await rehearseWorkflow({ ...options, spoil: 'classifier' });
    console.log('\n=== 2 of 2: a model set whose quality predictor is wrong, its classifier untouched\n');
    const canary = await rehearseWorkflow({ ...options, spoil: 'predictor' });
    code = gate === 0 && canary === 0 ? 0 : 1;
    console.log(
      `\n${code === 0 ? '✓' : '✗'} bad-model: the gate ${gate === 0 ? 'refused' : 'did NOT refuse'} the first, the canary ${canary === 0 ? 'rolled back' : 'did NOT roll back'} the second`,
    );
  } else code = await rehearseWorkflow(options);
  process.exit(code);
}
const fault = values.fault as Fault;

const { app, why } = chooseApp(values.app as 'auto');
console.log(`svg-ai-release rehearsal: ${strategy}, fault ${fault}`);
console.log(
  `service: ${app === 'svgai' ? 'the SVG-AI service (service/)' : 'the release test app (packages/aws-local/test-fixtures/release-app.mjs)'}: ${why}`,
);
console.log(`clients: ${rate} requests/s to ${TRAFFIC_PATH} through the production listener\n`);

const result = await runScenario({
  strategy,
  fault,
  app,
  rate,
  fast: true,
  onOutput: (line) => {
    const shown = renderLogLine(line);
    if (shown !== undefined) console.log(shown);
  },
  beforeRelease: (world) => {
    console.log(`stand-in endpoint ${world.local.endpoint}; production listener ${world.productionUrl}; blue is live\n`);
  },
});

const record = result.record;
console.log('\n== Steps');
console.log(record ? renderTextReport(record) : '(no deployment record: the action failed before the rollout started)');
console.log('\n== What the clients saw during the release');
const t = result.traffic;
console.log(`${t.requests} requests, ${t.failed} failed (${(t.failedShare * 100).toFixed(2)}%)`);
console.log(
  `answered by model version: ${
    Object.entries(t.byRelease)
      .map(([version, count]) => `${version}: ${count}`)
      .join(', ') || 'none'
  }`,
);
if (result.exposureMs !== undefined)
  console.log(`the new release took production traffic for ${result.exposureMs} ms before the weights were restored`);
if (result.detectionToRestoreMs !== undefined)
  console.log(`first failed client request to weights restored: ${result.detectionToRestoreMs} ms`);
console.log(
  `final weights: blue ${result.finalWeights.blue} / green ${result.finalWeights.green}; desired tasks: blue ${result.desiredCounts.blue}, green ${result.desiredCounts.green}`,
);
console.log('\n== Deployment record');
console.log(JSON.stringify(record, null, 2));

const expectPromotion = fault === 'none';
const traffickedSafely = expectPromotion
  ? record?.status === 'promoted'
  : result.finalWeights.blue === 100 && result.finalWeights.green === 0;
const outcome = expectPromotion
  ? record?.status === 'promoted'
    ? 'the release was promoted: green serves all traffic and blue is scaled down'
    : `the release was expected to promote but ended ${record?.status ?? 'without a record'}`
  : traffickedSafely
    ? `the bad release was stopped (${record?.status}): all traffic is back on blue`
    : `the bad release was NOT contained: weights blue ${result.finalWeights.blue} / green ${result.finalWeights.green}`;
console.log(`\n${traffickedSafely ? '✓' : '✗'} ${outcome}`);
process.exit(traffickedSafely ? 0 : 1);
