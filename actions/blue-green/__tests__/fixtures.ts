/** Valid inputs for the blue-green action (with the runner's defaults), varied one at a time by the tests. */
const ALB = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/svg-ai/50dc6c495c0c9188';
export const LISTENER = `${ALB}/f2f7dc8efc522ab2`;
export const TEST_LISTENER = `${ALB}/0467ef3c8400ae65`;

export const VALID_INPUTS: Readonly<Record<string, string>> = {
  'listener-arn': LISTENER,
  'test-listener-arn': TEST_LISTENER,
  cluster: 'arn:aws:ecs:eu-west-1:123456789012:cluster/svg-ai',
  'blue-service': 'svg-ai-blue',
  'green-service': 'svg-ai-green',
  image: `123456789012.dkr.ecr.eu-west-1.amazonaws.com/svg-ai@sha256:${'c'.repeat(64)}`,
  'smoke-path': '/ready',
  'smoke-requests': '20',
  'smoke-expected-status': '200',
  'smoke-max-latency': '2s',
  'bake-time': '10m',
  'analysis-interval': '1m',
  'min-requests': '50',
  'inconclusive-policy': 'extend',
  'max-extensions': '2',
  'max-error-rate': '0.01',
  'version-path': '/version',
  'metric-period': '1m',
  'metric-delay': '3m',
  'wait-healthy-timeout': '10m',
  'time-budget': '5h',
  mode: 'deploy',
  'take-over': 'false',
};
