/**
 * The reference checks of validate-workflows on fixtures: a workflow whose references all hold passes,
 * and each fixture in broken/ (one wrong reference each) fails with the sentence naming it.
 * Run: npx tsx --test scripts/validate-workflows.test.ts
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { referenceProblems } from './lib/workflow-references.ts';

const root = fileURLToPath(new URL('./fixtures/workflow-references', import.meta.url));
const good = ['good.yml', 'reusable.yml'].map((name) => join(root, '.github', 'workflows', name));
const broken = (name: string) => referenceProblems([join(root, 'broken', `${name}.yml`)], root);

describe('workflow reference checks', () => {
  it('pass a caller, a reusable workflow and an action whose references all hold', () => {
    assert.deepEqual(referenceProblems(good, root), []);
  });

  const cases: [string, string | string[]][] = [
    ['unknown-input', "job 'build' step 'demo' (./actions/demo) passes input 'colr', which actions/demo does not declare"],
    ['missing-required', "job 'build' step 'demo' (./actions/demo) does not pass the required input 'name'"],
    ['step-output', "job 'build' reads steps.demo.outputs.greting, but step 'demo' sets no output 'greting' (it sets: greeting)"],
    ['run-output', "job 'build' reads steps.tag.outputs.digest, but step 'tag' sets no output 'digest' (it sets: image)"],
    ['step-id', "job 'build' reads steps.tagg.outputs.image, but no step of the job has id 'tagg'"],
    ['needs-output', "job 'call' reads needs.build.outputs.imag, but job 'build' declares no output 'imag'"],
    ['called-output', "job 'after' reads needs.call.outputs.greet, but job 'call' declares no output 'greet'"],
    [
      'not-needed',
      [
        "job 'after' reads needs.call.result, but 'call' is not in its needs",
        "job 'after' reads needs.call.outputs.greeting, but 'call' is not in its needs",
      ],
    ],
    ['caller-unknown-input', "job 'call' passes input 'colour' to reusable.yml, which does not declare it"],
    ['caller-missing-input', "job 'call' does not pass the required input 'target' to reusable.yml"],
    ['secrets-inherit', "job 'call' passes secrets: inherit to reusable.yml, which declares no secrets"],
    ['unused-input', "declares input 'note' but never reads inputs.note"],
    ['run-expression', "job 'after' step #1 expands ${{ }} inside run:; pass the value through env: instead"],
    ['reusable-output', "output 'greeting' reads jobs.work.outputs.greet, but job 'work' declares no output 'greet'"],
  ];
  for (const [fixture, expected] of cases) {
    const messages = typeof expected === 'string' ? [expected] : expected;
    it(`fail ${fixture}: ${messages[0]}`, () => {
      assert.deepEqual(
        broken(fixture),
        messages.map((message) => `broken/${fixture}.yml: ${message}`),
      );
    });
  }
});
