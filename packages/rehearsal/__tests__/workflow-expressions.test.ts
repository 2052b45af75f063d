/** GitHub's evaluator over the runner's contexts, and the status functions as a job or step sees them. */
import { describe, expect, it } from '@jest/globals';
import { asText, condition, evaluate, interpolate } from '../src/workflow/expressions.js';

const contexts = {
  github: { ref: 'refs/tags/model-v1.1.0', ref_name: 'model-v1.1.0', event_name: 'push' },
  needs: { build: { result: 'success', outputs: { image: 'r/svg-ai@sha256:abc', 'image-size': '42' } } },
  inputs: { strategy: 'canary', 'timeout-minutes': 120, loud: false },
  vars: { BAKE_TIME: '4s' },
  steps: { canary: { outputs: { status: '' } }, 'blue-green': { outputs: { status: 'promoted' } } },
};
const passed = { success: true, failure: false, cancelled: false };
const failed = { success: false, failure: true, cancelled: false };

describe('expressions', () => {
  it.each([
    ['a hyphenated output through needs', 'needs.build.outputs.image', 'r/svg-ai@sha256:abc'],
    [
      '|| falls through empty strings, as deploy.yml relies on',
      'steps.canary.outputs.status || steps.blue-green.outputs.status',
      'promoted',
    ],
    ['an unset variable falls back', "inputs.bake-time || vars.BAKE_TIME || '5m'", '4s'],
    ['a missing property is empty, not an error', 'vars.NOT_SET', ''],
    ['format() as the parser writes embedded expressions', "format('svg-ai-release-{0}', inputs.strategy)", 'svg-ai-release-canary'],
    ['numbers keep their text', "inputs['timeout-minutes']", '120'],
    ['booleans become true/false', 'inputs.loud', 'false'],
    ['startsWith on the tag', "startsWith(github.ref, 'refs/tags/model-v')", 'true'],
    ['fromJSON and toJSON', 'toJSON(fromJSON(\'{"a":1}\'))', '{\n  "a": 1\n}'],
  ])('%s', (_name, expression, expected) => {
    expect(asText(evaluate(expression, contexts))).toBe(expected);
  });

  it.each([
    ['success() after success', 'success()', passed, true],
    ['success() after a failure', 'success()', failed, false],
    ['failure() after a failure', 'failure()', failed, true],
    ['failure() after success', 'failure()', passed, false],
    ['always() either way', 'always()', failed, true],
    ['cancelled() when nothing was cancelled', 'cancelled()', passed, false],
    ['cancelled() after a cancellation', 'cancelled()', { success: false, failure: false, cancelled: true }, true],
    ['success() is false once cancelled', 'success()', { success: true, failure: false, cancelled: true }, false],
    ["a needs result compared, as deploy.yml's callers do", "always() && needs.build.result == 'success'", failed, true],
    ['an empty string is falsy', 'steps.canary.outputs.status', passed, false],
  ])('%s', (_name, expression, status, expected) => {
    expect(condition(expression, contexts, status)).toBe(expected);
  });

  it('refuses an unknown function or a syntax error, naming the expression', () => {
    expect(() => evaluate('nonsense()', contexts)).toThrow('cannot evaluate ${{ nonsense() }}');
    expect(() => evaluate('inputs.strategy ==', contexts)).toThrow('cannot evaluate ${{ inputs.strategy == }}');
  });

  it('expands ${{ }} inside an action.yml default', () => {
    expect(interpolate('${{ github.ref_name }}-x', contexts)).toBe('model-v1.1.0-x');
  });
});
