/**
 * Rollout figures on the stand-in, with a 5 s analysis interval (run: npx tsx bench/rollout.ts [--runs 3]):
 *   - how long a bad canary (30% of API requests fail) keeps production traffic before the weights are
 *     restored, against the analysis interval (goal: at most two intervals); probes (10 requests) run every
 *     500 ms between analyses, so detection is bound by the probe interval;
 *   - the share of client requests that failed during that bad rollout, with a 10% first step (goal: under 1%);
 *   - the wall time of a good rollout against the sum of its configured bakes (goal: overhead under 10%).
 * Every figure comes from real processes and real traffic; medians over the runs.
 */
import { parseArgs } from 'node:util';
import { runScenario, type Fault } from '../src/index.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' } } });
const RUNS = Number(values.runs);
const INTERVAL_MS = 5_000;
const BAKE_MS = 20_000;
const KEEP_OLD_MS = 5_000;
const STEPS = [10, 50, 100];
const inputs = {
  steps: STEPS.join(','),
  'analysis-interval': '5s',
  'bake-time': '20s',
  'keep-old-for': '5s',
  'smoke-requests': '0', // the bad canary must reach production for its exposure to be measured
  'probe-requests': '10',
};

const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

async function runs(fault: Fault, overrides: Record<string, string> = {}) {
  const results = [];
  for (let i = 0; i < RUNS; i++) {
    results.push(await runScenario({ strategy: 'canary', fault, app: 'release-app', rate: 50, inputs: { ...inputs, ...overrides } }));
  }
  return results;
}

const bad = await runs('error-rate');
const exposures = bad.map((r) => r.exposureMs ?? Number.NaN);
const shares = bad.map((r) => r.traffic.failedShare);
// The same bad canary with smoke checks on an API path through the test listener before any traffic moves.
const smoked = await runs('error-rate', { 'smoke-requests': '10', 'smoke-path': '/api/model-status' });
const good = await runs('none');
const walls = good.map((r) => Date.parse(r.record!.finishedAt) - Date.parse(r.record!.startedAt));
const configured = STEPS.length * BAKE_MS - BAKE_MS + KEEP_OLD_MS; // the 100% step's bake is the keep-old-warm period

console.log(
  `canary rollouts on the stand-in: steps ${STEPS.join('/')}%, analysis every ${INTERVAL_MS / 1000} s, ${RUNS} runs each, median`,
);
console.log(`bad canary (30% of API requests fail):`);
console.log(
  `  production exposure until weights restored: ${median(exposures)} ms = ${(median(exposures) / INTERVAL_MS).toFixed(2)} analysis intervals (runs: ${exposures.join(', ')} ms; goal ≤ 2)`,
);
console.log(
  `  failed client requests: median ${(median(shares) * 100).toFixed(2)}%, mean ${(mean(shares) * 100).toFixed(2)}% of all requests during the rollout (runs: ${shares.map((s) => (s * 100).toFixed(2)).join(', ')}%; goal < 1%)`,
);
console.log(
  `  that is ${bad.map((r) => `${r.traffic.failed} of ${r.traffic.requests}`).join(', ')} requests: a rollback this fast makes the rollout itself short, so one failed request is about 1%`,
);
console.log(`  statuses: ${bad.map((r) => r.record?.status).join(', ')}`);
console.log(`the same bad canary with smoke checks (10 requests to an API path through the test listener first):`);
console.log(
  `  stopped before any production traffic: ${smoked.filter((r) => !r.record?.steps.some((s) => s.kind === 'shift')).length} of ${RUNS}; ` +
    `failed client requests: mean ${(mean(smoked.map((r) => r.traffic.failedShare)) * 100).toFixed(2)}%`,
);
console.log(`good canary:`);
console.log(
  `  wall time ${median(walls)} ms against ${configured} ms of configured bakes: overhead ${((median(walls) / configured - 1) * 100).toFixed(1)}% (runs: ${walls.join(', ')} ms; goal < 10%)`,
);
console.log(`  statuses: ${good.map((r) => r.record?.status).join(', ')}`);
