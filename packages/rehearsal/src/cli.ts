#!/usr/bin/env node
/**
 * `npm run rehearse`: a whole release on the local stand-in of AWS, with real traffic.
 *   --strategy canary|blue-green   (default canary)
 *   --fault none|error-rate|latency|crash   a bad release, to watch it being rolled back
 *   --app auto|svgai|release-app   what runs as the service (auto: the real one when it can)
 *   --rate N                       client requests per second (default 40)
 */
import { parseArgs } from 'node:util';
import { renderTextReport } from '@svg-ai-release/rollout';
import { chooseApp } from './app-choice.js';
import { renderLogLine } from './log-lines.js';
import { runScenario, TRAFFIC_PATH, type Fault } from './scenario.js';
import type { Strategy } from './release.js';

const FAULTS: readonly Fault[] = ['none', 'error-rate', 'latency', 'crash'];
const STRATEGIES: readonly Strategy[] = ['canary', 'blue-green'];

function fail(message: string): never {
  console.error(`rehearse: ${message}`);
  process.exit(2);
}

const { values } = parseArgs({
  options: {
    strategy: { type: 'string', default: 'canary' },
    fault: { type: 'string', default: 'none' },
    app: { type: 'string', default: 'auto' },
    rate: { type: 'string', default: '40' },
  },
  strict: true,
});
const strategy = values.strategy as Strategy;
const fault = values.fault as Fault;
if (!STRATEGIES.includes(strategy)) fail(`--strategy ${values.strategy} is not one of ${STRATEGIES.join(', ')}`);
if (!FAULTS.includes(fault)) fail(`--fault ${values.fault} is not one of ${FAULTS.join(', ')}`);
if (!['auto', 'svgai', 'release-app'].includes(values.app)) fail(`--app ${values.app} is not one of auto, svgai, release-app`);
const rate = Number(values.rate);
if (!Number.isInteger(rate) || rate < 1 || rate > 500) fail(`--rate ${values.rate} is not a whole number from 1 to 500`);

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
