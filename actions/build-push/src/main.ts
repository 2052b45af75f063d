import * as core from '@actions/core';
import { runAction } from '@svg-ai-release/action-kit';
import { BUILD_PUSH } from './contract.js';
import { readBuildPushInputs } from './inputs.js';

export async function main(): Promise<void> {
  await runAction(BUILD_PUSH.name, async () => {
    const inputs = readBuildPushInputs();
    core.info(`build-push: ${inputs.repository}:${inputs.tags.join(',')} for ${inputs.platforms.join(',')} in ${inputs.region}`);
    throw new Error(
      'building and pushing is not implemented in this version of the action; the inputs are valid, but no image was built. ' +
        'Pin a release of svg-ai-release that ships build-push.',
    );
  });
}
