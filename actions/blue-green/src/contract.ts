/**
 * The blue-green action's inputs and outputs, each declared once: the shared rollout inputs (with the
 * blue-green wording) and its own smoke-check settings. action.yml must agree with this declaration (a test
 * compares them both ways), and the README tables are generated from action.yml.
 */
import {
  actionContract,
  declareInputs,
  input,
  inputNames,
  mergeInputs,
  parseDuration,
  parseInteger,
  parseRequestPath,
} from '@svg-ai-release/action-kit';
import { ROLLOUT_OUTPUTS, rolloutInputs } from '@svg-ai-release/deploy-kit';

export const BLUE_GREEN_INPUTS = mergeInputs(
  rolloutInputs({
    bakeTimeDefault: '10m',
    // Blue-green validates the new colour through the test listener before the switch.
    testListenerRequired: true,
    descriptions: {
      listenerArn:
        'ARN of the production ALB listener, or of a listener rule, whose forward action holds the two target groups (blue and green). The live colour is whichever carries 100% of the weight.',
      testListenerArn: 'ARN of the test listener (or rule) that forwards to the idle colour; smoke checks go through it before the switch.',
      testHost:
        'Host name the test listener (or rule) answers for, e.g. `next.svg-ai.example.com`: smoke checks send it as Host header and, over HTTPS, as TLS server name, and verify the certificate against it. Needed when the test rule has a host-header condition or the listener is HTTPS.',
      cluster: 'Name or ARN of the ECS cluster running both services.',
      blueService: 'Name or ARN of the ECS service behind the blue target group.',
      greenService: 'Name or ARN of the ECS service behind the green target group.',
      image:
        'The container image to release, pinned by digest (`<registry>/<repository>@sha256:<digest>`). Required with `mode: deploy`; `resume`, `promote` and `abort` take the image the release recorded.',
      containerName: 'Container of the task definition whose image is replaced. Defaults to the first essential container.',
      environment: "Environment variables to set on that container, as `KEY=value` lines, merged over the live task definition's.",
      modelVersion:
        'The model version the new revision serves. It is recorded in the deployment record and the rollout lock, set as `MODEL_VERSION` on the container unless `environment` sets it, and checked on the version endpoint before the switch.',
      versionPath:
        'JSON endpoint through which the new side must report the image digest and `model-version` before the switch. Empty skips the check.',
      bakeTime:
        'How long the new colour is watched after the switch with the old colour still running at 0%, so a flip back is instant; then the old colour is scaled down.',
      analysisInterval: 'How often the new colour is judged during the bake.',
      minRequests: 'Fewest requests a window needs before it can pass; with fewer the verdict is inconclusive, never a pass.',
      inconclusivePolicy:
        'What an inconclusive bake (too little traffic to judge) does at its end, `extend` (bake again, up to `max-extensions` times) or `fail` (flip back).',
      maxExtensions: 'How many times an inconclusive bake may be extended before it fails.',
      maxErrorRate: 'Absolute SLO for the 5xx share of requests after the switch, as a fraction (`0.01` = 1%).',
      maxP95Latency: 'Absolute SLO for p95 response time after the switch, as a duration. Optional.',
      maxP99Latency: 'Absolute SLO for p99 response time after the switch, as a duration. Optional.',
      alarms:
        'CloudWatch alarm names, one per line; any of them in ALARM during the bake flips traffic back. Every alarm named must exist: a misspelt name is refused before anything changes.',
      metricPeriod: 'The resolution ALB metrics are published at (`1m` in AWS).',
      metricDelay:
        'How late ALB metrics are published; analysis windows end this long before now, so late data is neither missed nor read as zero.',
      waitHealthyTimeout: "How long the new revision's tasks may take to become healthy in their target group.",
      timeBudget: "The longest the release may take; the action refuses to start when the plan's worst case exceeds it.",
      mode: '`deploy` starts a release; `resume` continues the one in progress with the settings it recorded; `abort` flips an in-progress release back now; `promote` ends its bake early. Only `deploy` needs `image`; the others need only the environment.',
      takeOver:
        'Take over the rollout lock when another run holds it: for an operator who must `abort` or `promote` a rollout that a different workflow run started. Without it, a lock held by another run refuses the action.',
      awsRegion: 'AWS region of the resources. Defaults to the region in the ARNs.',
      endpointUrl: 'Override the AWS endpoint for every client, for a local stand-in of AWS. Leave empty for AWS itself.',
    },
  }),
  declareInputs({
    smokePath: input.withDefault({
      name: 'smoke-path',
      description: 'Path requested through the test listener before the switch.',
      default: '/ready',
      parse: parseRequestPath,
    }),
    smokeRequests: input.withDefault({
      name: 'smoke-requests',
      description: 'How many smoke requests must all succeed before the switch.',
      default: '20',
      parse: (n, r) => parseInteger(n, r, { min: 1, max: 10_000 }),
    }),
    smokeExpectedStatus: input.withDefault({
      name: 'smoke-expected-status',
      description: 'HTTP status every smoke request must return.',
      default: '200',
      parse: (n, r) => parseInteger(n, r, { min: 100, max: 599 }),
    }),
    smokeMaxLatency: input.withDefault({
      name: 'smoke-max-latency',
      description: 'Slowest acceptable smoke response, as a duration.',
      default: '2s',
      parse: (n, r) => parseDuration(n, r, { min: 1, max: 60_000 }),
    }),
  }),
);

/** Input and output names, from the declaration; a test checks them against action.yml both ways. */
export const BLUE_GREEN = actionContract({ name: 'blue-green', inputs: inputNames(BLUE_GREEN_INPUTS), outputs: ROLLOUT_OUTPUTS });
