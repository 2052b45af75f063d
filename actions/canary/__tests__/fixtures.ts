/** Valid inputs for the canary action, to be varied one at a time by the tests. */
export const LISTENER = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/svg-ai/50dc6c495c0c9188/f2f7dc8efc522ab2';
export const TEST_LISTENER = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/svg-ai/50dc6c495c0c9188/0467ef3c8400ae65';
export const IMAGE = `123456789012.dkr.ecr.eu-west-1.amazonaws.com/svg-ai@sha256:${'b'.repeat(64)}`;

export const VALID_INPUTS: Readonly<Record<string, string>> = {
  'listener-arn': LISTENER,
  cluster: 'svg-ai',
  'blue-service': 'svg-ai-blue',
  'green-service': 'svg-ai-green',
  image: IMAGE,
  // The runner passes action.yml defaults as inputs; tests do the same.
  steps: '10,25,50,100',
  'bake-time': '5m',
  'analysis-interval': '1m',
  'min-requests': '50',
  'inconclusive-policy': 'extend',
  'max-extensions': '2',
  'max-error-rate': '0.01',
  'error-rate-tolerance': '1.5',
  'latency-tolerance': '1.3',
  'smoke-requests': '10',
  'smoke-path': '/ready',
  'version-path': '/version',
  'probe-interval': '2s',
  'probe-requests': '5',
  'probe-max-latency': '2s',
  'metric-period': '1m',
  'metric-delay': '3m',
  'keep-old-for': '15m',
  'wait-healthy-timeout': '10m',
  'time-budget': '5h',
  mode: 'deploy',
  'take-over': 'false',
};
