import * as core from '@actions/core';
import { formatDuration, runAction } from '@svg-ai-release/action-kit';
import { BLUE_GREEN } from './contract.js';
import { readBlueGreenInputs } from './inputs.js';

export async function main(): Promise<void> {
  await runAction(BLUE_GREEN.name, async () => {
    const inputs = readBlueGreenInputs();
    core.info(
      `blue-green plan: ${inputs.smoke.requests} smoke requests to ${inputs.smoke.path}, switch, ` +
        `bake ${formatDuration(inputs.bakeTimeMs)}, mode ${inputs.mode}`,
    );
    // The rollout engine is not wired into this action yet: refuse rather than report a success
    // that moved no traffic.
    throw new Error(
      'the blue-green release is not implemented in this version of the action; the inputs are valid, but no traffic was moved. ' +
        'Pin a release of svg-ai-release that ships the rollout engine.',
    );
  });
}
