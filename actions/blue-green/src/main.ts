import { RELEASE_VERSION, runAction } from '@svg-ai-release/action-kit';
import { runDeployAction } from '@svg-ai-release/deploy-kit';
import { BLUE_GREEN, BLUE_GREEN_INPUTS } from './contract.js';
import { readBlueGreenInputs } from './inputs.js';
import { blueGreenSpec } from './spec.js';

export async function main(): Promise<void> {
  await runAction(BLUE_GREEN.name, () =>
    runDeployAction({
      name: BLUE_GREEN.name,
      version: RELEASE_VERSION,
      inputs: BLUE_GREEN_INPUTS,
      readSpec: (get) => blueGreenSpec(readBlueGreenInputs(get)),
    }),
  );
}
