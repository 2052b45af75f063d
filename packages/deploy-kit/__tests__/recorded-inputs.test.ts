import { describe, expect, it } from '@jest/globals';
import { declareInputs, input, parseList, parsePercentSteps } from '@svg-ai-release/action-kit';
import { parseRecord, recordedSource, recordInputs } from '../src/index.js';

const DECLARATION = declareInputs({
  steps: input.withDefault({ name: 'steps', description: 'Steps.', default: '10,25,50,100', parse: parsePercentSteps }),
  bakeTime: input.withDefault({ name: 'bake-time', description: 'Bake.', default: '5m', parse: (_n, r) => r }),
  image: input.optional({ name: 'image', description: 'Image.', parse: (_n, r) => r.trim() }),
  alarms: input.optional({ name: 'alarms', description: 'Alarms.', parse: parseList }),
  versionPath: input.defaultOrOff({ name: 'version-path', description: 'Version.', default: '/version', parse: (_n, r) => r }),
  mode: input.withDefault({ name: 'mode', description: 'Mode.', default: 'deploy', parse: (_n, r) => r }),
  cluster: input.required({ name: 'cluster', description: 'Cluster.', parse: (_n, r) => r }),
});
const source = (values: Record<string, string>) => (name: string) => values[name] ?? '';
// What the runner passes when the workflow sets only some inputs: action.yml defaults for the rest.
const runner = (values: Record<string, string>) =>
  source({ steps: '10,25,50,100', 'bake-time': '5m', 'version-path': '/version', mode: 'deploy', ...values });

describe('recordInputs', () => {
  it('records what defines the rollout as given, leaving out defaults and the run’s own inputs', () => {
    const recorded = recordInputs(DECLARATION, runner({ steps: '5,20,100', image: 'img@sha256:1', 'version-path': '', cluster: 'c' }));
    expect(JSON.parse(recorded)).toEqual({ steps: '5,20,100', image: 'img@sha256:1', 'version-path': '' });
  });
});

describe('recordedSource', () => {
  const recorded = parseRecord(JSON.stringify({ steps: '5,20,100', image: 'img@sha256:1', 'version-path': '' }));

  it('gives the recorded texts, the defaults the rollout ran with, and the run’s own inputs', () => {
    const get = recordedSource(DECLARATION, runner({ mode: 'resume', cluster: 'c2' }), recorded);
    expect(['steps', 'bake-time', 'image', 'alarms', 'version-path', 'mode', 'cluster'].map(get)).toEqual([
      '5,20,100',
      '5m',
      'img@sha256:1',
      '',
      '',
      'resume',
      'c2',
    ]);
  });

  it.each([
    [
      'a plan that contradicts the record',
      { steps: '10,50,100' },
      `input 'steps': is "10,50,100", but the rollout in progress was started with "5,20,100"`,
    ],
    [
      'another image',
      { image: 'img@sha256:2' },
      `input 'image': is "img@sha256:2", but the rollout in progress was started with "img@sha256:1"`,
    ],
    [
      'a setting the rollout left at its default',
      { 'bake-time': '1m' },
      `input 'bake-time': is "1m", but the rollout in progress was started with "5m"`,
    ],
    ['an input the rollout did not have', { alarms: 'a' }, `input 'alarms': is "a", but the rollout in progress was started with none`],
  ])('refuses %s, naming both values', (_name, given, message) => {
    expect(() => recordedSource(DECLARATION, runner({ mode: 'resume', ...given }), recorded)).toThrow(
      `${message}; leave it out to continue the recorded rollout, or abort it first`,
    );
  });

  it('accepts inputs that repeat the record', () => {
    expect(() => recordedSource(DECLARATION, runner({ steps: '5,20,100', image: 'img@sha256:1' }), recorded)).not.toThrow();
  });

  it('refuses a damaged record', () => {
    expect(() => parseRecord('{"steps": 5}')).toThrow(/not a map of input texts/);
    expect(() => parseRecord('{')).toThrow(/not valid JSON/);
  });
});
