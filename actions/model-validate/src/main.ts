import * as core from '@actions/core';
import { runAction } from '@svg-ai-release/action-kit';
import { MODEL_VALIDATE } from './contract.js';
import { readModelValidateInputs } from './inputs.js';

export async function main(): Promise<void> {
  await runAction(MODEL_VALIDATE.name, async () => {
    const inputs = readModelValidateInputs();
    core.info(`model-validate: ${inputs.report}${inputs.championReport ? ` against champion ${inputs.championReport}` : ''}`);
    throw new Error(
      'the model gate is not implemented in this version of the action; the inputs are valid, but the report was not judged. ' +
        'Pin a release of svg-ai-release that ships model-validate.',
    );
  });
}
