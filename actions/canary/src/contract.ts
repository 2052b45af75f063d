/**
 * The canary action's inputs and outputs, each declared once: the shared rollout inputs (with the canary's
 * wording) and the canary's own. action.yml must agree with this declaration (a test compares them both
 * ways), and the README tables are generated from action.yml.
 */
import {
  actionContract,
  declareInputs,
  input,
  inputNames,
  mergeInputs,
  parseDuration,
  parseInteger,
  parseNumber,
  parsePercentSteps,
  parseRequestPath,
} from '@svg-ai-release/action-kit';
import { ROLLOUT_OUTPUTS, rolloutInputs } from '@svg-ai-release/deploy-kit';
import { parseMetricChecks } from './metric-checks.js';

const HOUR = 3_600_000;
/** A ratio to the baseline: the canary may be at most this many times worse (1 allows no regression at all). */
const ratio = (name: string, raw: string) => parseNumber(name, raw, { min: 1, max: 100 });

export const CANARY_INPUTS = mergeInputs(
  rolloutInputs({
    bakeTimeDefault: '5m',
    testListenerRequired: false,
    descriptions: {
      listenerArn:
        'ARN of the production ALB listener, or of a listener rule, whose forward action holds the two target groups (blue and green). The live colour is whichever carries 100% of the weight.',
      testListenerArn:
        'ARN of a test listener (or rule) that forwards only to the idle colour. Used for smoke checks before any production traffic moves and for probes during bakes. Optional.',
      testHost:
        'Host name the test listener (or rule) answers for, e.g. `canary.svg-ai.example.com`: smoke checks and probes send it as Host header and, over HTTPS, as TLS server name, and verify the certificate against it. Needed when the test rule has a host-header condition or the listener is HTTPS.',
      cluster: 'Name or ARN of the ECS cluster running both services.',
      blueService: 'Name or ARN of the ECS service behind the blue target group.',
      greenService: 'Name or ARN of the ECS service behind the green target group.',
      image:
        'The container image to release, pinned by digest (`<registry>/<repository>@sha256:<digest>`), as the build-push action outputs it. Tags are refused: a tag can move between approval and deployment. Required with `mode: deploy`; `resume`, `promote` and `abort` take the image the rollout recorded.',
      containerName: 'Container of the task definition whose image is replaced. Defaults to the first essential container.',
      environment:
        "Environment variables to set on that container, as `KEY=value` lines (for example `MODEL_VERSION=1.4.0`). Merged over the live task definition's environment.",
      modelVersion:
        "The model version the new revision serves. It is recorded in the deployment record and the rollout lock, set as `MODEL_VERSION` on the container unless `environment` sets it, and checked on the new side's version endpoint before traffic moves.",
      versionPath:
        'JSON endpoint through which the new side must report the image digest and `model-version` before traffic moves. Empty skips the check. Used only with `test-listener-arn`.',
      bakeTime: 'How long each step holds its weight while it is analysed, as a duration (`90s`, `5m`, `1h30m`).',
      analysisInterval: 'How often the analysis runs during a bake, so that a bad canary is caught before the step ends.',
      minRequests: 'Fewest canary requests a window needs before it can pass. With fewer the verdict is inconclusive, never a pass.',
      inconclusivePolicy:
        'What an inconclusive step does at the end of its bake, `extend` (bake again, up to `max-extensions` times) or `fail` (roll back).',
      maxExtensions: 'How many times an inconclusive step may extend its bake before it fails.',
      maxErrorRate: "Absolute SLO for the canary's 5xx share of requests, as a fraction (`0.01` = 1%).",
      maxP95Latency: "Absolute SLO for the canary's p95 response time, as a duration. Optional.",
      maxP99Latency: "Absolute SLO for the canary's p99 response time, as a duration. Optional.",
      alarms:
        'CloudWatch alarm names, one per line; any of them in ALARM fails the step. Every alarm named must exist: a misspelt name is refused before anything changes.',
      metricPeriod: 'The resolution ALB metrics are published at (`1m` in AWS).',
      metricDelay:
        'How late ALB metrics are published; analysis windows end this long before now, so late data is neither missed nor read as zero.',
      waitHealthyTimeout: "How long the new revision's tasks may take to become healthy in their target group.",
      timeBudget:
        "The longest the rollout may take (credential lifetime, job timeout). The action refuses to start when the plan's worst case exceeds it.",
      mode: '`deploy` starts a rollout; `resume` continues the one in progress with the plan and settings it recorded; `abort` rolls an in-progress rollout back now; `promote` skips its remaining steps. Only `deploy` needs `image`; the others need only the environment.',
      takeOver:
        'Take over the rollout lock when another run holds it: for an operator who must `abort` or `promote` a rollout that a different workflow run started. Without it, a lock held by another run refuses the action.',
      awsRegion: 'AWS region of the resources. Defaults to the region in the ARNs.',
      endpointUrl: 'Override the AWS endpoint for every client, for a local stand-in of AWS. Leave empty for AWS itself.',
    },
  }),
  declareInputs({
    steps: input.withDefault({
      name: 'steps',
      description: 'Canary traffic percentages, whole numbers, strictly increasing, ending at 100.',
      default: '10,25,50,100',
      parse: parsePercentSteps,
    }),
    errorRateTolerance: input.withDefault({
      name: 'error-rate-tolerance',
      description:
        "How many times the baseline's 5xx rate the canary's may be, a ratio of 1 or more (`1.5`: a baseline at 2% allows the canary up to 3%). The canary fails only above both this ratio and an absolute floor of one error per `min-requests` above the baseline (see the README).",
      default: '1.5',
      parse: ratio,
    }),
    latencyTolerance: input.withDefault({
      name: 'latency-tolerance',
      description:
        "How many times the baseline's p95 and p99 the canary's may be, a ratio of 1 or more (`1.3`: a baseline p95 of 200 ms allows the canary up to 260 ms). Differences of 25 ms or less never fail.",
      default: '1.3',
      parse: ratio,
    }),
    metricChecks: input.optional({
      name: 'metric-checks',
      description:
        'Extra CloudWatch metric checks as a JSON array, each with a metric query and either a threshold (`min`, `max`) or a ratio to the baseline of 1 or more (`max-rise-ratio`, `max-drop-ratio`), for example the service\'s predicted quality per model version. Every check\'s metric must have data before traffic moves, unless it sets `"allow-no-data": true`.',
      parse: parseMetricChecks,
    }),
    smokeRequests: input.withDefault({
      name: 'smoke-requests',
      description:
        'Requests sent to `smoke-path` through the test listener before any production traffic moves; all but one must succeed. `0` skips the smoke checks. Needs `test-listener-arn`.',
      default: '10',
      parse: (n, r) => parseInteger(n, r, { min: 0, max: 10_000 }),
    }),
    smokePath: input.withDefault({
      name: 'smoke-path',
      description: 'Path of the smoke requests.',
      default: '/ready',
      parse: parseRequestPath,
    }),
    probePath: input.optional({
      name: 'probe-path',
      description:
        'Path requested through the test listener at every analysis during bakes, so a bad canary is caught at the analysis interval rather than when ALB metrics arrive. Empty turns probing off. Needs `test-listener-arn`.',
      parse: parseRequestPath,
    }),
    probeInterval: input.withDefault({
      name: 'probe-interval',
      description:
        'How often the probe runs during bakes, between the full analyses; the detection bound for a canary that fails its probes. Longer than `analysis-interval` means probing at each analysis only.',
      default: '2s',
      parse: (n, r) => parseDuration(n, r, { min: 100, max: HOUR }),
    }),
    probeRequests: input.withDefault({
      name: 'probe-requests',
      description: 'Probe requests per probe round; one bad response is tolerated.',
      default: '5',
      parse: (n, r) => parseInteger(n, r, { min: 1, max: 1_000 }),
    }),
    probeMaxLatency: input.withDefault({
      name: 'probe-max-latency',
      description: 'Slowest acceptable probe (and smoke) response, as a duration.',
      default: '2s',
      parse: (n, r) => parseDuration(n, r, { min: 1, max: 60_000 }),
    }),
    keepOldFor: input.withDefault({
      name: 'keep-old-for',
      description: 'How long the old colour stays running at 0% after promotion, for an instant rollback, before it is scaled down.',
      default: '15m',
      parse: (n, r) => parseDuration(n, r, { max: 24 * HOUR }),
    }),
  }),
);

/** Input and output names, from the declaration; a test checks them against action.yml both ways. */
export const CANARY = actionContract({ name: 'canary', inputs: inputNames(CANARY_INPUTS), outputs: ROLLOUT_OUTPUTS });
