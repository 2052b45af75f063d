import * as core from '@actions/core';
import { formatDuration, runAction } from '@svg-ai-release/action-kit';
import { CANARY } from './contract.js';
import { readCanaryInputs } from './inputs.js';

export async function main(): Promise<void> {
  await runAction(CANARY.name, async () => {
    const inputs = readCanaryInputs();
    core.info(
      `canary plan: ${inputs.steps.join('% → ')}% on ${inputs.target.listener.arn}, ` +
        `bake ${formatDuration(inputs.bakeTimeMs)} per step, mode ${inputs.mode}`,
    );
    // The rollout engine is not wired into this action yet: refuse rather than report a success
    // that moved no traffic.
    throw new Error(
      'the canary rollout is not implemented in this version of the action; the inputs are valid, but no traffic was moved. ' +
        'Pin a release of svg-ai-release that ships the canary engine.',
    );
  });
}
