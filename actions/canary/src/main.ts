import { RELEASE_VERSION, runAction } from '@svg-ai-release/action-kit';
import { runDeployAction } from '@svg-ai-release/deploy-kit';
import { CANARY, CANARY_INPUTS } from './contract.js';
import { readCanaryInputs } from './inputs.js';
import { canarySpec } from './spec.js';

export async function main(): Promise<void> {
  await runAction(CANARY.name, () =>
    runDeployAction({
      name: CANARY.name,
      version: RELEASE_VERSION,
      inputs: CANARY_INPUTS,
      readSpec: (get) => canarySpec(readCanaryInputs(get)),
    }),
  );
}
